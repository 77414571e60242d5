// Corrections an operator makes by hand, and the contract's limits on them.
import type { AccessCause } from './accounts.js';
import type { WorkingCalendar } from './calendar.js';
import { addDays, addMonths, eachDay, periodOf, type IsoDate, type Period } from './dates.js';
import type { Tiyn } from './money.js';
import { summarise } from './allocation.js';
import type { Entry } from './entries.js';

/** cl. 23.14, 28: a price change or a discontinuation takes effect no earlier than 30 calendar days after it is announced. */
export const NOTICE_DAYS = 30;

export function earliestEffective(announcedOn: IsoDate): IsoDate {
  return addDays(announcedOn, NOTICE_DAYS);
}

export function noticeGiven(announcedOn: IsoDate, effectiveOn: IsoDate): boolean {
  return effectiveOn >= earliestEffective(announcedOn);
}

/** cl. 23.14, 28: a price change or a discontinuation applies from today or later, never to days already passed (charged at the old price). */
export function effectiveNotPast(effectiveOn: IsoDate, today: IsoDate): boolean {
  return effectiveOn >= today;
}

/**
 * D-11 (cl. 10, 22.15): the subscriber may terminate once the debt to the termination date is paid.
 * What is owed on `date`, with the entries dated up to it (a payment of that day counted): unpaid
 * principal and unpaid penalties. A total above zero refuses the request (unless recorded anyway).
 */
export function debtOnTermination(entries: readonly Entry[], date: IsoDate): { debt: Tiyn; penaltyDebt: Tiyn; total: Tiyn } {
  const { debt, penaltyDebt } = summarise(entries, date);
  return { debt, penaltyDebt, total: debt + penaltyDebt };
}

/** cl. 23.18: an undercharge may be back-billed on a terminated account only within one month after termination. */
export function backbillAllowed(terminatedOn: IsoDate | null, date: IsoDate): boolean {
  return terminatedOn === null || date <= addMonths(terminatedOn, 1);
}

export interface Interval {
  from: IsoDate;
  /** Inclusive; null while it lasts. */
  to: IsoDate | null;
}

/** Intervals of suspension for debt from the access events (suspend … restore/terminate), in order. */
export function debtSuspensions(events: readonly { valueDate: IsoDate; event: string; cause: AccessCause | null }[]): Interval[] {
  const out: Interval[] = [];
  let open: IsoDate | null = null;
  for (const e of events) {
    if (e.event === 'suspend' && e.cause === 'debt') open ??= e.valueDate;
    else if ((e.event === 'restore' || e.event === 'terminate') && open !== null) {
      out.push({ from: open, to: addDays(e.valueDate, -1) });
      open = null;
    }
  }
  if (open !== null) out.push({ from: open, to: null });
  return out;
}

export function within(day: IsoDate, intervals: readonly Interval[]): boolean {
  return intervals.some((i) => day >= i.from && (i.to === null || day <= i.to));
}

/** What of an account is charged already, as far as a recalculation needs to know (cl. 21.5, 24.3). */
export type Charged =
  /** An advance account: every day up to the last one its daily debit decided (null: none yet). */
  | { method: 'advance'; debitedThrough: IsoDate | null }
  /** A credit account: the periods whose monthly fee is posted (invoiced at month-end, or posted at termination). */
  | { method: 'credit'; periods: ReadonlySet<Period> };

export function isCharged(day: IsoDate, charged: Charged): boolean {
  return charged.method === 'advance' ? charged.debitedThrough !== null && day <= charged.debitedThrough : charged.periods.has(periodOf(day));
}

/**
 * cl. 21.5, 24.3: a recalculation credits back the fees charged for the affected days, so it covers
 * only days already charged (a day to come has no fee to give back yet). The first day of service in
 * `from`..`to` (from the connection to the day before termination) not charged yet, or undefined.
 */
export function firstUnchargedDay(
  from: IsoDate,
  to: IsoDate,
  service: { connectedOn: IsoDate; terminatedOn: IsoDate | null },
  charged: Charged,
): IsoDate | undefined {
  for (const day of eachDay(from, to)) {
    if (day < service.connectedOn || (service.terminatedOn !== null && day >= service.terminatedOn)) continue;
    if (!isCharged(day, charged)) return day;
  }
  return undefined;
}

/**
 * What an account holds for money leaving it on `date` (a transfer to another account): its lowest
 * balance at the end of `date` or of any later day, each counting the entries dated up to that day.
 * Money dated after `date` is not there on `date`; money there on `date` but spent later (and made
 * up since) is not there on the day it was spent.
 */
export function lowestBalanceFrom(entries: readonly { valueDate: IsoDate; amount: Tiyn }[], date: IsoDate): { balance: Tiyn; on: IsoDate } {
  const sorted = [...entries].sort((a, b) => (a.valueDate < b.valueDate ? -1 : a.valueDate > b.valueDate ? 1 : 0));
  let balance = 0;
  let i = 0;
  for (; i < sorted.length && sorted[i]!.valueDate <= date; i++) balance += sorted[i]!.amount;
  let lowest = { balance, on: date };
  while (i < sorted.length) {
    const day = sorted[i]!.valueDate;
    for (; i < sorted.length && sorted[i]!.valueDate === day; i++) balance += sorted[i]!.amount;
    if (balance < lowest.balance) lowest = { balance, on: day };
  }
  return lowest;
}

/** cl. 17.4: the refund is due 10 working days after termination. */
export const REFUND_WORKING_DAYS = 10;

/**
 * cl. 17.4: when a positive balance after a termination by the subscriber is due. A termination
 * recorded for a past date (the request came in late) counts the 10 working days from the day it is
 * recorded, so the deadline is never already past when it is set.
 */
export function refundDueOn(calendar: Pick<WorkingCalendar, 'addWorkingDays'>, terminatedOn: IsoDate, recordedOn: IsoDate = terminatedOn): IsoDate {
  return calendar.addWorkingDays(recordedOn > terminatedOn ? recordedOn : terminatedOn, REFUND_WORKING_DAYS);
}
