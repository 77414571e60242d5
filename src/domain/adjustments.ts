// Corrections an operator makes by hand, and the contract's limits on them.
import { addDays, addMonths, type IsoDate } from './dates.js';

/** cl. 23.14, 28: a price change or a discontinuation takes effect no earlier than 30 calendar days after it is announced. */
export const NOTICE_DAYS = 30;

export function earliestEffective(announcedOn: IsoDate): IsoDate {
  return addDays(announcedOn, NOTICE_DAYS);
}

export function noticeGiven(announcedOn: IsoDate, effectiveOn: IsoDate): boolean {
  return effectiveOn >= earliestEffective(announcedOn);
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
export function debtSuspensions(events: readonly { valueDate: IsoDate; event: string; reason: string }[]): Interval[] {
  const out: Interval[] = [];
  let open: IsoDate | null = null;
  for (const e of events) {
    if (e.event === 'suspend' && e.reason.startsWith('debt')) open ??= e.valueDate;
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
