// «Undoing a mistake» (SPEC section 5, D-3, D-4, D-7, D-8; docs/payments.md): `esep payments move
// ID ACCOUNT`, `payments unassign ID` and `payments reverse REVERSAL_ID PAYMENT_ID` (a bank reversal
// linked to the payment it takes back, also at import when the bank reference says so).
//
// The account the payment is taken off gets a `payment` entry of the opposite sign that corrects
// the payment's entry there (D-7), dated on the payment's value date for a move or an unassignment
// (as if it never was there), on the reversal's value date for a bank reversal. The allocation
// (domain/allocation.ts) then re-opens what the payment had settled from that date, so each
// invoice's unpaid principal is what it would have been; the penalty job recomputes the days after
// it (D-4). The account it goes to gets the payment as of its value date. What follows at once, on
// the command's day: the account it went to is restored like after any payment; the account it was
// taken off is suspended for debt when it now has overdue debt (D-8), and an advance account's
// today, decided with the fee only thanks to the payment, is decided again (D-3 backwards). Days
// already decided before today stay as decided: service given or not given is a fact (cl. 17.2).
// Each command is one job: its journal row and all of it in one transaction.
import type { Db } from '../db/connection.js';
import { overdueDebtOfAccount } from '../db/accounts.js';
import { applyTransition } from '../db/access.js';
import { entriesOf, factsOf, postEntries, type NewEntry } from '../db/ledger.js';
import { lastCompletedDays, nowIso, type Counts } from '../db/journal.js';
import {
  findPayment,
  insertPaymentMove,
  markAssigned,
  markMoved,
  markReversed,
  markUnassigned,
  paymentEntriesOf,
  paymentMovesOf,
  paymentsUnderRef,
  reversalOf,
  reversedBy,
  type PaymentMoveBy,
  type PaymentRow,
} from '../db/payments.js';
import { TariffBook } from '../db/tariffs.js';
import { transition } from '../domain/accounts.js';
import { balanceAtStartOfSql, dailyFee, decideDay } from '../domain/daily-fee.js';
import type { IsoDate } from '../domain/dates.js';
import { leftToCorrect } from '../domain/entries.js';
import { InputError } from '../domain/errors.js';
import { paymentMovedFeeKey, paymentMovedKey, paymentMovedPortKey, paymentUndoFeeKey, paymentUndoKey, paymentUndoPortKey } from '../domain/keys.js';
import { formatTenge, type Tiyn } from '../domain/money.js';
import { requireAccount } from './account-view.js';
import { restoreAfterPayment } from './debit.js';
import { penaltyRules, settlePenalties } from './penalties.js';
import { runJob } from './runner.js';

/** What the command did, for the CLI. */
export interface CorrectionResult {
  payment: PaymentRow;
  by: PaymentMoveBy;
  /** The account it was taken off; null when a payment in suspense was reversed. */
  from: string | null;
  /** The account it went to (move), or null. */
  to: string | null;
  /** The value date of the entry that took it off `from`. */
  valueDate: IsoDate;
  /** The reversal row (reverse). */
  reversalId: number | null;
  /** What followed on `from` today: suspended for debt, or today's fee taken back and suspended for funds. */
  fromEffect: 'suspended' | 'unchanged';
  /** Whether `to` was restored. */
  restored: boolean;
}

const pid = (id: number) => `payment ${id}`;

/** The payment must be one that is on an account now (PAYMENT_ID), or refused naming why. */
function applied(db: Db, id: number, what: 'move' | 'unassign'): PaymentRow & { account: string } {
  const p = findPayment(db, id);
  if (!p) throw new InputError([{ field: 'PAYMENT_ID', message: `no payment ${id}` }]);
  if (p.status === 'reversal') {
    throw new InputError([
      { field: 'PAYMENT_ID', message: `${pid(id)} is a bank reversal of ${formatTenge(p.amount)}, never on an account: link it to the payment it takes back with esep payments reverse ${id} PAYMENT_ID` },
    ]);
  }
  if (p.status === 'reversed') {
    const r = reversalOf(db, id);
    throw new InputError([{ field: 'PAYMENT_ID', message: `${pid(id)} was reversed by the bank${r ? ` (reversal ${r.id} of ${r.valueDate})` : ''}: it is on no account` }]);
  }
  if (p.status === 'suspense') {
    throw new InputError([
      {
        field: 'PAYMENT_ID',
        message: what === 'move' ? `${pid(id)} is in suspense: apply it with esep payments assign ${id} ACCOUNT` : `${pid(id)} is in suspense already`,
      },
    ]);
  }
  if (p.account === null) throw new Error(`${pid(id)} is applied to no account`);
  return p as PaymentRow & { account: string };
}

