// cl. 17.1–17.3: daily debits of advance (prepaid) accounts.
import { dayOfMonth, daysInMonth, type IsoDate } from './dates.js';
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
 * it, and on the day itself the credits (payments count for a day from their value date) and the
 * installation fee (cl. 18: charged on the connection date, before the first daily fee). The day's
 * other charges (its own fee or port reservation, a penalty) do not.
 */
export function countsAtStartOf(entry: { valueDate: IsoDate; kind: EntryKind; amount: Tiyn }, day: IsoDate): boolean {
  if (entry.valueDate < day) return true;
  if (entry.valueDate > day) return false;
  return entry.amount > 0 || entry.kind === 'installation';
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
