// Lists for people through the binary: every list's --xlsx read back with exceljs (typed cells: an
// IIN with its leading zero is text, an amount a number with two decimals, a date a date; the header
// frozen and filtered), the one CSV dialect, and `access` for the network team (the --after-id
// cursor, --current, the default of today).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { makeIin } from '../../src/domain/identifiers.js';
import { ACCOUNT_HEADER, IIN_B, IIN_C, TARIFFS_CSV } from '../helpers/fixtures.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { snapshotFile } from '../helpers/world.js';

const dir = tempDir();
const db = path.join(dir, 'lists.db');
const out = path.join(dir, 'invoices');
const work = path.join(dir, 'work');
mkdirSync(work);
// born 2 February 2001, a man of the 2000s (7th digit 5): the IIN that Excel turns into 10202500340
const IIN_2000S = '010202500340';
const PHONE = '+7 701 000 00 01';
// a payer no subscriber has (born 2005): the payment waits in suspense
const PAYER_IIN = makeIin('05050550012');
const IIN_LATE = makeIin('95031530012');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// "today" is 1 December 2026 for every step (SPEC D-12), whatever the machine's clock says
function run(...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], {
    encoding: 'utf8',
    cwd: work,
    env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '', ESEP_TODAY: '2026-12-01', ESEP_SMTP_URL: 'smtp://127.0.0.1:9' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function ok(...args: string[]): string {
  const r = run(...args);
  if (r.code !== 0) throw new Error(`esep ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

async function sheetOf(file: string): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  return book.worksheets[0]!;
}

/** The cells of a row from column 1, as exceljs read them back. */
function cells(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  const values = sheet.getRow(row).values as unknown[];
  return Array.from({ length: sheet.columnCount }, (_, i) => values[i + 1] ?? null);
}

/** The header is one row in Kazakh and Russian, frozen, with a filter over every column. */
function expectListHeader(sheet: ExcelJS.Worksheet, first: string): void {
  expect(sheet.getCell('A1').value).toBe(first);
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  const last = sheet.getRow(1).getCell(sheet.columnCount).address.replace(/\d+$/, '');
  expect(sheet.autoFilter).toBe(`A1:${last}1`);
  expect(sheet.getRow(1).font).toMatchObject({ bold: true });
}

// Each step spawns the binary, some render PDFs in worker threads: generous time on a busy machine.
const SLOW = 180_000;

const utcDay = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
let cursor = 0;
let paymentsFile = '';

beforeAll(() => {
  ok('init');
  ok('import', 'operator', path.join(ROOT, 'fixtures', 'demo', 'operator.json'));
  ok('import', 'tariffs', writeText(dir, 'tariffs.csv', TARIFFS_CSV));
  const accounts = [
    ACCOUNT_HEADER,
    `2001,${IIN_2000S},Әлібек Серікұлы,"г. Алматы, ул. Абая, 1",,${PHONE},credit,HOME100,2026-10-01,yes`,
    `2002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",m@example.kz,,advance,HOME300,2026-11-20,no`,
    `2004,${IIN_C},Нұрлан Бекұлы,"г. Шымкент, ул. Тәуке хана, 7",n@example.kz,,advance,HOME300,2026-11-28,no`,
  ].join('\n');
  ok('import', 'accounts', writeText(dir, 'accounts.csv', accounts), '--date', '2026-10-01');
  ok('run', 'day', '--date', '2026-10-31');
}, SLOW);