/** The day of the command may not be before the value date of what it takes off. */
function notBefore(today: IsoDate, valueDate: IsoDate, what: string): void {
  if (today < valueDate) throw new InputError([{ field: '--date', message: `${today} is before ${what} ${valueDate}` }]);
}

/**
 * cl. 17.4: the money of an account terminated and refunded has left it: a payment taken off it
 * would leave a debt that stands for money paid out to the subscriber, so it is refused naming why.
 */
function notRefunded(db: Db, account: string, id: number): void {
  const a = requireAccount(db, account);
  if (a.status !== 'terminated') return;
  const refunds = entriesOf(db, account).filter((e) => e.kind === 'refund');
  if (refunds.length === 0) return;
  const paid = refunds.reduce((s, e) => s - e.amount, 0);
  const last = refunds[refunds.length - 1]!;
  throw new InputError([
    {
      field: 'PAYMENT_ID',
      message: `${pid(id)} cannot be taken off account ${account}: the account was terminated on ${a.terminatedOn ?? '?'} and its balance refunded (${formatTenge(paid)}, last on ${last.valueDate}, cl. 17.4): the money has been paid out to the subscriber`,
    },
  ]);
}

/** The payment's entry on `account` that still holds it there (D-7: the one the taking-off corrects). */
function liveEntry(db: Db, p: PaymentRow, account: string): { id: number; left: Tiyn } {
  const live = paymentEntriesOf(db, p.id).filter((e) => e.account === account && e.amount > 0 && e.amount + e.corrected > 0);
  if (live.length !== 1 || live[0]!.amount + live[0]!.corrected !== p.amount) {
    throw new Error(`${pid(p.id)}: its entries on account ${account} do not hold it once (esep verify)`);
  }
  return { id: live[0]!.id, left: live[0]!.amount + live[0]!.corrected };
}

const memoOf = (p: PaymentRow) => [`${p.format} ${p.bankRef}`.trim(), p.payerName].filter((s) => s !== null && s !== '').join(' · ');

interface TakeOff {
  p: PaymentRow;
  from: string;
  to: string | null;
  by: PaymentMoveBy;
  /** The value date of the entry taking it off. */
  valueDate: IsoDate;
  reversal: PaymentRow | null;
  today: IsoDate;
  runId: number | null;
}

/** Posts the taking-off (and the application where it goes), records the move, and what follows on both accounts today. */
function takeOff(db: Db, t: TakeOff): { fromEffect: CorrectionResult['fromEffect']; restored: boolean; counts: Counts } {
  const n = paymentMovesOf(db, t.p.id).length + 1;
  const entry = liveEntry(db, t.p, t.from);
  const why =
    t.by === 'move' ? `moved to account ${t.to}` : t.by === 'unassign' ? 'returned to suspense' : `reversed by the bank (reversal ${t.reversal!.id}, ${t.reversal!.bankRef})`;
  const entries: NewEntry[] = [
    {
      account: t.from,
      valueDate: t.valueDate,
      kind: 'payment',
      amount: -entry.left,
      key: paymentUndoKey(t.p.id, n),
      paymentId: t.p.id,
      corrects: entry.id,
      runId: t.runId,
      memo: `${memoOf(t.p)}: ${why} (D-7)`,
    },
  ];
  if (t.to !== null) {
    entries.push({
      account: t.to,
      valueDate: t.p.valueDate,
      kind: 'payment',
      amount: t.p.amount,
      key: paymentMovedKey(t.p.id, n),
      paymentId: t.p.id,
      runId: t.runId,
      memo: `${memoOf(t.p)} (moved from account ${t.from})`,
    });
  }
  postEntries(db, entries);
  insertPaymentMove(db, { paymentId: t.p.id, n, fromAccount: t.from, toAccount: t.to, by: t.by, valueDate: t.valueDate, onDate: t.today, reversalId: t.reversal?.id ?? null, runId: t.runId });
  if (t.by === 'move') markMoved(db, t.p.id, t.to!, nowIso());
  else if (t.by === 'unassign') markUnassigned(db, t.p.id, t.from);
  else markReversed(db, t.p.id, t.reversal!.id);
  const keys = { undo: paymentUndoKey(t.p.id, n), fee: paymentUndoFeeKey(t.p.id, n), port: paymentUndoPortKey(t.p.id, n) };
  const fromEffect = afterTakenOff(db, t.from, t.today, keys, t.runId, `${pid(t.p.id)} ${why}`);
  const restored = t.to !== null && afterPaid(db, t.to, t.today, { fee: paymentMovedFeeKey(t.p.id, n), port: paymentMovedPortKey(t.p.id, n) }, t.runId);
  return {
    fromEffect,
    restored,
    counts: { [t.by === 'move' ? 'moved' : t.by === 'unassign' ? 'unassigned' : 'reversed']: 1, tiyn: t.p.amount, suspended: fromEffect === 'suspended' ? 1 : 0, restored: restored ? 1 : 0 },
  };
}

