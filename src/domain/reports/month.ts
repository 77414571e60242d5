// The month on a page: charges and payments by day (the turnover columns of the kinds table) and the
// accounts active, suspended and terminated at the end of each day (the status replayed through the
// one transition function, accounts.ts).
import { stateOn, type AccountStatus, type Transition } from '../accounts.js';
import { eachDay, type IsoDate } from '../dates.js';
import type { EntryKind } from '../entries.js';
import type { Tiyn } from '../money.js';
import { turnoverColumn } from './turnover.js';

export interface DayTotals {
  day: IsoDate;
  /** Service charged that day (the turnover sheet's charges), net of nothing: debit turnover. */
  charges: Tiyn;
  penalties: Tiyn;
  payments: Tiyn;
}

/** The day's sums by kind and direction (as the ledger query groups them) into the turnover columns. */
export function dayTotals(days: readonly IsoDate[], sums: readonly { day: IsoDate; kind: EntryKind; amount: Tiyn }[]): DayTotals[] {
  const out = new Map<IsoDate, DayTotals>(days.map((day) => [day, { day, charges: 0, penalties: 0, payments: 0 }]));
  for (const s of sums) {
    const t = out.get(s.day);
    if (!t) continue;
    const column = turnoverColumn(s.kind, s.amount);
    if (column === 'charges') t.charges -= s.amount;
    else if (column === 'penalties') t.penalties -= s.amount;
    else if (column === 'payments') t.payments += s.amount;
  }
  return [...out.values()];
}

export type StatusCounts = Record<AccountStatus, number>;

/**
 * How many accounts were active, suspended and terminated at the end of each day from `from` to
 * `to`: an account counts from its connection date, in the state its access events up to the day
 * give (stateOn).
 */
export function statusByDay(
  accounts: readonly { connectedOn: IsoDate; events: readonly (Transition & { valueDate: IsoDate })[] }[],
  from: IsoDate,
  to: IsoDate,
): ({ day: IsoDate } & StatusCounts)[] {
  const days = [...eachDay(from, to)];
  const out = days.map((day) => ({ day, active: 0, suspended: 0, terminated: 0 }));
  for (const a of accounts) {
    days.forEach((day, i) => {
      if (a.connectedOn > day) return;
      out[i]![stateOn(a.events, day).status]++;
    });
  }
  return out;
}
