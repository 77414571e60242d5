// Suspension for debt and termination by the operator (cl. 23.5, 23.6, 22.10; D-5).
import { addDays, addMonths, nextPeriod, type IsoDate } from './dates.js';
import type { Entry } from './entries.js';
import { Allocator, replayOrder } from './allocation.js';
import { unpaidByInvoice, unpaidPrincipalAtStart, type PenaltyInvoice } from './penalty.js';
import type { Tiyn } from './money.js';

/** Unpaid principal of each invoice at the end of `day` (payments dated that day counted). */
export function unpaidAtEndOf(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): Map<number, number> {
  return unpaidPrincipalAtStart(entries, invoices, addDays(day, 1));
}

/**
 * Unpaid principal of each invoice, and unpaid penalties, at the end of `day` that are still unpaid
 * with every credit on the ledger counted, the later ones too. For the day's own run the two are the
 * same (no statement holds tomorrow's money); when a past day is judged again, a debt paid since is
 * not chased: suspension and termination act now, on an account as it stands. (What is unpaid never
 * grows back: allocation.ts.)
 */
function stillUnpaid(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): { byInvoice: Map<number, Tiyn>; penalties: Tiyn } {
  const allocator = new Allocator(false);
  const sorted = [...entries].sort(replayOrder);
  let next = 0;
  for (; next < sorted.length && sorted[next]!.valueDate <= day; next++) allocator.feed(sorted[next]!);
  const then = unpaidByInvoice(allocator, invoices);
  const penaltiesThen = allocator.state().unpaid;
  for (; next < sorted.length; next++) allocator.feed(sorted[next]!);
  const now = unpaidByInvoice(allocator, invoices);
  const penaltiesNow = allocator.state().unpaid;
  const isPenalty = new Set(entries.filter((e) => e.kind === 'penalty').map((e) => e.id));
  let penalties = 0;
  for (const [id, left] of penaltiesThen) if (isPenalty.has(id)) penalties += Math.min(left, penaltiesNow.get(id) ?? 0);
  return { byInvoice: new Map([...then].map(([id, left]) => [id, Math.min(left, now.get(id) ?? 0)])), penalties };
}

export function stillUnpaidAtEndOf(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): Map<number, Tiyn> {
  return stillUnpaid(entries, invoices, day).byInvoice;
}

export interface Overdue {
  /** The invoices overdue on the day with principal unpaid, oldest first, with what is unpaid of each. */
  invoices: { invoice: PenaltyInvoice; unpaid: Tiyn }[];
  /** Their unpaid principal. */
  principal: Tiyn;
  /** Unpaid penalties (all overdue: a penalty is charged for a day already late). */
  penalties: Tiyn;
  /** principal + penalties: what suspends a credit account, and what must reach zero to restore it (cl. 21.13). */
  total: Tiyn;
}

/**
 * D-8, the one definition of "overdue": on day D an account's overdue debt is its unpaid penalties
 * plus the unpaid principal of its invoices due before D − grace days, unpaid at the end of D and
 * still unpaid with every payment on the ledger. Suspension for debt (cl. 23.5), restoration at a
 * payment and in the nightly run (cl. 21.13: «оның ішінде өсімпұлдар», penalties included), the
 * debtors list, `account show` and the new-account check (cl. 6.4) all ask this function.
 */
export function overdueOn(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate, graceDays: number): Overdue {
  const due = invoices
    .filter((i) => addDays(i.dueOn, graceDays) < day)
    .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id - b.id));
  const { byInvoice, penalties } = stillUnpaid(entries, due, day);
  const owing = due.map((invoice) => ({ invoice, unpaid: byInvoice.get(invoice.id) ?? 0 })).filter((o) => o.unpaid > 0);
  const principal = owing.reduce((s, o) => s + o.unpaid, 0);
  return { invoices: owing, principal, penalties, total: principal + penalties };
}

/**
 * D-5, credit: two consecutive monthly invoices (periods P and P+1) both overdue on `day` with
 * principal unpaid at its end and still unpaid now (stillUnpaidAtEndOf). Returns the pair, or undefined.
 */
export function twoConsecutiveOverdue(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): [PenaltyInvoice, PenaltyInvoice] | undefined {
  const owing = overdueOn(entries, invoices, day, 0).invoices.map((o) => o.invoice);
  const byPeriod = new Map(owing.map((i) => [i.period, i] as const));
  for (const inv of owing) {
    const next = byPeriod.get(nextPeriod(inv.period));
    if (next) return [inv, next];
  }
  return undefined;
}

/**
 * D-5, advance: suspended for funds without a break for two months, the same day of month
 * (suspended on 10 September → terminated on 10 November; from 31 December → 28 or 29 February).
 */
export function fundsSuspensionExpires(suspendedSince: IsoDate): IsoDate {
  return addMonths(suspendedSince, 2);
}
