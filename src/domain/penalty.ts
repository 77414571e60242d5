// cl. 23.7, 23.10: 0.5% a day of each overdue invoice's unpaid principal at the start of the day,
// at most 30 penalty days per invoice, no penalty on penalties. Rate and cap are the operator's
// settings, in versions by date: a day's rate is the one in force that day, an invoice's cap the one
// in force on its first overdue day.
//
// D-4, shaped like Kill Bill's invoice generator: the penalties that should exist are computed
// from the facts (charges, credits, payments by value date, invoices), never from what was posted
// before; the job posts only the difference. A payment imported late with an earlier value date
// then corrects the later days by itself, and the end state does not depend on the order of
// imports and runs.
import { Allocator, replayOrder } from './allocation.js';
import { addDays, type IsoDate } from './dates.js';
import { invoicePeriodOf, type Entry } from './entries.js';
import { mulDivRound, type Tiyn } from './money.js';

export interface PenaltyInvoice {
  id: number;
  period: string;
  dueOn: IsoDate;
  /** Net charges of the period, penalties excluded. */
  principal: Tiyn;
}

export interface PenaltyRules {
  /** Per day, as a decimal fraction ("0.005"). */
  rate: string;
  capDays: number;
}

export interface ExpectedPenalty {
  invoiceId: number;
  day: IsoDate;
  amount: Tiyn;
}

export const DEFAULT_PENALTY_RULES: PenaltyRules = { rate: '0.005', capDays: 30 };

/** One version of the settings, in force from its date until the next version's. */
export interface PenaltyRuleVersion extends PenaltyRules {
  effectiveFrom: IsoDate;
}

/** The settings in force on a day. */
export type PenaltyRulesOn = (day: IsoDate) => PenaltyRules;

/**
 * The settings in force on each day, from their versions: the latest with effectiveFrom ≤ day (the
 * earliest before its own date; the contract's 0.5% and 30 days when there is none).
 */
