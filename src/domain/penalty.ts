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

/** Why a day's penalty is what it is: the rule's own terms (the reconciliation statement prints them, domain/explain.ts). */
export interface PenaltyWhy extends ExpectedPenalty {
  /** The invoice's principal unpaid at the start of the day: the base. */
  unpaidPrincipal: Tiyn;
  rate: string;
  /** The n-th penalty day of the invoice, of `capDays`. */
  dayNumber: number;
  capDays: number;
}

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
 * Resuming the replay on a later day (the penalty job, D-4): the penalties posted before `from` are
 * taken as the ones that should exist there (the facts before `from` have not changed since they
 * were computed: firstDayToRecompute), and only the days from `from` are computed.
 */
export interface PenaltyResume {
  from: IsoDate;
  /**
   * The penalties posted before `from`, as totals over consecutive ranges of days in date order:
   * each `amount` is the net of the penalty entries (as on the ledger: a charge is negative) dated
   * after the previous range's `through` up to its own. The ranges must end on every day before
   * `from` that has a fact (penaltyRanges): between two facts only the sum of the penalties matters
   * to the allocation (they join the penalty debt, which a credit pays first and whole, before any
   * principal; no fact corrects a penalty).
   */
  before: readonly { through: IsoDate; amount: Tiyn }[];
  /** The days an invoice was charged a penalty before `from` (days with a net charge); asked only of invoices still owed on `from`. */
  daysUsed: (invoiceId: number) => number;
}

/**
 * The ranges of days before `from` whose penalty totals a resumed replay needs (PenaltyResume.before):
 * one ending on each day before `from` with a fact (penalties of a day come before its facts in
 * replay order), and the last ending the day before `from`. `after` is exclusive, null for the first.
 */
