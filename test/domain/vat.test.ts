// D-13: the VAT included in prices, per rate by value date. Every figure worked out by hand.
import { describe, expect, it } from 'vitest';
import { KINDS, ENTRY_KINDS } from '../../src/domain/entries.js';
import { DEFAULT_VAT_RATES, DEFAULT_VAT_SETTINGS, NOT_A_VAT_PAYER, isVatTurnover, ratePercent, vatByRate, vatIncluded, vatPayerBetween, vatRateOn } from '../../src/domain/vat.js';

describe('vatIncluded', () => {
  it('5 000,00 ₸ at 16% includes 689,66 ₸', () => {
    // 500 000 × 0.16 / 1.16 = 68 965.517… → 68 966 tiyn
    expect(vatIncluded(500_000, '0.16')).toBe(68_966);
  });
  it('rounds half up, once: 2,90 ₸ at 16% includes 0,40 ₸; 1,16 ₸ includes 0,16 ₸', () => {
    // 290 × 0.16 / 1.16 = 40 exactly; 116 × 0.16 / 1.16 = 16 exactly
    expect(vatIncluded(290, '0.16')).toBe(40);
    expect(vatIncluded(116, '0.16')).toBe(16);
    // 5 000,00 at 12%: 500 000 × 0.12 / 1.12 = 53 571.428… → 53 571
    expect(vatIncluded(500_000, '0.12')).toBe(53_571);
    // 0,29 ₸ at 16%: 29 × 0.16 / 1.16 = 4 exactly; 0,36 ₸: 36 × 0.16 / 1.16 = 4.9655… → 5
    expect(vatIncluded(29, '0.16')).toBe(4);
    expect(vatIncluded(36, '0.16')).toBe(5);
  });
  it('a half tiyn rounds away from zero', () => {
    // at 60%: r / (1 + r) = 0.6 / 1.6 = 0.375; 4 tiyn × 0.375 = 1.5 → 2, and −1.5 → −2
    expect(vatIncluded(4, '0.6')).toBe(2);
    expect(vatIncluded(-4, '0.6')).toBe(-2);
    // 2 × 0.25 / 1.25 = 0.4 → 0
    expect(vatIncluded(2, '0.25')).toBe(0);
  });
  it('no VAT for a non-payer (null rate); the sign follows the amount', () => {
    expect(vatIncluded(500_000, null)).toBe(0);
    expect(vatIncluded(-500_000, '0.16')).toBe(-68_966);
  });
});

describe('rates by date', () => {
  it('12% before 2026, 16% from 1 January 2026 by default', () => {
    const on = vatRateOn(DEFAULT_VAT_RATES);
    expect(on('2025-12-31')).toBe('0.12');
    expect(on('2026-01-01')).toBe('0.16');
    expect(on('2030-06-01')).toBe('0.16');
    expect(vatRateOn(NOT_A_VAT_PAYER)('2026-10-01')).toBeNull();
  });
  it('before the first version there is no rate; a payer from a date mid-period counts for that period', () => {
    const late = [{ effectiveFrom: '2026-10-15', rate: '0.16' }];
    expect(vatRateOn(late)('2026-10-14')).toBeNull();
    expect(vatPayerBetween(late, '2026-10-01', '2026-10-31')).toBe(true);
    expect(vatPayerBetween(late, '2026-09-01', '2026-09-30')).toBe(false);
    expect(vatPayerBetween(NOT_A_VAT_PAYER, '2026-09-01', '2026-09-30')).toBe(false);
  });
  it('prints a rate as a percentage', () => {
    expect(ratePercent('0.16')).toBe('16');
    expect(ratePercent('0.125')).toBe('12,5');
  });
});

describe('vatByRate', () => {
  it('the service charges of a period, penalties and payments left out', () => {
    const lines = vatByRate(
      [
        { valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000 },
        { valueDate: '2026-10-16', kind: 'installation', amount: -1_000_000 },
        { valueDate: '2026-10-20', kind: 'recalc', amount: 16_129 },
        { valueDate: '2026-10-26', kind: 'penalty', amount: -2_500 },
        { valueDate: '2026-10-05', kind: 'payment', amount: 300_000 },
      ],
      DEFAULT_VAT_SETTINGS,
    );
    // turnover 5 000 + 10 000 − 161,29 = 14 838,71 ₸; 1 483 871 × 0.16 / 1.16 = 204 671.862… → 204 672 = 2 046,72 ₸
    expect(lines).toEqual([{ rate: '0.16', turnover: 1_483_871, vat: 204_672 }]);
  });
  it('penalties are turnover when the setting says so', () => {
    const lines = vatByRate([{ valueDate: '2026-10-26', kind: 'penalty', amount: -2_900 }], { ...DEFAULT_VAT_SETTINGS, penaltiesTaxable: true });
    // 2 900 × 0.16 / 1.16 = 400
    expect(lines).toEqual([{ rate: '0.16', turnover: 2_900, vat: 400 }]);
    expect(vatByRate([{ valueDate: '2026-10-26', kind: 'penalty', amount: -2_900 }], DEFAULT_VAT_SETTINGS)).toEqual([]);
  });
  it('a period that spans a change of rate: one line per rate, each rounded on its own', () => {
    const settings = { rates: [...DEFAULT_VAT_RATES, { effectiveFrom: '2027-03-16', rate: '0.2' }], penaltiesTaxable: false };
    const lines = vatByRate(
      [
        { valueDate: '2027-03-15', kind: 'daily_fee', amount: -7_500 },
        { valueDate: '2027-03-16', kind: 'daily_fee', amount: -7_500 },
        { valueDate: '2027-03-17', kind: 'daily_fee', amount: -7_500 },
      ],
      settings,
    );
    // 16%: 7 500 × 0.16 / 1.16 = 1 034.48… → 1 034; 20%: 15 000 × 0.2 / 1.2 = 2 500
    expect(lines).toEqual([
      { rate: '0.16', turnover: 7_500, vat: 1_034 },
      { rate: '0.2', turnover: 15_000, vat: 2_500 },
    ]);
  });
  it('nothing for a non-payer', () => {
    expect(vatByRate([{ valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000 }], { rates: NOT_A_VAT_PAYER, penaltiesTaxable: false })).toEqual([]);
  });
  it('the kinds that are turnover come from the one table of kinds', () => {
    const turnover = ENTRY_KINDS.filter((k) => isVatTurnover(k, { penaltiesTaxable: false }));
    expect(turnover).toEqual(ENTRY_KINDS.filter((k) => KINDS[k].group === 'service'));
    expect(ENTRY_KINDS.filter((k) => isVatTurnover(k, { penaltiesTaxable: true }))).toEqual([...turnover, 'penalty']);
  });
});
