// Issue 15, "undoing a mistake": a payment put on the wrong account and moved (or returned to
// suspense and assigned), a payment reversed by the bank, a payment imported late: each account
// ends as in a world where every payment was on its right account from the start and the reversed
// ones never arrived (D-3, D-4, D-7, D-8). A handful of accounts of both methods is lived two ways
// with the jobs' own functions, a day at a time:
//   right     each payment that is not reversed is on a statement imported on its value date,
//             before that day's run, on its own account; a reversed one never comes;
//   mistakes  the same payments, each with a fate: on time; late (imported after the day's run, on
//             its value date or days later); on the wrong account (imported on its value date onto
//             another credit account) and moved with `payments move`, or returned to suspense with
//             `payments unassign` and assigned to the right account, on the day of the fix; or
//             imported on time and taken back by the bank, the reversal row (dated on the
//             payment's value date, under its own reference) imported days later and linked with
//             `payments reverse`.
// Both must end, for every account, with the same status (and suspend reason), termination,
// balance, debt, penalty debt, prepayment and overdue debt, and each invoice's principal and
// unpaid principal; and verify() finds nothing in either.
//
// What the generator leaves out, and why (where the contract makes the worlds differ for good):
//   - The wrong account is always a credit account. Money that was never an advance account's
//     would pay its daily fees on the days it sat there, and service given is a fact (cl. 17.2):
//     only the day of the fix is decided again (D-3 backwards), so an advance wrong account ends
//     as the right world only when it gets the money and loses it on the same day, and even then
//     its suspension for funds restarts on that day, and with it the two months to its
//     termination (D-5). A credit account's figures all follow from the facts (D-4, D-8).
//   - A payment for an advance account is fixed (late, moved, unassigned) only on its value date,
//     after that day's run, and only while the account is less than two months old: as in the
//     on-time/late simulation (test/sim/on-time-late.property.test.ts), the days between would be
//     decided without the money for good, and a termination for funds executed before it came is
//     final. Bank reversals are of credit accounts' payments only: an advance account restored by
//     the payment and suspended again by its reversal starts its two months anew that day.
//   - A credit account's payment is fixed up to MAX_DELAY days later, but before the first day the
//     operator could terminate the right account or the wrong one (the 26th of the month after the
//     second invoice of its life, D-5): before it no termination can differ between the worlds.
//   - Every fix is made before the last day's run (the 1st after the horizon): the penalty job
//     posts its corrections (D-4) in the next run.
//   - A bank reversal is dated on the payment's value date (a storno the same day): dated later,
//     the payment counted for the days between, and "never arrived" is not what the contract says.
// Not compared: the access events of the days in between, the ledger's entries themselves (the
// mistakes world has corrections the right one does not), and an invoice's opening balance,
// payments and amount due (only its principal and unpaid principal, as the simulation).
//
// Seeded, a bounded number of runs: ESEP_PROP_SEED and ESEP_PROP_RUNS change them (12 by default, as the
// simulation: the suite runs in CI on two cores; a longer hunt is `ESEP_PROP_RUNS=200`).
import fc from 'fast-check';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { invoicesOf } from '../../src/db/invoices.js';
import { asEntries, entriesOf } from '../../src/db/ledger.js';
import { unpaidAtEndOf } from '../../src/domain/collection.js';
import { addDays, addMonths, daysInMonth, nextPeriod, periodOf, type IsoDate } from '../../src/domain/dates.js';
import { loadCalendar } from '../../src/io/calendar.js';
import { accountView } from '../../src/jobs/account-view.js';
import { runDay } from '../../src/jobs/day.js';
import { importOperator } from '../../src/jobs/import-operator.js';
import { runInvoices } from '../../src/jobs/invoices.js';
import { movePayment, reversePayment, unassignPayment } from '../../src/jobs/payment-corrections.js';
import { assignPayment, importPayments } from '../../src/jobs/payments.js';
import { verify } from '../../src/jobs/verify.js';
import { addAccount, addTariff } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { noPdfRenderer, writeStatement, type StatementLine } from '../helpers/world.js';
import { OPERATOR_JSON } from '../jobs/payments-world.js';
import { iinFor } from '../helpers/fixtures.js';

