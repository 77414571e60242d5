import { describe, expect, it } from 'vitest';
import {
  almatyMoment,
  cronExpressions,
  formatAlmaty,
  invoicingDay,
  isClock,
  latestDueDay,
  latestDuePeriod,
  missedRuns,
  periodBilledAt,
  type ScheduleSettings,
} from '../../src/domain/schedule.js';

const settings: ScheduleSettings = { dailyAt: '01:00', invoicesOnDay: 1, invoicesAt: '02:00' };
const at = (iso: string) => new Date(iso);
/** The runs as "job scope" strings, in order. */
const plan = (runs: ReturnType<typeof missedRuns>) => runs.map((r) => `${r.job} ${r.scope}`);

describe('Almaty wall clock', () => {
  it('is UTC+5: 20:30 UTC on the 24th is 01:30 on the 25th', () => {
    expect(almatyMoment(at('2026-11-24T20:30:00Z'))).toEqual({ date: '2026-11-25', time: '01:30:00' });
  });

  it('formats an instant with its offset; UTC+6 before 1 March 2024', () => {
    // 20:00:03Z + 5 h = 01:00:03 the next day
    expect(formatAlmaty(at('2026-11-24T20:00:03Z'))).toBe('2026-11-25T01:00:03+05:00');
    // 12:00Z + 6 h = 18:00
    expect(formatAlmaty(at('2024-01-15T12:00:00Z'))).toBe('2024-01-15T18:00:00+06:00');
  });

  it('checks "HH:MM" times', () => {
    expect(['00:00', '01:00', '23:59'].every(isClock)).toBe(true);
    expect(['24:00', '1:00', '01:60', '01:00:00', ''].some(isClock)).toBe(false);
  });
});

describe('what is due', () => {
  it('the daily jobs of today once daily_at has passed in Almaty, else of yesterday', () => {
    // 19:59:59Z is 00:59:59 on the 25th in Almaty: the 25th's run (01:00) is not due yet
    expect(latestDueDay(at('2026-11-24T19:59:59Z'), '01:00')).toBe('2026-11-24');
    // 20:00Z is 01:00 on the 25th: due, although it is still the 24th in UTC
    expect(latestDueDay(at('2026-11-24T20:00:00Z'), '01:00')).toBe('2026-11-25');
    // across a month boundary: 1 December 00:30 Almaty, the run of 30 November is the latest due
    expect(latestDueDay(at('2026-12-01T00:30:00+05:00'), '01:00')).toBe('2026-11-30');
  });

  it('the month-end run: the previous month from invoices_on_day at invoices_at', () => {
    expect(invoicingDay('2026-11', 1)).toBe('2026-12-01');
    expect(invoicingDay('2026-12', 5)).toBe('2027-01-05');
    // 1 December 01:59 Almaty: November's run (02:00) is not due yet, October's is the latest
    expect(latestDuePeriod(at('2026-12-01T01:59:00+05:00'), settings)).toBe('2026-10');
    expect(latestDuePeriod(at('2026-12-01T02:00:00+05:00'), settings)).toBe('2026-11');
    // the year boundary: 1 January 2027 02:00 Almaty is 31 December 21:00 UTC
    expect(latestDuePeriod(at('2026-12-31T21:00:00Z'), settings)).toBe('2026-12');
    // on the 5th: on 3 March only January is due, on 15 March February
    const fifth = { invoicesOnDay: 5, invoicesAt: '02:00' };
    expect(latestDuePeriod(at('2026-03-03T12:00:00+05:00'), fifth)).toBe('2026-01');
    expect(latestDuePeriod(at('2026-03-15T12:00:00+05:00'), fifth)).toBe('2026-02');
  });

  it('a scheduled month-end tick bills the month before its Almaty month', () => {
    // 31 December 21:30 UTC is 1 January 02:30 in Almaty: December is billed, not November
    expect(periodBilledAt(at('2026-12-31T21:30:00Z'))).toBe('2026-12');
    expect(periodBilledAt(at('2026-12-01T02:00:00+05:00'))).toBe('2026-11');
  });

  it('cron expressions: minute hour day month weekday', () => {
    expect(cronExpressions(settings)).toEqual({ daily: '0 1 * * *', invoices: '0 2 1 * *' });
    expect(cronExpressions({ dailyAt: '23:05', invoicesOnDay: 28, invoicesAt: '00:45' })).toEqual({ daily: '5 23 * * *', invoices: '45 0 28 * *' });
  });
});

