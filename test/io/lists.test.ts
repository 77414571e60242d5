// The one CSV dialect and the xlsx of a list described once (io/list.ts, io/csv.ts, io/xlsx.ts).
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { csvHeader, csvRecords, listCsv, safeCell } from '../../src/io/csv.js';
import { almatyTime, column, type ListSpec } from '../../src/io/list.js';
import { writeXlsx, xlsxTarget } from '../../src/io/xlsx.js';
import { tempDir } from '../helpers/tmp.js';

interface Row {
  account: string;
  iin: string;
  name: string;
  phone: string | null;
  amount: number | null;
  due: string | null;
  at: string;
  days: number;
}

const LIST: ListSpec<Row> = {
  sheet: 'Тест - Тест',
  columns: [
    column('account', 'Дербес шот', 'Лицевой счёт', 'text', (r) => r.account),
    column('iin', 'ЖСН', 'ИИН', 'text', (r) => r.iin),
    column('name', 'Аты-жөні', 'ФИО', 'text', (r) => r.name),
    column('phone', 'Телефон', 'Телефон', 'phone', (r) => r.phone),
    column('amount', 'Сома', 'Сумма', 'amount', (r) => r.amount),
    column('due', 'Мерзімі', 'Срок', 'date', (r) => r.due),
    column('at', 'Уақыты', 'Время', 'datetime', (r) => r.at),
    column('days', 'Күн', 'Дней', 'int', (r) => r.days),
  ],
};

const ROWS: Row[] = [
  // 123 450 tiyn = 1 234,50 ₸; 13:05 UTC is 18:05 in Almaty (UTC+5)
  { account: '0042', iin: '010202500340', name: 'Әлібек, "Серік"', phone: '+7 701 000 00 01', amount: 123_450, due: '2026-11-25', at: '2026-12-01T13:05:00.000Z', days: 4 },
  { account: '1001', iin: '850525400126', name: '=HYPERLINK("http://x")', phone: '+cmd|calc', amount: -12_540, due: null, at: '2026-11-30T19:30:00Z', days: 0 },
  { account: '1002', iin: '900101300001', name: '-2+3', phone: null, amount: null, due: '2026-02-28', at: '2026-01-01T00:00:00Z', days: 12 },
];

describe('the CSV dialect', () => {
  it('UTF-8 without a BOM, commas, CRLF, RFC 4180 quotes, amounts 1234.50, ISO dates, Almaty times with +05:00', () => {
    const csv = listCsv(LIST, ROWS);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv).toBe(
      'account,iin,name,phone,amount,due,at,days\r\n' +
        // the name holds a comma and quotes: quoted, quotes doubled; the phone stays as written
        '0042,010202500340,"Әлібек, ""Серік""",+7 701 000 00 01,1234.50,2026-11-25,2026-12-01T18:05:00+05:00,4\r\n' +
        // a formula gets an apostrophe, in a phone column too when it is no phone; -125.40 is a number
        `1001,850525400126,"'=HYPERLINK(""http://x"")",'+cmd|calc,-125.40,,2026-12-01T00:30:00+05:00,0\r\n` +
        // 19:30 UTC on 30 November is 00:30 on 1 December in Almaty: the billing day turns there
        "1002,900101300001,'-2+3,,,2026-02-28,2026-01-01T05:00:00+05:00,12\r\n",
    );
  });

  it('a list written in pages is the same as written whole', () => {
    expect(csvHeader(LIST) + csvRecords(LIST, ROWS.slice(0, 1)) + csvRecords(LIST, []) + csvRecords(LIST, ROWS.slice(1))).toBe(listCsv(LIST, ROWS));
  });

  it('safeCell: = + - @ tab and CR are escaped; numbers, and phones in a phone column, are not', () => {
    expect(['=1+2', '+1', '-x', '@SUM(A1)', '\tx', '\rx'].map((v) => safeCell(v))).toEqual(["'=1+2", "'+1", "'-x", "'@SUM(A1)", "'\tx", "'\rx"]);
    expect(['-125.40', '5000', '-3,5', 'Алматы', '', null, undefined].map((v) => safeCell(v))).toEqual(['-125.40', '5000', '-3,5', 'Алматы', '', '', '']);
    // a phone is digits, spaces, brackets and hyphens after the +: no name or reference to call
    expect(safeCell('+7 701 000 00 01', 'phone')).toBe('+7 701 000 00 01');
    expect(safeCell('+7 (727) 250-00-00', 'phone')).toBe('+7 (727) 250-00-00');
    expect(safeCell('+7 701 000 00 01')).toBe("'+7 701 000 00 01");
    expect(safeCell('+HYPERLINK("x")', 'phone')).toBe(`'+HYPERLINK("x")`);
    expect(safeCell('=7', 'phone')).toBe("'=7");
  });

  it('Almaty time: the same instant with its offset, and the wall clock for a spreadsheet', () => {
    expect(almatyTime('2026-12-01T13:05:42.123Z')).toEqual({ iso: '2026-12-01T18:05:42+05:00', wall: new Date('2026-12-01T18:05:42Z') });
    // before 1 March 2024 Almaty was UTC+6
    expect(almatyTime('2024-01-15T00:00:00Z').iso).toBe('2024-01-15T06:00:00+06:00');
    expect(() => almatyTime('yesterday')).toThrow(RangeError);
  });
});