const RUNS = Number(process.env.ESEP_PROP_RUNS ?? 12);
const SEED = Number(process.env.ESEP_PROP_SEED ?? 15_2026);
const MAX_DELAY = 7;
/** Accounts connect in October or November 2026; the worlds run to 1 February 2027 (three month-ends). */
const FIRST: IsoDate = '2026-10-01';
const LAST: IsoDate = '2027-02-01';

const dir = tempDir();
const calendar = loadCalendar();

type Fate = 'on-time' | 'late' | 'moved' | 'unassigned' | 'reversed';

interface Payment {
  bankRef: string;
  valueDate: IsoDate;
  amount: number;
  fate: Fate;
  /** The day of the fix (late import, move, unassignment, reversal), after that day's run; null on time. */
  fixOn: IsoDate | null;
  /** The account it wrongly went to (moved, unassigned). */
  wrong: string | null;
}

interface Plan {
  account: string;
  iin: string;
  method: 'advance' | 'credit';
  tariff: { code: string; monthly: number; port: number; install: number };
  connectedOn: IsoDate;
  payments: Payment[];
}

/** IINs with a check digit, one per account (cl. 6.4 looks at the IIN: keep subscribers apart). */
const iinOf = (i: number): string => iinFor('9001015', i);

/** The first day a credit account connected on `connectedOn` can be terminated by the operator (D-5). */
const firstTerminationDay = (connectedOn: IsoDate): IsoDate => `${nextPeriod(nextPeriod(periodOf(connectedOn)))}-26`;

const fateArb = fc.record({
  fate: fc.constantFrom<Fate>('on-time', 'late', 'moved', 'moved', 'unassigned', 'reversed', 'reversed'),
  delay: fc.integer({ min: 0, max: MAX_DELAY }),
  wrong: fc.nat(),
});

const accountArb = fc.record({
  method: fc.constantFrom<'advance' | 'credit'>('advance', 'credit', 'credit'),
  monthly: fc.integer({ min: 100_000, max: 1_000_000 }),
  port: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000 })),
  install: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 })),
  connect: fc.integer({ min: 0, max: 45 }),
  /** advance: an opening payment (installation + a share of the fee) and a few more; credit: one a month (or none). */
  opening: fc.option(fc.record({ share: fc.integer({ min: 10, max: 250 }), fate: fateArb }), { freq: 4 }),
  extra: fc.array(fc.record({ day: fc.integer({ min: 0, max: 90 }), share: fc.integer({ min: 5, max: 200 }), fate: fateArb }), { maxLength: 3 }),
  months: fc.array(fc.option(fc.record({ day: fc.integer({ min: 2, max: 31 }), share: fc.integer({ min: 30, max: 200 }), fate: fateArb }), { freq: 4 }), {
    minLength: 3,
    maxLength: 3,
  }),
});

const worldArb = fc.array(accountArb, { minLength: 2, maxLength: 4 });
type RawWorld = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;
type RawFate = { fate: Fate; delay: number; wrong: number };

/** The raw draws made into a world, with the restrictions of the header applied. */
function worldOf(raw: RawWorld): Plan[] {
  const plans: Plan[] = raw.map((a, i) => ({
    account: String(5001 + i),
    iin: iinOf(i + 1),
    method: a.method,
    tariff: { code: `T${i + 1}`, monthly: a.monthly, port: a.port, install: a.install },
    connectedOn: addDays(FIRST, a.connect),
    payments: [],
  }));
  const credit = plans.filter((p) => p.method === 'credit');
  let ref = 0;
  for (const [i, a] of raw.entries()) {
    const plan = plans[i]!;
    const share = (percent: number) => Math.round((a.monthly * percent) / 100);
    const pay = (valueDate: IsoDate, amount: number, f: RawFate) => {
      if (valueDate >= LAST || amount <= 0) return;
      let fate = f.fate;
      let fixOn: IsoDate | null = null;
      let wrong: string | null = null;
      if (fate === 'moved' || fate === 'unassigned') {
        const others = credit.filter((c) => c.account !== plan.account && c.connectedOn <= valueDate);
        if (others.length === 0) fate = 'on-time';
        else wrong = others[f.wrong % others.length]!.account;
      }
      if (fate === 'reversed' && plan.method === 'advance') fate = 'on-time';
      if (fate !== 'on-time') {
        fixOn = plan.method === 'advance' ? valueDate : addDays(valueDate, f.delay);
        const limits = [LAST, plan.method === 'advance' ? addMonths(plan.connectedOn, 2) : firstTerminationDay(plan.connectedOn)];
        if (wrong !== null) limits.push(firstTerminationDay(plans.find((p) => p.account === wrong)!.connectedOn));
        if (limits.some((l) => fixOn! >= l)) {
          fate = 'on-time';
          fixOn = null;
          wrong = null;
        }
      }
      plan.payments.push({ bankRef: `B${i + 1}-${++ref}`, valueDate, amount, fate, fixOn, wrong });
    };
    if (a.method === 'advance') {
      if (a.opening !== null) pay(plan.connectedOn, a.install + share(a.opening.share), a.opening.fate);
      for (const x of a.extra) pay(addDays(plan.connectedOn, x.day), share(x.share), x.fate);
    } else {
      // a payment for each month of service, in the month after (the invoice's, due on the 25th)
      let period = periodOf(plan.connectedOn);
      for (const m of a.months) {
        const paidIn = nextPeriod(period);
        if (m !== null) {
          const day = Math.min(m.day, daysInMonth(paidIn));
          pay(`${paidIn}-${String(day).padStart(2, '0')}`, share(m.share) + (period === periodOf(plan.connectedOn) ? a.install : 0), m.fate);
        }
        period = paidIn;
      }
      for (const x of a.extra.slice(0, 1)) pay(addDays(plan.connectedOn, x.day), share(x.share), x.fate);
    }
  }
  return plans;
}

