// Month-end (cl. 13–15, 18, 20, 21.10, 23.5, 23.10): what a period should have charged and what its
// invoice says. Shaped like Kill Bill's invoice generator: the facts (the account, its tariff's price
// versions, its ledger entries) go in, what should exist comes out; the job posts the difference
// (idempotency keys make "what exists" a no-op) and stores the figures. No IO, no clock.
import { addDays, daysInMonth, eachDay, firstDayOf, lastDayOf, maxDate, minDate, nextPeriod, periodOf, type IsoDate, type Period } from './dates.js';
import { DAILY_KINDS, ENTRY_KINDS, INVOICE_LINE_ORDER, invoicePeriodOf, KINDS, leftToCorrect, MONEY_KINDS, type Entry, type EntryKind, type ServiceSpan } from './entries.js';
import { installationKey, monthEndCorrectionKey, monthlyFeeKey, thirdPartyKey } from './keys.js';
import { mulDivRound, type Tiyn } from './money.js';
import { transition, type AccessCause, type AccountState } from './accounts.js';
import { overdueOn } from './collection.js';
import { restores } from './daily-fee.js';
import { unpaidPrincipalAtStart, type PenaltyInvoice, type PenaltyRulesOn } from './penalty.js';

export type Method = 'advance' | 'credit';

/** A tariff price version as month-end needs it; `id` tells versions apart (tariff code and effective date). */
export interface PriceVersion {
  id: string;
  monthlyFee: Tiyn;
  installationFee: Tiyn;
  /** cl. 23.10: a bundled third-party service, charged monthly as its own line (0 = none). */
  thirdPartyFee: Tiyn;
  thirdPartyName: string | null;
}

/** The price in force on a day (the caller resolves price versions and discontinued tariffs). */
export type PriceOn = (day: IsoDate) => PriceVersion;

// ---------------------------------------------------------------------------------------------
// Days of service

/** An account is served in P when it was connected by P's last day and not terminated by its first. */
export function activeInPeriod(period: Period, connectedOn: IsoDate, terminatedOn: IsoDate | null): boolean {
  return connectedOn <= lastDayOf(period) && (terminatedOn === null || terminatedOn > firstDayOf(period));
}

/**
 * Whether P gets an invoice for an account (cl. 13, D-9): it was served in P, or a service charge is
 * dated in P with something left of it after its corrections (D-7), though the account was
 * terminated before (equipment not returned, back-billing): that charge reaches a document, is due
 * like any other and accrues penalties like any other. Penalties alone make no invoice (they are on
 * the debt demand and the debtors list), nor does a charge its correction cancelled (a port fee of
 * the termination day reversed by it).
 */
export function invoicedInPeriod(period: Period, connectedOn: IsoDate, terminatedOn: IsoDate | null, entries: readonly Entry[]): boolean {
  if (activeInPeriod(period, connectedOn, terminatedOn)) return true;
  const left = leftToCorrect(entries);
  return entries.some((e) => KINDS[e.kind].group === 'service' && left.has(e.id) && invoicePeriodOf(e) === period);
}

/** `activeInPeriod` as SQL over `accounts a`, with @first and @last the period's first and last days. */
export const ACTIVE_IN_PERIOD_SQL = `a.connected_on <= @last AND (a.terminated_on IS NULL OR a.terminated_on > @first)`;

const SERVICE_KINDS_SQL = `(${ENTRY_KINDS.filter((k) => KINDS[k].group === 'service').map((k) => `'${k}'`).join(', ')})`;

/**
 * `invoicedInPeriod` as SQL over `accounts a`, with @first and @last the period's first and last days
 * (the invoice job's pager; test/db/rule-fragments.test.ts checks it against the function).
 */
