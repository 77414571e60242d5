// The simulation of issue 7, item 5: demo accounts of both methods, connected in September 2026,
// lived through every day of October, November and December 2026 with the job functions
// in-process (runDay each day, runInvoices on the 1st, importPayments for each day's statement,
// assignPayment for what fell into suspense, terminateBySubscriber), then checked:
//   - verify() finds nothing;
//   - the money reconciles: every distinct transaction of money in on the statements is on the
//     ledger as a payment or waits in suspense (a statement imported twice counts once), and the
//     reversals are listed apart;
//   - every account: balance = sum of its entries = prepayment − debt − penalty debt (summarise).
// A second run of the same world, where the payments that reached the bank on time but arrived on a
// statement days later are imported on their value date instead, ends with the same penalties and
// balances for every account (D-4: penalties by value date; the order of imports does not matter).
//
// Deterministic: the subscribers come from the demo generator with a fixed seed, the payments from
// a seeded PRNG per account and period, so both runs draw the same; no PDF is rendered.
import { mulberry32 } from '../../src/jobs/demo.js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { asEntries, entriesOf } from '../../src/db/ledger.js';
import { summarise } from '../../src/domain/allocation.js';
import { addDays, lastDayOf, periodOf, type IsoDate } from '../../src/domain/dates.js';
import { loadCalendar } from '../../src/io/calendar.js';
import { terminateBySubscriber } from '../../src/jobs/admin.js';
import { runDay } from '../../src/jobs/day.js';
import { loadDemo } from '../../src/jobs/demo.js';
import { runInvoices } from '../../src/jobs/invoices.js';
import { assignPayment, importPayments, unmatchedPayments } from '../../src/jobs/payments.js';
import { verify } from '../../src/jobs/verify.js';
import { tempDir } from '../helpers/tmp.js';
import { noPdfRenderer, writeStatement, type StatementLine } from '../helpers/world.js';

/** 500 in the issue; the runtime is about linear in it. */
const ACCOUNTS = Number(process.env.ESEP_SIM_ACCOUNTS ?? 500);
const SEED = 20261001;
const FIRST: IsoDate = '2026-10-01';
const LAST: IsoDate = '2026-12-31';
const SLOW = 600_000;

const dir = tempDir();
const calendar = loadCalendar();

/** mulberry32 seeded from a string: the same draws for the same account and period in both runs. */
function rng(...parts: (string | number)[]): () => number {
  let h = 1779033703 ^ SEED;
  for (const ch of parts.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 3432918353);
  return mulberry32(h);
}
const int = (r: () => number, min: number, max: number) => min + Math.floor(r() * (max - min + 1));

interface Subscriber {
  account: string;
  iin: string;
  name: string;
  method: 'advance' | 'credit';
  connectedOn: IsoDate;
  fee: number;
  install: number;
}

type CreditHabit = 'ontime' | 'arrives-late' | 'tardy' | 'partial' | 'never' | 'unmatched' | 'pays-twice';
type AdvanceHabit = 'steady' | 'stops' | 'lump' | 'unmatched';

function creditHabit(account: string): CreditHabit {
  const x = rng('habit', account)();
  if (x < 0.4) return 'ontime';
  if (x < 0.55) return 'arrives-late';
  if (x < 0.65) return 'tardy';
  if (x < 0.75) return 'partial';
  if (x < 0.85) return 'never';
  if (x < 0.93) return 'unmatched';
  return 'pays-twice';
}

function advanceHabit(account: string): AdvanceHabit {
  const x = rng('habit', account)();
  if (x < 0.7) return 'steady';
  if (x < 0.85) return 'stops';
  if (x < 0.95) return 'lump';
  return 'unmatched';
}

/** A payment as the bank sent it, and the day its statement reaches esep. */
interface Arrival {
  line: StatementLine;
  importOn: IsoDate;
  /** Reached the bank by its value date but its statement came days later (D-4). */
  late: boolean;
}

interface SimResult {
  db: Db;
  /** Every distinct transaction on the statements, by bank reference. */
  transactions: Map<string, number>;
  counts: Record<string, number>;
}

