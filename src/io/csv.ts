// Reading CSV files people make: comma or semicolon separated (Excel in a Russian locale writes
// semicolons), UTF-8 or Windows-1251, streamed so that a large file needs little memory.
import { createReadStream } from 'node:fs';
import { access, constants, open } from 'node:fs/promises';
import path from 'node:path';
import { parse, CsvError } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { InputError, type InputProblem } from '../domain/errors.js';
import { decodeBuffer, decodingStream, detectEncoding, type TextEncoding } from './encoding.js';
import { csvValue, type ColumnType, type ListSpec } from './list.js';

export interface CsvRow {
  /** The file's line number where the record starts (the header is line 1). */
  line: number;
  /** Values by lower-cased header name, trimmed. */
  values: Record<string, string>;
}

export interface CsvFile {
  file: string;
  encoding: TextEncoding;
  delimiter: string;
  header: string[];
}

/** A file that cannot be read is bad input (exit 2), named in the message. */
export async function assertReadable(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError([{ file, message: code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})` }]);
  }
}

async function sniffDelimiter(file: string, encoding: TextEncoding): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = decodeBuffer(buffer.subarray(0, bytesRead), encoding);
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const semicolons = firstLine.split(';').length - 1;
    const commas = firstLine.split(',').length - 1;
    return semicolons > commas ? ';' : ',';
  } finally {
    await handle.close();
  }
}

/** A row of values, or a problem with the file's structure at a line. */
export type CsvItem = { type: 'row'; row: CsvRow } | { type: 'problem'; problem: InputProblem };

/**
 * Streams the rows of a CSV file whose header must hold `required` columns (others are ignored).
 * An entirely empty row (`;;;;;`, as Excel leaves below a table) is skipped wherever it is; a row
 * with more fields than the header is read when the extra ones are empty. A row with another number
 * of fields is a problem at its line, and reading goes on; a missing column or a broken quote (after
 * which no line can be trusted) ends the reading with an InputError naming the file and line. The
 * caller validates the values and collects its own problems.
 */
export async function* readCsv(
  file: string,
  required: readonly string[],
  onHeader?: (info: CsvFile) => void,
): AsyncGenerator<CsvItem> {
  const name = path.basename(file);
  await assertReadable(file);
  const { encoding } = await detectEncoding(file);
  const delimiter = await sniffDelimiter(file, encoding);
  const parser = createReadStream(file)
    .pipe(decodingStream(encoding))
    .pipe(
      parse({
        delimiter,
        bom: true,
        trim: true,
        skip_empty_lines: true,
        relax_quotes: false,
        relax_column_count: true,
        info: true,
      }),
    );
  let header: string[] | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (record.every((value) => value.trim() === '')) continue;
      if (!header) {
        header = record.map((h) => h.trim().toLowerCase());
        const missing = required.filter((column) => !header!.includes(column));
        if (missing.length > 0) {
          throw new InputError(
            missing.map((column) => ({ file: name, line: info.lines, field: column, message: 'column is missing from the header' })),
          );
        }
        onHeader?.({ file, encoding, delimiter, header });
        continue;
      }
      const extraFilled = record.slice(header.length).some((value) => value.trim() !== '');
      if (record.length < header.length || extraFilled) {
        yield { type: 'problem', problem: { file: name, line: info.lines, message: `${record.length} fields where the header has ${header.length}` } };
        continue;
      }
      const values: Record<string, string> = {};
      header.forEach((h, i) => {
        if (h !== '' && !(h in values)) values[h] = (record[i] ?? '').trim();
      });
      yield { type: 'row', row: { line: info.lines, values } };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new InputError([
        { file: name, line, message: `${error.message.replace(/^Invalid [^:]*: /, '')} (the lines after it cannot be read)` },
      ]);
    }
    throw error;
  }
  if (!header) throw new InputError([{ file: name, line: 1, message: 'the file is empty: a header line is needed' }]);
}

/** Every checked row of a file and every problem found in it, in one pass; nothing thrown for bad rows. */
export interface CheckedCsv<T> {
  /** The file's name as problems name it. */
  name: string;
  info: CsvFile;
  lines: T[];
  problems: InputProblem[];
}

/**
 * Reads all rows through the row checker and collects every problem of the file (structure and
 * values) without stopping at the first, so that the caller can add its own (against the database)
 * and refuse the file once with all of them.
 */
export async function readCsvLines<T>(
  file: string,
  required: readonly string[],
  check: (row: CsvRow, problem: (field: string, message: string) => void, info: CsvFile) => T | undefined,
): Promise<CheckedCsv<T>> {
  const name = path.basename(file);
  const problems: InputProblem[] = [];
  const lines: T[] = [];
  let info: CsvFile | undefined;
  try {
    for await (const item of readCsv(file, required, (i) => (info = i))) {
      if (item.type === 'problem') {
        problems.push(item.problem);
        continue;
      }
      const { row } = item;
      let bad = false;
      const value = check(
        row,
        (field, message) => {
          bad = true;
          problems.push({ file: name, line: row.line, field, message });
        },
        info!,
      );
      if (!bad && value !== undefined) lines.push(value);
    }
  } catch (error) {
    // a broken quote ends the reading: refused with the problems found before it
    if (error instanceof InputError && problems.length > 0) throw new InputError([...problems, ...error.problems]);
    throw error;
  }
  return { name, info: info!, lines, problems };
}

/** Reads all rows, or throws one InputError listing every problem the file and the row checker found. */
export async function readCsvChecked<T>(
  file: string,
  required: readonly string[],
  check: (row: CsvRow, problem: (field: string, message: string) => void) => T | undefined,
): Promise<T[]> {
  const { lines, problems } = await readCsvLines(file, required, check);
  if (problems.length > 0) throw new InputError(problems);
  return lines;
}

// Writing: one CSV dialect for every list esep writes (docs/lists.md): UTF-8 without a BOM, comma
// separated, records ended by CRLF, fields quoted by RFC 4180 when they hold a comma, a quote or a
// line break; amounts in tenge with a decimal point and two decimals (`1234.50`), dates ISO
// (`2026-11-25`), times ISO with the Almaty offset (`2026-12-01T18:05:00+05:00`); the header is the
// columns' stable names. The CSVs are for scripts; people open the same lists as xlsx (--xlsx).

/** A phone as people write it: `+7 701 000 00 01`, `+7 (727) 250-00-00`. No letters, so nothing Excel could run. */
const PHONE = /^\+?[\d ()-]+$/;

/**
 * A cell that Excel would run as a formula (starting with = + - @, or a tab/CR) gets a leading
 * apostrophe (SPEC section 6); plain numbers such as "-125.40" stay numbers, and in a phone column a
 * phone number stays as written: it holds no name or reference a formula could call.
 */
export function safeCell(value: unknown, type: ColumnType = 'text'): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (/^-?\d+(?:[.,]\d+)?$/.test(text)) return text;
  if (type === 'phone' && PHONE.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvLines(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], { delimiter: ',', record_delimiter: 'windows' });
}

/** The header line of a list's CSV: its columns' stable names. */
export function csvHeader<R>(list: ListSpec<R>): string {
  return csvLines([list.columns.map((c) => c.key)]);
}

/** Records of a list's CSV, cells typed by their columns (for a list written in pages after its csvHeader). */
export function csvRecords<R>(list: ListSpec<R>, rows: Iterable<R>): string {
  const cells: string[][] = [];
  for (const row of rows) cells.push(list.columns.map((c) => safeCell(csvValue(c.type, c.value(row)), c.type)));
  return cells.length === 0 ? '' : csvLines(cells);
}

/** A whole list as CSV in the dialect above. */
export function listCsv<R>(list: ListSpec<R>, rows: Iterable<R>): string {
  return csvHeader(list) + csvRecords(list, rows);
}

/** Untyped cells in the same dialect, each made safe as text (for a table that is not a list of ListSpec). */
export function toExcelCsv(header: readonly string[], rows: readonly unknown[][]): string {
  return csvLines([header.map((h) => safeCell(h)), ...rows.map((r) => r.map((v) => safeCell(v)))]);
}
