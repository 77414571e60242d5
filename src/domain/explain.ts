// The reconciliation statement (акт сверки взаиморасчётов) of one account: every entry in date
// order with its running balance, and for each the rule that made it with the contract's clause.
// The explanation is asked of the rules themselves: a daily fee is recomputed by dailyFee and a port
// reservation by decideDay on the balance countsAtStartOf gives, a prorated fee by proratedFee, a
// penalty by expectedPenalties (which tells its base, rate and day n of the cap), what a payment
// settled by the allocator (cl. 16). An entry the rule does not give again (a price or a fact that
// changed since it was posted) is said to be as posted, never explained by a guess. Facts come from
// columns and links (kind, correction link, service span, invoice), never from memo prose.
import { Allocator, replayOrder, type Allocation } from './allocation.js';
import { equipmentChargeDate, equipmentChargeable } from './collection.js';
import { countsAtStartOf, dailyFee, decideDay } from './daily-fee.js';
import { addDays, daysInMonth, periodOf, type IsoDate, type Period } from './dates.js';
import { invoicePeriodOf, type Entry, type EntryKind, type ServiceSpan } from './entries.js';
import { proratedFee } from './invoice.js';
import type { Tiyn } from './money.js';
import { expectedPenalties, type PenaltyInvoice, type PenaltyRulesOn, type PenaltyWhy } from './penalty.js';

/** An entry with the columns an explanation reads. */
export interface ExplainEntry extends Entry {
  invoiceId: number | null;
  span: ServiceSpan | null;
}

export interface ExplainPrice {
  monthlyFee: Tiyn;
  portFee: Tiyn;
  installationFee: Tiyn;
  thirdPartyFee: Tiyn;
  thirdPartyName: string | null;
}

export interface ExplainFacts {
  account: string;
  connectedOn: IsoDate;
  terminatedOn: IsoDate | null;
  terminatedBy: 'operator' | 'subscriber' | null;
  /** Every entry of the account (the allocation and the penalties need the whole history). */
  entries: readonly ExplainEntry[];
  invoices: readonly (PenaltyInvoice & { number: string })[];
  /** The account's price on a day (price versions, a discontinued tariff's successor: domain/tariffs.ts). */
  priceOn: (day: IsoDate) => ExplainPrice;
  penaltyRules: PenaltyRulesOn;
  /** The account's equipment with its return deadline (the account's, cl. 22.10). */
  equipment: readonly { serial: string; model: string | null; cost: Tiyn; rented: boolean; returnBy: IsoDate | null; returnedOn: IsoDate | null }[];
  /** Days the account was restored after a suspension for funds (access events, cause `funds`). */
  restoredOn: readonly IsoDate[];
}

/** What a payment (or another credit) settled, in the order cl. 16 settled it. */
export type Settled =
  | { what: 'penalties'; invoice: string | null; from: IsoDate; to: IsoDate; amount: Tiyn }
  | { what: 'charges'; kind: EntryKind; invoice: string | null; period: Period; from: IsoDate; to: IsoDate; amount: Tiyn };

