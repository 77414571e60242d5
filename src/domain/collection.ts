// Suspension for debt and termination by the operator (cl. 23.5, 23.6, 22.10; D-5).
import { addDays, addMonths, nextPeriod, type IsoDate, type Period } from './dates.js';
import { invoicePeriodOf, KINDS, type Entry, type EntryKind } from './entries.js';
import { allocate, Allocator, replayOrder } from './allocation.js';
import { unpaidByInvoice, unpaidPrincipalAtStart, type PenaltyInvoice } from './penalty.js';
import type { Tiyn } from './money.js';

/** Unpaid principal of each invoice at the end of `day` (payments dated that day counted). */
export function unpaidAtEndOf(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): Map<number, number> {
  return unpaidPrincipalAtStart(entries, invoices, addDays(day, 1));
}

/**
 * Unpaid principal of each invoice, and unpaid penalties, at the end of `day` that are still unpaid
 * with every credit on the ledger counted, the later ones too. For the day's own run the two are the
 * same (no statement holds tomorrow's money); when a past day is judged again, a debt paid since is
 * not chased: suspension and termination act now, on an account as it stands. (What is unpaid never
 * grows back: allocation.ts.)
 */
function stillUnpaid(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): { byInvoice: Map<number, Tiyn>; penalties: Tiyn } {
  const allocator = new Allocator(false);
  const sorted = [...entries].sort(replayOrder);
  let next = 0;
  for (; next < sorted.length && sorted[next]!.valueDate <= day; next++) allocator.feed(sorted[next]!);
  const then = unpaidByInvoice(allocator, invoices);
  const penaltiesThen = allocator.state().unpaid;
  for (; next < sorted.length; next++) allocator.feed(sorted[next]!);
  const now = unpaidByInvoice(allocator, invoices);
  const penaltiesNow = allocator.state().unpaid;
  const isPenalty = new Set(entries.filter((e) => e.kind === 'penalty').map((e) => e.id));
  let penalties = 0;
  for (const [id, left] of penaltiesThen) if (isPenalty.has(id)) penalties += Math.min(left, penaltiesNow.get(id) ?? 0);
  return { byInvoice: new Map([...then].map(([id, left]) => [id, Math.min(left, now.get(id) ?? 0)])), penalties };
}

export function stillUnpaidAtEndOf(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): Map<number, Tiyn> {
  return stillUnpaid(entries, invoices, day).byInvoice;
}

export interface Overdue {
  /** The invoices overdue on the day with principal unpaid, oldest first, with what is unpaid of each. */
  invoices: { invoice: PenaltyInvoice; unpaid: Tiyn }[];
  /** Their unpaid principal. */
  principal: Tiyn;
  /** Unpaid penalties (all overdue: a penalty is charged for a day already late). */
  penalties: Tiyn;
  /** principal + penalties: what suspends a credit account, and what must reach zero to restore it (cl. 21.13). */
  total: Tiyn;
}

/**
 * D-8, the one definition of "overdue": on day D an account's overdue debt is its unpaid penalties
 * plus the unpaid principal of its invoices due before D − grace days, unpaid at the end of D and
 * still unpaid with every payment on the ledger. Suspension for debt (cl. 23.5), restoration at a
 * payment and in the nightly run (cl. 21.13: «оның ішінде өсімпұлдар», penalties included), the
 * debtors list, `account show` and the new-account check (cl. 6.4) all ask this function.
 */
export function overdueOn(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate, graceDays: number): Overdue {
  const due = invoices
    .filter((i) => addDays(i.dueOn, graceDays) < day)
    .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id - b.id));
  const { byInvoice, penalties } = stillUnpaid(entries, due, day);
  const owing = due.map((invoice) => ({ invoice, unpaid: byInvoice.get(invoice.id) ?? 0 })).filter((o) => o.unpaid > 0);
  const principal = owing.reduce((s, o) => s + o.unpaid, 0);
  return { invoices: owing, principal, penalties, total: principal + penalties };
}

/**
 * D-5, credit: two consecutive monthly invoices (periods P and P+1) both overdue on `day` with
 * principal unpaid at its end and still unpaid now (stillUnpaidAtEndOf). Returns the pair, or undefined.
 */