export function penaltyRanges(facts: readonly Pick<Entry, 'valueDate'>[], from: IsoDate): { after: IsoDate | null; through: IsoDate }[] {
  const ends = [...new Set(facts.map((e) => e.valueDate).filter((d) => d < from))].sort();
  const last = addDays(from, -1);
  if (ends[ends.length - 1] !== last) ends.push(last);
  return ends.map((through, i) => ({ after: i === 0 ? null : ends[i - 1]!, through }));
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
 * test/domain/penalty.test.ts checks the two agree. With `resume`, only the days from `resume.from`
 * are computed and returned; the same test checks that it gives those days exactly. `why`, when
 * given, is told each day's penalty with its terms (base, rate, day n of the cap).
 */
export function expectedPenalties(
  entries: readonly Entry[],
  invoices: readonly PenaltyInvoice[],
  through: IsoDate,
  rules: PenaltyRules | PenaltyRulesOn = DEFAULT_PENALTY_RULES,
  resume?: PenaltyResume,
  why?: (p: PenaltyWhy) => void,
): ExpectedPenalty[] {
  const rulesOn: PenaltyRulesOn = typeof rules === 'function' ? rules : () => rules;
  const overdue = invoices.filter((i) => i.principal > 0).sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id - b.id));
  if (overdue.length === 0) return [];
  const facts = entries.filter((e) => e.kind !== 'penalty').sort(replayOrder);
  const out: ExpectedPenalty[] = [];
  const allocator = new Allocator(false);
  let nextFact = 0;
  // the penalties not yet fed, in replay order (those posted before a resumed replay's first day,
  // then the ones found); synthetic ids are below any real entry's, so they order as posted earlier
  // on their day
  let syntheticId = -1;
  const found: Entry[] = (resume?.before ?? []).filter((p) => p.amount !== 0).map((p) => ({ id: syntheticId--, valueDate: p.through, kind: 'penalty', amount: p.amount }));
  let nextFound = 0;
  /** Feeds the allocator everything dated before `day`, the two sorted streams merged; returns how many facts it fed. */
  const feedBefore = (day: IsoDate): number => {
    let fedFacts = 0;
    for (;;) {
      const fact = facts[nextFact];
      const penalty = found[nextFound];
      const f = fact !== undefined && fact.valueDate < day ? fact : undefined;
      const p = penalty !== undefined && penalty.valueDate < day ? penalty : undefined;
      if (f === undefined && p === undefined) return fedFacts;
      if (p !== undefined && (f === undefined || replayOrder(p, f) < 0)) {
        allocator.feed(p);
        nextFound++;
      } else {
        allocator.feed(f!);
        nextFact++;
        fedFacts++;
      }
    }
  };
  const caps = new Map(overdue.map((i) => [i.id, capOf(i, rulesOn)] as const));
  // Unpaid principal grows back only when a correction of a credit re-opens what the credit settled
  // (allocation.ts: a payment moved away or reversed by the bank). So an invoice found paid at the
  // start of a day is done until the allocator re-opens something. Together with the cap this bounds
  // the days replayed to the days some invoice is actually in arrears.
  const done = new Set<number>();
  let reopened = 0;
  /** The first day a correction of a credit not fed yet can re-open a paid invoice (the day after its value date), or null. */
  const nextReopening = (): IsoDate | null => {
    for (let i = nextFact; i < facts.length; i++) {
      const f = facts[i]!;
      if (f.amount < 0 && f.corrects !== undefined && f.corrects !== null) return addDays(f.valueDate, 1);
    }
    return null;
  };
  const daysUsed = new Map<number, number>();
  const usedBefore = (inv: PenaltyInvoice): number => {
    let used = daysUsed.get(inv.id);
    if (used === undefined) {
      used = resume && addDays(inv.dueOn, 1) < resume.from ? resume.daysUsed(inv.id) : 0;
      daysUsed.set(inv.id, used);
    }
    return used;
  };
  // What is unpaid of each invoice changes only when a fact is fed: a penalty never touches the
  // principal (allocation.ts: penalties and principal are apart). So it is asked again only then.
  let unpaid = new Map<number, Tiyn>();
  // the day's penalty of an invoice changes only with its unpaid principal or the rate
  const last = new Map<number, { left: Tiyn; rate: string; amount: Tiyn }>();
  const today: Entry[] = [];
  const first = addDays(overdue[0]!.dueOn, 1);
  let day = resume && resume.from > first ? resume.from : first;
  while (day <= through) {
    let open = overdue.filter((i) => i.dueOn < day && !done.has(i.id));
    if (open.length === 0) {
      // nothing can accrue until the next invoice falls due, or a paid one is re-opened
      const next = overdue.find((i) => i.dueOn >= day && !done.has(i.id));
      const due = next === undefined ? null : addDays(next.dueOn, 1);
      const again = nextReopening();
      const first = due === null ? again : again === null || due < again ? due : again;
      if (first === null) break;
      if (first > day) {
        day = first;
        continue;
      }
    }
    let fed = feedBefore(day);
    if (allocator.reopened !== reopened) {
      reopened = allocator.reopened;
      done.clear();
      open = overdue.filter((i) => i.dueOn < day);
      fed++;
    }
    if (open.length === 0) {
      day = addDays(day, 1);
      continue;
    }
    if (fed > 0 || open.some((i) => !unpaid.has(i.id))) unpaid = unpaidByInvoice(allocator, open);
    const { rate } = rulesOn(day);
    today.length = 0;
    for (const inv of open) {
      const left = unpaid.get(inv.id) ?? 0;
      const used = left > 0 ? usedBefore(inv) : 0;
      if (left <= 0 || used >= caps.get(inv.id)!) {
        done.add(inv.id);
        continue;
      }
      let memo = last.get(inv.id);
      if (memo === undefined || memo.left !== left || memo.rate !== rate) last.set(inv.id, (memo = { left, rate, amount: dayPenalty(left, rate) }));
      if (memo.amount <= 0) continue;
      out.push({ invoiceId: inv.id, day, amount: memo.amount });
      why?.({ invoiceId: inv.id, day, amount: memo.amount, unpaidPrincipal: left, rate, dayNumber: used + 1, capDays: caps.get(inv.id)! });
      today.push({ id: syntheticId--, valueDate: day, kind: 'penalty', amount: -memo.amount });
      daysUsed.set(inv.id, used + 1);
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

// The nightly run (D-4) compares what should exist with what is posted. Most accounts' facts have
// not changed since the last completed run, so the rules below say, from what came since that run
// began, which accounts cannot differ at all (quietSince) and from which day the others can
// (firstDayToRecompute). Both hold by induction: the last completed run left every account's
// penalties through its day equal to what the facts it saw give. Penalties posted since it began
// (its own, or a failed or later run's) are left out of "what came": they are not facts, and a run
// computes them from facts that differ from the last run's only by facts posted since its mark.
// Each rule has its SQL beside it (the job asks the database), checked against it by
// test/domain/penalty.test.ts, where the rules are also checked against the from-scratch replay.

/** The last completed penalty run: the ledger's highest entry id when it began, and the day it ran for. */
export interface PenaltyRun {
  mark: number;
  day: IsoDate;
}

/** An entry as the run rules read it. */
export type RunEntry = Pick<Entry, 'id' | 'valueDate' | 'kind' | 'amount' | 'corrects'>;

/** A fact posted since the run began: an entry after its mark, penalties apart (they follow from the facts). */
export function factSince(e: Pick<RunEntry, 'id' | 'kind'>, run: PenaltyRun): boolean {
  return e.id > run.mark && e.kind !== 'penalty';
}

/**
 * An invoice as the run rules read it: `ledgerThrough` is the highest ledger id its figures were
 * computed from; esep writes it on every invoice it issues, so an invoice without it was written by
 * other means (by hand, a seed) and is taken as issued before any run.
 */
export interface RunInvoice {
  period: string;
  dueOn: IsoDate;
  ledgerThrough: number | null;
}

/**
 * An invoice issued since the run began, as far as the ledger tells: computed from entries up to
 * the run's mark or later (the ledger's highest id only grows, so an invoice issued before the run
 * began was computed from at most its mark; one issued just before it, with nothing posted between,
 * counts as since).
 */
export function issuedSince(inv: Pick<RunInvoice, 'ledgerThrough'>, run: PenaltyRun): boolean {
  return inv.ledgerThrough !== null && inv.ledgerThrough >= run.mark;
}

const LATEST = '9999-12-31';

/**
 * The first day whose penalties can differ from the ones posted: the day after the run's day,
 * or earlier, the day after the value date of any fact posted since the run began (an entry
 * dated D counts from the allocation before D + 1), or the first overdue day of an invoice issued
 * since. Before that day the facts are the ones the run saw, and so are the penalties.
 */
export function firstDayToRecompute(run: PenaltyRun, entries: readonly RunEntry[], invoices: readonly RunInvoice[]): IsoDate {
  let first = addDays(run.day, 1);
  for (const e of entries) if (factSince(e, run) && addDays(e.valueDate, 1) < first) first = addDays(e.valueDate, 1);
  for (const i of invoices) if (issuedSince(i, run) && addDays(i.dueOn, 1) < first) first = addDays(i.dueOn, 1);
  return first;
}

/** firstDayToRecompute in SQL, on the accounts row `a` (an alias), the run as @runMark and @runDay. */
export function firstDayToRecomputeSql(a: string): string {
  return `MIN(date(@runDay, '+1 day'),
    COALESCE((SELECT date(MIN(l.value_date), '+1 day') FROM ledger l WHERE l.account = ${a}.account AND l.id > @runMark AND l.kind <> 'penalty'), '${LATEST}'),
    COALESCE((SELECT date(MIN(i.due_on), '+1 day') FROM invoices i WHERE i.account = ${a}.account
      AND i.ledger_through >= @runMark), '${LATEST}'))`;
}

/**
 * An account whose penalties through `date` cannot differ from the ones posted, so the run leaves
 * it out: it owes nothing now (balance ≥ 0, penalties included), no credit came since the run began
 * and none is dated after the run's day, no fact since the run began is dated in an invoiced
 * period, and no invoice due before `date` was issued since. Then nothing that could change an invoice's unpaid principal
 * came (a charge of a later period never takes money from an invoiced one, cl. 16: principal is
 * settled oldest first, and a later charge takes only a prepayment, which exists only once every
 * earlier charge is paid), and every credit counts from the run's day at the latest: what is owed
 * (penalties included) is paid from the start of every later day, so no later day has a penalty.
 */
export function quietSince(run: PenaltyRun, date: IsoDate, balance: Tiyn, entries: readonly RunEntry[], invoices: readonly RunInvoice[]): boolean {
  if (balance < 0) return false;
  if (entries.some((e) => e.kind !== 'penalty' && e.amount > 0 && (e.id > run.mark || e.valueDate > run.day))) return false;
  // a credit taken back since (a payment moved away or reversed: allocation.ts) re-opens what it paid, of any period
  if (entries.some((e) => factSince(e, run) && e.amount < 0 && e.corrects !== undefined && e.corrects !== null)) return false;
  const lastInvoiced = invoices.reduce<string | null>((max, i) => (max === null || i.period > max ? i.period : max), null);
  if (lastInvoiced !== null && entries.some((e) => factSince(e, run) && invoicePeriodOf(e) <= lastInvoiced)) return false;
  return !invoices.some((i) => i.dueOn < date && issuedSince(i, run));
}

/** quietSince in SQL, on the accounts row `a` (an alias; its cached balance is the sum of its entries), the run as @runMark and @runDay, the run's date as @date. */
export function quietSinceSql(a: string): string {
  return `(${a}.balance >= 0
    AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.account = ${a}.account AND l.kind <> 'penalty' AND l.amount > 0
      AND (l.id > @runMark OR l.value_date > @runDay))
    AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.account = ${a}.account AND l.id > @runMark AND l.kind <> 'penalty'
      AND l.value_date <= (SELECT MAX(i.period) FROM invoices i WHERE i.account = ${a}.account) || '-31')
    AND NOT EXISTS (SELECT 1 FROM ledger l JOIN ledger_links k ON k.entry_id = l.id WHERE l.account = ${a}.account AND l.id > @runMark
      AND l.kind <> 'penalty' AND l.amount < 0)
    AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.account = ${a}.account AND i.due_on < @date AND i.ledger_through >= @runMark))`;
}
