// Debt aging on a day: what an account owes, by how long it has been overdue. "Overdue" is the one
// definition of D-8 (overdueOn, collection.ts); what is unpaid of each invoice is the allocator's
// (cl. 16), so the buckets add up to the debt by construction.
import { overdueOn } from '../collection.js';
import { summarise } from '../allocation.js';
import { daysBetween, type IsoDate } from '../dates.js';
import type { Entry } from '../entries.js';
import type { PenaltyInvoice } from '../penalty.js';
import type { Tiyn } from '../money.js';

/** Not yet due, then days overdue 1–30, 31–60, 61–90, over 90. */
export const AGE_BUCKETS = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

/** The bucket of an invoice overdue for `days` days (≥ 1). */
export function bucketOf(days: number): Exclude<AgeBucket, 'not_due'> {
  if (days <= 30) return 'd1_30';
  if (days <= 60) return 'd31_60';
  if (days <= 90) return 'd61_90';
  return 'over_90';
}

export interface AccountAging {
  /** Unpaid principal by bucket; `not_due` holds what is not overdue on the day (invoices not yet due, within grace, charges not invoiced yet). */
  buckets: Record<AgeBucket, Tiyn>;
  /** Unpaid penalties, apart from the principal (cl. 23.7: no penalty on penalties). */
  penalties: Tiyn;
  /** Unpaid principal: the sum of the buckets. */
  debt: Tiyn;
  /** Each overdue invoice with what is unpaid of it and its age in days past its due date. */
  invoices: { invoiceId: number; dueOn: IsoDate; days: number; bucket: AgeBucket; unpaid: Tiyn }[];
}

/**
 * An account's aging at the end of `day`, the ledger read as it stood on that day by value date:
 * only entries dated on or before it count (a payment dated later did not exist then), and D-8's
 * overdueOn is asked over those. An invoice's age is counted from its due date.
 */
export function agingOn(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate, graceDays: number): AccountAging {
  const upTo = entries.filter((e) => e.valueDate <= day);
  const { debt, penaltyDebt } = summarise(upTo);
  const overdue = overdueOn(upTo, invoices.filter((i) => i.dueOn < day), day, graceDays);
  const buckets: Record<AgeBucket, Tiyn> = { not_due: 0, d1_30: 0, d31_60: 0, d61_90: 0, over_90: 0 };
  const lines: AccountAging['invoices'] = [];
  for (const { invoice, unpaid } of overdue.invoices) {
    const days = daysBetween(invoice.dueOn, day);
    const bucket = bucketOf(days);
    buckets[bucket] += unpaid;
    lines.push({ invoiceId: invoice.id, dueOn: invoice.dueOn, days, bucket, unpaid });
  }
  buckets.not_due = debt - overdue.principal;
  return { buckets, penalties: penaltyDebt, debt, invoices: lines };
}