describe('the xlsx of a list', () => {
  const dir = tempDir();

  it('typed cells read back: text stays text, amounts are numbers with two decimals, dates dates; header frozen and filtered', async () => {
    const file = path.join(dir, 'list.xlsx');
    expect(await writeXlsx(file, LIST, ROWS)).toBe(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('Тест - Тест');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Дербес шот / Лицевой счёт', 'ЖСН / ИИН', 'Аты-жөні / ФИО', 'Телефон', 'Сома / Сумма', 'Мерзімі / Срок', 'Уақыты / Время', 'Күн / Дней',
    ]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:H1');
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe('0042');
    expect(row.getCell(2).value).toBe('010202500340');
    expect(row.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(2).numFmt).toBe('@');
    expect(row.getCell(3).value).toBe('Әлібек, "Серік"');
    expect(row.getCell(4).value).toBe('+7 701 000 00 01');
    expect(row.getCell(5).value).toBe(1234.5);
    expect(row.getCell(5).type).toBe(ExcelJS.ValueType.Number);
    expect(row.getCell(5).numFmt).toBe('#,##0.00');
    expect(row.getCell(6).value).toEqual(new Date('2026-11-25T00:00:00Z'));
    expect(row.getCell(6).type).toBe(ExcelJS.ValueType.Date);
    expect(row.getCell(6).numFmt).toBe('dd.mm.yyyy');
    // 13:05 UTC shown as 18:05, Almaty's wall clock (a workbook has no time zones)
    expect(row.getCell(7).value).toEqual(new Date('2026-12-01T18:05:00Z'));
    expect(row.getCell(7).numFmt).toBe('dd.mm.yyyy hh:mm');
    expect(row.getCell(8).value).toBe(4);
    // a formula-looking name is a text cell, written as it is: no apostrophe, and never run
    expect(sheet.getRow(3).getCell(3).value).toBe('=HYPERLINK("http://x")');
    expect(sheet.getRow(3).getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(3).getCell(5).value).toBe(-125.4);
    expect(sheet.getRow(4).getCell(5).value).toBeNull();
    expect(sheet.getRow(4).getCell(4).value).toBeNull();
    // nothing but the workbook is left beside it
    expect(readdirSync(dir)).toEqual(['list.xlsx']);
  });

  it('rows may come from a generator (a registry read in pages)', async () => {
    const file = path.join(dir, 'paged.xlsx');
    function* rows(): Generator<Row> {
      for (const r of ROWS) yield r;
    }
    await writeXlsx(file, LIST, rows());
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets[0]!.rowCount).toBe(4);
  });

  it('a folder, a missing folder or a file that cannot be replaced is bad usage naming the path', () => {
    const refusal = (file: string) => {
      try {
        xlsxTarget(file);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as InputError).message;
      }
      return 'accepted';
    };
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    expect(refusal(folder)).toBe(`${folder}, --xlsx: is a folder, a file was expected`);
    expect(refusal(path.join(dir, 'missing', 'x.xlsx'))).toBe(`${path.join(dir, 'missing', 'x.xlsx')}, --xlsx: the folder ${path.join(dir, 'missing')} does not exist`);
    expect(refusal(path.join(dir, 'list.xlsx', 'x.xlsx'))).toMatch(/is not a folder$/);
    expect(refusal(path.join(dir, 'new.xlsx'))).toBe('accepted');
  });
});
