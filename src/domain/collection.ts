// Suspension for debt and termination by the operator (cl. 23.5, 23.6, 22.10; D-5).
import { addDays, addMonths, nextPeriod, type IsoDate } from './dates.js';
import type { Entry } from './entries.js';
import { unpaidPrincipalAtStart, type PenaltyInvoice } from './penalty.js';

/** Unpaid principal of each invoice at the end of `day` (payments dated that day counted). */
export function unpaidAtEndOf(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): Map<number, number> {
  return unpaidPrincipalAtStart(entries, invoices, addDays(day, 1));
}

/** cl. 23.5: a credit account is suspended for debt from the first overdue day (after grace days) of an invoice with principal unpaid. */
export function overdueForSuspension(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate, graceDays: number): PenaltyInvoice[] {
  const unpaid = unpaidAtEndOf(entries, invoices, day);
  return invoices.filter((i) => addDays(i.dueOn, graceDays) < day && (unpaid.get(i.id) ?? 0) > 0);
}

/**
 * D-5, credit: two consecutive monthly invoices (periods P and P+1) both overdue on `day` with
 * principal unpaid. Returns the pair, or undefined.
 */
export function twoConsecutiveOverdue(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): [PenaltyInvoice, PenaltyInvoice] | undefined {
  const unpaid = unpaidAtEndOf(entries, invoices, day);
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
