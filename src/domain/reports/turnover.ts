// The turnover sheet (оборотно-сальдовая ведомость) of a period: per account the opening balance,
// the period's entries by turnover column, the closing balance. Which column an entry goes to is
// read from the table of kinds (entries.ts: group and sign), never from a second list of kinds.
import { KINDS, type EntryKind } from '../entries.js';
import type { Tiyn } from '../money.js';

/**
 * - `charges`: service charged (debit turnover of the service kinds), by kind;
 * - `penalties`: cl. 23.7 penalties net of their corrections (D-4), as a charge (positive = charged);
 * - `payments`: bank payments applied, net of a payment moved away;
 * - `other_credits`: service credited (recalculations, reversals, adjustments) and money moved in
 *   (a transfer from another account);
 * - `other_debits`: money moved out (a refund paid out, a transfer to another account).
 */
export type TurnoverColumn = 'charges' | 'penalties' | 'payments' | 'other_credits' | 'other_debits';

/** The column of an entry of `kind` and `amount` (amount > 0 is in the subscriber's favour). */
export function turnoverColumn(kind: EntryKind, amount: Tiyn): TurnoverColumn {
  const { group } = KINDS[kind];
  if (group === 'penalty') return 'penalties';
  if (kind === 'payment') return 'payments';
  if (amount > 0) return 'other_credits';
  return group === 'service' ? 'charges' : 'other_debits';
}

export interface TurnoverLine {
  account: string;
  /** Balance before the period's first day (positive = in the subscriber's favour). */
  opening: Tiyn;
  /** Every column as a positive figure in its own direction: charges, penalties, other debits lower the balance. */
  charges: Tiyn;
  chargesByKind: Partial<Record<EntryKind, Tiyn>>;
  penalties: Tiyn;
  payments: Tiyn;
  otherCredits: Tiyn;
  otherDebits: Tiyn;
  closing: Tiyn;
}

export type TurnoverTotals = Omit<TurnoverLine, 'account'> & {
  /** The opening and closing as an accountant's sheet shows them: debts (debit side) and prepayments (credit side) apart. */
  openingDebit: Tiyn;
  openingCredit: Tiyn;
  closingDebit: Tiyn;
  closingCredit: Tiyn;
};

/** The period's net amounts of one account, by kind and direction (what the ledger query groups). */
export interface KindTurnover {
  kind: EntryKind;
  /** The sum of the entries of this kind and direction (negative for charges). */
  amount: Tiyn;
}

/** One account's line from its opening balance and the period's sums by kind and direction. */
export function turnoverLine(account: string, opening: Tiyn, sums: readonly KindTurnover[]): TurnoverLine {
  const line: TurnoverLine = { account, opening, charges: 0, chargesByKind: {}, penalties: 0, payments: 0, otherCredits: 0, otherDebits: 0, closing: opening };
  for (const { kind, amount } of sums) {
    if (amount === 0) continue;
    line.closing += amount;
    switch (turnoverColumn(kind, amount)) {
      case 'charges':
        line.charges -= amount;
        line.chargesByKind[kind] = (line.chargesByKind[kind] ?? 0) - amount;
        break;
      case 'penalties':
        line.penalties -= amount;
        break;
      case 'payments':
        line.payments += amount;
        break;
      case 'other_credits':
        line.otherCredits += amount;
        break;
      case 'other_debits':
        line.otherDebits -= amount;
        break;
    }
  }
  return line;
}

/** closing = opening − charges − penalties + payments + other credits − other debits: the sheet's own check. */
export function balances(line: Omit<TurnoverLine, 'account' | 'chargesByKind'>): boolean {
  return line.closing === line.opening - line.charges - line.penalties + line.payments + line.otherCredits - line.otherDebits;
}

export function turnoverTotals(lines: readonly TurnoverLine[]): TurnoverTotals {
  const t: TurnoverTotals = {
    opening: 0, charges: 0, chargesByKind: {}, penalties: 0, payments: 0, otherCredits: 0, otherDebits: 0, closing: 0,
    openingDebit: 0, openingCredit: 0, closingDebit: 0, closingCredit: 0,
  };
  for (const l of lines) {
    t.opening += l.opening;
    t.charges += l.charges;
    t.penalties += l.penalties;
    t.payments += l.payments;
    t.otherCredits += l.otherCredits;
    t.otherDebits += l.otherDebits;
    t.closing += l.closing;
    for (const [kind, v] of Object.entries(l.chargesByKind) as [EntryKind, Tiyn][]) t.chargesByKind[kind] = (t.chargesByKind[kind] ?? 0) + v;
    if (l.opening < 0) t.openingDebit -= l.opening;
    else t.openingCredit += l.opening;
    if (l.closing < 0) t.closingDebit -= l.closing;
    else t.closingCredit += l.closing;
  }
  return t;
}

/** The service kinds that can be charged, in the invoice's order: the columns of charges by kind. */
export const CHARGE_KINDS: readonly EntryKind[] = (Object.keys(KINDS) as EntryKind[])
  .filter((k) => KINDS[k].group === 'service' && KINDS[k].sign === 'charge')
  .sort((a, b) => (KINDS[a].line ?? 99) - (KINDS[b].line ?? 99));
