// cl. 17.1–17.3: daily debits of advance (prepaid) accounts. Where a job asks the database the same
// question as a rule here, the SQL is defined beside the rule (`…Sql`) and checked against it by
// test/domain/daily-fee.test.ts over generated cases.
import { addDays, dayOfMonth, daysInMonth, minDate, type IsoDate } from './dates.js';
import type { EntryKind } from './entries.js';
import { mulDivRound, type Tiyn } from './money.js';

/**
 * D-2: the day's fee is the monthly fee spread over the month's n days with cumulative rounding,
 * fee(d) = round(M·d/n) − round(M·(d−1)/n), so the days of a full month sum to M exactly.
 */
export function dailyFee(monthlyFee: Tiyn, day: IsoDate): Tiyn {
  const key = `${monthlyFee}|${day}`;
  const known = feeCache.get(key);
  if (known !== undefined) return known;
  const n = daysInMonth(day);
  const d = dayOfMonth(day);
  const fee = mulDivRound(monthlyFee, d, n) - mulDivRound(monthlyFee, d - 1, n);
  if (feeCache.size > 10_000) feeCache.clear();
  feeCache.set(key, fee);
  return fee;
}

// A night's run asks the same few (fee, day) pairs a million times; the answer never changes.
const feeCache = new Map<string, Tiyn>();

/**
 * Whether an entry already counts in the balance "at the start of" a day: everything dated before
 * it, and on the day itself the credits (payments count for a day from their value date), a
 * payment taken back that day (moved away or reversed by the bank: it counts as the payment did,
 * docs/payments.md) and the installation fee (cl. 18: charged on the connection date, before the
 * first daily fee). The day's other charges (its own fee or port reservation, a penalty) do not.
 */
export function countsAtStartOf(entry: { valueDate: IsoDate; kind: EntryKind; amount: Tiyn }, day: IsoDate): boolean {
  if (entry.valueDate < day) return true;
  if (entry.valueDate > day) return false;
  return entry.amount > 0 || entry.kind === 'installation' || entry.kind === 'payment';
}

/** countsAtStartOf in SQL: a condition on the ledger row `row` (an alias) for the day `day` (an SQL expression). */
export function countsAtStartOfSql(row: string, day: string): string {
  return `(${row}.value_date < ${day} OR (${row}.value_date = ${day} AND (${row}.amount > 0 OR ${row}.kind IN ('installation', 'payment'))))`;
}

/**
 * The balance at the start of `day` from an account's cached balance (`balance`, the sum of all its
 * entries): less the entries that do not count at the start of the day (countsAtStartOf), which are
 * all dated on or after it, so only the newest entries are read (the ledger's (account, value_date) index).
 */
export function balanceAtStartOfSql(account: string, balance: string, day: string): string {
  return `${balance} - COALESCE((SELECT SUM(l.amount) FROM ledger l WHERE l.account = ${account} AND l.value_date >= ${day}
    AND NOT ${countsAtStartOfSql('l', day)}), 0)`;
}

/** What the days to decide depend on: the connection, the termination, the last day decided. */
export interface DebitDays {
  connectedOn: IsoDate;
  terminatedOn: IsoDate | null;
  /** The last day decided (`accounts.debited_through`), or null before the first. */
  debitedThrough: IsoDate | null;
}

/** The first day not decided yet: the day after the last one decided, or the connection date. */
export function firstUndecidedDay(a: DebitDays): IsoDate {
  return a.debitedThrough ? addDays(a.debitedThrough, 1) : a.connectedOn;
}

/** firstUndecidedDay in SQL, on the accounts row `a` (an alias). */
export function firstUndecidedDaySql(a: string): string {
  return `COALESCE(date(${a}.debited_through, '+1 day'), ${a}.connected_on)`;
}

/** cl. 23.6: termination stops all service charges from its date, so the last day charged up to `through` is the day before. */
export function lastChargeableDay(a: Pick<DebitDays, 'terminatedOn'>, through: IsoDate): IsoDate {
  return a.terminatedOn ? minDate(through, addDays(a.terminatedOn, -1)) : through;
}

/** The days a run through `through` decides for an account, in order (cl. 17: catch-up), or null when there are none. */
export function daysToDecide(a: DebitDays, through: IsoDate): { first: IsoDate; last: IsoDate } | null {
  const first = firstUndecidedDay(a);
  const last = lastChargeableDay(a, through);
  return first <= last ? { first, last } : null;
}

/**
 * daysToDecide(a, through) !== null in SQL, on the accounts row `a` (an alias) and the day `through`
 * (an SQL expression): the pager of the debit job. Written without date arithmetic where the
 * comparison allows it (first ≤ through is debited_through < through; first ≤ terminated_on − 1 is
 * first < terminated_on), so that it costs no more than plain comparisons on most rows.
 */
export function hasDaysToDecideSql(a: string, through: string): string {
  return `(CASE WHEN ${a}.debited_through IS NULL
      THEN ${a}.connected_on <= ${through} AND (${a}.terminated_on IS NULL OR ${a}.connected_on < ${a}.terminated_on)
      ELSE ${a}.debited_through < ${through} AND (${a}.terminated_on IS NULL OR ${a}.debited_through < date(${a}.terminated_on, '-1 day')) END)`;
}

export type DayDecision =
  /** The balance covers the fee: charge it; the account is active. */
  | { kind: 'daily_fee'; amount: Tiyn }
  /** cl. 17.2: short of the fee: charge the port reservation (may be 0) and suspend for funds. */
  | { kind: 'port_reservation'; amount: Tiyn };

/** Exactly one of the two per account and day. */
export function decideDay(balanceAtStart: Tiyn, fee: Tiyn, portFee: Tiyn): DayDecision {
  return balanceAtStart >= fee ? { kind: 'daily_fee', amount: fee } : { kind: 'port_reservation', amount: portFee };
}

/**
 * cl. 17.3, D-3: a payment restores an account suspended for funds when the balance, taken as if
 * the day's port reservation had not been charged, covers the day's fee: the same test the day's
 * run makes, so a payment imported after the run ends where one imported before it would have.
 */
export function restores(balanceAtStartWithPayment: Tiyn, fee: Tiyn): boolean {
  return balanceAtStartWithPayment >= fee;
}
