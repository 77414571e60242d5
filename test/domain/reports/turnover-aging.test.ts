import { describe, expect, it } from 'vitest';
import { ENTRY_KINDS, KINDS } from '../../../src/domain/entries.js';
import { agingOn, bucketOf } from '../../../src/domain/reports/aging.js';
import { balances, turnoverColumn, turnoverLine, turnoverTotals } from '../../../src/domain/reports/turnover.js';

describe('turnover columns, from the kinds table', () => {
  it('penalties, payments, service charges, credits and money out each have their column', () => {
    expect(turnoverColumn('daily_fee', -16_129)).toBe('charges');
    expect(turnoverColumn('daily_fee', 16_129)).toBe('other_credits'); // a reversed fee (D-7)
    expect(turnoverColumn('penalty', -2_000)).toBe('penalties');
    expect(turnoverColumn('penalty', 2_000)).toBe('penalties'); // corrected (D-4): net
    expect(turnoverColumn('payment', 500_000)).toBe('payments');
    expect(turnoverColumn('refund', -500_000)).toBe('other_debits');
    expect(turnoverColumn('transfer', -100)).toBe('other_debits');
    expect(turnoverColumn('transfer', 100)).toBe('other_credits');
    expect(turnoverColumn('recalc', 16_129)).toBe('other_credits');
  });

  it('every kind of every sign has a column, and a kind goes by its group', () => {
    for (const kind of ENTRY_KINDS) {
      for (const amount of [-1, 1]) {
        const col = turnoverColumn(kind, amount);
        if (KINDS[kind].group === 'penalty') expect(col).toBe('penalties');
        if (col === 'charges') expect(KINDS[kind].group).toBe('service');
      }
    }
  });

  it('a line: opening −1 000,00; fee 5 000,00, recalc 161,29, penalty 20,00, payment 6 000,00 → closing 141,29', () => {
    // −100 000 − 500 000 = −600 000; + 16 129 = −583 871; − 2 000 = −585 871; + 600 000 = 14 129 tiyn:
    // closing 141,29 in the subscriber's favour
    const l = turnoverLine('1001', -100_000, [
      { kind: 'monthly_fee', amount: -500_000 },
      { kind: 'recalc', amount: 16_129 },
      { kind: 'penalty', amount: -2_000 },
      { kind: 'payment', amount: 600_000 },
    ]);
    expect(l).toEqual({ account: '1001', opening: -100_000, charges: 500_000, chargesByKind: { monthly_fee: 500_000 }, penalties: 2_000, payments: 600_000, otherCredits: 16_129, otherDebits: 0, closing: 14_129 });
    expect(balances(l)).toBe(true);
    const t = turnoverTotals([l, turnoverLine('1002', 5_000, [])]);
    // opening: debit side 1 000,00 (1001 owes), credit side 50,00 (1002's prepayment); closing: credit 141,29 + 50,00
    expect([t.openingDebit, t.openingCredit, t.closingDebit, t.closingCredit, t.opening, t.closing]).toEqual([100_000, 5_000, 0, 19_129, -95_000, 19_129]);
  });
});

