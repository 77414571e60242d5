// Revenue of a period (what an accountant posts to 1C): service charges by kind and tariff with the
// VAT they include per rate (D-13, domain/vat.ts), corrections (reversals, recalculations,
// adjustments) apart, penalties apart. Which entry is a service charge, a correction or a penalty is
// read from the table of kinds and the correction link; the VAT is vat.ts's own rule.
import { KINDS, type EntryKind } from '../entries.js';
import type { IsoDate } from '../dates.js';
import type { Tiyn } from '../money.js';
import { isVatTurnover, vatByRate, vatIncluded, vatRateOn, type VatLine, type VatSettings } from '../vat.js';

export type RevenueSection = 'charges' | 'corrections' | 'penalties';

export interface RevenueEntry {
  valueDate: IsoDate;
  kind: EntryKind;
  amount: Tiyn;
  corrects: number | null;
}

/**
 * The section of an entry: a service charge that corrects nothing is a charge; a service entry that
 * gives something back (a correction of a charge, a recalculation, an adjustment) a correction;
 * penalties and their corrections apart; money (payments, refunds, transfers) is no revenue (null).
 */
export function revenueSection(e: Pick<RevenueEntry, 'kind' | 'amount' | 'corrects'>): RevenueSection | null {
  const { group } = KINDS[e.kind];
  if (group === 'penalty') return 'penalties';
  if (group !== 'service') return null;
  return e.amount < 0 && e.corrects === null ? 'charges' : 'corrections';
}

export interface RevenueRow {
  section: RevenueSection;
  tariff: string;
  kind: EntryKind;
  /** The VAT rate in force on the entries' value dates; null: not VAT turnover (or not a VAT payer). */
  rate: string | null;
  /** Turnover including VAT, as the subscriber was charged: > 0 charged, < 0 given back. */
  turnover: Tiyn;
  /** The VAT the row includes, round(turnover × r / (1 + r)). */
  vat: Tiyn;
}

export interface Revenue {
  rows: RevenueRow[];
  /**
   * The VAT per rate as the invoices state it: each account's period rounded on its own
   * (vatByRate over its entries), summed. It differs from the rows' VAT only by that rounding.
   */
  vatByRate: VatLine[];
}

/** Accumulates the period's entries account by account. */
export class RevenueBook {
  private readonly rows = new Map<string, RevenueRow>();
  private readonly byRate = new Map<string, VatLine>();
  private readonly rateOn: (day: IsoDate) => string | null;

  constructor(private readonly settings: VatSettings) {
    this.rateOn = vatRateOn(settings.rates);
  }

  /** One account's entries of the period, each with the tariff it was charged under. */
  add(entries: readonly (RevenueEntry & { tariff: string })[]): void {
    for (const e of entries) {
      const section = revenueSection(e);
      if (section === null) continue;
      const rate = isVatTurnover(e.kind, this.settings) ? this.rateOn(e.valueDate) : null;
      const key = `${section}|${e.tariff}|${e.kind}|${rate}`;
      const row = this.rows.get(key) ?? { section, tariff: e.tariff, kind: e.kind, rate, turnover: 0, vat: 0 };
      row.turnover -= e.amount;
      this.rows.set(key, row);
    }
    for (const line of vatByRate(entries, this.settings)) {
      const total = this.byRate.get(line.rate) ?? { rate: line.rate, turnover: 0, vat: 0 };
      total.turnover += line.turnover;
      total.vat += line.vat;
      this.byRate.set(line.rate, total);
    }
  }

  result(): Revenue {
    const order: Record<RevenueSection, number> = { charges: 0, corrections: 1, penalties: 2 };
    const rows = [...this.rows.values()]
      .filter((r) => r.turnover !== 0)
      .map((r) => ({ ...r, vat: vatIncluded(r.turnover, r.rate) }))
      .sort((a, b) => order[a.section] - order[b.section] || (a.tariff < b.tariff ? -1 : a.tariff > b.tariff ? 1 : 0) || (KINDS[a.kind].line ?? 99) - (KINDS[b.kind].line ?? 99) || String(a.rate).localeCompare(String(b.rate)));
    return { rows, vatByRate: [...this.byRate.values()] };
  }
}