async function simulate(name: string, lateOnTime: boolean): Promise<SimResult> {
  const out = path.join(dir, name);
  mkdirSync(out, { recursive: true });
  // in memory: no fsync per batch; ESEP_SIM_DB_DIR keeps the databases on disk for a look afterwards
  const keep = process.env.ESEP_SIM_DB_DIR;
  const db = openDatabase(keep ? path.join(keep, `${name}.db`) : ':memory:', { create: true });
  await loadDemo(db, ACCOUNTS, { seed: 5, today: FIRST, monthsBack: 1 });
  const subscribers = db.sqlite
    .prepare(
      `SELECT a.account, a.iin, s.name, a.method, a.connected_on AS connectedOn, p.monthly_fee AS fee, p.installation_fee AS install
         FROM accounts a JOIN subscribers s ON s.iin = a.iin JOIN tariff_prices p ON p.tariff_code = a.tariff_code ORDER BY a.account`,
    )
    .all() as Subscriber[];
  const byAccount = new Map(subscribers.map((s) => [s.account, s]));
  const counts: Record<string, number> = {};
  const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);

  const arrivals = new Map<IsoDate, StatementLine[]>();
  const transactions = new Map<string, number>();
  const unmatchedFor = new Map<string, string>(); // bank ref → the account it was meant for
  const arrive = (a: Arrival) => {
    const day = a.late && lateOnTime ? a.line.valueDate : a.importOn;
    const list = arrivals.get(day) ?? [];
    list.push(a.line);
    arrivals.set(day, list);
    transactions.set(a.line.bankRef, a.line.amount);
    if (a.late) count('late');
  };
  let ref = 0;
  const pay = (s: Subscriber, valueDate: IsoDate, amount: number, how: 'account' | 'purpose' | 'nothing' = 'account'): StatementLine => {
    const line: StatementLine = {
      bankRef: `SIM-${++ref}`,
      valueDate,
      amount,
      account: how === 'account' ? s.account : '',
      payerIin: how === 'nothing' ? '' : s.iin,
      payerName: how === 'nothing' ? '' : s.name,
      purpose: how === 'nothing' ? 'Оплата услуг' : `Оплата за связь, лицевой счет ${s.account}`,
    };
    if (how === 'nothing') unmatchedFor.set(line.bankRef, s.account);
    return line;
  };

  // Advance subscribers: all pay something on connection (the September statement comes on 1 October)
  for (const s of subscribers.filter((x) => x.method === 'advance')) {
    const habit = advanceHabit(s.account);
    count(`advance ${habit}`);
    const months = habit === 'lump' ? 4 : habit === 'stops' ? 0.5 : 1;
    arrive({ line: pay(s, s.connectedOn, s.install + Math.round(months * s.fee)), importOn: FIRST, late: false });
    if (habit === 'steady' || habit === 'unmatched') {
      for (const month of ['2026-10', '2026-11', '2026-12']) {
        const r = rng('topup', s.account, month);
        const day = `${month}-${String(int(r, 1, 12)).padStart(2, '0')}` as IsoDate;
        // one in five tops up in two halves, a week apart
        if (r() < 0.2) {
          const half = Math.floor(s.fee / 2);
          arrive({ line: pay(s, day, half), importOn: day, late: false });
          arrive({ line: pay(s, addDays(day, 7), s.fee - half), importOn: addDays(day, 7), late: false });
        } else {
          const line = pay(s, day, s.fee, habit === 'unmatched' && month === '2026-11' ? 'nothing' : 'account');
          arrive({ line, importOn: day, late: false });
        }
      }
    }
  }

  // a bank reversal on the first statement: listed apart, never applied
  arrive({ line: { bankRef: 'SIM-REV-1', valueDate: '2026-09-30', amount: -250_000, purpose: 'Возврат платежа' }, importOn: FIRST, late: false });

  /** Credit subscribers pay each invoice as their habit says; drawn when the invoice exists. */
  const payInvoices = (period: string, issuedOn: IsoDate) => {
    const due = db.sqlite.prepare('SELECT account, amount_due AS due, due_on AS dueOn FROM invoices WHERE period = ?').all(period) as {
      account: string;
      due: number;
      dueOn: IsoDate;
    }[];
    for (const inv of due) {
      const s = byAccount.get(inv.account)!;
      if (s.method !== 'credit' || inv.due <= 0) continue;
      const habit = creditHabit(s.account);
      const r = rng('invoice', s.account, period);
      const onTime = addDays(issuedOn, int(r, 4, 23)); // by the 24th, before the due date (25th)
      switch (habit) {
        case 'ontime':
          arrive({ line: pay(s, onTime, inv.due, r() < 0.3 ? 'purpose' : 'account'), importOn: onTime, late: false });
          break;
        case 'arrives-late': {
          // paid by the 24th, on a statement 3–7 days later: after the due date, so penalties are
          // charged meanwhile and corrected after. Kept within the month (the next month-end
          // invoice then sees the same figures either way) and before the last day (the last
          // penalty run comes after it).
          const valueDate = addDays(issuedOn, int(r, 14, 23));
          let importOn = addDays(valueDate, int(r, 3, 7));
          const monthEnd = lastDayOf(periodOf(valueDate));
          if (importOn > monthEnd) importOn = monthEnd;
          if (importOn >= LAST) importOn = addDays(LAST, -1);
          arrive({ line: pay(s, valueDate, inv.due), importOn, late: true });
          break;
        }
        case 'tardy': {
          const valueDate = addDays(inv.dueOn, int(r, 1, 5));
          arrive({ line: pay(s, valueDate, inv.due), importOn: valueDate, late: false });
          break;
        }
        case 'partial': {
          const half = Math.ceil(inv.due / 2);
          arrive({ line: pay(s, onTime, half), importOn: onTime, late: false });
          const rest = addDays(inv.dueOn, int(r, 2, 6));
          arrive({ line: pay(s, rest, inv.due - half), importOn: rest, late: false });
          break;
        }
        case 'never':
          break;
        case 'unmatched':
          arrive({ line: pay(s, onTime, inv.due, 'nothing'), importOn: onTime, late: false });
          break;
        case 'pays-twice':
          // paid by two people of the family: the second is a prepayment
          arrive({ line: pay(s, onTime, inv.due), importOn: onTime, late: false });
          arrive({ line: pay(s, addDays(onTime, 1), inv.due), importOn: addDays(onTime, 1), late: false });
          break;
      }
    }
  };

  // Terminations at the subscriber's request: a few steady payers of both methods, mid-November
  const leaving = subscribers
    .filter((s) => (s.method === 'credit' ? creditHabit(s.account) === 'ontime' : advanceHabit(s.account) === 'steady'))
    .filter((_, i) => i % 40 === 7)
    .map((s) => s.account);
  expect(leaving.length).toBeGreaterThanOrEqual(2);

  const imported = new Map<IsoDate, string>();
  const importDay = async (day: IsoDate) => {
    const lines = arrivals.get(day);
    if (!lines) return;
    const file = writeStatement(path.join(out, `statement-${day}.csv`), lines);
    imported.set(day, file);
    await importPayments(db, { file, date: day });
    count('statements');
  };

  await runDay(db, { date: addDays(FIRST, -1), calendar });
  for (let day = FIRST; day <= LAST; day = addDays(day, 1)) {
    await runDay(db, { date: day, calendar });
    if (day.endsWith('-01')) {
      const period = addDays(day, -1).slice(0, 7);
      await runInvoices(db, { period, issuedOn: day, outDir: path.join(out, 'invoices'), renderer: noPdfRenderer });
      payInvoices(period, day);
    }
    await importDay(day);
    // every seventh day the accountant imports the day before's statement again
    const before = imported.get(addDays(day, -1));
    if (before && Number(day.slice(8)) % 7 === 0) {
      const again = await importPayments(db, { file: before, date: day });
      expect(again.applied + again.suspense + again.reversals).toBe(0);
      count('imported twice');
    }
    // the accountant assigns what fell into suspense two days before
    for (const p of unmatchedPayments(db)) {
      const meant = unmatchedFor.get(p.bankRef);
      if (meant && addDays(p.valueDate, 2) <= day) {
        await assignPayment(db, p.id, meant, day);
        count('assigned');
      }
    }
    if (day === '2026-11-15') {
      for (const account of leaving) {
        // a credit account owes the final period's days to the 14th at once (D-10): recorded despite
        // it, the final invoice and the demand follow (D-11)
        expect(terminateBySubscriber(db, account, day, calendar, { despiteDebt: true }).state).toBe('terminated');
        count('terminated by subscriber');
      }
    }
  }
  return { db, transactions, counts };
}