interface AccountNow {
  account: string;
  method: 'advance' | 'credit';
  status: 'active' | 'suspended' | 'terminated';
  suspendReason: 'funds' | 'debt' | null;
  tariffCode: string;
  debitedThrough: IsoDate | null;
}

function accountNow(db: Db, account: string): AccountNow {
  return db.sqlite
    .prepare(
      `SELECT account, method, status, suspend_reason AS suspendReason, tariff_code AS tariffCode, debited_through AS debitedThrough FROM accounts WHERE account = ?`,
    )
    .get(account) as AccountNow;
}

/**
 * The account the payment was taken off, today. A credit account is suspended for debt when its
 * overdue debt (D-8, the one definition) is now above zero, through the one transition, as the
 * suspend job would tonight. An advance account's today is decided again (decideAgain).
 */
function afterTakenOff(
  db: Db,
  account: string,
  today: IsoDate,
  keys: { undo: string; fee: string; port: string },
  runId: number | null,
  why: string,
): 'suspended' | 'unchanged' {
  const a = accountNow(db, account);
  if (a.status === 'terminated') return 'unchanged';
  if (a.method === 'advance') return decideAgain(db, a, today, keys, runId, why) === 'suspended' ? 'suspended' : 'unchanged';
  if (overdueDebtOfAccount(db, account, today) <= 0) return 'unchanged';
  const next = applyTransition(db, account, a, { event: 'suspend', cause: 'debt' }, { at: nowIso(), valueDate: today, reason: `debt: overdue once ${why} (cl. 23.5)`, runId, by: keys.undo });
  return next ? 'suspended' : 'unchanged';
}

/**
 * The account the payment went to, today: its penalties up to the last completed penalty run are
 * recomputed at once (D-4, the penalty job's own settlePenalties: the payment counts from its value
 * date), then it is restored as after any payment (restoreAfterPayment), on its overdue debt as it
 * now is. An advance account whose today was decided again by an earlier move (its day's fee
 * reversed) is decided again the same way, the reversed fee being what restoreAfterPayment does not
 * know of.
 */
function afterPaid(db: Db, account: string, today: IsoDate, keys: { fee: string; port: string }, runId: number | null): boolean {
  const penaltiesThrough = lastCompletedDays(db).jobs.penalties;
  if (penaltiesThrough !== null) settlePenalties(db, account, penaltiesThrough < today ? penaltiesThrough : today, penaltyRules(db), runId);
  const a = accountNow(db, account);
  if (a.method === 'advance' && a.status !== 'terminated' && a.debitedThrough === today && dayOf(db, account, today).feeReversed) {
    return decideAgain(db, a, today, keys, runId, 'a payment moved here') === 'restored';
  }
  return restoreAfterPayment(db, account, today, runId) === 'restored';
}

