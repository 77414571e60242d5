// The reports and the reconciliation statement through the binary: JSON shapes, CSV, xlsx with typed
// cells, the PDF, and bad input refused with exit 2.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { openDatabase } from '../../src/db/connection.js';
import { esep, esepJson } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B } from '../helpers/fixtures.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { writeStatement } from '../helpers/world.js';

const dir = tempDir();
const db = path.join(dir, 'reports.db');
const ok = (...args: string[]) => {
  const r = esep(db, ...args);
  if (r.code !== 0) throw new Error(`esep ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};

beforeAll(() => {
  ok('init');
  ok('import', 'operator', path.resolve('fixtures/demo/operator.json'));
  ok('import', 'tariffs', writeText(dir, 't.csv', 'code,name,monthly_fee,port_fee,installation_fee\nNET,Net,5000,300,0'));
  const accounts = [ACCOUNT_HEADER, `3001,${IIN_A},Әлия Сейітова,addr,,,credit,NET,2026-10-01,yes`, `3002,${IIN_B},Иванов Пётр,addr,,,advance,NET,2026-10-01,yes`].join('\n');
  ok('import', 'accounts', writeText(dir, 'a.csv', accounts), '--date', '2026-10-01');
  ok('payments', 'import', writeStatement(path.join(dir, 's.csv'), [{ bankRef: 'B1', valueDate: '2026-10-01', amount: 300_000, account: '3002' }]), '--date', '2026-10-01');
  ok('run', 'day', '--date', '2026-10-31');
  ok('run', 'invoices', '--period', '2026-10', '--date', '2026-11-01', '--out', path.join(dir, 'inv'));
  ok('run', 'day', '--date', '2026-11-28');
}, 120_000);

const ledgerSum = (sql: string, ...args: unknown[]) => {
  const d = openDatabase(db);
  try {
    return (d.sqlite.prepare(sql).get(...args) as { s: number | null }).s ?? 0;
  } finally {
    d.close();
  }
};
const tenge = (tiyn: number) => (tiyn / 100).toFixed(2);

describe('esep report turnover', () => {
  it('prints {period, accounts, totals}; the credit account by hand, the totals as the ledger sums them', () => {
    type Line = { account: string; opening: string; charges: string; penalties: string; payments: string; other_credits: string; closing: string };
    const oct = esepJson<{ period: string; accounts: Line[]; totals: Line }>(db, 'report', 'turnover', '--period', '2026-10');
    expect(oct.period).toBe('2026-10');
    // 3001: October's fee 5 000,00 (31/31), nothing paid
    expect(oct.accounts.find((a) => a.account === '3001')).toMatchObject({ opening: '0.00', charges: '5000.00', penalties: '0.00', payments: '0.00', closing: '-5000.00' });
    expect(oct.totals.closing).toBe(tenge(ledgerSum(`SELECT SUM(amount) AS s FROM ledger WHERE value_date <= '2026-10-31'`)));
    expect(oct.totals.payments).toBe('3000.00');
    const nov = esepJson<{ accounts: Line[]; totals: Line }>(db, 'report', 'turnover', '--period', '2026-11');
    // penalties 26, 27, 28.11: 3 × round(5 000,00 × 0,5%) = 3 × 25,00 = 75,00
    expect(nov.accounts.find((a) => a.account === '3001')).toMatchObject({ opening: '-5000.00', charges: '0.00', penalties: '75.00', closing: '-5075.00' });
    expect(nov.totals.opening).toBe(oct.totals.closing);
    expect(nov.totals.penalties).toBe(tenge(-ledgerSum(`SELECT SUM(amount) AS s FROM ledger WHERE kind = 'penalty' AND value_date BETWEEN '2026-11-01' AND '2026-11-30'`)));
  });

  it('--csv for Excel and --xlsx with typed cells: the account as text, amounts as numbers', async () => {
    const csv = ok('report', 'turnover', '--period', '2026-10', '--csv');
    expect(csv.replace(/^\ufeff/, '').split(/\r?\n/)[0]).toMatch(/^account,opening_debit,opening_credit,.*closing_credit$/);
    const file = path.join(dir, 'turnover.xlsx');
    ok('report', 'turnover', '--period', '2026-10', '--xlsx', file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const ws = book.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const row = ws.getRow(2).values as unknown[];
    expect(header[0]).toBe('Дербес шот / Лицевой счёт');
    expect(row[1]).toBe('3001');
    expect(row[header.indexOf('Айлық абоненттік төлем / Абонентская плата (месяц)') + 1]).toBe(5000);
    // a workbook of several sheets: aging and the accounts behind its buckets, amounts as numbers
    const aging = path.join(dir, 'aging-sheets.xlsx');
    ok('report', 'aging', '--date', '2026-11-28', '--xlsx', aging);
    const book2 = new ExcelJS.Workbook();
    await book2.xlsx.readFile(aging);
    expect(book2.worksheets.map((w) => w.name)).toEqual(['aging 2026-11-28', 'aging accounts']);
    const accounts = book2.worksheets[1]!;
    const titles = (accounts.getRow(1).values as unknown[]).slice(1);
    const first = accounts.getRow(2).values as unknown[];
    expect(first[1]).toBe('3001');
    expect(first[titles.indexOf('1–30 күн / 1–30 дней') + 1]).toBe(5000);
    expect(first[titles.indexOf('Ең ескі төлем мерзімі / Самый ранний срок оплаты') + 1]).toEqual(new Date(Date.UTC(2026, 10, 25)));
    // a file in a folder that does not exist: bad usage, exit 2
    const nowhere = esep(db, 'report', 'turnover', '--period', '2026-10', '--xlsx', path.join(dir, 'no', 'such', 't.xlsx'));
    expect(nowhere.code).toBe(2);
  });

  it('refuses a bad period with exit 2, naming it', () => {
    const r = esep(db, 'report', 'turnover', '--period', '2026-13');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--period');
  });
});

describe('esep report aging and payments', () => {
  it('aging: the October invoice 3 days past due in 1–30, penalties apart; buckets add up to the debt', () => {
    type Buckets = Record<'not_due' | 'd1_30' | 'd31_60' | 'd61_90' | 'over_90', string>;
    const r = esepJson<{ accounts: { account: string; buckets: Buckets; debt: string; penalties: string; days_overdue: number }[]; totals: { buckets: Buckets; debt: string } }>(
      db, 'report', 'aging', '--date', '2026-11-28',
    );
    expect(r.accounts.find((a) => a.account === '3001')).toMatchObject({ buckets: { not_due: '0.00', d1_30: '5000.00', d31_60: '0.00', d61_90: '0.00', over_90: '0.00' }, debt: '5000.00', penalties: '75.00', days_overdue: 3 });
    const sum = Object.values(r.totals.buckets).reduce((s, v) => s + Math.round(Number(v) * 100), 0);
    expect(tenge(sum)).toBe(r.totals.debt);
  });

  it('payments: received by day and file; --to before --from is refused', () => {
    const r = esepJson<{ days: { day: string; applied: { count: number; amount: string } }[]; totals: { applied: { count: number; amount: string } }; on_ledger: string }>(
      db, 'report', 'payments', '--from', '2026-10-01', '--to', '2026-10-31',
    );
    expect(r.days).toMatchObject([{ day: '2026-10-01', applied: { count: 1, amount: '3000.00' } }]);
    expect(r.on_ledger).toBe('3000.00');
    const bad = esep(db, 'report', 'payments', '--from', '2026-11-02', '--to', '2026-11-01');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to');
  });
});

describe('esep report revenue and month', () => {
  it('revenue: the credit account\u2019s October fee with the VAT it includes at 16%; --csv is the 1C export', () => {
    const r = esepJson<{ rows: Record<string, string | null>[]; vat_by_rate: { rate: string; turnover: string; vat: string }[]; invoices_vat: string | null }>(db, 'report', 'revenue', '--period', '2026-10');
    // 5 000,00 × 0,16 / 1,16 = 689,655… → 689,66; without VAT 4 310,34
    const fees = r.rows.filter((x) => x.kind === 'monthly_fee');
    expect(fees).toEqual([{ section: 'charges', tariff: 'NET', kind: 'monthly_fee', vat_rate: '0.16', turnover: '5000.00', vat: '689.66', net: '4310.34' }]);
    const vat = r.vat_by_rate.reduce((s, v) => s + Math.round(Number(v.vat) * 100), 0);
    expect(tenge(vat)).toBe(r.invoices_vat);
    const csv = ok('report', 'revenue', '--period', '2026-10', '--csv');
    expect(csv.replace(/^\ufeff/, '').split(/\r?\n/)[0]).toBe('period,section,tariff,kind,vat_rate,turnover,vat,net');
    expect(csv).toContain('2026-10,charges,NET,monthly_fee,16,5000.00,689.66,4310.34');
  });

  it('month: a PDF and an xlsx with every report as a sheet', async () => {
    const out = path.join(dir, 'month');
    expect(ok('report', 'month', '--period', '2026-10', '--out', out)).toContain('month-2026-10.pdf');
    expect(readFileSync(path.join(out, 'month-2026-10.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(out, 'month-2026-10.xlsx'));
    expect(book.worksheets.map((w) => w.name)).toEqual(['turnover 2026-10', 'revenue 2026-10', 'vat 2026-10', 'payments 2026-10-01 2026-10-31', 'statement totals', 'aging 2026-10-31', 'aging accounts']);
  });
});

describe('esep explain', () => {
  it('--json: {account, from, to, opening, closing, lines: [{date, kind, amount, balance, rule, clause}]}', () => {
    const r = esepJson<{ account: string; from: string; to: string; opening: string; closing: string; lines: { date: string; kind: string; amount: string; balance: string; rule: string; clause: string | null }[] }>(
      db, 'explain', '3001', '--from', '2026-10-01', '--to', '2026-11-28',
    );
    expect({ account: r.account, from: r.from, to: r.to, opening: r.opening, closing: r.closing }).toEqual({ account: '3001', from: '2026-10-01', to: '2026-11-28', opening: '0.00', closing: '-5075.00' });
    expect(r.lines.map((l) => [l.date, l.kind, l.amount, l.balance, l.rule, l.clause])).toEqual([
      ['2026-10-31', 'monthly_fee', '-5000.00', '-5000.00', '1–31.10 monthly fee 5 000,00 × 31/31', '13'],
      ['2026-11-26', 'penalty', '-75.00', '-5075.00', '26–28.11 penalty 0,5% × 5 000,00 unpaid principal of invoice MT-2026-000001 a day, day 1–3 of 30', '23.7'],
    ]);
  });

  it('--pdf writes the statement; a table by default', () => {
    const file = path.join(dir, 'akt.pdf');
    expect(ok('explain', '3001', '--to', '2026-11-28', '--pdf', file)).toContain(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const table = ok('explain', '3001', '--to', '2026-11-28');
    expect(table).toContain('opening balance 0.00');
    expect(table).toContain('closing balance -5075.00');
  });

  it('refuses an unknown account and a bad date with exit 2', () => {
    const unknown = esep(db, 'explain', '9999');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no account "9999"');
    const bad = esep(db, 'explain', '3001', '--from', '2026-02-30');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from');
  });
});
