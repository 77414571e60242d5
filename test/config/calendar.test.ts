// The calendar's warnings as a run prints them: the end of the data (from 90 days before) and each
// deadline counted beyond it; and "today" from ESEP_TODAY or the clock in Asia/Almaty.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { billingToday, calendarEndWarning, estimateWarning, workingCalendar } from '../../src/config/calendar.js';
import { InputError } from '../../src/domain/errors.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const shippedOnly = { calendar: { dir: null } };

describe('billingToday', () => {
  it('ESEP_TODAY when set, else the date in Asia/Almaty (UTC+5)', () => {
    expect(billingToday({ ESEP_TODAY: '2030-10-02' })).toBe('2030-10-02');
    // 19:30 UTC on 31 December is 00:30 on 1 January in Almaty
    expect(billingToday({}, new Date('2030-12-31T19:30:00Z'))).toBe('2031-01-01');
    expect(billingToday({ ESEP_TODAY: '' }, new Date('2030-12-31T18:59:00Z'))).toBe('2030-12-31');
  });

  it('a malformed ESEP_TODAY is bad input', () => {
    expect(() => billingToday({ ESEP_TODAY: '2030-02-30' })).toThrow(InputError);
  });
});

describe('calendarEndWarning (shipped data ends on 31 December 2030)', () => {
  const cal = workingCalendar(shippedOnly, { today: '2026-12-01', warn: () => {} });

  it('nothing before 2 October 2030 (91 days and more before the end)', () => {
    expect(calendarEndWarning(cal, '2026-12-01', shippedOnly)).toBeNull();
    expect(calendarEndWarning(cal, '2030-10-01', shippedOnly)).toBeNull();
  });

  it('from 2 October 2030 (90 days before): names the last date and the file to add', () => {
    expect(calendarEndWarning(cal, '2030-10-02', shippedOnly)).toBe('warning: the working-day calendar ends on 31.12.2030; add data/calendar/2031.json');
    expect(calendarEndWarning(cal, '2030-12-31', shippedOnly)).toBe('warning: the working-day calendar ends on 31.12.2030; add data/calendar/2031.json');
  });

  it('after the end: says that deadlines are estimates', () => {
    expect(calendarEndWarning(cal, '2031-01-05', shippedOnly)).toMatch(/^warning: the working-day calendar ended on 31\.12\.2030: deadlines after it are estimates .*; add data\/calendar\/2031\.json$/);
  });

  it('with calendar.dir, the file goes there', () => {
    const folder = path.join(dir, 'holidays');
    mkdirSync(folder);
    expect(calendarEndWarning(cal, '2030-11-01', { calendar: { dir: folder } })).toBe(
      `warning: the working-day calendar ends on 31.12.2030; add ${path.join(folder, '2031.json')} (calendar.dir)`,
    );
  });
});

describe('workingCalendar warnings', () => {
  it('prints nothing while the data reaches more than 90 days ahead', () => {
    const lines: string[] = [];
    const cal = workingCalendar(shippedOnly, { today: '2030-10-01', warn: (l) => lines.push(l) });
    expect(cal.addWorkingDays('2030-09-30', 5)).toBe('2030-10-07'); // Tue 1 … Fri 4, Mon 7 Oct
    expect(lines).toEqual([]);
  });

  it('warns of the end once, and of each estimated deadline once', () => {
    const lines: string[] = [];
    const cal = workingCalendar(shippedOnly, { today: '2030-12-26', warn: (l) => lines.push(l) });
    expect(lines).toEqual(['warning: the working-day calendar ends on 31.12.2030; add data/calendar/2031.json']);
    // two terminations on Thu 26 Dec 2030: Fri 27 (1), Mon 30 (2), Tue 31 (3), [2031 by the rule:
    // Wed 1 and Thu 2 Jan New Year] Fri 3 (4), Mon 6 (5) → 06.01.2031; the second adds no line
    expect(cal.addWorkingDays('2030-12-26', 5)).toBe('2031-01-06');
    expect(cal.addWorkingDays('2030-12-26', 5)).toBe('2031-01-06');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      'warning: 5 working days after 26.12.2030 is 06.01.2031, an estimate: the working-day calendar has no data for 2031 ' +
        '(Mon–Fri minus the law\u2019s fixed holidays, moved by its rule; no Kurban Ait, no transfers); add data/calendar/2031.json and check the deadlines set on 26.12.2030',
    );
  });

  it('a 2031 file in calendar.dir ends the estimates and the warning', () => {
    const folder = path.join(dir, 'with-2031');
    mkdirSync(folder);
    writeFileSync(path.join(folder, '2031.json'), JSON.stringify({ year: 2031, notes: 'test', holidays: [], transfers: [] }));
    const lines: string[] = [];
    const cal = workingCalendar({ calendar: { dir: folder } }, { today: '2030-12-26', warn: (l) => lines.push(l) });
    // no holidays in this made-up 2031: Fri 27 (1), Mon 30 (2), Tue 31 (3), Wed 1 (4), Thu 2 (5)
    expect(cal.addWorkingDays('2030-12-26', 5)).toBe('2031-01-02');
    expect(lines).toEqual([]);
  });

  it('the estimate line for workingDayOnOrAfter', () => {
    expect(estimateWarning({ from: '2031-01-03', workingDays: 0, result: '2031-01-03', years: [2031] }, shippedOnly)).toMatch(
      /^warning: the working day on or after 03\.01\.2031 is 03\.01\.2031, an estimate/,
    );
  });
});