/** An advance account's daily charges of a day as they stand: the fees and port reservations with something left, and whether a fee was reversed. */
function dayOf(db: Db, account: string, day: IsoDate) {
  const facts = factsOf(db, account).filter((f) => f.valueDate === day && (f.kind === 'daily_fee' || f.kind === 'port_reservation'));
  const left = leftToCorrect(facts);
  const live = facts.filter((f) => left.has(f.id));
  // cl. 17: one daily charge standing per day (esep verify checks it)
  if (live.length > 1) throw new Error(`account ${account}: ${live.length} daily charges stand on ${day}, one at most (esep verify)`);
  return {
    fees: live.filter((f) => f.kind === 'daily_fee').map((f) => ({ id: f.id, left: left.get(f.id)! })),
    ports: live.filter((f) => f.kind === 'port_reservation').map((f) => ({ id: f.id, left: left.get(f.id)! })),
    feeReversed: facts.some((f) => f.kind === 'daily_fee' && f.amount > 0),
  };
}

/**
 * D-3 both ways, on today only, for an advance account whose today is decided: the day is decided
 * again by the run's own rule (decideDay) on the balance at the start of the day as it now stands.
 * A day charged the fee that the balance no longer covers gets the fee reversed (naming it), the
 * port reservation charged and a suspension for funds with its access event; a day charged the port
 * reservation that the balance now covers gets it reversed, the fee charged and a restoration.
 */
function decideAgain(db: Db, a: AccountNow, today: IsoDate, keys: { fee: string; port: string }, runId: number | null, why: string): 'suspended' | 'restored' | 'unchanged' {
  if (a.status === 'terminated' || a.debitedThrough !== today) return 'unchanged';
  const price = TariffBook.load(db).priceOn(a.tariffCode, today);
  const fee = dailyFee(price.monthlyFee, today);
  const start = (db.sqlite.prepare(`SELECT ${balanceAtStartOfSql('a.account', 'a.balance', '@day')} AS b FROM accounts a WHERE a.account = @account`).get({ account: a.account, day: today }) as { b: Tiyn }).b;
  const decision = decideDay(start, fee, price.portFee);
  const day = dayOf(db, a.account, today);
  const at = nowIso();
  if (decision.kind === 'port_reservation' && day.fees.length > 0) {
    const entries: NewEntry[] = day.fees.map((f) => ({
      account: a.account,
      valueDate: today,
      kind: 'daily_fee',
      amount: f.left,
      key: keys.fee,
      corrects: f.id,
      runId,
      memo: `the day decided again: ${why} (D-3)`,
    }));
    if (decision.amount > 0) entries.push({ account: a.account, valueDate: today, kind: 'port_reservation', amount: -decision.amount, key: keys.port, runId, memo: a.tariffCode });
    postEntries(db, entries);
    const next = applyTransition(db, a.account, a, { event: 'suspend', cause: 'funds' }, { at, valueDate: today, reason: `funds: the balance is short of the daily fee once ${why} (cl. 17.2)`, runId, by: keys.fee });
    return next ? 'suspended' : 'unchanged';
  }
  if (decision.kind === 'daily_fee' && day.fees.length === 0 && transition(a, { event: 'restore', cause: 'funds' })) {
    const entries: NewEntry[] = day.ports.map((p) => ({
      account: a.account,
      valueDate: today,
      kind: 'port_reservation',
      amount: p.left,
      key: keys.port,
      corrects: p.id,
      runId,
      memo: 'reversed on restoration (D-3)',
    }));
    if (fee > 0) entries.push({ account: a.account, valueDate: today, kind: 'daily_fee', amount: -fee, key: keys.fee, runId, memo: a.tariffCode });
    postEntries(db, entries);
    applyTransition(db, a.account, a, { event: 'restore', cause: 'funds' }, { at, valueDate: today, reason: 'funds: payment covers the daily fee (cl. 17.3)', runId, by: keys.fee });
    return 'restored';
  }
  return 'unchanged';
}

async function asJob(db: Db, job: string, scope: string, check: () => void, work: (runId: number | null) => { counts: Counts; result: Omit<CorrectionResult, 'payment'>; id: number }): Promise<CorrectionResult> {
  check();
  let out: { result: Omit<CorrectionResult, 'payment'>; id: number } | undefined;
  await runJob(db, { job, scope }, (ctx) => {
    ctx.batch(() => {
      check();
      const w = work(ctx.runId);
      out = w;
      return w.counts;
    });
  });
  return { ...out!.result, payment: findPayment(db, out!.id)! };
}