export const INVOICED_IN_PERIOD_SQL = `((${ACTIVE_IN_PERIOD_SQL})
  OR EXISTS (SELECT 1 FROM ledger l WHERE l.account = a.account AND l.value_date BETWEEN @first AND @last AND l.amount < 0
                AND l.kind IN ${SERVICE_KINDS_SQL}
                AND NOT EXISTS (SELECT 1 FROM ledger_links own WHERE own.entry_id = l.id)
                AND l.amount + COALESCE((SELECT SUM(c.amount) FROM ledger_links k JOIN ledger c ON c.id = k.entry_id WHERE k.corrects_id = l.id), 0) < 0))`;

/** A charge of P's month-end (or the installation) as posted: its entry, and what corrections naming it have left of it (D-7). */
export interface PostedMonthEnd {
  id: number;
  key: string;
  kind: EntryKind;
  valueDate: IsoDate;
  /** The entry's amount net of its corrections (≤ 0). */
  net: Tiyn;
  /** How many corrections name it already. */
  corrections: number;
}

export interface MonthEndCorrection {
  corrects: number;
  kind: EntryKind;
  valueDate: IsoDate;
  /** > 0: what is credited back. */
  amount: Tiyn;
  key: string;
}

/**
 * What to post so that month-end's charges of P are what the facts say now (Kill Bill's generator):
 * the charges not posted yet, and for a charge posted larger than it should be (the account was
 * terminated since, inside the charged days, D-10 and issue 8 of the money model) a correction
 * naming it for the days from the termination (D-7). `posted`: the account's month-end charges and
 * installation by key; `periodCharges`: those of them dated in P. A charge never grows back: a fee
 * that should be larger than posted is an error.
 */
export function monthEndDifferences(
  wanted: readonly MonthEndCharge[],
  posted: ReadonlyMap<string, PostedMonthEnd>,
  periodCharges: readonly PostedMonthEnd[],
): { post: MonthEndCharge[]; corrections: MonthEndCorrection[] } {
  const post: MonthEndCharge[] = [];
  const corrections: MonthEndCorrection[] = [];
  const correct = (p: PostedMonthEnd, amount: Tiyn) =>
    corrections.push({ corrects: p.id, kind: p.kind, valueDate: p.valueDate, amount, key: monthEndCorrectionKey(p.key, p.corrections + 1) });
  const wantedKeys = new Set(wanted.map((w) => w.key));
  for (const w of wanted) {
    const p = posted.get(w.key);
    if (!p) post.push(w);
    else if (p.net < w.amount) correct(p, w.amount - p.net);
    else if (p.net > w.amount) throw new Error(`${w.key}: ${-w.amount} tiyn due but ${-p.net} posted; a month-end charge is never increased after it is posted`);
  }
  for (const p of periodCharges) if (!wantedKeys.has(p.key) && p.net < 0 && (p.kind === 'monthly_fee' || p.kind === 'third_party')) correct(p, -p.net);
  return { post, corrections };
}

/**
 * The days of P the account was served: from the connection date (or P's first day) to P's last
 * day, or to the day before termination ("termination stops all charges from D", cl. 23.6, 22.15).
 * Days suspended for debt are days of service (cl. 23.5). Empty when none.
 */
export function serviceDays(period: Period, connectedOn: IsoDate, terminatedOn: IsoDate | null): IsoDate[] {
  const from = maxDate(connectedOn, firstDayOf(period));
  const to = terminatedOn === null ? lastDayOf(period) : minDate(lastDayOf(period), addDays(terminatedOn, -1));
  return from > to ? [] : [...eachDay(from, to)];
}

/** Days charged at one price version: consecutive, from `from` to `to`. */
export interface PriceSegment {
  price: PriceVersion;
  from: IsoDate;
  to: IsoDate;
  days: number;
}

/** Groups days (in order) by the price version in force on each: a price change inside P splits it. */
export function priceSegments(days: readonly IsoDate[], priceOn: PriceOn): PriceSegment[] {
  const out: PriceSegment[] = [];
  for (const day of days) {
    const price = priceOn(day);
    const last = out[out.length - 1];
    if (last && last.price.id === price.id) {
      last.to = day;
      last.days++;
    } else {
      out.push({ price, from: day, to: day, days: 1 });
    }
  }
  return out;
}

