// Ledger entry kinds (SPEC section 3) and how each one behaves in the rules. One table: allocation,
// the invoice, termination, verify and the ledger's checks read a kind's behaviour from here.
import { periodOf, type IsoDate, type Period } from './dates.js';
import type { Tiyn } from './money.js';

/**
 * - `sign`: which way the kind moves money when it is not a correction: `charge` (< 0), `credit`
 *   (> 0) or `either` (a transfer goes out of one account and into another). A correction (D-7) of an
 *   entry has the opposite sign of the entry it corrects.
 * - `group`: `service` (what the subscriber is charged or credited for the service: the principal of
 *   an invoice, VAT turnover), `penalty` (cl. 23.7: never principal, never VAT turnover) or `money`
 *   (money moved: payments, refunds, transfers).
 * - `stoppedByTermination`: a service charge that termination stops from its date (cl. 23.6): a
 *   charge of the kind dated on or after it is reversed.
 * - `line`: the place of its line on the invoice (installation first, cl. 18: before any fee); null
 *   for kinds not shown among the charges (penalties and money have their own sections).
 * - `daily`: decided once a day, so summarised on the invoice as one line with its days.
 * - `vat` (D-13): `turnover` for the kinds that are VAT turnover (the service charges, and the credits
 *   and corrections that give them back, which reduce it), `penalty` for the kinds that are turnover
 *   only when the operator's setting makes penalties taxable (default not), `none` for money moved.
 */
export interface KindRules {
  sign: 'charge' | 'credit' | 'either';
  group: 'service' | 'penalty' | 'money';
  stoppedByTermination: boolean;
  line: number | null;
  daily: boolean;
  vat: 'turnover' | 'penalty' | 'none';
}

export const KINDS = {
  installation: { sign: 'charge', group: 'service', stoppedByTermination: false, line: 0, daily: false, vat: 'turnover' },
  monthly_fee: { sign: 'charge', group: 'service', stoppedByTermination: true, line: 1, daily: false, vat: 'turnover' },
  daily_fee: { sign: 'charge', group: 'service', stoppedByTermination: true, line: 2, daily: true, vat: 'turnover' },
  port_reservation: { sign: 'charge', group: 'service', stoppedByTermination: true, line: 3, daily: true, vat: 'turnover' },
  third_party: { sign: 'charge', group: 'service', stoppedByTermination: true, line: 4, daily: false, vat: 'turnover' },
  equipment: { sign: 'charge', group: 'service', stoppedByTermination: false, line: 5, daily: false, vat: 'turnover' },
  backbill: { sign: 'charge', group: 'service', stoppedByTermination: false, line: 6, daily: false, vat: 'turnover' },
  // A credit in the subscriber's favour that names no entry it corrects (goodwill, a settlement):
  // on the invoice among the credits, allocated by cl. 16 like every credit that is not netted.
  adjustment: { sign: 'credit', group: 'service', stoppedByTermination: false, line: 7, daily: false, vat: 'turnover' },
  // cl. 21.5, 24.3: a day's fee credited back; it names the fee it corrects.
  recalc: { sign: 'credit', group: 'service', stoppedByTermination: false, line: 8, daily: false, vat: 'turnover' },
  penalty: { sign: 'charge', group: 'penalty', stoppedByTermination: false, line: null, daily: true, vat: 'penalty' },
  payment: { sign: 'credit', group: 'money', stoppedByTermination: false, line: null, daily: false, vat: 'none' },
  refund: { sign: 'charge', group: 'money', stoppedByTermination: false, line: null, daily: false, vat: 'none' },
  transfer: { sign: 'either', group: 'money', stoppedByTermination: false, line: null, daily: false, vat: 'none' },
} as const satisfies Record<string, KindRules>;

export type EntryKind = keyof typeof KINDS;
export const ENTRY_KINDS = Object.keys(KINDS) as [EntryKind, ...EntryKind[]];

export function isEntryKind(text: string): text is EntryKind {
  return Object.hasOwn(KINDS, text);
}

export function kindRules(kind: EntryKind): KindRules {
  return KINDS[kind];
}