describe('aging buckets', () => {
  it('days overdue 1–30, 31–60, 61–90, over 90', () => {
    expect([1, 30, 31, 60, 61, 90, 91].map(bucketOf)).toEqual(['d1_30', 'd1_30', 'd31_60', 'd31_60', 'd61_90', 'd61_90', 'over_90']);
  });

  it('an October invoice of 4 000,00 unpaid, November 4 000,00 half paid, December not invoiced, on 31 December', () => {
    const entries = [
      { id: 1, valueDate: '2026-10-31', kind: 'monthly_fee' as const, amount: -400_000 },
      { id: 2, valueDate: '2026-11-30', kind: 'monthly_fee' as const, amount: -400_000 },
      { id: 3, valueDate: '2026-11-26', kind: 'penalty' as const, amount: -2_000 },
      { id: 4, valueDate: '2026-12-10', kind: 'payment' as const, amount: 202_000 },
      { id: 5, valueDate: '2026-12-31', kind: 'monthly_fee' as const, amount: -400_000 },
      { id: 6, valueDate: '2027-01-05', kind: 'payment' as const, amount: 1_000_000 }, // after the day: not counted
    ];
    const invoices = [
      { id: 10, period: '2026-10', dueOn: '2026-11-25', principal: 400_000 },
      { id: 11, period: '2026-11', dueOn: '2026-12-25', principal: 400_000 },
    ];
    // the payment of 2 020,00 on 10.12 pays the penalty 20,00 first (cl. 16), then 2 000,00 of October's principal:
    // October 2 000,00 unpaid, 36 days past 25.11 → 31–60; November 4 000,00, 6 days past 25.12 → 1–30;
    // December 4 000,00 not invoiced → not due. Debt 10 000,00, penalties 0.
    const a = agingOn(entries, invoices, '2026-12-31', 0);
    expect(a.buckets).toEqual({ not_due: 400_000, d1_30: 400_000, d31_60: 200_000, d61_90: 0, over_90: 0 });
    expect([a.debt, a.penalties]).toEqual([1_000_000, 0]);
    expect(a.invoices).toEqual([
      { invoiceId: 10, dueOn: '2026-11-25', days: 36, bucket: 'd31_60', unpaid: 200_000 },
      { invoiceId: 11, dueOn: '2026-12-25', days: 6, bucket: 'd1_30', unpaid: 400_000 },
    ]);
    // with 10 grace days the November invoice is not overdue yet on 31.12 (25.12 + 10 = 04.01): not due
    expect(agingOn(entries, invoices, '2026-12-31', 10).buckets).toEqual({ not_due: 800_000, d1_30: 0, d31_60: 200_000, d61_90: 0, over_90: 0 });
  });
});

describe('revenue: charges, corrections and penalties apart, the VAT per rate', () => {
  it('a month of two tariffs at 16%: each row its VAT, the rate total as each account rounds it', async () => {
    const { RevenueBook, revenueSection } = await import('../../../src/domain/reports/revenue.js');
    expect(revenueSection({ kind: 'monthly_fee', amount: -1, corrects: null })).toBe('charges');
    expect(revenueSection({ kind: 'daily_fee', amount: 1, corrects: 7 })).toBe('corrections');
    expect(revenueSection({ kind: 'recalc', amount: 1, corrects: 7 })).toBe('corrections');
    expect(revenueSection({ kind: 'penalty', amount: -1, corrects: null })).toBe('penalties');
    expect(revenueSection({ kind: 'payment', amount: 1, corrects: null })).toBeNull();
    const book = new RevenueBook({ rates: [{ effectiveFrom: '2026-01-01', rate: '0.16' }], penaltiesTaxable: false });
    // account 1: NET 5 000,00, a recalculated day of 161,29, a penalty 25,00, a payment
    book.add([
      { valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000, corrects: null, tariff: 'NET' },
      { valueDate: '2026-10-15', kind: 'recalc', amount: 16_129, corrects: 1, tariff: 'NET' },
      { valueDate: '2026-10-26', kind: 'penalty', amount: -2_500, corrects: null, tariff: 'NET' },
      { valueDate: '2026-10-20', kind: 'payment', amount: 500_000, corrects: null, tariff: 'NET' },
    ]);
    // account 2: NET 5 000,00
    book.add([{ valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000, corrects: null, tariff: 'NET' }]);
    const r = book.result();
    expect(r.rows).toEqual([
      // 10 000,00 × 0,16 / 1,16 = 1 379,310 3… → 1 379,31
      { section: 'charges', tariff: 'NET', kind: 'monthly_fee', rate: '0.16', turnover: 1_000_000, vat: 137_931 },
      // −161,29 × 0,16 / 1,16 = −22,246… → −22,25
      { section: 'corrections', tariff: 'NET', kind: 'recalc', rate: '0.16', turnover: -16_129, vat: -2_225 },
      // penalties are not VAT turnover (D-13, the default)
      { section: 'penalties', tariff: 'NET', kind: 'penalty', rate: null, turnover: 2_500, vat: 0 },
    ]);
    // per account as the invoices round: (5 000,00 − 161,29) = 4 838,71 → 667,408… → 667,41; 5 000,00 → 689,655… → 689,66;
    // 667,41 + 689,66 = 1 357,07 on 9 838,71 (the rows: 1 379,31 − 22,25 = 1 357,06: a tiyn of rounding apart)
    expect(r.vatByRate).toEqual([{ rate: '0.16', turnover: 983_871, vat: 135_707 }]);
  });
});
