// Reports as lists for people: one typed column list renders to a terminal table, CSV for Excel and
// an xlsx sheet. In the xlsx an account number or IIN is text (leading zeros kept), an amount a
// number in tenge with two decimals, a date a date.
import { formatTenge, toTengeString, type Tiyn } from '../domain/money.js';
import { toExcelCsv } from './csv.js';

export type CellType = 'text' | 'money' | 'int' | 'date';

export interface SheetColumn {
  header: string;
  key: string;
  type: CellType;
}

export type SheetRow = Record<string, string | number | null>;

export interface Sheet {
  name: string;
  columns: readonly SheetColumn[];
  rows: readonly SheetRow[];
}

/** A cell as people read it on a terminal: amounts as "5 000,00", dates as given. */
export function displayCell(type: CellType, value: string | number | null): string {
  if (value === null || value === undefined) return '';
  if (type === 'money') return formatTenge(value as Tiyn, { symbol: false });
  return String(value);
}

/** A cell in CSV: amounts as "-125.40". */
function csvCell(type: CellType, value: string | number | null): string {
  if (value === null || value === undefined) return '';
  if (type === 'money') return toTengeString(value as Tiyn);
  return String(value);
}

export function sheetCsv(sheet: Sheet): string {
  return toExcelCsv(
    sheet.columns.map((c) => c.header),
    sheet.rows.map((r) => sheet.columns.map((c) => csvCell(c.type, r[c.key] ?? null))),
  );
}

/** A plain-text table: columns padded, numbers right-aligned. */
export function sheetTable(sheet: Sheet): string {
  const cells = sheet.rows.map((r) => sheet.columns.map((c) => displayCell(c.type, r[c.key] ?? null)));
  const widths = sheet.columns.map((c, i) => Math.max([...c.header].length, ...cells.map((row) => [...row[i]!].length)));
  const right = sheet.columns.map((c) => c.type === 'money' || c.type === 'int');
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, widths[i]! - [...text].length));
    return right[i] ? gap + text : text + gap;
  };
  const lines = [sheet.columns.map((c, i) => pad(c.header, i)).join('  '), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of cells) lines.push(row.map((t, i) => pad(t, i)).join('  ').trimEnd());
  return `${lines.join('\n')}\n`;
}

/** Writes the sheets into one xlsx workbook. */
export async function writeSheetsXlsx(file: string, sheets: readonly Sheet[]): Promise<void> {
  // exceljs is large: loaded only when a workbook is written
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheet.name.slice(0, 31));
    ws.columns = sheet.columns.map((c) => ({
      header: c.header,
      key: c.key,
      width: Math.max(10, Math.min(40, c.header.length + 2)),
      style: c.type === 'money' ? { numFmt: '#,##0.00' } : c.type === 'date' ? { numFmt: 'dd.mm.yyyy' } : c.type === 'text' ? { numFmt: '@' } : {},
    }));
    ws.getRow(1).font = { bold: true };
    for (const r of sheet.rows) {
      const values: Record<string, string | number | Date | null> = {};
      for (const c of sheet.columns) {
        const v = r[c.key] ?? null;
        if (v === null) values[c.key] = null;
        else if (c.type === 'money') values[c.key] = (v as number) / 100;
        else if (c.type === 'date') values[c.key] = new Date(`${String(v)}T00:00:00Z`);
        else if (c.type === 'int') values[c.key] = Number(v);
        else values[c.key] = String(v);
      }
      ws.addRow(values);
    }
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  await book.xlsx.writeFile(file);
}