/** Why an entry is what it is, as the rule that made it gives it. `clause`: the contract's clause. */
export type Why =
  | { rule: 'daily_fee'; clause: '17.1'; from: IsoDate; to: IsoDate; monthlyFee: Tiyn; daysInMonth: number }
  | { rule: 'port_reservation'; clause: '17.2'; from: IsoDate; to: IsoDate; portFee: Tiyn; balanceAtStart: Tiyn; dayFee: Tiyn; asDecidedThen: boolean }
  | { rule: 'installation'; clause: '18' }
  | { rule: 'monthly_fee'; clause: '13'; span: ServiceSpan; monthlyFee: Tiyn }
  | { rule: 'third_party'; clause: '23.10'; span: ServiceSpan; fee: Tiyn }
  | { rule: 'equipment'; clause: '22.10'; serial: string; model: string | null; returnBy: IsoDate }
  | { rule: 'backbill'; clause: '23.18' }
  | { rule: 'recalc'; clause: '21.5, 24.3'; day: IsoDate; correctedKind: EntryKind }
  | { rule: 'adjustment'; clause: null }
  | { rule: 'penalty'; clause: '23.7'; invoice: string; from: IsoDate; to: IsoDate; unpaidPrincipal: Tiyn; rate: string; dayFrom: number; dayTo: number; capDays: number }
  | { rule: 'penalty_as_posted'; clause: '23.7'; invoice: string | null; day: IsoDate; expectedNow: Tiyn }
  | { rule: 'penalty_corrected'; clause: '23.7'; invoice: string | null; day: IsoDate; expectedNow: Tiyn }
  /** Days whose penalty was posted on the facts known then and corrected since (D-4): what was posted, what the rule gives now. */
  | { rule: 'penalty_recomputed'; clause: '23.7'; invoice: string | null; from: IsoDate; to: IsoDate; posted: Tiyn; now: Tiyn }
  | { rule: 'termination_reversal'; clause: '23.6' | '10'; correctedKind: EntryKind; day: IsoDate; terminatedOn: IsoDate }
  | { rule: 'termination_credit'; clause: '23.6' | '10'; correctedKind: EntryKind; terminatedOn: IsoDate }
  | { rule: 'restoration_reversal'; clause: '17.3'; day: IsoDate }
  | { rule: 'correction'; clause: null; correctedKind: EntryKind; day: IsoDate }
  | { rule: 'payment'; clause: '16'; settled: Settled[]; left: Tiyn }
  | { rule: 'payment_reversed'; clause: null }
  | { rule: 'refund'; clause: '17.4' }
  | { rule: 'transfer'; clause: '17.4'; direction: 'in' | 'out' }
  | { rule: 'as_posted'; clause: null };

export interface ExplainLine {
  /** The first day of the line; `to` its last (a run of daily entries is one line). */
  date: IsoDate;
  to: IsoDate;
  kind: EntryKind;
  amount: Tiyn;
  /** What the line's entries charged and credited (both positive): an entry and its correction on one line show both. */
  charged: Tiyn;
  credited: Tiyn;
  /** The running balance after the line (positive = in the subscriber's favour). */
  balance: Tiyn;
  /** The ledger entries of the line. */
  entries: number[];
  why: Why;
  /** What the credit settled besides the entry it corrects (cl. 16): payments and corrections that gave money back. */
  settled?: Settled[];
}

export interface Reconciliation {
  account: string;
  from: IsoDate;
  to: IsoDate;
  opening: Tiyn;
  closing: Tiyn;
  lines: ExplainLine[];
  /** At the end of `to`: unpaid principal, unpaid penalties and prepayment (balance = prepayment − debt − penalties). */
  debt: Tiyn;
  penaltyDebt: Tiyn;
  prepayment: Tiyn;
}

const isCorrection = (e: Entry) => e.corrects !== undefined && e.corrects !== null;

/**
 * The reconciliation statement of an account from `from` to `to` (both included): the opening
 * balance (entries dated before `from`), each entry dated in the range explained, the closing.
 */
