// A simulated quarter for the reports' tests: demo accounts of both methods connected in September
// 2026, every day of October to December run in-process (runDay, runInvoices on the 1st, a
// statement imported each day), payers of several habits: on time, late, partly, never, unmatched.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { addDays, periodOf, type IsoDate } from '../../src/domain/dates.js';
import { loadCalendar } from '../../src/io/calendar.js';
import { runDay } from '../../src/jobs/day.js';
import { loadDemo, mulberry32 } from '../../src/jobs/demo.js';
import { runInvoices } from '../../src/jobs/invoices.js';
import { importPayments } from '../../src/jobs/payments.js';
import { noPdfRenderer, writeStatement, type StatementLine } from './world.js';

export const QUARTER_FIRST: IsoDate = '2026-10-01';
export const QUARTER_LAST: IsoDate = '2026-12-31';

export async function simulateQuarter(dir: string, accounts = 60, seed = 7): Promise<Db> {
  mkdirSync(dir, { recursive: true });
  const calendar = loadCalendar();
  const db = openDatabase(':memory:', { create: true });
  await loadDemo(db, accounts, { seed, today: QUARTER_FIRST, monthsBack: 1 });
  const subs = db.sqlite
    .prepare(
      `SELECT a.account, a.method, a.connected_on AS connectedOn, p.monthly_fee AS fee, p.installation_fee AS install
         FROM accounts a JOIN tariff_prices p ON p.tariff_code = a.tariff_code ORDER BY a.account`,
    )
    .all() as { account: string; method: string; connectedOn: IsoDate; fee: number; install: number }[];
  const r = mulberry32(seed);
  const arrivals = new Map<IsoDate, StatementLine[]>();
  let ref = 0;
  const arrive = (day: IsoDate, line: Omit<StatementLine, 'bankRef'>) => {
    const list = arrivals.get(day) ?? [];
    list.push({ bankRef: `Q-${++ref}`, ...line });
    arrivals.set(day, list);
  };
  const habit = new Map(subs.map((s) => [s.account, r()] as const));
  for (const s of subs.filter((x) => x.method === 'advance')) {
    const h = habit.get(s.account)!;
    // most top up every month; some stop after the first half month, so they are suspended for funds and restored late or never
    arrive(QUARTER_FIRST, { valueDate: s.connectedOn, amount: s.install + (h < 0.75 ? s.fee : Math.round(s.fee / 2)), account: s.account });
    if (h < 0.75) for (const day of ['2026-10-28', '2026-11-27', '2026-12-29']) arrive(day, { valueDate: day, amount: s.fee, account: s.account });
    else if (h < 0.85) arrive('2026-11-20', { valueDate: '2026-11-20', amount: s.fee * 2, account: s.account });
  }
  arrive('2026-10-05', { valueDate: '2026-10-05', amount: 123_400, purpose: 'Оплата услуг' }); // suspense
  arrive('2026-10-06', { valueDate: '2026-10-06', amount: -50_000, purpose: 'Возврат платежа' }); // a reversal
  const payInvoices = (period: string, issuedOn: IsoDate) => {
    const due = db.sqlite.prepare(`SELECT i.account, i.amount_due AS due FROM invoices i JOIN accounts a ON a.account = i.account WHERE i.period = ? AND a.method = 'credit'`).all(period) as { account: string; due: number }[];
    for (const inv of due) {
      if (inv.due <= 0) continue;
      const h = habit.get(inv.account)!;
      if (h < 0.5) arrive(addDays(issuedOn, 10), { valueDate: addDays(issuedOn, 10), amount: inv.due, account: inv.account });
      else if (h < 0.7) arrive(addDays(issuedOn, 30), { valueDate: addDays(issuedOn, 28), amount: inv.due, account: inv.account }); // late, and on a late statement
      else if (h < 0.85) arrive(addDays(issuedOn, 12), { valueDate: addDays(issuedOn, 12), amount: Math.ceil(inv.due / 2), account: inv.account });
    }
  };
  await runDay(db, { date: addDays(QUARTER_FIRST, -1), calendar });
  for (let day = QUARTER_FIRST; day <= QUARTER_LAST; day = addDays(day, 1)) {
    await runDay(db, { date: day, calendar });
    if (day.endsWith('-01')) {
      const period = periodOf(addDays(day, -1));
      await runInvoices(db, { period, issuedOn: day, outDir: path.join(dir, 'invoices'), renderer: noPdfRenderer });
      payInvoices(period, day);
    }
    const lines = arrivals.get(day);
    if (lines) await importPayments(db, { file: writeStatement(path.join(dir, `statement-${day}.csv`), lines), date: day });
  }
  return db;
}
