import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  countsAtStartOf,
  countsAtStartOfSql,
  dailyFee,
  daysToDecide,
  decideDay,
  firstUndecidedDay,
  firstUndecidedDaySql,
  hasDaysToDecideSql,
  lastChargeableDay,
  restores,
} from '../../src/domain/daily-fee.js';
import { addDays, daysInMonth, eachDay, lastDayOf } from '../../src/domain/dates.js';
import { ENTRY_KINDS } from '../../src/domain/entries.js';

const sumMonth = (monthly: number, period: string) =>
  [...eachDay(`${period}-01`, lastDayOf(period))].reduce((s, d) => s + dailyFee(monthly, d), 0);

describe('the daily fee (D-2: cumulative rounding)', () => {
  it('5 000 ₸ over November (30 days): 166.67, 166.66, 166.67 …', () => {
    // d=1: round(500000·1/30 = 16666.67) − 0 = 16667
    // d=2: round(33333.33) = 33333; 33333 − 16667 = 16666
    // d=3: round(50000) = 50000; 50000 − 33333 = 16667
    expect(dailyFee(500_000, '2026-11-01')).toBe(16_667);
    expect(dailyFee(500_000, '2026-11-02')).toBe(16_666);
    expect(dailyFee(500_000, '2026-11-03')).toBe(16_667);
    // d=30: 500000 − round(500000·29/30 = 483333.33) = 500000 − 483333 = 16667
    expect(dailyFee(500_000, '2026-11-30')).toBe(16_667);
    expect(sumMonth(500_000, '2026-11')).toBe(500_000);
  });

  it('5 000 ₸ over February 2026 (28 days)', () => {
    // d=1: round(17857.14) = 17857; d=4: round(71428.57) = 71429 − round(53571.43) = 53571 → 17858
    expect(dailyFee(500_000, '2026-02-01')).toBe(17_857);
    expect(dailyFee(500_000, '2026-02-04')).toBe(17_858);
    expect(sumMonth(500_000, '2026-02')).toBe(500_000);
  });

  it('5 000 ₸ over a 31-day month and over a leap February', () => {
    // d=16: round(500000·16/31 = 258064.52) = 258065 − round(500000·15/31 = 241935.48) = 241935 → 16130
    expect(dailyFee(500_000, '2026-12-16')).toBe(16_130);
    // d=1: round(16129.03) = 16129
    expect(dailyFee(500_000, '2026-12-01')).toBe(16_129);
    expect(sumMonth(500_000, '2026-12')).toBe(500_000);
    // 2028-02 has 29 days: d=1: round(500000/29 = 17241.38) = 17241
    expect(dailyFee(500_000, '2028-02-01')).toBe(17_241);
    expect(sumMonth(500_000, '2028-02')).toBe(500_000);
  });

  it('property: a full month sums to the monthly fee exactly, each day within a tiyn of M/n', () => {
    const months = ['2026-01', '2026-02', '2026-04', '2026-11', '2026-12', '2028-02'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), fc.constantFrom(...months), (monthly, period) => {
        const n = daysInMonth(period);
        const fees = [...eachDay(`${period}-01`, lastDayOf(period))].map((d) => dailyFee(monthly, d));
        expect(fees.reduce((a, b) => a + b, 0)).toBe(monthly);
        for (const f of fees) {
          expect(f).toBeGreaterThanOrEqual(Math.floor(monthly / n));
          expect(f).toBeLessThanOrEqual(Math.ceil(monthly / n));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the day decision (cl. 17.1–17.2)', () => {
  it('charges the fee when the balance covers it, else the port reservation', () => {
    expect(decideDay(16_667, 16_667, 30_000)).toEqual({ kind: 'daily_fee', amount: 16_667 });
    expect(decideDay(16_666, 16_667, 30_000)).toEqual({ kind: 'port_reservation', amount: 30_000 });
    expect(decideDay(-5_000, 16_667, 0)).toEqual({ kind: 'port_reservation', amount: 0 });
    expect(restores(16_667, 16_667)).toBe(true);
    expect(restores(16_666, 16_667)).toBe(false);
  });

  it('counts at the start of a day: earlier entries, and that day\u2019s credits and installation', () => {
    const day = '2026-11-05';
    expect(countsAtStartOf({ valueDate: '2026-11-04', kind: 'daily_fee', amount: -1 }, day)).toBe(true);
    expect(countsAtStartOf({ valueDate: day, kind: 'payment', amount: 100 }, day)).toBe(true);
    expect(countsAtStartOf({ valueDate: day, kind: 'installation', amount: -100 }, day)).toBe(true);
    expect(countsAtStartOf({ valueDate: day, kind: 'port_reservation', amount: -100 }, day)).toBe(false);
    expect(countsAtStartOf({ valueDate: day, kind: 'penalty', amount: -100 }, day)).toBe(false);
    expect(countsAtStartOf({ valueDate: '2026-11-06', kind: 'payment', amount: 100 }, day)).toBe(false);
  });
});

describe('the days a run decides (cl. 17.1, catch-up; cl. 23.6: none from the termination date)', () => {
  it('from the day after the last decided, or the connection date, to the run\u2019s day or the day before termination', () => {
    const a = { connectedOn: '2026-11-01', terminatedOn: null, debitedThrough: null };
    expect(daysToDecide(a, '2026-11-03')).toEqual({ first: '2026-11-01', last: '2026-11-03' });
    expect(daysToDecide({ ...a, debitedThrough: '2026-11-03' }, '2026-11-03')).toBeNull();
    expect(daysToDecide({ ...a, debitedThrough: '2026-11-02' }, '2026-11-10')).toEqual({ first: '2026-11-03', last: '2026-11-10' });
    // terminated on 4 Nov: the 3rd is the last day charged
    expect(daysToDecide({ ...a, terminatedOn: '2026-11-04' }, '2026-11-10')).toEqual({ first: '2026-11-01', last: '2026-11-03' });
    expect(daysToDecide({ ...a, terminatedOn: '2026-11-04', debitedThrough: '2026-11-03' }, '2026-11-10')).toBeNull();
    // connected after the run's day, or terminated on the connection date: nothing
    expect(daysToDecide(a, '2026-10-31')).toBeNull();
    expect(daysToDecide({ ...a, terminatedOn: '2026-11-01' }, '2026-11-10')).toBeNull();
    expect(firstUndecidedDay({ ...a, debitedThrough: '2026-11-30' })).toBe('2026-12-01');
    expect(lastChargeableDay({ terminatedOn: '2026-12-01' }, '2026-12-31')).toBe('2026-11-30');
  });
});

/**
 * The SQL the debit job asks the database is defined beside each rule; here each fragment runs in
 * SQLite over generated rows and must answer as the rule does.
 */
describe('the SQL beside the rules', () => {
  const sqlite = new Database(':memory:');
  const day = fc.integer({ min: 0, max: 70 }).map((n) => addDays('2026-10-25', n));

  it('countsAtStartOfSql is countsAtStartOf', () => {
    const counts = sqlite.prepare(`WITH l(value_date, kind, amount) AS (VALUES (@valueDate, @kind, @amount)) SELECT ${countsAtStartOfSql('l', '@day')} FROM l`).pluck();
    const amount = fc.integer({ min: 1, max: 1_000_000 }).chain((n) => fc.constantFrom(n, -n));
    fc.assert(
      fc.property(day, fc.constantFrom(...ENTRY_KINDS), amount, day, (valueDate, kind, a, probe) => {
        expect(Boolean(counts.get({ valueDate, kind, amount: a, day: probe }))).toBe(countsAtStartOf({ valueDate, kind, amount: a }, probe));
      }),
      { numRuns: 500 },
    );
  });

  it('firstUndecidedDaySql and hasDaysToDecideSql are firstUndecidedDay and daysToDecide', () => {
    const row = `WITH a(connected_on, terminated_on, debited_through) AS (VALUES (@connectedOn, @terminatedOn, @debitedThrough))`;
    const first = sqlite.prepare(`${row} SELECT ${firstUndecidedDaySql('a')} FROM a`).pluck();
    const pending = sqlite.prepare(`${row} SELECT ${hasDaysToDecideSql('a', '@through')} FROM a`).pluck();
    fc.assert(
      fc.property(
        day,
        fc.option(fc.integer({ min: -3, max: 40 }), { nil: null }),
        fc.option(fc.integer({ min: -3, max: 40 }), { nil: null }),
        fc.integer({ min: -3, max: 40 }),
        (connectedOn, terminated, decided, through) => {
          const a = {
            connectedOn,
            terminatedOn: terminated === null ? null : addDays(connectedOn, terminated),
            // a day decided is never before the connection
            debitedThrough: decided === null ? null : addDays(connectedOn, Math.max(decided, -1)),
          };
          const run = addDays(connectedOn, through);
          expect(first.get(a)).toBe(firstUndecidedDay(a));
          expect(Boolean(pending.get({ ...a, through: run }))).toBe(daysToDecide(a, run) !== null);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