/** Movements of money itself, as opposed to charges and credits for service. */
export const MONEY_KINDS: ReadonlySet<EntryKind> = new Set(ENTRY_KINDS.filter((k) => KINDS[k].group === 'money'));

/** Service charges that termination stops from its date (cl. 23.6). */
export const STOPPED_BY_TERMINATION: readonly EntryKind[] = ENTRY_KINDS.filter((k) => KINDS[k].stoppedByTermination);

/** The kinds shown among an invoice's charges and credits, in the order a subscriber reads them. */
export const INVOICE_LINE_ORDER: readonly EntryKind[] = ENTRY_KINDS.filter((k) => KINDS[k].line !== null).sort(
  (a, b) => (KINDS[a].line ?? 0) - (KINDS[b].line ?? 0),
);

/** Kinds decided once a day: one invoice line per kind with its days. */
export const DAILY_KINDS: ReadonlySet<EntryKind> = new Set(ENTRY_KINDS.filter((k) => KINDS[k].daily));

/**
 * Whether an amount of this kind is allowed on the ledger: a kind's own sign, or the opposite sign
 * when it corrects an entry (D-7). A transfer goes either way; nothing is ever zero.
 */
export function signAllowed(kind: EntryKind, amount: Tiyn, isCorrection: boolean): boolean {
  if (amount === 0) return false;
  const { sign } = KINDS[kind];
  if (sign === 'either' || isCorrection) return true;
  return sign === 'charge' ? amount < 0 : amount > 0;
}

/**
 * The kinds that are never corrected: whether or not an entry is a correction, these keep their sign.
 * The ledger's CHECK constraint `ledger_kind_sign` (keepsItsSignSql, migration 0014) holds them to it;
 * test/db/ledger.test.ts checks it against `signAllowed`.
 */
export const NEVER_CORRECTED: readonly EntryKind[] = ['installation', 'equipment', 'backbill', 'adjustment', 'refund'];

/** The SQL condition a ledger row's `kind` and `amount` columns meet: a never-corrected kind has its own sign. */
export function keepsItsSignSql(kind = 'kind', amount = 'amount'): string {
  const of = (sign: 'charge' | 'credit') => NEVER_CORRECTED.filter((k) => KINDS[k].sign === sign).map((k) => `'${k}'`).join(', ');
  return `NOT ((${kind} IN (${of('charge')}) AND ${amount} > 0) OR (${kind} IN (${of('credit')}) AND ${amount} < 0))`;
}

/** The service a prorated charge covers (cl. 13): its days of the month's `periodDays`, and a bundle item's name. */
export interface ServiceSpan {
  from: IsoDate;
  to: IsoDate;
  days: number;
  periodDays: number;
  name?: string | null;
}

/** An entry as the rules see it. amount > 0 is in the subscriber's favour, < 0 is a charge. */
export interface Entry {
  id: number;
  valueDate: IsoDate;
  kind: EntryKind;
  amount: Tiyn;
  /** D-7: the id of the entry this one corrects (reverses or reduces), or null. */
  corrects?: number | null;
}

/**
 * The invoice period a charge or credit belongs to: the period of its value date (a prorated fee is
 * dated the last day it covers, a correction the day it corrects). The one answer to "which invoice".
 */
export function invoicePeriodOf(entry: { valueDate: IsoDate }): Period {
  return periodOf(entry.valueDate);
}

/**
 * D-7: what is left of each charge once the corrections that name it are taken off, by entry id
 * (only charges with something left): what a new correction of it may still reverse.
 */
export function leftToCorrect(entries: readonly Pick<Entry, 'id' | 'amount' | 'corrects'>[]): Map<number, Tiyn> {
  const left = new Map<number, Tiyn>();
  for (const e of entries) if (e.amount < 0 && !e.corrects) left.set(e.id, -e.amount);
  for (const e of entries) {
    if (!e.corrects || e.amount <= 0) continue;
    const was = left.get(e.corrects);
    if (was !== undefined) left.set(e.corrects, was - e.amount);
  }
  for (const [id, v] of left) if (v <= 0) left.delete(id);
  return left;
}