async function build(plans: readonly Plan[]): Promise<Db> {
  const db = openDatabase(':memory:', { create: true });
  await importOperator(db, OPERATOR_JSON);
  for (const p of plans) {
    addTariff(db, p.tariff.code, { monthly: p.tariff.monthly, port: p.tariff.port, install: p.tariff.install });
    addAccount(db, p.account, { method: p.method, tariff: p.tariff.code, connectedOn: p.connectedOn, iin: p.iin });
  }
  return db;
}

const lineOf = (p: Plan, x: Payment, account: string, reversal = false): StatementLine => ({
  bankRef: reversal ? `R-${x.bankRef}` : x.bankRef,
  valueDate: x.valueDate,
  amount: reversal ? -x.amount : x.amount,
  account,
  payerIin: p.iin,
  payerName: 'Плательщик',
  purpose: `Оплата за связь, л/с ${account}`,
});

let files = 0;
const idOf = (db: Db, bankRef: string) => db.sqlite.prepare('SELECT id FROM payments WHERE bank_ref = ?').pluck().get(bankRef) as number;

async function play(plans: readonly Plan[], how: 'right' | 'mistakes', seen: Record<string, number>): Promise<Db> {
  const db = await build(plans);
  const out = path.join(dir, `w${++files}-${how}`);
  mkdirSync(out, { recursive: true });
  const before = new Map<IsoDate, StatementLine[]>();
  const after = new Map<IsoDate, StatementLine[]>();
  const fixes = new Map<IsoDate, { plan: Plan; x: Payment }[]>();
  const add = <T>(m: Map<IsoDate, T[]>, day: IsoDate, v: T) => m.set(day, [...(m.get(day) ?? []), v]);
  for (const p of plans) {
    for (const x of p.payments) {
      if (how === 'right') {
        if (x.fate !== 'reversed') add(before, x.valueDate, lineOf(p, x, p.account));
        continue;
      }
      if (x.fate === 'on-time' || x.fate === 'reversed') add(before, x.valueDate, lineOf(p, x, p.account));
      if (x.fate === 'late') add(after, x.fixOn!, lineOf(p, x, p.account));
      if (x.fate === 'moved' || x.fate === 'unassigned') add(before, x.valueDate, lineOf(p, x, x.wrong!));
      if (x.fate === 'reversed') add(after, x.fixOn!, lineOf(p, x, p.account, true));
      if (x.fate !== 'on-time' && x.fate !== 'late') add(fixes, x.fixOn!, { plan: p, x });
    }
  }
  const importOn = async (day: IsoDate, lines: StatementLine[] | undefined, name: string) => {
    if (!lines) return;
    const s = await importPayments(db, { file: writeStatement(path.join(out, `${name}-${day}.csv`), lines), date: day });
    expect(s.applied + s.reversals).toBe(lines.length);
  };
  for (let day = FIRST; day <= LAST; day = addDays(day, 1)) {
    await importOn(day, before.get(day), 'before');
    await runDay(db, { date: day, calendar });
    if (day.endsWith('-01') && day > FIRST) {
      await runInvoices(db, { period: periodOf(addDays(day, -1)), issuedOn: day, outDir: path.join(out, 'invoices'), renderer: noPdfRenderer });
    }
    await importOn(day, after.get(day), 'after');
    for (const { plan, x } of fixes.get(day) ?? []) {
      const id = idOf(db, x.bankRef);
      if (x.fate === 'moved') {
        const r = await movePayment(db, id, plan.account, day);
        seen.moved = (seen.moved ?? 0) + 1;
        if (r.fromEffect === 'suspended') seen['wrong account suspended at the move'] = (seen['wrong account suspended at the move'] ?? 0) + 1;
        if (r.restored) seen['right account restored at the move'] = (seen['right account restored at the move'] ?? 0) + 1;
      } else if (x.fate === 'unassigned') {
        await unassignPayment(db, id, day);
        await assignPayment(db, id, plan.account, day);
        seen['unassigned and assigned'] = (seen['unassigned and assigned'] ?? 0) + 1;
      } else {
        const r = await reversePayment(db, idOf(db, `R-${x.bankRef}`), id, day);
        seen['reversed by the bank'] = (seen['reversed by the bank'] ?? 0) + 1;
        if (r.fromEffect === 'suspended') seen['suspended at the reversal'] = (seen['suspended at the reversal'] ?? 0) + 1;
      }
    }
  }
  return db;
}