describe('lists for people', () => {
  it('run invoices --xlsx: the registry as a workbook, and its CSV in the one dialect', async () => {
    const xlsx = path.join(dir, 'registry.xlsx');
    const text = ok('run', 'invoices', '--period', '2026-10', '--out', out, '--xlsx', xlsx);
    expect(text).toContain(`registry: ${xlsx}`);
    // 2001, credit, connected 1 October: installation 10 000 + October's fee 5 000 = 15 000, due 25 November
    // (the registry's later columns, VAT, are the VAT rule's and tested with it)
    const [header, line, ...rest] = readFileSync(path.join(out, '2026-10', 'registry-2026-10.csv'), 'utf8').split('\r\n');
    expect(header!.startsWith('number,account,name,iin,period,issued_on,due_on,principal,amount_due,advised_topup,final,file')).toBe(true);
    expect(line!.startsWith(`MT-2026-000001,2001,Әлібек Серікұлы,${IIN_2000S},2026-10,2026-11-01,2026-11-25,15000.00,15000.00,,no,MT-2026-000001.pdf`)).toBe(true);
    expect(rest).toEqual(['']);
    const sheet = await sheetOf(xlsx);
    expectListHeader(sheet, 'Шот нөмірі / Номер счёта');
    expect(sheet.rowCount).toBe(2);
    expect(cells(sheet, 2).slice(0, 12)).toEqual([
      'MT-2026-000001', '2001', 'Әлібек Серікұлы', IIN_2000S, '2026-10', utcDay('2026-11-01'), utcDay('2026-11-25'), 15000, 15000, null, 'no', 'MT-2026-000001.pdf',
    ]);
    expect(sheet.getCell('D2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('D2').numFmt).toBe('@');
    expect(sheet.getCell('H2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('H2').numFmt).toBe('#,##0.00');
    expect(sheet.getCell('F2').type).toBe(ExcelJS.ValueType.Date);
    expect(sheet.getCell('F2').numFmt).toBe('dd.mm.yyyy');
  }, SLOW);

  it('the rest of November: a payment in suspense, one for 2004, the daily jobs to the 28th', () => {
    const payments = [
      'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose',
      `R-1,2026-11-27,1234.50,9999,${PAYER_IIN},Неизвестный плательщик,"=1+2, оплата"`,
      'R-2,2026-11-27,10000,2004,,Нұрлан Бекұлы,аванс',
    ].join('\n');
    paymentsFile = writeText(dir, 'payments.csv', payments);
    ok('payments', 'import', paymentsFile, '--date', '2026-11-27');
    ok('run', 'day', '--date', '2026-11-28');
    const events = JSON.parse(ok('--json', 'access', '--since', '2026-11-01')) as { id: number }[];
    cursor = Math.max(...events.map((e) => e.id));
  }, SLOW);

  it('payments unmatched --xlsx: the amount is the number 1234.5, the payer IIN text', async () => {
    const xlsx = path.join(dir, 'unmatched.xlsx');
    expect(ok('payments', 'unmatched', '--xlsx', xlsx)).toContain(`written: ${xlsx}`);
    const sheet = await sheetOf(xlsx);
    expectListHeader(sheet, 'Төлем № / Платёж №');
    expect(sheet.rowCount).toBe(2);
    const [id, valueDate, amount, ref, payer, payerIin, purpose, file, line] = cells(sheet, 2);
    expect([valueDate, amount, ref, payer, payerIin, purpose, file, line]).toEqual([
      utcDay('2026-11-27'), 1234.5, 'R-1', 'Неизвестный плательщик', PAYER_IIN, '=1+2, оплата', path.basename(paymentsFile), 2,
    ]);
    expect(typeof id).toBe('number');
    // the reason as its code, in words, and the account column as the bank wrote it (9999, no such account)
    expect(cells(sheet, 2).slice(9, 12)).toEqual(['unknown_account', 'account 9999 unknown', '9999']);
    expect(sheet.getCell('C2').numFmt).toBe('#,##0.00');
    // a text cell is never a formula in the workbook: no apostrophe needed, none added
    expect(sheet.getCell('G2').type).toBe(ExcelJS.ValueType.String);
  }, SLOW);

  it('a late event for an earlier billing day comes after the cursor, never in --since of today', () => {
    // 2003 is connected on 10 November but entered on the 29th: the debit catches it up and
    // suspends it for funds as of the 10th (HOME300 has no installation; 7 990 a month is not covered)
    const late = [ACCOUNT_HEADER, `2003,${IIN_LATE},Late Subscriber,"г. Алматы, мкр. Самал-2, 5",,,advance,HOME300,2026-11-10,no`].join('\n');
    ok('import', 'accounts', writeText(dir, 'late.csv', late), '--date', '2026-11-29');
    ok('run', 'day', '--date', '2026-11-29');
    // 2004 ends its contract on the 30th (first day without service)
    ok('account', 'terminate', '2004', '--by', 'subscriber', '--date', '2026-11-30');

    const after = run('access', '--after-id', String(cursor));
    expect(after.code).toBe(0);
    const lines = after.stdout.split('\r\n');
    expect(lines[0]).toBe('id,account,date,at,event,reason,cause,address');
    expect(lines.slice(1, -1).map((l) => l.replace(/^\d+,/, '').replace(/,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:00,/, ',AT,'))).toEqual([
      '2003,2026-11-10,AT,suspend,funds: the balance is short of the daily fee (cl. 17.2),funds,"г. Алматы, мкр. Самал-2, 5"',
      expect.stringMatching(/^2004,2026-11-30,AT,terminate,.*,subscriber,"г\. Шымкент, ул\. Тәуке хана, 7"$/),
    ]);
    expect(lines.at(-1)).toBe('');
    // ids follow the order of recording, so the cursor moves on past both
    const ids = lines.slice(1, -1).map((l) => Number(l.split(',')[0]));
    expect(ids[0]).toBeGreaterThan(cursor);
    expect(ids[1]).toBeGreaterThan(ids[0]!);
    // --since filters by billing day: the suspension as of the 10th is not among the 29th's and later
    const since = JSON.parse(ok('--json', 'access', '--since', '2026-11-29')) as { account: string; date: string; at: string; at_almaty: string }[];
    expect(since.map((e) => [e.account, e.date])).toEqual([['2004', '2026-11-30']]);
    // the JSON keeps the stored UTC instant and adds the same instant, to the second, in Almaty time (UTC+5)
    const at = new Date(since[0]!.at);
    expect(since[0]!.at).toMatch(/Z$/);
    expect(since[0]!.at_almaty).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:00$/);
    expect(new Date(since[0]!.at_almaty).getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
    // without a flag: today's events (1 December: none)
    expect(run('access').stdout).toBe('id,account,date,at,event,reason,cause,address\r\n');
  }, SLOW);

  it('access --current lists who must be off now; --xlsx writes it with dates as dates', async () => {
    const csv = ok('access', '--current');
    const rows = csv.split('\r\n').slice(1, -1).map((l) => l.split(',').slice(0, 4).join(','));
    expect(rows).toEqual([
      '2001,suspended,debt,2026-11-26', // due 25 November, unpaid: suspended on the 26th (cl. 23.5)
      '2002,suspended,funds,2026-11-20', // connected on the 20th with nothing paid
      '2003,suspended,funds,2026-11-10',
      '2004,terminated,subscriber,2026-11-30',
    ]);
    const xlsx = path.join(dir, 'current.xlsx');
    expect(ok('access', '--current', '--xlsx', xlsx)).toBe(`4 account(s) to keep off: ${xlsx}\n`);
    const sheet = await sheetOf(xlsx);
    expectListHeader(sheet, 'Дербес шот / Лицевой счёт');
    expect(cells(sheet, 2).slice(0, 4)).toEqual(['2001', 'suspended', 'debt', utcDay('2026-11-26')]);
    expect(cells(sheet, 5)[6]).toBe('г. Шымкент, ул. Тәуке хана, 7');

    const events = path.join(dir, 'events.xlsx');
    ok('access', '--after-id', String(cursor), '--xlsx', events);
    const ev = await sheetOf(events);
    // the time of recording is Almaty wall-clock time, a date-time cell
    expect(ev.getCell('D2').type).toBe(ExcelJS.ValueType.Date);
    expect(ev.getCell('D2').numFmt).toBe('dd.mm.yyyy hh:mm');
    expect(cells(ev, 2).slice(1, 3)).toEqual(['2003', utcDay('2026-11-10')]);
  }, SLOW);

  it('debtors: the CSV keeps the leading zero and the phone as written; the xlsx types every cell', async () => {
    // 29 November is 4 days after 25 November: penalties 15 000 × 0.5% = 75 a day on the 26th to the 29th = 300
    const csv = ok('debtors', '--date', '2026-11-29');
    expect(csv).toBe(
      'account,name,iin,status,method,oldest_due_on,days_overdue,overdue_principal,penalty_debt,total_debt,email,phone,address\r\n' +
        `2001,Әлібек Серікұлы,${IIN_2000S},suspended (debt),credit,2026-11-25,4,15000.00,300.00,15300.00,,${PHONE},"г. Алматы, ул. Абая, 1"\r\n`,
    );
    const xlsx = path.join(dir, 'debtors.xlsx');
    expect(ok('debtors', '--date', '2026-11-29', '--xlsx', xlsx)).toBe(`1 debtor(s) as of 2026-11-29, 15 300,00 ₸ owed: ${xlsx}\n`);
    const sheet = await sheetOf(xlsx);
    expectListHeader(sheet, 'Дербес шот / Лицевой счёт');
    expect(cells(sheet, 1)[2]).toBe('ЖСН / ИИН');
    expect(cells(sheet, 2)).toEqual([
      '2001', 'Әлібек Серікұлы', IIN_2000S, 'suspended (debt)', 'credit', utcDay('2026-11-25'), 4, 15000, 300, 15300, null, PHONE, 'г. Алматы, ул. Абая, 1',
    ]);
    expect(sheet.getCell('C2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('L2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('J2').numFmt).toBe('#,##0.00');
    expect(sheet.getCell('G2').numFmt).toBe('0');
  }, SLOW);

  it('account statement: this month by default; --xlsx with the opening and closing balances', async () => {
    // no period: 1 December (today) to today
    const json = JSON.parse(ok('--json', 'account', 'statement', '2001')) as { from: string; to: string };
    expect([json.from, json.to]).toEqual(['2026-12-01', '2026-12-01']);
    // --to alone: from the first of its month. Opening: −10 000 installation (1 Oct) − 5 000 October's
    // fee = −15 000; then the penalties of 26–29 November, 75 each; closing −15 300
    const xlsx = path.join(dir, 'statement.xlsx');
    ok('account', 'statement', '2001', '--to', '2026-11-30', '--xlsx', xlsx);
    const sheet = await sheetOf(xlsx);
    expectListHeader(sheet, 'Күні / Дата');
    expect(sheet.rowCount).toBe(7);
    expect(cells(sheet, 2).slice(0, 4)).toEqual([utcDay('2026-11-01'), 'opening', null, -15000]);
    expect(cells(sheet, 3).slice(0, 4)).toEqual([utcDay('2026-11-26'), 'penalty', -75, -15075]);
    expect(cells(sheet, 6).slice(0, 4)).toEqual([utcDay('2026-11-29'), 'penalty', -75, -15300]);
    expect(cells(sheet, 7).slice(0, 4)).toEqual([utcDay('2026-11-30'), 'closing', null, -15300]);
    const csv = ok('account', 'statement', '2001', '--to', '2026-11-30', '--csv');
    expect(csv.split('\r\n').slice(0, 3)).toEqual(['value_date,kind,amount,balance,memo', '2026-11-01,opening,,-15000.00,', expect.stringMatching(/^2026-11-26,penalty,-75\.00,-15075\.00,/)]);
  }, SLOW);

  it('refunds --xlsx: the balance left to pay back, due 10 working days after it was recorded', async () => {
    // 2004: 10 000 paid; the daily fee of 7 990 in November (30 days), D-2: 28th round(7990×28/30) −
    // round(7990×27/30) = 7457.33 − 7191.00 = 266.33; 29th 7723.67 − 7457.33 = 266.34; balance 9 467.33.
    // Recorded on 1 December for the 30th: due 10 working days after 1 December, 15 December (16th a holiday after it)
    const xlsx = path.join(dir, 'refunds.xlsx');
    expect(ok('refunds', '--xlsx', xlsx)).toContain(`1 refund(s), 9 467,33 ₸: ${xlsx}`);
    const sheet = await sheetOf(xlsx);
    expectListHeader(sheet, 'Дербес шот / Лицевой счёт');
    expect(cells(sheet, 2)).toEqual(['2004', 'Нұрлан Бекұлы', IIN_C, utcDay('2026-11-30'), utcDay('2026-12-15'), 9467.33, 'no']);
    expect(sheet.getCell('C2').type).toBe(ExcelJS.ValueType.String);
  }, SLOW);

  it('outbox: the accounts without email listed for the post, and --xlsx', async () => {
    // the invoice of 2001 (no email) goes by post
    expect(ok('send', 'invoices', '--period', '2026-10', '--date', '2026-11-28')).toContain('1 without email (paper)');
    const text = ok('outbox');
    expect(text).toContain('1 document(s) of accounts without email, for delivery by post (as a file: --xlsx FILE or --paper-csv FILE):');
    expect(text).toMatch(/^2001 +Әлібек Серікұлы +г\. Алматы, ул\. Абая, 1 +MT-2026-000001 +15 000,00 ₸$/m);
    const xlsx = path.join(dir, 'paper.xlsx');
    const csv = path.join(dir, 'paper.csv');
    expect(ok('outbox', '--xlsx', xlsx, '--paper-csv', csv)).toContain(`for delivery by post: ${csv}, ${xlsx}`);
    expect(readFileSync(csv, 'utf8').split('\r\n')[1]).toMatch(/^Әлібек Серікұлы,"г\. Алматы, ул\. Абая, 1",2001,MT-2026-000001,invoice,15000\.00,.*MT-2026-000001\.pdf$/);
    const sheet = await sheetOf(xlsx);
    expectListHeader(sheet, 'Аты-жөні / ФИО');
    expect(cells(sheet, 2).slice(0, 6)).toEqual(['Әлібек Серікұлы', 'г. Алматы, ул. Абая, 1', '2001', 'MT-2026-000001', 'invoice', 15000]);
  }, SLOW);

  it('a folder, a missing folder or an unwritable place for --xlsx is bad usage (exit 2), naming it; nothing is written', () => {
    const folder = run('debtors', '--xlsx', dir);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`${dir}, --xlsx: is a folder, a file was expected`);
    const missing = run('access', '--current', '--xlsx', path.join(dir, 'no-such-folder', 'x.xlsx'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`the folder ${path.join(dir, 'no-such-folder')} does not exist`);
    const proc = run('refunds', '--xlsx', '/proc/esep-list.xlsx');
    expect(proc.code).toBe(2);
    expect(proc.stderr).toContain('/proc/esep-list.xlsx, --xlsx: cannot be written');
    // run invoices checks it before anything is issued, and a dry run writes nothing
    const before = snapshotFile(db);
    const month = run('run', 'invoices', '--period', '2026-11', '--out', out, '--xlsx', dir);
    expect(month.code).toBe(2);
    expect(month.stderr).toContain(`${dir}, --xlsx: is a folder, a file was expected`);
    expect(readdirSync(out)).toEqual(['2026-10']);
    expect(snapshotFile(db)).toEqual(before);
    expect(run('run', 'invoices', '--period', '2026-11', '--dry-run', '--xlsx', path.join(dir, 'r.xlsx')).code).toBe(2);
    expect(run('access', '--since', '2026-11-01', '--current').code).toBe(2);
    expect(run('access', '--after-id', 'x').code).toBe(2);
  }, SLOW);

  it('the mailing list of the notices is written as xlsx beside its CSV', async () => {
    // 2001 ends its contract on 30 November despite its debt (D-11): the notice with the demand follows.
    // Debt: 15 000 (October) + November's fee to the 29th round(5 000 × 29/30) = 4 833.33, penalties 4 × 75 = 300:
    // 20 133.33 in all, of it 300 penalties
    ok('account', 'terminate', '2001', '--by', 'subscriber', '--despite-debt', '--date', '2026-11-30');
    expect(ok('notices', '--since', '2026-11-01')).toContain('1 termination notice(s)');
    const day = path.join(work, 'notices', '2026-11-30');
    expect(readFileSync(path.join(day, 'mailing-2026-11-30.csv'), 'utf8')).toBe(
      'account,name,email,phone,address,debt,penalty_debt,equipment_return_by,notice\r\n' +
        `2001,Әлібек Серікұлы,,${PHONE},"г. Алматы, ул. Абая, 1",20133.33,300.00,,notice-2001.pdf\r\n`,
    );
    const sheet = await sheetOf(path.join(day, 'mailing-2026-11-30.xlsx'));
    expectListHeader(sheet, 'Дербес шот / Лицевой счёт');
    expect(cells(sheet, 2)).toEqual(['2001', 'Әлібек Серікұлы', null, PHONE, 'г. Алматы, ул. Абая, 1', 20133.33, 300, null, 'notice-2001.pdf']);
    expect(sheet.getCell('F2').numFmt).toBe('#,##0.00');
  }, SLOW);
});