export function penaltyRulesOn(versions: readonly PenaltyRuleVersion[]): PenaltyRulesOn {
  const sorted = [...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
  if (sorted.length === 0) return () => DEFAULT_PENALTY_RULES;
  return (day) => {
    let found = sorted[0]!;
    for (const v of sorted) {
      if (v.effectiveFrom > day) break;
      found = v;
    }
    return { rate: found.rate, capDays: found.capDays };
  };
}

/** An invoice's cap: the one in force on its first overdue day. */
export function capOf(invoice: Pick<PenaltyInvoice, 'dueOn'>, rules: PenaltyRulesOn): number {
  return rules(addDays(invoice.dueOn, 1)).capDays;
}

/** cl. 23.7: the penalty of one day on an unpaid principal. */
export function dayPenalty(unpaidPrincipal: Tiyn, rate: string): Tiyn {
  return unpaidPrincipal > 0 ? mulDivRound(unpaidPrincipal, rate, 1) : 0;
}

/**
 * Unpaid principal of each invoice at the start of `day`: the charges of its period still unpaid
 * after allocating every credit with a value date before `day` (cl. 16), capped at the invoice's
 * principal (a charge dated in the period but posted after the invoice is not its principal).
 */
export function unpaidPrincipalAtStart(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): Map<number, Tiyn> {
  const allocator = new Allocator(false);
  for (const e of entries.filter((x) => x.valueDate < day).sort(replayOrder)) allocator.feed(e);
  return unpaidByInvoice(allocator, invoices);
}

/** The invoices' unpaid principal from what the allocator holds open, by the period of each charge. */
export function unpaidByInvoice(allocator: Allocator, invoices: readonly PenaltyInvoice[]): Map<number, Tiyn> {
  const byPeriod = new Map<string, Tiyn>();
  for (const { entry, left } of allocator.openPrincipal()) {
    const period = invoicePeriodOf(entry);
    byPeriod.set(period, (byPeriod.get(period) ?? 0) + left);
  }
  const out = new Map<number, Tiyn>();
  for (const inv of invoices) out.set(inv.id, Math.min(Math.max(inv.principal, 0), byPeriod.get(inv.period) ?? 0));
  return out;
}

/**
 * Every penalty that should exist up to `through` (inclusive), by invoice and day. `entries` are the
 * account's ledger entries; penalties among them are ignored and replaced by the expected ones, so
 * the result is a function of the facts alone. D-6: termination stops the service, not the lateness
 * of what is owed, so nothing here looks at it: every invoice with unpaid principal, the final one
 * included, accrues to its own cap after termination as before it.
 *
 * One allocation runs forward through the days (Allocator): before each day it is fed what is
 * dated before that day, the facts and the penalties found for earlier days merged in replay
 * order, so each day costs what happened since the previous one, not the whole history again. It
 * reads the same as allocating everything dated before the day from scratch (unpaidPrincipalAtStart);
 * test/domain/penalty.test.ts checks the two agree.
 */
export function expectedPenalties(
  entries: readonly Entry[],
  invoices: readonly PenaltyInvoice[],
  through: IsoDate,
  rules: PenaltyRules | PenaltyRulesOn = DEFAULT_PENALTY_RULES,
): ExpectedPenalty[] {
  const rulesOn: PenaltyRulesOn = typeof rules === 'function' ? rules : () => rules;
  const overdue = invoices.filter((i) => i.principal > 0).sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id - b.id));
  if (overdue.length === 0) return [];
  const facts = entries.filter((e) => e.kind !== 'penalty').sort(replayOrder);
  const last = through;
  const daysUsed = new Map<number, number>();
  // Unpaid principal never grows back: an allocation once made stays (allocation.ts), so an invoice
  // found paid at the start of a day is done for good. Together with the cap this bounds the days
  // replayed to the days some invoice is actually in arrears.
  const settled = new Set<number>();
  const out: ExpectedPenalty[] = [];
  const allocator = new Allocator(false);
  let nextFact = 0;
  // the penalties found and not yet fed, in replay order; synthetic ids are below any real entry's,
  // so they order as posted earlier on their day
  const found: Entry[] = [];
  let nextFound = 0;
  let syntheticId = -1;
  /** Feeds the allocator everything dated before `day`, the two sorted streams merged. */
  const feedBefore = (day: IsoDate) => {
    for (;;) {
      const fact = facts[nextFact];
      const penalty = found[nextFound];
      const f = fact !== undefined && fact.valueDate < day ? fact : undefined;
      const p = penalty !== undefined && penalty.valueDate < day ? penalty : undefined;
      if (f === undefined && p === undefined) return;
      if (p !== undefined && (f === undefined || replayOrder(p, f) < 0)) {
        allocator.feed(p);
        nextFound++;
      } else {
        allocator.feed(f!);
        nextFact++;
      }
    }
  };
  const caps = new Map(overdue.map((i) => [i.id, capOf(i, rulesOn)] as const));
  const live = (i: PenaltyInvoice) => !settled.has(i.id) && (daysUsed.get(i.id) ?? 0) < caps.get(i.id)!;
  let day = addDays(overdue[0]!.dueOn, 1);
  while (day <= last) {
    const open = overdue.filter((i) => i.dueOn < day && live(i));
    if (open.length === 0) {
      // nothing can accrue until the next invoice falls due
      const next = overdue.find((i) => i.dueOn >= day && live(i));
      if (!next) break;
      day = addDays(next.dueOn, 1);
      continue;
    }
    feedBefore(day);
    const unpaid = unpaidByInvoice(allocator, open);
    const { rate } = rulesOn(day);
    const today: Entry[] = [];
    for (const inv of open) {
      const left = unpaid.get(inv.id) ?? 0;
      if (left <= 0) {
        settled.add(inv.id);
        continue;
      }
      const amount = dayPenalty(left, rate);
      if (amount <= 0) continue;
      out.push({ invoiceId: inv.id, day, amount });
      today.push({ id: syntheticId--, valueDate: day, kind: 'penalty', amount: -amount });
      daysUsed.set(inv.id, (daysUsed.get(inv.id) ?? 0) + 1);
    }
    found.push(...today.sort(replayOrder));
    day = addDays(day, 1);
  }
  return out;
}

export interface PostedPenalty {
  invoiceId: number;
  day: IsoDate;
  /** Net of what was posted for that invoice and day (positive = penalty charged). */
  amount: Tiyn;
}

/** The corrections to post: expected minus posted, per invoice and day (D-4). */
export function penaltyCorrections(expected: readonly ExpectedPenalty[], posted: readonly PostedPenalty[]): ExpectedPenalty[] {
  const key = (invoiceId: number, day: IsoDate) => `${invoiceId}|${day}`;
  const diff = new Map<string, ExpectedPenalty>();
  for (const e of expected) diff.set(key(e.invoiceId, e.day), { ...e });
  for (const p of posted) {
    const k = key(p.invoiceId, p.day);
    const current = diff.get(k) ?? { invoiceId: p.invoiceId, day: p.day, amount: 0 };
    current.amount -= p.amount;
    diff.set(k, current);
  }
  return [...diff.values()].filter((d) => d.amount !== 0).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.invoiceId - b.invoiceId));
}