/** Where each account ends: the figures the two worlds must agree on. */
function endOf(db: Db, plans: readonly Plan[]) {
  return plans.map((p) => {
    const v = accountView(db, p.account, LAST);
    const entries = asEntries(entriesOf(db, p.account)).filter((e) => e.valueDate <= LAST);
    const invoices = invoicesOf(db, p.account);
    const unpaid = unpaidAtEndOf(entries, invoices, LAST);
    return {
      account: p.account,
      status: v.account.status,
      suspendReason: v.account.suspendReason,
      terminatedOn: v.account.terminatedOn,
      terminatedBy: v.account.terminatedBy,
      balance: v.balance,
      debt: v.debt,
      penaltyDebt: v.penaltyDebt,
      prepayment: v.prepayment,
      overdueDebt: v.overdueDebt,
      invoices: invoices.map((i) => ({ period: i.period, dueOn: i.dueOn, principal: i.principal, unpaid: unpaid.get(i.id) ?? 0 })),
    };
  });
}

describe('undoing a mistake: the same end as no mistake (D-3, D-4, D-7, D-8)', () => {
  it(
    'moved, unassigned, reversed and late payments end every account as if each had been right from the start',
    async () => {
      const seen: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(worldArb, async (raw) => {
          const plans = worldOf(raw);
          const right = await play(plans, 'right', {});
          const mistakes = await play(plans, 'mistakes', seen);
          try {
            expect(verify(right)).toEqual([]);
            expect(verify(mistakes)).toEqual([]);
            expect(endOf(mistakes, plans)).toEqual(endOf(right, plans));
            const n = (db: Db, sql: string) => db.sqlite.prepare(`SELECT COUNT(*) FROM ${sql}`).pluck().get() as number;
            seen['late'] = (seen['late'] ?? 0) + plans.flatMap((p) => p.payments).filter((x) => x.fate === 'late').length;
            seen['penalty corrections (D-4)'] = (seen['penalty corrections (D-4)'] ?? 0) + n(mistakes, `ledger WHERE kind = 'penalty' AND amount > 0`);
            seen['suspensions for debt'] = (seen['suspensions for debt'] ?? 0) + n(right, `access_events WHERE event = 'suspend' AND cause = 'debt'`);
          } finally {
            right.close();
            mistakes.close();
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: false },
      );
      // with the default seed and runs, each of them at least once
      if (process.env.ESEP_PROP_SEED === undefined && RUNS >= 20) for (const [what, times] of Object.entries(seen)) expect({ what, times: Math.sign(times) }).toEqual({ what, times: 1 });
      for (const what of ['moved', 'unassigned and assigned', 'reversed by the bank', 'late']) expect({ what, reached: (seen[what] ?? 0) > 0 }).toEqual({ what, reached: true });
    },
    120_000,
  );
});
