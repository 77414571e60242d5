// The limits the contract sets on an operator's manual actions (domain/adjustments.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { debtOnTermination, effectiveNotPast, firstUnchargedDay, lowestBalanceFrom } from '../../src/domain/adjustments.js';
import { addDays, eachDay } from '../../src/domain/dates.js';

describe('a price change or a discontinuation from a day passed (cl. 23.14, 28)', () => {
  it('is refused before today, taken from today on', () => {
    expect(effectiveNotPast('2026-12-01', '2026-12-02')).toBe(false);
    expect(effectiveNotPast('2026-12-02', '2026-12-02')).toBe(true);
    expect(effectiveNotPast('2027-01-01', '2026-12-02')).toBe(true);
  });
});

describe('a recalculation covers only days already charged (cl. 21.5, 24.3)', () => {
  const service = { connectedOn: '2026-11-01', terminatedOn: null };

  it('advance: the days its daily debit decided', () => {
    const charged = { method: 'advance', debitedThrough: '2026-11-10' } as const;
    expect(firstUnchargedDay('2026-11-09', '2026-11-12', service, charged)).toBe('2026-11-11');
    expect(firstUnchargedDay('2026-11-01', '2026-11-10', service, charged)).toBeUndefined();
    // a year ahead: refused at the first day to come
    expect(firstUnchargedDay('2026-11-05', '2027-11-04', service, charged)).toBe('2026-11-11');
    expect(firstUnchargedDay('2026-11-03', '2026-11-04', service, { method: 'advance', debitedThrough: null })).toBe('2026-11-03');
  });

  it('credit: the days of periods whose monthly fee is charged', () => {
    const charged = { method: 'credit', periods: new Set(['2026-10', '2026-12']) } as const;
    expect(firstUnchargedDay('2026-10-30', '2026-11-02', { connectedOn: '2026-10-16', terminatedOn: null }, charged)).toBe('2026-11-01');
    expect(firstUnchargedDay('2026-12-30', '2027-01-02', { connectedOn: '2026-10-16', terminatedOn: null }, charged)).toBe('2027-01-01');
  });

  it('days outside the service (before the connection, from the termination on) are not asked about', () => {
    const charged = { method: 'advance', debitedThrough: '2026-11-10' } as const;
    expect(firstUnchargedDay('2026-10-20', '2026-11-03', service, charged)).toBeUndefined();
    // terminated on 11 Nov: the 10th was its last day of service
    expect(firstUnchargedDay('2026-11-09', '2026-11-30', { connectedOn: '2026-11-01', terminatedOn: '2026-11-11' }, charged)).toBeUndefined();
  });
});

describe('what an account holds for a transfer dated D', () => {
  // 1 000,00 ₸ paid on 16 Nov, 800,00 ₸ charged on 20 Nov, 800,00 ₸ paid on 25 Nov: 1 000 → 200 → 1 000
  const entries = [
    { valueDate: '2026-11-25', amount: 80_000 },
    { valueDate: '2026-11-16', amount: 100_000 },
    { valueDate: '2026-11-20', amount: -80_000 },
  ];

  it('money dated after D does not count; money spent after D counts where it was spent', () => {
    expect(lowestBalanceFrom(entries, '2026-11-15')).toEqual({ balance: 0, on: '2026-11-15' });
    expect(lowestBalanceFrom(entries, '2026-11-16')).toEqual({ balance: 20_000, on: '2026-11-20' });
    expect(lowestBalanceFrom(entries, '2026-11-21')).toEqual({ balance: 20_000, on: '2026-11-21' });
    expect(lowestBalanceFrom(entries, '2026-11-25')).toEqual({ balance: 100_000, on: '2026-11-25' });
    expect(lowestBalanceFrom(entries, '2026-12-31')).toEqual({ balance: 100_000, on: '2026-12-31' });
    expect(lowestBalanceFrom([], '2026-11-15')).toEqual({ balance: 0, on: '2026-11-15' });
  });

  it('is the lowest of the day-end balances from D on, counted day by day', () => {
    const day = fc.integer({ min: 0, max: 20 }).map((n) => addDays('2026-11-01', n));
    const entry = fc.record({ valueDate: day, amount: fc.integer({ min: -50_000, max: 50_000 }).filter((a) => a !== 0) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 25 }), day, (list, date) => {
        const endOf = (d: string) => list.filter((e) => e.valueDate <= d).reduce((s, e) => s + e.amount, 0);
        const lowest = Math.min(...[...eachDay(date, '2026-11-21')].map(endOf));
        const got = lowestBalanceFrom(list, date);
        expect(got.balance).toBe(lowest);
        expect(endOf(got.on)).toBe(lowest);
        expect(got.on >= date).toBe(true);
      }),
      { seed: 2026, numRuns: 300 },
    );
  });
});

describe('termination at the subscriber\u2019s request once the debt to its date is paid (D-11)', () => {
  // October's fee 5 000,00 ₸, a penalty of 25,00 ₸ on 26 Nov, 2 000,00 ₸ paid on 27 Nov
  const entries = [
    { id: 1, valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000 },
    { id: 2, valueDate: '2026-11-26', kind: 'penalty', amount: -2_500 },
    { id: 3, valueDate: '2026-11-27', kind: 'payment', amount: 200_000 },
  ] as const;

  it('counts unpaid principal and penalties on the date, payments of that day included', () => {
    expect(debtOnTermination(entries, '2026-10-30')).toEqual({ debt: 0, penaltyDebt: 0, total: 0 });
    expect(debtOnTermination(entries, '2026-11-26')).toEqual({ debt: 500_000, penaltyDebt: 2_500, total: 502_500 });
    // the payment settles the penalty first (cl. 16), then 1 975,00 of the principal: 5 000 − 1 975 = 3 025,00 left
    expect(debtOnTermination(entries, '2026-11-27')).toEqual({ debt: 302_500, penaltyDebt: 0, total: 302_500 });
  });
});
