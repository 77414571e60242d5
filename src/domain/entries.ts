// Ledger entry kinds (SPEC section 3) and how each one behaves in the rules.
import type { IsoDate } from './dates.js';
import type { Tiyn } from './money.js';

export const ENTRY_KINDS = [
  'daily_fee',
  'monthly_fee',
  'port_reservation',
  'installation',
  'third_party',
  'penalty',
  'equipment',
  'backbill',
  'recalc',
  'payment',
  'refund',
  'transfer',
  'adjustment',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Movements of money itself, as opposed to charges and credits for service. */
export const MONEY_KINDS: ReadonlySet<EntryKind> = new Set(['payment', 'refund', 'transfer']);

export function isEntryKind(text: string): text is EntryKind {
  return (ENTRY_KINDS as readonly string[]).includes(text);
}

/** An entry as the rules see it. amount > 0 is in the subscriber's favour, < 0 is a charge. */
export interface Entry {
  id: number;
  valueDate: IsoDate;
  kind: EntryKind;
  amount: Tiyn;
}

/**
 * A payment-like credit is money the subscriber brought (or an adjustment in their favour): it is
 * allocated in the order of cl. 16. Any other credit (a recalculation, a reversed port reservation)
 * gives back a charge, so it settles principal, never penalties.
 */
export function isPaymentLike(kind: EntryKind): boolean {
  return kind === 'payment' || kind === 'transfer' || kind === 'adjustment';
}
