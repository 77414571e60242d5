// Suspension for debt and termination by the operator (cl. 23.5, 23.6, 22.10; D-5).
import { addDays, addMonths, nextPeriod, type IsoDate } from './dates.js';
import type { Entry } from './entries.js';
import { Allocator, replayOrder } from './allocation.js';
import { unpaidByInvoice, unpaidPrincipalAtStart, type PenaltyInvoice } from './penalty.js';

/** Unpaid principal of each invoice at the end of `day` (payments dated that day counted). */
export function unpaidAtEndOf(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): Map<number, number> {
  return unpaidPrincipalAtStart(entries, invoices, addDays(day, 1));
}

/**
 * Unpaid principal of each invoice at the end of `day` that is still unpaid with every credit on the
 * ledger counted, the later ones too. For the day's own run the two are the same (no statement holds
 * tomorrow's money); when a past day is judged again, a debt paid since is not chased: suspension and
 * termination act now, on an account as it stands. (Unpaid principal never grows back: allocation.ts.)
 */
export function stillUnpaidAtEndOf(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): Map<number, number> {
  const allocator = new Allocator(false);
  const sorted = [...entries].sort(replayOrder);
  let next = 0;
  for (; next < sorted.length && sorted[next]!.valueDate <= day; next++) allocator.feed(sorted[next]!);
  const then = unpaidByInvoice(allocator, invoices);
  for (; next < sorted.length; next++) allocator.feed(sorted[next]!);
  const now = unpaidByInvoice(allocator, invoices);
  return new Map([...then].map(([id, left]) => [id, Math.min(left, now.get(id) ?? 0)]));
}

/** cl. 23.5: a credit account is suspended for debt from the first overdue day (after grace days) of an invoice with principal unpaid. */
export function overdueForSuspension(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate, graceDays: number): PenaltyInvoice[] {
  const unpaid = stillUnpaidAtEndOf(entries, invoices, day);
  return invoices.filter((i) => addDays(i.dueOn, graceDays) < day && (unpaid.get(i.id) ?? 0) > 0);
}

/**
 * D-5, credit: two consecutive monthly invoices (periods P and P+1) both overdue on `day` with
 * principal unpaid at its end and still unpaid now (stillUnpaidAtEndOf). Returns the pair, or undefined.
 */
export function twoConsecutiveOverdue(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): [PenaltyInvoice, PenaltyInvoice] | undefined {
  const unpaid = stillUnpaidAtEndOf(entries, invoices, day);
  const owing = invoices.filter((i) => i.dueOn < day && (unpaid.get(i.id) ?? 0) > 0);
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