/** `esep payments move ID ACCOUNT`: the payment off the account it is on, onto ACCOUNT, as of its value date. */
export async function movePayment(db: Db, id: number, to: string, today: IsoDate): Promise<CorrectionResult> {
  const check = () => {
    const p = applied(db, id, 'move');
    requireAccount(db, to);
    if (p.account === to) throw new InputError([{ field: 'ACCOUNT', message: `${pid(id)} is on account ${to} already` }]);
    notRefunded(db, p.account, id);
    notBefore(today, p.valueDate, "the payment's value date");
  };
  return asJob(db, 'payments-move', `${id} ${to}`, check, (runId) => {
    const p = applied(db, id, 'move');
    const r = takeOff(db, { p, from: p.account, to, by: 'move', valueDate: p.valueDate, reversal: null, today, runId });
    return { id, counts: r.counts, result: { by: 'move', from: p.account, to, valueDate: p.valueDate, reversalId: null, fromEffect: r.fromEffect, restored: r.restored } };
  });
}

/** `esep payments unassign ID`: the payment off its account, back to suspense, as if it had never been applied. */
export async function unassignPayment(db: Db, id: number, today: IsoDate): Promise<CorrectionResult> {
  const check = () => {
    const p = applied(db, id, 'unassign');
    notRefunded(db, p.account, id);
    notBefore(today, p.valueDate, "the payment's value date");
  };
  return asJob(db, 'payments-unassign', `${id}`, check, (runId) => {
    const p = applied(db, id, 'unassign');
    const r = takeOff(db, { p, from: p.account, to: null, by: 'unassign', valueDate: p.valueDate, reversal: null, today, runId });
    return { id, counts: r.counts, result: { by: 'unassign', from: p.account, to: null, valueDate: p.valueDate, reversalId: null, fromEffect: r.fromEffect, restored: false } };
  });
}

/** The reversal and the payment a `payments reverse` names, checked; refused naming why. */
function reversible(db: Db, reversalId: number, paymentId: number, today: IsoDate): { reversal: PaymentRow; p: PaymentRow } {
  const reversal = findPayment(db, reversalId);
  if (!reversal) throw new InputError([{ field: 'REVERSAL_ID', message: `no payment ${reversalId}` }]);
  if (reversal.status !== 'reversal') {
    throw new InputError([{ field: 'REVERSAL_ID', message: `${pid(reversalId)} is not a bank reversal (${formatTenge(reversal.amount)}, ${reversal.status}): esep payments reversals lists them` }]);
  }
  const linked = reversedBy(db, reversalId);
  if (linked !== null) throw new InputError([{ field: 'REVERSAL_ID', message: `reversal ${reversalId} reverses payment ${linked} already` }]);
  const p = findPayment(db, paymentId);
  if (!p) throw new InputError([{ field: 'PAYMENT_ID', message: `no payment ${paymentId}` }]);
  if (p.status === 'reversal') throw new InputError([{ field: 'PAYMENT_ID', message: `${pid(paymentId)} is a bank reversal itself: give the payment it takes back` }]);
  if (p.status === 'reversed') {
    const r = reversalOf(db, paymentId);
    throw new InputError([{ field: 'PAYMENT_ID', message: `${pid(paymentId)} was reversed by the bank already${r ? ` (reversal ${r.id} of ${r.valueDate})` : ''}` }]);
  }
  // a bank reversal takes a whole payment back; a part of one is no storno of it
  if (reversal.amount !== -p.amount) {
    throw new InputError([
      { field: 'PAYMENT_ID', message: `reversal ${reversalId} is of ${formatTenge(reversal.amount)}, ${pid(paymentId)} of ${formatTenge(p.amount)}: a reversal takes back a whole payment` },
    ]);
  }
  if (reversal.valueDate < p.valueDate) {
    throw new InputError([{ field: 'REVERSAL_ID', message: `reversal ${reversalId} is dated ${reversal.valueDate}, before the value date of ${pid(paymentId)}, ${p.valueDate}` }]);
  }
  if (p.status === 'applied') notRefunded(db, p.account!, paymentId);
  notBefore(today, reversal.valueDate, "the reversal's value date");
  return { reversal, p };
}