export function reconcile(f: ExplainFacts, from: IsoDate, to: IsoDate): Reconciliation {
  const all = f.entries.filter((e) => e.valueDate <= to).sort(replayOrder);
  const byId = new Map(all.map((e) => [e.id, e] as const));
  const invoiceOfPeriod = new Map(f.invoices.map((i) => [i.period, i] as const));
  const invoiceNumber = new Map(f.invoices.map((i) => [i.id, i.number] as const));

  // cl. 16: the allocation of everything to `to`, with every settlement recorded
  const allocator = new Allocator(true);
  for (const e of all) allocator.feed(e);
  const state = allocator.state();
  const byCredit = new Map<number, Allocation[]>();
  for (const a of state.allocations) {
    const list = byCredit.get(a.creditId) ?? [];
    list.push(a);
    byCredit.set(a.creditId, list);
  }

  // cl. 23.7: the penalties the rule gives now, each with its terms
  const expected = new Map<string, PenaltyWhy>();
  expectedPenalties(all, f.invoices, to, f.penaltyRules, undefined, (p) => expected.set(`${p.invoiceId}|${p.day}`, p));
  const postedPenalty = new Map<string, ExplainEntry[]>();
  for (const e of all) {
    if (e.kind !== 'penalty' || e.invoiceId === null) continue;
    const k = `${e.invoiceId}|${e.valueDate}`;
    postedPenalty.set(k, [...(postedPenalty.get(k) ?? []), e]);
  }

  const settledBy = (credit: Entry): Settled[] => {
    const out: Settled[] = [];
    for (const a of byCredit.get(credit.id) ?? []) {
      if (a.debitId === credit.corrects) continue;
      const debit = byId.get(a.debitId);
      if (!debit || a.asOf > to) continue;
      const period = invoicePeriodOf(debit);
      const invoice = debit.kind === 'penalty' ? (debit.invoiceId === null ? null : invoiceNumber.get(debit.invoiceId) ?? null) : invoiceOfPeriod.get(period)?.number ?? null;
      const last = out[out.length - 1];
      if (debit.kind === 'penalty') {
        if (last?.what === 'penalties' && last.invoice === invoice) {
          last.to = debit.valueDate > last.to ? debit.valueDate : last.to;
          last.amount += a.amount;
        } else out.push({ what: 'penalties', invoice, from: debit.valueDate, to: debit.valueDate, amount: a.amount });
      } else if (last?.what === 'charges' && last.kind === debit.kind && last.period === period) {
        last.to = debit.valueDate > last.to ? debit.valueDate : last.to;
        last.amount += a.amount;
      } else out.push({ what: 'charges', kind: debit.kind, invoice, period, from: debit.valueDate, to: debit.valueDate, amount: a.amount });
    }
    return out;
  };

  const terminationClause = f.terminatedBy === 'subscriber' ? '10' : '23.6';
  const restored = new Set(f.restoredOn);

  const whyOf = (e: ExplainEntry): Why => {
    if (isCorrection(e)) {
      const target = byId.get(e.corrects!) ?? f.entries.find((x) => x.id === e.corrects);
      const correctedKind = target?.kind ?? e.kind;
      const day = target?.valueDate ?? e.valueDate;
      if (e.kind === 'penalty') {
        const k = `${e.invoiceId}|${e.valueDate}`;
        return { rule: 'penalty_corrected', clause: '23.7', invoice: e.invoiceId === null ? null : invoiceNumber.get(e.invoiceId) ?? null, day: e.valueDate, expectedNow: expected.get(k)?.amount ?? 0 };
      }
      if (e.kind === 'recalc') return { rule: 'recalc', clause: '21.5, 24.3', day, correctedKind };
      if (e.amount > 0 && f.terminatedOn !== null) {
        if (correctedKind === 'monthly_fee' || correctedKind === 'third_party') {
          if (target?.span && target.span.to >= f.terminatedOn) return { rule: 'termination_credit', clause: terminationClause, correctedKind, terminatedOn: f.terminatedOn };
        } else if (day >= f.terminatedOn) return { rule: 'termination_reversal', clause: terminationClause, correctedKind, day, terminatedOn: f.terminatedOn };
      }
      if (e.amount > 0 && correctedKind === 'port_reservation' && restored.has(e.valueDate)) return { rule: 'restoration_reversal', clause: '17.3', day };
      if (e.kind === 'payment' && e.amount < 0) return { rule: 'payment_reversed', clause: null };
      return { rule: 'correction', clause: null, correctedKind, day };
    }
    switch (e.kind) {
      case 'daily_fee': {
        const monthlyFee = f.priceOn(e.valueDate).monthlyFee;
        if (dailyFee(monthlyFee, e.valueDate) !== -e.amount) return { rule: 'as_posted', clause: null };
        return { rule: 'daily_fee', clause: '17.1', from: e.valueDate, to: e.valueDate, monthlyFee, daysInMonth: daysInMonth(e.valueDate) };
      }
      case 'port_reservation': {
        const price = f.priceOn(e.valueDate);
        if (price.portFee !== -e.amount) return { rule: 'as_posted', clause: null };
        let balanceAtStart = 0;
        for (const x of all) if (countsAtStartOf(x, e.valueDate)) balanceAtStart += x.amount;
        const dayFee = dailyFee(price.monthlyFee, e.valueDate);
        const asDecidedThen = decideDay(balanceAtStart, dayFee, price.portFee).kind !== 'port_reservation';
        return { rule: 'port_reservation', clause: '17.2', from: e.valueDate, to: e.valueDate, portFee: price.portFee, balanceAtStart, dayFee, asDecidedThen };
      }
      case 'installation':
        return f.priceOn(e.valueDate).installationFee === -e.amount ? { rule: 'installation', clause: '18' } : { rule: 'as_posted', clause: null };
      case 'monthly_fee': {
        if (!e.span) return { rule: 'as_posted', clause: null };
        const monthlyFee = f.priceOn(e.span.from).monthlyFee;
        if (proratedFee(monthlyFee, e.span.days, e.span.periodDays) !== -e.amount) return { rule: 'as_posted', clause: null };
        return { rule: 'monthly_fee', clause: '13', span: e.span, monthlyFee };
      }
      case 'third_party': {
        if (!e.span) return { rule: 'as_posted', clause: null };
        const fee = f.priceOn(e.span.from).thirdPartyFee;
        if (proratedFee(fee, e.span.days, e.span.periodDays) !== -e.amount) return { rule: 'as_posted', clause: null };
        return { rule: 'third_party', clause: '23.10', span: e.span, fee };
      }
      case 'equipment': {
        const item = f.equipment.find((q) => q.cost === -e.amount && q.returnBy !== null && equipmentChargeDate(q.returnBy) === e.valueDate && equipmentChargeable(q, e.valueDate));
        return item ? { rule: 'equipment', clause: '22.10', serial: item.serial, model: item.model, returnBy: item.returnBy! } : { rule: 'as_posted', clause: null };
      }
      case 'backbill':
        return { rule: 'backbill', clause: '23.18' };
      case 'adjustment':
        return { rule: 'adjustment', clause: null };
      case 'recalc':
        return { rule: 'recalc', clause: '21.5, 24.3', day: e.valueDate, correctedKind: 'daily_fee' };
      case 'penalty': {
        const k = `${e.invoiceId}|${e.valueDate}`;
        const p = expected.get(k);
        const posted = postedPenalty.get(k) ?? [];
        const invoice = e.invoiceId === null ? null : invoiceNumber.get(e.invoiceId) ?? null;
        if (p && invoice !== null && posted.length === 1 && p.amount === -e.amount) {
          return { rule: 'penalty', clause: '23.7', invoice, from: e.valueDate, to: e.valueDate, unpaidPrincipal: p.unpaidPrincipal, rate: p.rate, dayFrom: p.dayNumber, dayTo: p.dayNumber, capDays: p.capDays };
        }
        return { rule: 'penalty_as_posted', clause: '23.7', invoice, day: e.valueDate, expectedNow: p?.amount ?? 0 };
      }
      case 'payment':
        return { rule: 'payment', clause: '16', settled: [], left: 0 };
      case 'refund':
        return { rule: 'refund', clause: '17.4' };
      case 'transfer':
        return { rule: 'transfer', clause: '17.4', direction: e.amount > 0 ? 'in' : 'out' };
    }
  };

  let balance = 0;
  for (const e of all) if (e.valueDate < from) balance += e.amount;
  const opening = balance;
  const lines: ExplainLine[] = [];
  for (const e of all) {
    if (e.valueDate < from) continue;
    balance += e.amount;
    const why = whyOf(e);
    const last = lines[lines.length - 1];
    const charged = e.amount < 0 ? -e.amount : 0;
    const credited = e.amount > 0 ? e.amount : 0;
    if (last && joins(last, e, why)) {
      last.to = e.valueDate;
      last.amount += e.amount;
      last.charged += charged;
      last.credited += credited;
      last.balance = balance;
      last.entries.push(e.id);
      const w = last.why as Extract<Why, { rule: 'daily_fee' | 'port_reservation' | 'penalty' }>;
      w.to = e.valueDate;
      if (w.rule === 'penalty') w.dayTo = (why as Extract<Why, { rule: 'penalty' }>).dayTo;
      continue;
    }
    // D-4: a day's penalty as posted and its correction after it make one line, and so do such days in a row
    if (why.rule === 'penalty_corrected' && last?.why.rule === 'penalty_as_posted' && last.why.invoice === why.invoice && last.why.day === why.day && last.to === e.valueDate) {
      last.why = { rule: 'penalty_recomputed', clause: '23.7', invoice: why.invoice, from: e.valueDate, to: e.valueDate, posted: -last.amount, now: why.expectedNow };
      last.amount += e.amount;
      last.charged += charged;
      last.credited += credited;
      last.balance = balance;
      last.entries.push(e.id);
      const before = lines[lines.length - 2];
      if (before?.why.rule === 'penalty_recomputed' && before.why.invoice === why.invoice && addDays(before.to, 1) === e.valueDate) {
        before.why.to = e.valueDate;
        before.why.posted += last.why.posted;
        before.why.now += last.why.now;
        before.to = e.valueDate;
        before.amount += last.amount;
        before.charged += last.charged;
        before.credited += last.credited;
        before.balance = balance;
        before.entries.push(...last.entries);
        lines.pop();
      }
      continue;
    }
    const line: ExplainLine = { date: e.valueDate, to: e.valueDate, kind: e.kind, amount: e.amount, charged, credited, balance, entries: [e.id], why };
    if (e.amount > 0) {
      const settled = settledBy(e);
      if (why.rule === 'payment') {
        why.settled = settled;
        why.left = state.unallocated.get(e.id) ?? 0;
      } else if (settled.length > 0) line.settled = settled;
    }
    lines.push(line);
  }
  let debt = 0;
  let penaltyDebt = 0;
  for (const [id, left] of state.unpaid) {
    if (byId.get(id)?.kind === 'penalty') penaltyDebt += left;
    else debt += left;
  }
  let prepayment = 0;
  for (const left of state.unallocated.values()) prepayment += left;
  return { account: f.account, from, to, opening, closing: balance, lines, debt, penaltyDebt, prepayment };
}

/** A run of daily entries of one rule and the same terms, day after day, makes one line. */
function joins(last: ExplainLine, e: ExplainEntry, why: Why): boolean {
  if (last.kind !== e.kind || addDays(last.to, 1) !== e.valueDate || periodOf(last.date) !== periodOf(e.valueDate)) return false;
  const w = last.why;
  if (w.rule === 'daily_fee' && why.rule === 'daily_fee') return w.monthlyFee === why.monthlyFee;
  if (w.rule === 'port_reservation' && why.rule === 'port_reservation') return w.portFee === why.portFee && !w.asDecidedThen && !why.asDecidedThen;
  if (w.rule === 'penalty' && why.rule === 'penalty') {
    return w.invoice === why.invoice && w.unpaidPrincipal === why.unpaidPrincipal && w.rate === why.rate && why.dayFrom === w.dayTo + 1;
  }
  return false;
}