let main: SimResult;
let onTime: SimResult;

beforeAll(async () => {
  main = await simulate('main', false);
  onTime = await simulate('on-time', true);
}, SLOW);

describe(`simulation: ${ACCOUNTS} accounts, ${FIRST}..${LAST}`, () => {
  it('covers what it claims to', () => {
    const c = main.counts;
    const q = (sql: string) => (main.db.sqlite.prepare(sql).get() as { n: number }).n;
    expect(c.late ?? 0).toBeGreaterThan(5);
    expect(c.assigned ?? 0).toBeGreaterThan(3);
    expect(c['imported twice'] ?? 0).toBeGreaterThan(3);
    expect(c['terminated by subscriber'] ?? 0).toBeGreaterThanOrEqual(2);
    expect(q(`SELECT COUNT(*) AS n FROM accounts WHERE terminated_by = 'operator' AND method = 'credit'`)).toBeGreaterThan(0);
    expect(q(`SELECT COUNT(*) AS n FROM accounts WHERE terminated_by = 'operator' AND method = 'advance'`)).toBeGreaterThan(0);
    expect(q(`SELECT COUNT(*) AS n FROM ledger WHERE kind = 'penalty' AND amount > 0`)).toBeGreaterThan(0); // D-4 corrections
    expect(q(`SELECT COUNT(DISTINCT account) AS n FROM ledger WHERE kind = 'penalty'`)).toBeGreaterThan(5);
    expect(q(`SELECT COUNT(*) AS n FROM invoices`)).toBeGreaterThan(ACCOUNTS * 2);
    expect(q(`SELECT COUNT(*) AS n FROM access_events WHERE event = 'suspend'`)).toBeGreaterThan(0);
    expect(q(`SELECT COUNT(*) AS n FROM access_events WHERE event = 'restore'`)).toBeGreaterThan(0);
  });

  it('ends with verify clean', () => {
    expect(verify(main.db)).toEqual([]);
    expect(verify(onTime.db)).toEqual([]);
  });

  it('reconciles: money in = payments on the ledger + suspense; reversals apart; each transaction once', () => {
    const db = main.db;
    const q = (sql: string) => (db.sqlite.prepare(sql).get() as { n: number }).n;
    const moneyIn = [...main.transactions.values()].filter((a) => a > 0).reduce((s, a) => s + a, 0);
    const reversals = [...main.transactions.values()].filter((a) => a < 0).reduce((s, a) => s + a, 0);
    const onLedger = q(`SELECT COALESCE(SUM(amount), 0) AS n FROM ledger WHERE kind = 'payment'`);
    const suspense = q(`SELECT COALESCE(SUM(amount), 0) AS n FROM payments WHERE status = 'suspense'`);
    expect(onLedger + suspense).toBe(moneyIn);
    expect(q(`SELECT COALESCE(SUM(amount), 0) AS n FROM payments WHERE status = 'reversal'`)).toBe(reversals);
    expect(reversals).toBeLessThan(0);
    expect(q(`SELECT COUNT(*) AS n FROM payments`)).toBe(main.transactions.size);
    // and the applied ones are exactly the ledger's payments
    expect(q(`SELECT COALESCE(SUM(amount), 0) AS n FROM payments WHERE status = 'applied'`)).toBe(onLedger);
  });

  it('every account: balance = sum of entries = prepayment − debt − penalty debt', () => {
    for (const sim of [main, onTime]) {
      const accounts = sim.db.sqlite.prepare('SELECT account, balance FROM accounts ORDER BY account').all() as { account: string; balance: number }[];
      expect(accounts).toHaveLength(ACCOUNTS);
      for (const a of accounts) {
        const entries = asEntries(entriesOf(sim.db, a.account));
        const sum = entries.reduce((s, e) => s + e.amount, 0);
        const s = summarise(entries);
        expect({ account: a.account, balance: a.balance, sum, summary: s.prepayment - s.debt - s.penaltyDebt }).toEqual({
          account: a.account,
          balance: sum,
          sum,
          summary: sum,
        });
      }
    }
  });

  it('payments imported days late end with the same penalties and balances as imported on their value date (D-4)', () => {
    const figures = (db: Db) =>
      db.sqlite
        .prepare(
          `SELECT a.account, a.balance, a.terminated_on AS terminatedOn,
                  COALESCE((SELECT SUM(amount) FROM ledger l WHERE l.account = a.account AND l.kind = 'penalty'), 0) AS penalties
             FROM accounts a ORDER BY a.account`,
        )
        .all();
    expect(figures(main.db)).toEqual(figures(onTime.db));
    // the late imports did make a difference on the way: penalties charged, then corrected
    const corrections = (db: Db) => (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM ledger WHERE kind = 'penalty' AND amount > 0`).get() as { n: number }).n;
    expect(corrections(main.db)).toBeGreaterThan(corrections(onTime.db));
  });
});