export function twoConsecutiveOverdue(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], day: IsoDate): [PenaltyInvoice, PenaltyInvoice] | undefined {
  const owing = overdueOn(entries, invoices, day, 0).invoices.map((o) => o.invoice);
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

/** One line of the debt demand (cl. 23.8): an invoice's unpaid principal, a charge not invoiced yet, or an invoice's unpaid penalties. */
export type DemandLine =
  | { what: 'invoice'; invoiceId: number; period: Period; amount: Tiyn; /** What is unpaid of it by kind, in the order of the invoice's lines. */ kinds: { kind: EntryKind; amount: Tiyn }[] }
  | { what: 'uninvoiced'; period: Period; kind: EntryKind; amount: Tiyn }
  | { what: 'penalties'; invoiceId: number | null; amount: Tiyn };

export interface DebtDemand {
  lines: DemandLine[];
  principal: Tiyn;
  penalties: Tiyn;
  /** What is demanded; 0: a notice of termination without a demand. */
  total: Tiyn;
}

/**
 * cl. 23.8, the debt demand: the whole debt at the end of `day` (the termination date), every credit
 * dated to it counted, broken down: each invoice's unpaid principal, the charges of periods not
 * invoiced yet by kind (the final period's service to the termination, charged at termination,
 * D-10), and the unpaid penalties of each invoice.
 */
export function debtDemand(entries: readonly (Entry & { invoiceId?: number | null })[], invoices: readonly PenaltyInvoice[], day: IsoDate): DebtDemand {
  const upToDay = entries.filter((e) => e.valueDate <= day);
  const { unpaid } = allocate(upToDay);
  const invoiced = new Map(invoices.map((i) => [i.period, i] as const));
  const byInvoice = new Map<number, Tiyn>();
  const kindsOf = new Map<number, Map<EntryKind, Tiyn>>();
  const uninvoiced = new Map<string, { period: Period; kind: EntryKind; amount: Tiyn }>();
  const penaltiesOf = new Map<number | null, Tiyn>();
  for (const e of upToDay) {
    const left = unpaid.get(e.id);
    if (!left) continue;
    if (e.kind === 'penalty') {
      const id = e.invoiceId ?? null;
      penaltiesOf.set(id, (penaltiesOf.get(id) ?? 0) + left);
      continue;
    }
    const period = invoicePeriodOf(e);
    const inv = invoiced.get(period);
    if (inv) {
      byInvoice.set(inv.id, (byInvoice.get(inv.id) ?? 0) + left);
      const kinds = kindsOf.get(inv.id) ?? new Map<EntryKind, Tiyn>();
      kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + left);
      kindsOf.set(inv.id, kinds);
    } else {
      const k = `${period}|${e.kind}`;
      const line = uninvoiced.get(k) ?? { period, kind: e.kind, amount: 0 };
      line.amount += left;
      uninvoiced.set(k, line);
    }
  }
  const lines: DemandLine[] = [];
  for (const inv of [...invoices].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))) {
    const amount = byInvoice.get(inv.id);
    const kinds = [...(kindsOf.get(inv.id) ?? new Map<EntryKind, Tiyn>())]
      .filter(([, v]) => v !== 0)
      .sort(([a], [b]) => (KINDS[a].line ?? 99) - (KINDS[b].line ?? 99))
      .map(([kind, v]) => ({ kind, amount: v }));
    if (amount) lines.push({ what: 'invoice', invoiceId: inv.id, period: inv.period, amount, kinds });
  }
  for (const l of [...uninvoiced.values()].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.kind < b.kind ? -1 : 1))) lines.push({ what: 'uninvoiced', ...l });
  let penalties = 0;
  for (const [invoiceId, amount] of penaltiesOf) {
    lines.push({ what: 'penalties', invoiceId, amount });
    penalties += amount;
  }
  const principal = lines.reduce((s, l) => (l.what === 'penalties' ? s : s + l.amount), 0);
  return { lines, principal, penalties, total: principal + penalties };
}

/**
 * cl. 22.10: rented equipment not handed back by its return deadline is charged at its cost, once,
 * dated the day after the deadline; a run on `date` charges it when that day has come. Handed back
 * after the deadline is still late.
 */
export function equipmentChargeable(e: { rented: boolean; cost: Tiyn; returnBy: IsoDate | null; returnedOn: IsoDate | null }, date: IsoDate): boolean {
  return e.rented && e.cost > 0 && e.returnBy !== null && e.returnBy < date && (e.returnedOn === null || e.returnedOn > e.returnBy);
}

/** `equipmentChargeable` as SQL over `equipment e JOIN accounts a` (the deadline is the account's), with @date. */
export const EQUIPMENT_CHARGEABLE_SQL = `e.rented = 1 AND e.cost > 0 AND a.equipment_return_by IS NOT NULL AND a.equipment_return_by < @date
  AND (e.returned_on IS NULL OR e.returned_on > a.equipment_return_by)`;

/** The value date of a late equipment charge: the day after the return deadline. */
export function equipmentChargeDate(returnBy: IsoDate): IsoDate {
  return addDays(returnBy, 1);
}
