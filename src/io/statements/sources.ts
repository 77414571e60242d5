// Rows of cells from an xlsx sheet or a CSV file, streamed: the file is never held in memory.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { parse, CsvError } from 'csv-parse';
import { InputError } from '../../domain/errors.js';
import { decodeBuffer, decodingStream, type TextEncoding } from '../encoding.js';
import type { CellRow } from './types.js';

/** The first bytes of a file (format detection). */
export async function headBytes(file: string, size = 64 * 1024): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** xlsx (and every OOXML file) is a zip: it starts with "PK\x03\x04". */
export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The rows of the first worksheet, through exceljs's streaming reader: one row at a time, dates as
 * Date (styles are read for that), shared strings from the workbook's string table.
 */
export async function* rowsFromXlsx(file: string, name: string, limit = Infinity): AsyncGenerator<CellRow> {
  // exceljs is large: loaded only when a workbook is read, not at every start of the command.
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let count = 0;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        yield { line: row.number, cells: Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => values[i + 1]) };
        if (++count >= limit) return;
      }
      return; // the first sheet only
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError([{ file: name, message: `not a readable xlsx workbook (${(error as Error).message})` }]);
  }
}

/** The separator of a CSV from its first lines: the most frequent of ; , and tab. */
export function sniffDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).slice(0, 20);
  const score = (d: string) => Math.max(...lines.map((l) => l.split(d).length - 1));
  const candidates = [';', ',', '\t'].map((d) => ({ d, n: score(d) }));
  candidates.sort((a, b) => b.n - a.n);
  return candidates[0]!.n > 0 ? candidates[0]!.d : ',';
}

export async function csvDelimiter(file: string, encoding: TextEncoding): Promise<string> {
  return sniffDelimiter(decodeBuffer(await headBytes(file), encoding));
}

/** The records of a CSV file with the line each starts on; rows may differ in length (bank exports). */
export async function* rowsFromCsv(file: string, name: string, encoding: TextEncoding, delimiter: string): AsyncGenerator<CellRow> {
  const parser = createReadStream(file)
    .pipe(decodingStream(encoding))
    .pipe(parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, info: true }));
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (record.length === 1 && record[0] === '') continue;
      yield { line: info.lines, cells: record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new InputError([{ file: name, line, message: error.message.replace(/^Invalid [^:]*: /, '') }]);
    }
    throw error;
  }
}
