// D-12 and the daily-jobs-behind rule, as the CLI asks them (src/domain/dates.ts).
import { describe, expect, it } from 'vitest';
import { dailyJobsBehind, formatDay, isAfterToday, periodHasEnded } from '../../src/domain/dates.js';

describe('a day after today (D-12)', () => {
  it('only a later day is after today; today itself is not', () => {
    expect(isAfterToday('2026-12-02', '2026-12-01')).toBe(true);
    expect(isAfterToday('2027-11-30', '2026-12-01')).toBe(true);
    expect(isAfterToday('2026-12-01', '2026-12-01')).toBe(false);
    expect(isAfterToday('2026-11-30', '2026-12-01')).toBe(false);
  });

  it('refuses what is not a date', () => {
    expect(() => isAfterToday('2026-02-30', '2026-12-01')).toThrow(RangeError);
    expect(() => isAfterToday('2026-12-01', '01.12.2026')).toThrow(RangeError);
  });

  it('a period has ended once its last day is before today', () => {
    expect(periodHasEnded('2026-11', '2026-12-01')).toBe(true); // 30 Nov < 1 Dec
    expect(periodHasEnded('2026-12', '2026-12-01')).toBe(false);
    expect(periodHasEnded('2026-12', '2026-12-31')).toBe(false); // its last day has not ended yet
    expect(periodHasEnded('2026-12', '2027-01-01')).toBe(true);
    expect(periodHasEnded('2028-02', '2028-02-29')).toBe(false); // a leap year's February ends on the 29th
    expect(periodHasEnded('2028-02', '2028-03-01')).toBe(true);
  });
});

describe('the daily jobs are behind a day they have not completed', () => {
  it('done through the day shown: not behind; an earlier day or never: behind', () => {
    expect(dailyJobsBehind('2026-11-30', '2026-11-30')).toBe(false);
    expect(dailyJobsBehind('2026-12-01', '2026-11-30')).toBe(false);
    expect(dailyJobsBehind('2026-10-31', '2026-11-30')).toBe(true);
    expect(dailyJobsBehind(null, '2026-11-30')).toBe(true);
  });

  it('dates for people: DD.MM.YYYY', () => {
    expect(formatDay('2026-10-31')).toBe('31.10.2026');
    expect(formatDay('2027-01-05')).toBe('05.01.2027');
  });
});