/** cl. 13: the fee for `days` days of an n-day month, rounded half up once: round(M·days/n). */
export function proratedFee(monthlyFee: Tiyn, days: number, daysInPeriod: number): Tiyn {
  return mulDivRound(monthlyFee, days, daysInPeriod);
}

// ---------------------------------------------------------------------------------------------
// Month-end charges

/** A charge month-end should have posted; amount < 0 as on the ledger; `key` is its idempotency key. */
export interface MonthEndCharge {
  kind: 'monthly_fee' | 'third_party' | 'installation';
  valueDate: IsoDate;
  amount: Tiyn;
  key: string;
  memo: string | null;
  /** A prorated fee's days of service. */
  span?: ServiceSpan;
}

export interface MonthEndFacts {
  account: string;
  method: Method;
  period: Period;
  connectedOn: IsoDate;
  terminatedOn: IsoDate | null;
  priceOn: PriceOn;
  /** Advance accounts: the days of P on which the daily debit charged a daily fee (served, not suspended for funds). */
  advanceFeeDays?: readonly IsoDate[];
}

/** cl. 13: an invoice's number, `{prefix}-{YYYY}-{seq:06}`, gapless per prefix and year (each prefix is its own series). */
export function invoiceNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(6, '0')}`;
}

/** The memo a person reads on a prorated charge: "2026-10-16..2026-10-31 16/31" and a bundle item's name (the days themselves are in its span). */
export function spanMemo(span: ServiceSpan): string {
  return `${span.from}..${span.to} ${span.days}/${span.periodDays}${span.name ? ` ${span.name}` : ''}`;
}

function prorated(
  kind: 'monthly_fee' | 'third_party',
  keyOf: (segmentFrom?: IsoDate) => string,
  segments: readonly PriceSegment[],
  n: number,
  fee: (p: PriceVersion) => Tiyn,
  label: (p: PriceVersion) => string | null,
): MonthEndCharge[] {
  const out: MonthEndCharge[] = [];
  for (const s of segments) {
    const amount = proratedFee(fee(s.price), s.days, n);
    if (amount === 0) continue;
    // The first segment of the month carries the plain key; a later price version's days their own.
    const key = out.length === 0 ? keyOf() : keyOf(s.from);
    const span: ServiceSpan = { from: s.from, to: s.to, days: s.days, periodDays: n, name: label(s.price) };
    out.push({ kind, valueDate: s.to, amount: -amount, key, memo: spanMemo(span), span });
  }
  return out;
}

/**
 * What month-end should have posted for P:
 * - cl. 18: the installation fee, once, on the connection date (key `install:{account}`, the same
 *   key the daily debit uses for advance accounts, so whichever job posts first wins);
 * - cl. 13, 23.5: credit accounts, the monthly fee prorated by days of service, each price version's
 *   days rounded on their own (key `monthly:{account}:{P}`, a later version `…:{its first day}`),
 *   dated the last day it covers;
 * - cl. 23.10: the tariff's third-party bundle item, prorated the same way (`third_party:{account}:{P}`).
 *   For advance accounts its days are the days the daily fee was charged: a day suspended for funds
 *   is a day without service.
 */
export function monthEndCharges(f: MonthEndFacts): MonthEndCharge[] {
  const out: MonthEndCharge[] = [];
  if (f.connectedOn <= lastDayOf(f.period) && (f.terminatedOn === null || f.terminatedOn > f.connectedOn)) {
    const install = f.priceOn(f.connectedOn).installationFee;
    if (install > 0) {
      out.push({ kind: 'installation', valueDate: f.connectedOn, amount: -install, key: installationKey(f.account), memo: 'cl. 18' });
    }
  }
  const n = daysInMonth(f.period);
  const days = serviceDays(f.period, f.connectedOn, f.terminatedOn);
  if (f.method === 'credit') {
    const segments = priceSegments(days, f.priceOn);
    out.push(...prorated('monthly_fee', (from) => monthlyFeeKey(f.account, f.period, from), segments, n, (p) => p.monthlyFee, () => null));
    out.push(...prorated('third_party', (from) => thirdPartyKey(f.account, f.period, from), segments, n, (p) => p.thirdPartyFee, (p) => p.thirdPartyName));
  } else {
    const served = new Set(f.advanceFeeDays ?? []);
    const segments = priceSegments(days.filter((d) => served.has(d)), f.priceOn);
    out.push(...prorated('third_party', (from) => thirdPartyKey(f.account, f.period, from), segments, n, (p) => p.thirdPartyFee, (p) => p.thirdPartyName));
  }
  return out;
}

/**
 * What a whole month of service costs an account at the prices of that month (monthly fee and
 * bundle, prorated by its days of service): the basis of an advance account's advised top-up.
 */
export function monthCost(period: Period, connectedOn: IsoDate, terminatedOn: IsoDate | null, priceOn: PriceOn): Tiyn {
  const n = daysInMonth(period);
  let total = 0;
  for (const s of priceSegments(serviceDays(period, connectedOn, terminatedOn), priceOn)) {
    total += proratedFee(s.price.monthlyFee, s.days, n) + proratedFee(s.price.thirdPartyFee, s.days, n);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Dates and numbers

/** The invoice for P is issued after P has ended: on P+1's first day by default, never before. */
export function defaultIssueDate(period: Period): IsoDate {
  return firstDayOf(nextPeriod(period));
}

export function issueDateProblem(period: Period, issuedOn: IsoDate): string | undefined {
  return issuedOn <= lastDayOf(period) ? `the invoice for ${period} can be issued only after the period has ended (from ${defaultIssueDate(period)})` : undefined;
}

/**
 * cl. 15: due on the 25th of the month of issue. An invoice issued after the 25th (a late run) is
 * due on the 25th of the next month, so that a due date never precedes its issue.
 */
export function dueDate(issuedOn: IsoDate): IsoDate {
  const thisMonth = `${periodOf(issuedOn)}-25`;
  return issuedOn <= thisMonth ? thisMonth : `${nextPeriod(periodOf(issuedOn))}-25`;
}

/** A final invoice: the account's service ended in P or at its end (termination on P+1's first day at the latest). */
export function isFinal(period: Period, terminatedOn: IsoDate | null): boolean {
  return terminatedOn !== null && terminatedOn <= firstDayOf(nextPeriod(period));
}

// ---------------------------------------------------------------------------------------------
// Invoice figures

export interface LedgerFact {
  id: number;
  valueDate: IsoDate;
  kind: EntryKind;
  amount: Tiyn;
  /** A prorated fee's days of service (ledger_spans). */
  span?: ServiceSpan | null;
}


/** One line of the invoice: a single entry, or a daily kind summarised over the period. */
export interface InvoiceLine {
  kind: EntryKind;
  from: IsoDate;
  to: IsoDate;
  /** Days covered: daily kinds, the days with a net non-zero amount; prorated fees, their days of service; else null. */
  days: number | null;
  /** As on the ledger: < 0 a charge, > 0 a credit. */
  amount: Tiyn;
  /** A bundle item's third-party service name, when there is one. */
  memo: string | null;
  /** The tariff's price the line was charged at (a monthly fee and the daily fees it is spread into: per month; a port reservation: per day); null when the amount is the price. */
  price?: LinePrice | null;
}

/** A tariff price as an invoice line states it. */
export interface LinePrice {
  amount: Tiyn;
  per: 'month' | 'day';
}

/** The price in force for a kind's charge on a day (the caller reads the tariff's versions); null when the kind has no tariff price. */
export type LinePriceOn = (kind: EntryKind, day: IsoDate) => LinePrice | null;

export interface InvoiceFigures {
  /** Balance before P (positive = prepayment, negative = debt). */
  openingBalance: Tiyn;
  /** Charges of P (sum of negative service entries, penalties excluded): ≤ 0. */
  charges: Tiyn;
  /** Credits of P that give back a charge (recalculation, reversed port fee, adjustment in favour): ≥ 0. */
  credits: Tiyn;
  /** Money movements of P: payments (+), refunds and transfers out (−). */
  payments: Tiyn;
  /** Penalties of P, net (a D-4 correction may give some back). */
  penalties: Tiyn;
  closingBalance: Tiyn;
  /** Net charges of P, penalties and money movements excluded: what P's service cost (> 0 owed). */
  principal: Tiyn;
  /** max(0, −closing): everything outstanding at the end of P, less prepayment. */
  amountDue: Tiyn;
  /** Advance accounts: max(0, next month's cost − closing); null for credit accounts. */
  advisedTopup: Tiyn | null;
  /** Charges and credits of P, by kind then date. */
  lines: InvoiceLine[];
  paymentLines: InvoiceLine[];
  penaltyLines: InvoiceLine[];
}

export interface InvoiceFacts {
  period: Period;
  method: Method;
  /** The account's entries with value date up to P's last day (later ones are ignored). */
  entries: readonly LedgerFact[];
  /** Advance accounts: what the next month will cost (monthCost of P+1). */
  nextMonthCost: Tiyn;
  /** The price each line was charged at (lines only; the figures do not depend on it). */
  linePrice?: LinePriceOn;
}

/** Lines by kind in the order a subscriber reads them (domain/entries.ts): installation (cl. 18: before any fee), fees, other charges, credits. */
const KIND_ORDER = new Map<EntryKind, number>([...INVOICE_LINE_ORDER, ...ENTRY_KINDS.filter((k) => !INVOICE_LINE_ORDER.includes(k))].map((k, i) => [k, i]));

function byKindThenDate(a: InvoiceLine, b: InvoiceLine): number {
  const k = (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0);
  if (k !== 0) return k;
  return a.from < b.from ? -1 : a.from > b.from ? 1 : 0;
}

/**
 * Daily kinds in one line per kind and price: net amount, first and last date, days with a net
 * charge (a price change inside the period makes a line per price, each with its own days).
 */
function summarise(entries: readonly LedgerFact[], linePrice?: LinePriceOn): InvoiceLine[] {
  const byKind = new Map<string, { kind: EntryKind; price: LinePrice | null; days: Map<IsoDate, Tiyn> }>();
  for (const e of entries) {
    const price = linePrice ? linePrice(e.kind, e.valueDate) : null;
    const k = price ? `${e.kind}|${price.amount}|${price.per}` : e.kind;
    let g = byKind.get(k);
    if (!g) byKind.set(k, (g = { kind: e.kind, price, days: new Map<IsoDate, Tiyn>() }));
    g.days.set(e.valueDate, (g.days.get(e.valueDate) ?? 0) + e.amount);
  }
  const out: InvoiceLine[] = [];
  for (const { kind, price, days } of byKind.values()) {
    const charged = [...days.entries()].filter(([, net]) => net !== 0).map(([d]) => d).sort();
    const amount = [...days.values()].reduce((s, v) => s + v, 0);
    if (amount === 0 && charged.length === 0) continue;
    const first = charged[0] ?? [...days.keys()].sort()[0]!;
    const last = charged[charged.length - 1] ?? first;
    out.push({ kind, from: first, to: last, days: charged.length, amount, memo: null, ...(linePrice ? { price } : {}) });
  }
  return out;
}

/** The invoice of P from the account's entries (cl. 13–15, 20): the figures and the lines. */
export function invoiceFigures(f: InvoiceFacts): InvoiceFigures {
  const first = firstDayOf(f.period);
  const last = lastDayOf(f.period);
  let openingBalance = 0;
  let charges = 0;
  let credits = 0;
  let payments = 0;
  let penalties = 0;
  const inPeriod: LedgerFact[] = [];
  for (const e of f.entries) {
    if (e.valueDate > last) continue;
    if (e.valueDate < first) {
      openingBalance += e.amount;
      continue;
    }
    inPeriod.push(e);
    if (MONEY_KINDS.has(e.kind)) payments += e.amount;
    else if (e.kind === 'penalty') penalties += e.amount;
    else if (e.amount < 0) charges += e.amount;
    else credits += e.amount;
  }
  const single = (e: LedgerFact): InvoiceLine => {
    // A prorated charge shows the days it covers (its span).
    const span = e.span;
    const price = f.linePrice ? { price: f.linePrice(e.kind, span ? span.from : e.valueDate) } : {};
    return span
      ? { kind: e.kind, from: span.from, to: span.to, days: span.days, amount: e.amount, memo: span.name ?? null, ...price }
      : { kind: e.kind, from: e.valueDate, to: e.valueDate, days: null, amount: e.amount, memo: null, ...price };
  };
  const service = inPeriod.filter((e) => !MONEY_KINDS.has(e.kind) && e.kind !== 'penalty');
  const lines = [...summarise(service.filter((e) => DAILY_KINDS.has(e.kind)), f.linePrice), ...service.filter((e) => !DAILY_KINDS.has(e.kind)).map(single)].sort(byKindThenDate);
  const paymentLines = inPeriod.filter((e) => MONEY_KINDS.has(e.kind)).map(single).sort(byKindThenDate);
  const penaltyLines = summarise(inPeriod.filter((e) => e.kind === 'penalty'));
  const closingBalance = openingBalance + charges + credits + payments + penalties;
  return {
    openingBalance,
    charges,
    credits,
    payments,
    penalties,
    closingBalance,
    principal: -(charges + credits),
    amountDue: Math.max(0, -closingBalance),
    advisedTopup: f.method === 'advance' ? Math.max(0, f.nextMonthCost - closingBalance) : null,
    lines,
    paymentLines,
    penaltyLines,
  };
}

// ---------------------------------------------------------------------------------------------
// What the document tells the subscriber besides the figures

/** The penalties of one overdue invoice over consecutive days at one base and rate (cl. 23.7). */
export interface PenaltyDetail {
  /** The invoice the penalty is for (null: a penalty recorded without one). */
  invoiceId: number | null;
  from: IsoDate;
  to: IsoDate;
  days: number;
  /** The invoice's principal unpaid at the start of each of these days. */
  base: Tiyn | null;
  rate: string | null;
  /** As on the ledger (< 0). */
  amount: Tiyn;
}

/**
 * cl. 23.7: the penalties of P by invoice, each run of consecutive days with the same base (the
 * invoice's principal unpaid at the start of the day) and rate as one line. The amounts are the
 * ledger's; the base and rate are recomputed from the facts by the penalty rule's own functions.
 */
export function penaltyBreakdown(
  entries: readonly (Entry & { invoiceId?: number | null })[],
  invoices: readonly PenaltyInvoice[],
  period: Period,
  rulesOn: PenaltyRulesOn,
): PenaltyDetail[] {
  const first = firstDayOf(period);
  const last = lastDayOf(period);
  const byInvoice = new Map<number | null, Map<IsoDate, Tiyn>>();
  for (const e of entries) {
    if (e.kind !== 'penalty' || e.valueDate < first || e.valueDate > last) continue;
    const id = e.invoiceId ?? null;
    const days = byInvoice.get(id) ?? new Map<IsoDate, Tiyn>();
    days.set(e.valueDate, (days.get(e.valueDate) ?? 0) + e.amount);
    byInvoice.set(id, days);
  }
  const out: PenaltyDetail[] = [];
  const ids = [...byInvoice.keys()].sort((a, b) => (a ?? 0) - (b ?? 0));
  for (const id of ids) {
    const inv = invoices.find((i) => i.id === id);
    const days = [...byInvoice.get(id)!.entries()].filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
    let cur: PenaltyDetail | undefined;
    for (const [day, amount] of days) {
      const base = inv ? (unpaidPrincipalAtStart(entries, [inv], day).get(inv.id) ?? 0) : null;
      const rate = inv ? rulesOn(day).rate : null;
      if (cur && cur.base === base && cur.rate === rate && addDays(cur.to, 1) === day) {
        cur.to = day;
        cur.days++;
        cur.amount += amount;
      } else {
        out.push((cur = { invoiceId: id, from: day, to: day, days: 1, base, rate, amount }));
      }
    }
  }
  return out;
}

/** An access event as the document reads it. */
export interface AccessFact {
  valueDate: IsoDate;
  event: 'suspend' | 'restore' | 'terminate';
  cause: AccessCause | null;
}

/** The account's status at the end of a day, and since when (the last transition that changed it). */
export function stateAtEndOf(events: readonly AccessFact[], day: IsoDate): AccountState & { since: IsoDate | null; cause: AccessCause | null } {
  let state: AccountState = { status: 'active', suspendReason: null };
  let since: IsoDate | null = null;
  let cause: AccessCause | null = null;
  const sorted = [...events].filter((e) => e.valueDate <= day).sort((a, b) => (a.valueDate < b.valueDate ? -1 : a.valueDate > b.valueDate ? 1 : 0));
  for (const e of sorted) {
    const t =
      e.event === 'terminate'
        ? ({ event: 'terminate', cause: e.cause === 'subscriber' ? 'subscriber' : 'operator' } as const)
        : ({ event: e.event, cause: e.cause === 'debt' ? 'debt' : 'funds' } as const);
    const next = transition(state, t);
    if (next) {
      state = next;
      since = e.valueDate;
      cause = e.cause;
    }
  }
  return { ...state, since, cause };
}

/**
 * cl. 17.3, D-3: the smallest top-up that restores an account suspended for funds on `day`, when its
 * balance at the start of the day (as if the day's port reservation were not charged) is `balance`
 * and the day's fee is `fee`: the restoration rule's own test (`restores`) met with nothing to spare.
 */
export function topUpToRestore(balance: Tiyn, fee: Tiyn): Tiyn {
  const topUp = Math.max(0, fee - balance);
  if (!restores(balance + topUp, fee)) throw new Error(`a top-up of ${topUp} does not restore a balance of ${balance} against a fee of ${fee}`);
  return topUp;
}

/**
 * cl. 21.13, D-8: what restores an account suspended for debt at the end of `day`: its whole overdue
 * debt, penalties included (the one definition, `overdueOn`).
 */
export function paymentToRestore(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate, graceDays: number): Tiyn {
  return overdueOn(entries, invoices, day, graceDays).total;
}

/**
 * The one amount an invoice asks for (cl. 15, 17): a credit account, and every final invoice, pays
 * the amount due by the due date (nothing due: no deadline); an advance account that goes on is asked
 * to top up what keeps the service through next month (its debt, which is due by the due date, plus
 * next month's fees, less its prepayment).
 */
export type AmountToPay =
  | { kind: 'due'; amount: Tiyn; dueOn: IsoDate }
  | { kind: 'nothing'; prepayment: Tiyn }
  | { kind: 'topup'; amount: Tiyn; debt: Tiyn; nextMonth: Tiyn; prepayment: Tiyn; debtDueOn: IsoDate | null }
  | { kind: 'covered'; nextMonth: Tiyn; prepayment: Tiyn };

export function amountToPay(f: Pick<InvoiceFigures, 'closingBalance' | 'amountDue' | 'advisedTopup'>, method: Method, final: boolean, dueOn: IsoDate, nextMonthCost: Tiyn): AmountToPay {
  const prepayment = Math.max(0, f.closingBalance);
  if (method === 'advance' && !final && f.advisedTopup !== null) {
    if (f.advisedTopup === 0) return { kind: 'covered', nextMonth: nextMonthCost, prepayment };
    return { kind: 'topup', amount: f.advisedTopup, debt: f.amountDue, nextMonth: nextMonthCost, prepayment, debtDueOn: f.amountDue > 0 ? dueOn : null };
  }
  return f.amountDue > 0 ? { kind: 'due', amount: f.amountDue, dueOn } : { kind: 'nothing', prepayment };
}

/** cl. 23.8: a notice's outgoing number, `{prefix}-N-{YYYY}-{seq:05}`, in the order notices are written within the notice's year. */
export function noticeNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}-N-${year}-${String(seq).padStart(5, '0')}`;
}
