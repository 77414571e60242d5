// VAT (SPEC D-13): tariffs are prices including VAT (ҚҚС / НДС). The operator's rate is a setting
// in versions by date (12% before 1 January 2026, 16% from then under the Tax Code of 2025; `null`
// while the operator is not a VAT payer). The rate of an amount is the one in force on its turnover
// date, the entry's value date. The VAT included in an amount is round(amount × r / (1 + r)), half
// up to the tiyn, once per rate. Which kinds are turnover is the `vat` property of the one table of
// kinds (entries.ts); penalties are turnover only when the operator's setting says so (default not).
// Pure: no IO, no clock.
import type { IsoDate } from './dates.js';
import { KINDS, type EntryKind } from './entries.js';
import { Dec, roundTiyn, type Tiyn } from './money.js';

/** A VAT rate as a decimal fraction in text ("0.16"), or null: not a VAT payer. */
export type VatRate = string | null;

/** One version of the rate, in force from its date until the next version's. */
export interface VatRateVersion {
  effectiveFrom: IsoDate;
  rate: VatRate;
}

/** The settings the VAT rule reads. */
export interface VatSettings {
  /** The rate versions, any order. */
  rates: readonly VatRateVersion[];
  /** Whether penalties (cl. 23.7) are VAT turnover; default not (D-13). */
  penaltiesTaxable: boolean;
}

/** The default versions: 12% until 31 December 2025, 16% from 1 January 2026 (Tax Code of 2025). */
export const DEFAULT_VAT_RATES: readonly VatRateVersion[] = [
  { effectiveFrom: '0001-01-01', rate: '0.12' },
  { effectiveFrom: '2026-01-01', rate: '0.16' },
];

/** The versions of an operator that is not a VAT payer. */
export const NOT_A_VAT_PAYER: readonly VatRateVersion[] = [{ effectiveFrom: '0001-01-01', rate: null }];

export const DEFAULT_VAT_SETTINGS: VatSettings = { rates: DEFAULT_VAT_RATES, penaltiesTaxable: false };

/** A rate is a decimal fraction from 0 to below 1, as text: "0.16". */
export function isVatRate(text: string): boolean {
  return /^0(\.\d{1,6})?$/.test(text);
}

/**
 * The rate in force on each day: the latest version with effectiveFrom ≤ day; before the earliest
 * version, none (null: no VAT), so a list that starts late says "not a payer before".
 */
export function vatRateOn(versions: readonly VatRateVersion[]): (day: IsoDate) => VatRate {
  const sorted = [...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
  return (day) => {
    let found: VatRate = null;
    for (const v of sorted) {
      if (v.effectiveFrom > day) break;
      found = v.rate;
    }
    return found;
  };
}

/**
 * D-13: the VAT included in an amount that includes VAT at `rate`: round(amount × r / (1 + r)), half
 * up (away from zero at .5) to the tiyn. 5 000,00 ₸ at 16%: 500 000 × 0.16 / 1.16 = 68 965.517… → 68 966
 * tiyn = 689,66 ₸. A null rate (not a VAT payer) includes none. The sign follows the amount.
 */
export function vatIncluded(amount: Tiyn, rate: VatRate): Tiyn {
  if (rate === null) return 0;
  const r = new Dec(rate);
  return roundTiyn(new Dec(amount).mul(r).div(r.plus(1)));
}

/** Whether an entry of this kind is VAT turnover under the settings (the `vat` property of KINDS). */
export function isVatTurnover(kind: EntryKind, settings: Pick<VatSettings, 'penaltiesTaxable'>): boolean {
  const v = KINDS[kind].vat;
  return v === 'turnover' || (v === 'penalty' && settings.penaltiesTaxable);
}

/** The VAT of a document at one rate: the turnover at that rate (including VAT) and the VAT it includes. */
export interface VatLine {
  rate: string;
  /** Turnover at this rate, VAT included, as charged: > 0 what the subscriber was charged (charges net of the credits that give them back). */
  turnover: Tiyn;
  /** round(turnover × r / (1 + r)). */
  vat: Tiyn;
}

/**
 * The VAT included in a set of ledger entries (an invoice's period, a report's), per rate: the
 * turnover entries grouped by the rate in force on each one's value date, each group's net amount
 * taken as turnover (charges are negative on the ledger, so turnover = −sum) and its VAT rounded
 * once. Ordered by rate's first day. Empty when no entry is turnover at a rate (not a VAT payer).
 * Groups that net to zero are left out.
 */
export function vatByRate(entries: readonly { valueDate: IsoDate; kind: EntryKind; amount: Tiyn }[], settings: VatSettings): VatLine[] {
  const rateOn = vatRateOn(settings.rates);
  const byRate = new Map<string, { first: IsoDate; sum: Tiyn }>();
  for (const e of entries) {
    if (!isVatTurnover(e.kind, settings)) continue;
    const rate = rateOn(e.valueDate);
    if (rate === null) continue;
    const g = byRate.get(rate);
    if (g) {
      g.sum += e.amount;
      if (e.valueDate < g.first) g.first = e.valueDate;
    } else byRate.set(rate, { first: e.valueDate, sum: e.amount });
  }
  return [...byRate.entries()]
    .sort(([, a], [, b]) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))
    .filter(([, g]) => g.sum !== 0)
    .map(([rate, g]) => ({ rate, turnover: -g.sum, vat: vatIncluded(-g.sum, rate) }));
}

/** The total VAT of the lines (0 when there are none). */
export function vatTotal(lines: readonly VatLine[]): Tiyn {
  return lines.reduce((s, l) => s + l.vat, 0);
}

/** Whether the operator was a VAT payer on any day from `from` to `to` (a document then states its VAT, even 0). */
export function vatPayerBetween(versions: readonly VatRateVersion[], from: IsoDate, to: IsoDate): boolean {
  if (vatRateOn(versions)(from) !== null) return true;
  return versions.some((v) => v.rate !== null && v.effectiveFrom > from && v.effectiveFrom <= to);
}

/** A rate for people: "0.16" → "16", "0.125" → "12,5" (the template adds the %). */
export function ratePercent(rate: string): string {
  return new Dec(rate).mul(100).toString().replace('.', ',');
}