/** Inside a transaction: the payment reversed from the reversal's value date (or, in suspense, only marked). */
function applyReversal(db: Db, reversal: PaymentRow, p: PaymentRow, today: IsoDate, runId: number | null): { counts: Counts; result: Omit<CorrectionResult, 'payment'> } {
  if (p.status === 'suspense') {
    markReversed(db, p.id, reversal.id);
    return { counts: { reversed: 1, tiyn: p.amount }, result: { by: 'reverse', from: null, to: null, valueDate: reversal.valueDate, reversalId: reversal.id, fromEffect: 'unchanged', restored: false } };
  }
  const r = takeOff(db, { p, from: p.account!, to: null, by: 'reverse', valueDate: reversal.valueDate, reversal, today, runId });
  return { counts: r.counts, result: { by: 'reverse', from: p.account, to: null, valueDate: reversal.valueDate, reversalId: reversal.id, fromEffect: r.fromEffect, restored: false } };
}

/** `esep payments reverse REVERSAL_ID PAYMENT_ID`: the bank reversal linked to the payment it takes back, reversed on its account from the reversal's value date. */
export async function reversePayment(db: Db, reversalId: number, paymentId: number, today: IsoDate): Promise<CorrectionResult> {
  return asJob(
    db,
    'payments-reverse',
    `${reversalId} ${paymentId}`,
    () => reversible(db, reversalId, paymentId, today),
    (runId) => {
      const { reversal, p } = reversible(db, reversalId, paymentId, today);
      return { id: paymentId, ...applyReversal(db, reversal, p, today, runId) };
    },
  );
}

/**
 * At import (inside its batch): a bank reversal whose bank reference is that of exactly one payment
 * of the same statement format, of the same amount and not later, is linked to it and reversed as
 * `payments reverse` would; otherwise it stays listed for the accountant. Returns the payment
 * reversed, or null.
 */
export function reverseAtImport(db: Db, reversalId: number, today: IsoDate, runId: number | null): number | null {
  const reversal = findPayment(db, reversalId);
  if (!reversal || reversal.status !== 'reversal') return null;
  const candidates = paymentsUnderRef(db, reversal.format, reversal.bankRef).filter(
    (p) => (p.status === 'applied' || p.status === 'suspense') && p.amount === -reversal.amount && p.valueDate <= reversal.valueDate,
  );
  if (candidates.length !== 1) return null;
  const p = candidates[0]!;
  try {
    reversible(db, reversalId, p.id, today);
  } catch (err) {
    if (err instanceof InputError) return null;
    throw err;
  }
  applyReversal(db, reversal, p, today, runId);
  return p.id;
}

/**
 * `esep payments assign` of a payment that an unassignment returned to suspense (assignPayment hands
 * it here): its n-th move took it off an account, so its application now is keyed by that move
 * (domain/keys.ts), the payment's first key being on the ledger already. Otherwise as any
 * assignment: as of its value date, restored as after any payment.
 */
export async function assignAfterUnassign(db: Db, id: number, account: string, today: IsoDate): Promise<{ payment: PaymentRow; account: string; restored: boolean }> {
  const check = () => {
    const p = findPayment(db, id);
    if (!p || p.status !== 'suspense' || paymentMovesOf(db, id).length === 0) throw new Error(`${pid(id)} is not a payment returned to suspense`);
    requireAccount(db, account);
    notBefore(today, p.valueDate, "the payment's value date");
    return p;
  };
  check();
  let restored = false;
  await runJob(db, { job: 'payments-assign', scope: `${id} ${account}` }, (ctx) => {
    ctx.batch(() => {
      const p = check();
      const last = paymentMovesOf(db, id).at(-1)!;
      markAssigned(db, id, account, nowIso());
      postEntries(db, [
        {
          account,
          valueDate: p.valueDate,
          kind: 'payment',
          amount: p.amount,
          key: paymentMovedKey(p.id, last.n),
          paymentId: p.id,
          runId: ctx.runId,
          memo: `${memoOf(p)} (assigned after being taken off account ${last.fromAccount})`,
        },
      ]);
      restored = restoreAfterPayment(db, account, today, ctx.runId) === 'restored';
      return { assigned: 1, assigned_tiyn: p.amount, restored: restored ? 1 : 0 };
    });
  });
  return { payment: findPayment(db, id)!, account, restored };
}
