// Idempotency keys: the same fact always gets the same key, so a retried job cannot post it twice
// (TigerBeetle's transfer id). Every key is made here, by a constructor named for its fact; nothing
// parses a key back: what a rule needs to know about an entry is in a column (kind, value date,
// invoice, payment, run, the entry it corrects).
import type { IsoDate, Period } from './dates.js';

/** cl. 17: the day's decision of an advance account, a daily fee or a port reservation. */
export const dailyDecisionKey = (account: string, day: IsoDate) => `day:${account}:${day}`;

/** cl. 18: the installation fee, once per account (the debit and month-end use the same key). */
export const installationKey = (account: string) => `install:${account}`;

/** D-3: restoration on a day: the day's port reservation reversed, and the day's fee charged. */
export const restorationPortReversalKey = (account: string, day: IsoDate) => `restore:${account}:${day}:port`;
export const restorationFeeKey = (account: string, day: IsoDate) => `restore:${account}:${day}:fee`;

/** cl. 23.6: a service charge dated on or after the termination date, reversed; one per entry. */
export const terminationReversalKey = (entryKey: string) => `terminated:${entryKey}`;

/** cl. 13: a credit account's monthly fee of P; a later price version's days carry their first day. */
export const monthlyFeeKey = (account: string, period: Period, segmentFrom?: IsoDate) =>
  segmentFrom === undefined ? `monthly:${account}:${period}` : `monthly:${account}:${period}:${segmentFrom}`;

/** cl. 23.10: the bundle's third-party item of P, the same way. */
export const thirdPartyKey = (account: string, period: Period, segmentFrom?: IsoDate) =>
  segmentFrom === undefined ? `third_party:${account}:${period}` : `third_party:${account}:${period}:${segmentFrom}`;

/** D-7, D-10: the n-th correction of a month-end charge (the days from a termination credited back). */
export const monthEndCorrectionKey = (chargeKey: string, n: number) => `${chargeKey}:corr:${n}`;

/** cl. 23.7, D-4: the n-th entry posted for an invoice's penalty of a day (1: the charge, later: corrections). */
export const penaltyKey = (invoiceId: number, day: IsoDate, n: number) => `penalty:${invoiceId}:${day}:${n}`;

/** cl. 21.5, 24.3: a day's fee credited back; the n-th entry when one day's fee is corrected in parts. */
export const recalcKey = (account: string, day: IsoDate, n = 1) => (n === 1 ? `recalc:${account}:${day}` : `recalc:${account}:${day}:${n}`);

/** cl. 23.18: a back-billed undercharge, by day and a digest of amount and reason. */
export const backbillKey = (account: string, day: IsoDate, digest: string) => `backbill:${account}:${day}:${digest}`;

/** cl. 22.10: equipment not returned by its deadline, charged once. */
export const equipmentChargeKey = (equipmentId: number) => `equipment:${equipmentId}`;

/** A bank payment applied to its account. */
export const paymentKey = (paymentId: number) => `payment:${paymentId}`;

/**
 * D-7: the n-th move of a payment (moved to another account, returned to suspense, reversed by the
 * bank): the entry that takes it off the account it was on, and the one that applies it where it
 * goes. By move number, not by account: a payment moved A → B → A gets keys of its own each time.
 */
export const paymentUndoKey = (paymentId: number, n: number) => `payment:${paymentId}:undo:${n}`;
export const paymentMovedKey = (paymentId: number, n: number) => `payment:${paymentId}:move:${n}`;

/** D-3 backwards: today's fee that the n-th move took the money of, reversed, and the day's port reservation charged instead. */
export const paymentUndoFeeKey = (paymentId: number, n: number) => `payment:${paymentId}:undo:${n}:fee`;
export const paymentUndoPortKey = (paymentId: number, n: number) => `payment:${paymentId}:undo:${n}:port`;
/** D-3: the day decided again on the account the n-th move took the payment to (its reversed fee charged again, the port reservation reversed). */
export const paymentMovedFeeKey = (paymentId: number, n: number) => `payment:${paymentId}:move:${n}:fee`;
export const paymentMovedPortKey = (paymentId: number, n: number) => `payment:${paymentId}:move:${n}:port`;

/** cl. 17.4: a refund paid out, by the payment order's reference or by day and amount. */
export const refundKey = (account: string, ref: string | undefined, day: IsoDate, amount: number) =>
  ref ? `refund:${account}:${ref}` : `refund:${account}:${day}:${amount}`;

/** A transfer between accounts: its two entries, out of one and into the other. */
export function transferKeys(from: string, to: string, ref: string | undefined, day: IsoDate, amount: number): { out: string; in: string } {
  const base = ref ? `transfer:${from}:${to}:${ref}` : `transfer:${from}:${to}:${day}:${amount}`;
  return { out: `${base}:out`, in: `${base}:in` };
}

/**
 * An access event: one per account, day and event; `by`, the key of the fact behind it, where one
 * day can hold the event twice (an account restored by a payment and suspended again the same day
 * when the payment is moved away: docs/payments.md).
 */
export const accessEventKey = (event: string, account: string, day: IsoDate, by?: string) =>
  by === undefined ? `${event}:${account}:${day}` : `${event}:${account}:${day}:${by}`;
