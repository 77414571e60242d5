// Lists for people as xlsx (--xlsx FILE): typed cells from the list's columns (io/list.ts): text
// stays text (an IIN keeps its leading zero), amounts are numbers with two decimals, dates are
// dates, times are Almaty time; one header row in Kazakh and Russian, frozen and filtered.
// Written through exceljs's streaming writer into a temporary file beside the target, renamed into
// place when whole: a list of 100 000 invoices needs little memory, and a failed write leaves no half file.
import { accessSync, constants, openSync, statSync, unlinkSync, createWriteStream, renameSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../domain/errors.js';
import { toTengeString, type Tiyn } from '../domain/money.js';
import { almatyTime, titleOf, type ColumnType, type ListSpec } from './list.js';

const FORMAT: Record<ColumnType, string> = {
  text: '@',
  phone: '@',
  amount: '#,##0.00',
  date: 'dd.mm.yyyy',
  datetime: 'dd.mm.yyyy hh:mm',
  int: '0',
};

const WIDTH: Record<ColumnType, number> = { text: 22, phone: 18, amount: 14, date: 12, datetime: 17, int: 8 };

/** A cell as exceljs writes it: a string is a text cell, a number a number, a Date a date (its UTC fields). */
function xlsxValue(type: ColumnType, value: unknown): string | number | Date | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'amount':
      return Number(toTengeString(value as Tiyn)); // 123450 tiyn → 1234.5, never through float arithmetic
    case 'date': {
      const [y, m, d] = (value as string).split('-').map(Number) as [number, number, number];
      return new Date(Date.UTC(y, m - 1, d));
    }
    case 'datetime':
      return almatyTime(value as string).wall;
    case 'int':
      return value as number;
    default:
      return String(value);
  }
}

/**
 * The path of `--xlsx FILE`, checked before any work is done: a folder, a missing folder or one
 * that cannot be written is bad usage (exit 2) naming the path.
 */
export function xlsxTarget(file: string, flag = '--xlsx'): string {
  const target = path.resolve(file);
  const refuse = (message: string) => new InputError([{ file, field: flag, message }]);
  let isFolder = false;
  try {
    isFolder = statSync(target).isDirectory();
  } catch {
    // not there yet: its folder must be
  }
  if (isFolder) throw refuse('is a folder, a file was expected');
  const folder = path.dirname(target);
  try {
    if (!statSync(folder).isDirectory()) throw refuse(`${folder} is not a folder`);
    accessSync(folder, constants.W_OK);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw refuse(code === 'ENOENT' ? `the folder ${folder} does not exist` : `cannot write into ${folder} (${code ?? 'error'})`);
  }
  try {
    accessSync(target, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw refuse(`cannot be written (${code ?? 'error'})`);
  }
  return target;
}

/** Writes `rows` as an xlsx list at `file` (checked by xlsxTarget), replacing it when whole. */
export async function writeXlsx<R>(file: string, list: ListSpec<R>, rows: Iterable<R> | AsyncIterable<R>, flag = '--xlsx'): Promise<string> {
  const target = xlsxTarget(file, flag);
  // exceljs is large: loaded only when a list is written
  const { default: excel } = await import('exceljs');
  const tmp = `${target}.${process.pid}.tmp`;
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (error) {
    throw new InputError([{ file, field: flag, message: `cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})` }]);
  }
  const out = createWriteStream('', { fd }); // closes fd when finished or destroyed
  try {
    const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
    workbook.creator = 'esep';
    const sheet = workbook.addWorksheet(list.sheet, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    sheet.columns = list.columns.map((c) => ({
      key: c.key,
      width: c.width ?? Math.max(WIDTH[c.type], Math.min(40, titleOf(c).length + 2)),
      style: { numFmt: FORMAT[c.type] },
    }));
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: list.columns.length } };
    const header = sheet.addRow(list.columns.map((c) => titleOf(c)));
    header.font = { bold: true };
    header.eachCell((cell) => {
      cell.numFmt = '@';
    });
    header.commit();
    for await (const row of rows) {
      sheet.addRow(list.columns.map((c) => xlsxValue(c.type, c.value(row)))).commit();
    }
    sheet.commit();
    await workbook.commit();
    renameSync(tmp, target);
    return target;
  } catch (error) {
    out.destroy();
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw error;
  }
}