describe('what was missed', () => {
  it('a database never run: the daily jobs of the latest due day only, no month-end run invented', () => {
    expect(plan(missedRuns(at('2026-11-25T01:30:00+05:00'), settings, { lastDaily: null, lastInvoiced: null }))).toEqual(['daily 2026-11-25']);
  });

  it('nothing when the journal is up to date', () => {
    expect(missedRuns(at('2026-11-25T01:30:00+05:00'), settings, { lastDaily: '2026-11-25', lastInvoiced: '2026-10' })).toEqual([]);
    // before 01:00 the 24th is the latest due day
    expect(missedRuns(at('2026-11-25T00:30:00+05:00'), settings, { lastDaily: '2026-11-24', lastInvoiced: '2026-10' })).toEqual([]);
  });

  it('down from 20 November to 3 December: the 1st, November, then the 3rd', () => {
    // as it would have run: daily 1 Dec 01:00, invoices for November 1 Dec 02:00, daily 3 Dec 01:00
    const runs = missedRuns(at('2026-12-03T10:00:00+05:00'), settings, { lastDaily: '2026-11-20', lastInvoiced: '2026-10' });
    expect(plan(runs)).toEqual(['daily 2026-12-01', 'invoices 2026-11', 'daily 2026-12-03']);
    expect(runs[1]!.dueAt).toEqual({ date: '2026-12-01', time: '02:00:00' });
  });

  it('down over two month-ends and the new year, started before 01:00', () => {
    // 1 January 2027 00:30: the latest due day is 31 December, the latest due period November
    const runs = missedRuns(at('2027-01-01T00:30:00+05:00'), settings, { lastDaily: '2026-10-28', lastInvoiced: '2026-09' });
    expect(plan(runs)).toEqual(['daily 2026-11-01', 'invoices 2026-10', 'daily 2026-12-01', 'invoices 2026-11', 'daily 2026-12-31']);
  });

  it('a daily run already past an invoicing day is not repeated for it', () => {
    // the daily jobs ran through 2 December (by hand), November was never invoiced
    const runs = missedRuns(at('2026-12-03T10:00:00+05:00'), settings, { lastDaily: '2026-12-02', lastInvoiced: '2026-10' });
    expect(plan(runs)).toEqual(['invoices 2026-11', 'daily 2026-12-03']);
  });

  it('month-end runs due before the daily time go first; the same day daily run waits for its time', () => {
    // invoices at 00:30, daily at 01:00; now 1 December 00:45: November is due, 1 December's daily run is not
    const early = { dailyAt: '01:00', invoicesOnDay: 1, invoicesAt: '00:30' };
    const runs = missedRuns(at('2026-12-01T00:45:00+05:00'), early, { lastDaily: '2026-11-29', lastInvoiced: '2026-10' });
    expect(plan(runs)).toEqual(['daily 2026-11-30', 'invoices 2026-11']);
  });

  it('Almaty, not UTC, decides: 30 November 20:00 UTC is already 1 December 01:00', () => {
    const runs = missedRuns(at('2026-11-30T21:00:00Z'), settings, { lastDaily: '2026-11-30', lastInvoiced: '2026-10' });
    // 02:00 Almaty on 1 December: the 1st's daily run, then November's month-end
    expect(plan(runs)).toEqual(['daily 2026-12-01', 'invoices 2026-11']);
  });
});
