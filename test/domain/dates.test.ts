import { describe, expect, it } from 'vitest';
import {
  addDays,
  yearOf,
  billingDayOf,
  dayOfMonth,
  daysBetween,
  daysInMonth,
  eachDay,
  isIsoDate,
  isPeriod,
  lastDayOf,
  nextPeriod,
  outsideWindow,
  parseFileDate,
  previousPeriod,
  windowAround,
} from '../../src/domain/dates.js';

describe('billing day in Asia/Almaty (UTC+5)', () => {
  it('is already tomorrow in Almaty at 19:00 UTC', () => {
    // 2026-11-25T19:00Z is 2026-11-26 00:00 in Almaty
    expect(billingDayOf(new Date('2026-11-25T19:00:00Z'))).toBe('2026-11-26');
    // 18:59:59Z is still 23:59:59 on the 25th
    expect(billingDayOf(new Date('2026-11-25T18:59:59Z'))).toBe('2026-11-25');
  });
});

describe('dates and periods', () => {
  it('validates ISO dates strictly', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-2-1')).toBe(false);
    expect(isIsoDate('25.11.2026')).toBe(false);
    expect(isPeriod('2026-11')).toBe(true);
    expect(isPeriod('2026-13')).toBe(false);
  });

  it('knows the length of months', () => {
    expect(daysInMonth('2026-02')).toBe(28);
    expect(daysInMonth('2028-02-10')).toBe(29);
    expect(daysInMonth('2026-04')).toBe(30);
    expect(daysInMonth('2026-12')).toBe(31);
    expect(lastDayOf('2026-02')).toBe('2026-02-28');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-11-25', '2026-12-25')).toBe(30);
    expect(dayOfMonth('2026-11-25')).toBe(25);
    expect(nextPeriod('2026-12')).toBe('2027-01');
    expect(previousPeriod('2027-01')).toBe('2026-12');
  });

  it('lists each day of a range, both ends included', () => {
    expect([...eachDay('2026-02-27', '2026-03-02')]).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect([...eachDay('2026-03-02', '2026-03-01')]).toEqual([]);
  });
});

describe('dates in files', () => {
  it('reads ISO and dates as Excel writes them in a Russian or Kazakh locale, day first', () => {
    expect(parseFileDate('2026-11-25')).toBe('2026-11-25');
    expect(parseFileDate('25.11.2026')).toBe('2026-11-25');
    expect(parseFileDate(' 5.1.2026 ')).toBe('2026-01-05');
    expect(parseFileDate('29.02.2028')).toBe('2028-02-29');
  });

  it('refuses what is not a date, never guessing a century or an order', () => {
    for (const text of ['29.02.2026', '31.04.2026', '25.11.26', '11/25/2026', '2026-2-1', '2026.11.25', '25-11-2026', '', '45992']) {
      expect(parseFileDate(text), text).toBeUndefined();
    }
  });

  it('places a date against a window around today', () => {
    // 366 days before 2026-12-01: 2025-11-30 (2026 has 365 days, so one more is the 30th); 92 after: 2027-03-03
    // (30 days to 2026-12-31, 31 to 2027-01-31, 28 to 2027-02-28, and 3 more)
    const window = windowAround('2026-12-01', 366, 92);
    expect(window).toEqual({ earliest: '2025-11-30', latest: '2027-03-03' });
    expect(outsideWindow('2025-11-30', window)).toBeNull();
    expect(outsideWindow('2027-03-03', window)).toBeNull();
    expect(outsideWindow('2025-11-29', window)).toBe('before');
    expect(outsideWindow('1900-01-01', window)).toBe('before');
    expect(outsideWindow('2027-03-04', window)).toBe('after');
    expect(outsideWindow('2099-01-01', window)).toBe('after');
  });
});

describe('yearOf', () => {
  it('the calendar year of a date, from its parts; not a date refused', () => {
    expect(yearOf('2026-12-31')).toBe(2026);
    expect(yearOf('2027-01-01')).toBe(2027);
    expect(() => yearOf('2026-13-01')).toThrow(RangeError);
  });
});
