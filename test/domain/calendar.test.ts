import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CalendarError, WorkingCalendar, parseHolidayYear } from '../../src/domain/calendar.js';
import type { HolidayYear } from '../../src/domain/calendar.js';

// The expectations below are worked out by hand from the rule, not copied from program output.
// Weekdays used (checked against a wall calendar): 1 Jan 2026 is a Thursday, 1 Jan 2027 a Friday.

const CALENDAR_DIR = new URL('../../data/calendar/', import.meta.url);

function loadYear(year: number): HolidayYear {
  const file = new URL(`${year}.json`, CALENDAR_DIR);
  return parseHolidayYear(JSON.parse(readFileSync(file, 'utf8')) as unknown, `data/calendar/${year}.json`);
}

const shipped = new WorkingCalendar([loadYear(2026), loadYear(2027)]);

/** A small valid year for hand-made cases. */
function year(y: number, holidays: HolidayYear['holidays'], transfers: HolidayYear['transfers'] = []): HolidayYear {
  return { year: y, notes: 'test data', holidays, transfers };
}

describe('shipped calendar files', () => {
  it('every data/calendar/*.json passes parseHolidayYear and names its own year', () => {
    const files = readdirSync(CALENDAR_DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['2026.json', '2027.json']);
    for (const f of files) {
      const raw = JSON.parse(readFileSync(new URL(f, CALENDAR_DIR), 'utf8')) as unknown;
      const parsed = parseHolidayYear(raw, `data/calendar/${f}`);
      expect(`${parsed.year}.json`).toBe(f);
      expect(parsed.notes.length).toBeGreaterThan(0);
      expect(parsed.transfers).toEqual([]);
    }
  });

  it('2026: no 30 August, no 15 March, and the notes say why', () => {
    const y = loadYear(2026);
    const dates = y.holidays.map((h) => h.date);
    expect(dates).not.toContain('2026-08-30');
    expect(dates).not.toContain('2026-03-15');
    expect(y.notes).toMatch(/30 August/);
    expect(dates).toHaveLength(14);
  });

  it('2027: 15 March is Constitution Day, 30 August is not a holiday', () => {
    const y = loadYear(2027);
    const dates = y.holidays.map((h) => h.date);
    expect(dates).toContain('2027-03-15');
    expect(dates).not.toContain('2027-08-30');
    expect(dates).toHaveLength(15);
  });

  it('only Orthodox Christmas and Kurban Ait are marked as not moving', () => {
    for (const y of [loadYear(2026), loadYear(2027)]) {
      const fixed = y.holidays.filter((h) => !h.moves).map((h) => h.date.slice(5));
      const kurban = y.year === 2026 ? '05-27' : '05-16';
      expect(fixed).toEqual(['01-07', kurban]);
    }
  });
});

describe('WorkingCalendar.daysOff', () => {
  it('2026', () => {
    expect(shipped.daysOff(2026)).toEqual([
      '2026-01-01', // Thu, New Year
      '2026-01-02', // Fri, New Year
      '2026-01-07', // Wed, Orthodox Christmas
      '2026-03-09', // 8 March is a Sunday → Mon 9 March
      '2026-03-23', // Mon, Nauryz (third day, on a weekday)
      '2026-03-24', // 21 March Sat → next weekday: Mon 23 is a holiday → Tue 24
      '2026-03-25', // 22 March Sun → Mon 23 holiday, Tue 24 taken by 21 March → Wed 25
      '2026-05-01', // Fri, Unity Day
      '2026-05-07', // Thu, Defender of the Fatherland Day
      '2026-05-11', // 9 May is a Saturday → Mon 11 May
      '2026-05-27', // Wed, Kurban Ait
      '2026-07-06', // Mon, Capital Day
      '2026-10-26', // 25 October is a Sunday → Mon 26 October
      '2026-12-16', // Wed, Independence Day
    ]);
  });

  it('2027', () => {
    expect(shipped.daysOff(2027)).toEqual([
      '2027-01-01', // Fri, New Year
      '2027-01-04', // 2 January is a Saturday → Mon 4 January
      '2027-01-07', // Thu, Orthodox Christmas
      '2027-03-08', // Mon
      '2027-03-15', // Mon, Constitution Day (new from 2027)
      '2027-03-22', // Mon, Nauryz
      '2027-03-23', // Tue, Nauryz
      '2027-03-24', // 21 March is a Sunday → Mon 22 and Tue 23 are holidays → Wed 24
      '2027-05-03', // 1 May is a Saturday → Mon 3 May
      '2027-05-07', // Fri
      '2027-05-10', // 9 May is a Sunday → Mon 10 May
      '2027-07-06', // Tue
      '2027-10-25', // Mon
      '2027-12-16', // Thu
    ]);
  });

  it('Kurban Ait 2027 (Sunday 16 May) does not move: Mon 17 May is a working day', () => {
    expect(shipped.isWorkingDay('2027-05-16')).toBe(false); // a Sunday anyway
    expect(shipped.isWorkingDay('2027-05-17')).toBe(true);
  });

  it('30 August 2027 (a Monday) is a working day', () => {
    expect(shipped.isWorkingDay('2027-08-30')).toBe(true);
  });

  it('a religious holiday on a weekend does not move, a secular one cascades past it', () => {
    // 2033 (hypothetical data): Sat 1 Jan, Sun 2 Jan secular; Mon 3 Jan religious (made up).
    // 1 Jan Sat → Mon 3 is a holiday → Tue 4; 2 Jan Sun → 3 holiday, 4 taken → Wed 5.
    // Sat 8 Jan religious (made up) → stays on the Saturday, nothing moves.
    const cal = new WorkingCalendar([
      year(2033, [
        { date: '2033-01-01', name: 'a', moves: true },
        { date: '2033-01-02', name: 'b', moves: true },
        { date: '2033-01-03', name: 'c', moves: false },
        { date: '2033-01-08', name: 'd', moves: false },
      ]),
    ]);
    expect(cal.daysOff(2033)).toEqual(['2033-01-03', '2033-01-04', '2033-01-05']);
    expect(cal.isWorkingDay('2033-01-10')).toBe(true); // Mon after Sat 8 Jan
  });
});

describe('WorkingCalendar.isWorkingDay', () => {
  it('weekdays, weekends and days off', () => {
    expect(shipped.isWorkingDay('2026-03-20')).toBe(true); // Fri
    expect(shipped.isWorkingDay('2026-03-21')).toBe(false); // Sat (and a holiday)
    expect(shipped.isWorkingDay('2026-03-28')).toBe(false); // an ordinary Saturday
    expect(shipped.isWorkingDay('2026-03-25')).toBe(false); // moved Nauryz
    expect(shipped.isWorkingDay('2026-03-26')).toBe(true); // Thu
    expect(shipped.isWorkingDay('2026-08-31')).toBe(true); // Mon after Sun 30 Aug: nothing moves there
  });

  it('rejects a malformed date', () => {
    expect(() => shipped.isWorkingDay('2026-02-30')).toThrow(/not a date/);
    expect(() => shipped.isWorkingDay('26-03-01')).toThrow(/not a date/);
  });
});

describe('WorkingCalendar.addWorkingDays', () => {
  it('across the New Year 2026 → 2027', () => {
    // From Thu 24 Dec 2026, +10: Fri 25 (1), Sat 26/Sun 27 weekend, Mon 28 (2), Tue 29 (3),
    // Wed 30 (4), Thu 31 (5), Fri 1 Jan off (New Year), Sat 2/Sun 3 weekend, Mon 4 Jan off
    // (2 Jan moved there), Tue 5 (6), Wed 6 (7), Thu 7 off (Christmas), Fri 8 (8),
    // Sat 9/Sun 10 weekend, Mon 11 (9), Tue 12 (10) → 2027-01-12.
    expect(shipped.addWorkingDays('2026-12-24', 10)).toBe('2027-01-12');
  });

  it('across Nauryz 2026', () => {
    // From Thu 19 March 2026, +5: Fri 20 (1), Sat 21/Sun 22 weekend, Mon 23 off (Nauryz),
    // Tue 24 and Wed 25 off (moved 21 and 22), Thu 26 (2), Fri 27 (3), Sat 28/Sun 29 weekend,
    // Mon 30 (4), Tue 31 (5) → 2026-03-31.
    expect(shipped.addWorkingDays('2026-03-19', 5)).toBe('2026-03-31');
  });

  it('does not count the start date and starts fine from a day off', () => {
    // From Sat 21 March 2026 +1: Sun 22, Mon 23, Tue 24, Wed 25 are not working → Thu 26.
    expect(shipped.addWorkingDays('2026-03-21', 1)).toBe('2026-03-26');
    // From Mon 2 Feb 2026 +1 → Tue 3 Feb (ordinary week).
    expect(shipped.addWorkingDays('2026-02-02', 1)).toBe('2026-02-03');
  });

  it('refuses n < 1 and fractions', () => {
    expect(() => shipped.addWorkingDays('2026-02-02', 0)).toThrow(/≥ 1/);
    expect(() => shipped.addWorkingDays('2026-02-02', -3)).toThrow(/≥ 1/);
    expect(() => shipped.addWorkingDays('2026-02-02', 1.5)).toThrow(/≥ 1/);
  });

  it('a transfer: the working Saturday counts, the day off does not', () => {
    // Made-up 2026 transfer: Sat 4 July 2026 becomes a working day, Fri 3 July a day off.
    // From Thu 2 July +3: Fri 3 off (transfer), Sat 4 working (1), Sun 5 weekend,
    // Mon 6 off (Capital Day), Tue 7 (2), Wed 8 (3) → 2026-07-08.
    // Without the transfer it would be Fri 3 (1), Tue 7 (2), Wed 8 (3) → also 8 July, so check
    // +1 as well: with the transfer Thu 2 July +1 is Sat 4 July; without it, Fri 3 July.
    const base = loadYear(2026);
    const withTransfer: HolidayYear = { ...base, transfers: [{ workday: '2026-07-04', dayOff: '2026-07-03' }] };
    const cal = new WorkingCalendar([withTransfer, loadYear(2027)]);
    expect(cal.isWorkingDay('2026-07-04')).toBe(true);
    expect(cal.isWorkingDay('2026-07-03')).toBe(false);
    expect(cal.isWorkingDay('2026-07-05')).toBe(false); // the Sunday stays a day off
    expect(cal.addWorkingDays('2026-07-02', 1)).toBe('2026-07-04');
    expect(cal.addWorkingDays('2026-07-02', 3)).toBe('2026-07-08');
    expect(cal.nextWorkingDay('2026-07-03')).toBe('2026-07-04');
    expect(cal.daysOff(2026)).toContain('2026-07-03');
    expect(cal.workingWeekendDays(2026)).toEqual(['2026-07-04']);
    expect(shipped.addWorkingDays('2026-07-02', 1)).toBe('2026-07-03');
  });

  it('a transfer whose working Saturday is in the year before', () => {
    // Made-up: Sat 26 Dec 2026 worked in exchange for Tue 5 Jan 2027 off (listed in the 2027 file).
    // From Thu 24 Dec 2026 +2: Fri 25 (1), Sat 26 working (2) → 2026-12-26.
    // From Wed 30 Dec +2: Thu 31 (1), Fri 1 off, Mon 4 off (moved 2 Jan), Tue 5 off (transfer),
    // Wed 6 (2) → 2027-01-06.
    const y2027: HolidayYear = { ...loadYear(2027), transfers: [{ workday: '2026-12-26', dayOff: '2027-01-05', basis: 'test' }] };
    const cal = new WorkingCalendar([loadYear(2026), y2027]);
    expect(cal.addWorkingDays('2026-12-24', 2)).toBe('2026-12-26');
    expect(cal.addWorkingDays('2026-12-30', 2)).toBe('2027-01-06');
    expect(cal.daysOff(2027).slice(0, 4)).toEqual(['2027-01-01', '2027-01-04', '2027-01-05', '2027-01-07']);
  });
});

describe('WorkingCalendar.nextWorkingDay / workingDayOnOrAfter', () => {
  it('next working day is strictly after', () => {
    // Fri 8 May 2026 → Sat 9, Sun 10 weekend, Mon 11 off (Victory Day moved) → Tue 12 May.
    expect(shipped.nextWorkingDay('2026-05-08')).toBe('2026-05-12');
    // Tue 12 May → Wed 13 May.
    expect(shipped.nextWorkingDay('2026-05-12')).toBe('2026-05-13');
  });

  it('on or after keeps a working day and rolls a day off forward', () => {
    expect(shipped.workingDayOnOrAfter('2026-05-12')).toBe('2026-05-12');
    // Sat 9 May 2026 → Sun 10, Mon 11 off → Tue 12.
    expect(shipped.workingDayOnOrAfter('2026-05-09')).toBe('2026-05-12');
  });
});

describe('missing years', () => {
  it('asking about a year without data throws and names the year', () => {
    expect(() => shipped.isWorkingDay('2028-01-05')).toThrow(/2028/);
    expect(() => shipped.isWorkingDay('2025-12-31')).toThrow(/no working-day calendar data for year 2025/);
    expect(() => shipped.daysOff(2028)).toThrow(/2028/);
    expect(() => shipped.nextWorkingDay('2025-06-02')).toThrow(/2025/);
  });

  it('counting working days into a year without data throws instead of assuming no holidays', () => {
    // From Tue 21 Dec 2027 +10 runs into January 2028.
    expect(() => shipped.addWorkingDays('2027-12-21', 10)).toThrow(/year 2028/);
    // Only 2027 loaded: counting from 2027 is fine, asking about 2026 is not.
    const only2027 = new WorkingCalendar([loadYear(2027)]);
    expect(only2027.addWorkingDays('2027-01-06', 1)).toBe('2027-01-08'); // Thu 7 Jan is Christmas
    expect(() => only2027.isWorkingDay('2026-12-31')).toThrow(/2026/);
  });

  it('a holiday that would move into a year without data throws', () => {
    // 31 December is not a Kazakh holiday; this checks the code path with made-up data:
    // Sat 31 Dec 2033 would move to Mon 2 Jan 2034, a year not loaded.
    const data = year(2033, [{ date: '2033-12-31', name: 'x', moves: true }]);
    expect(() => new WorkingCalendar([data])).toThrow(/2034/);
  });

  it('the same year twice is refused', () => {
    expect(() => new WorkingCalendar([loadYear(2026), loadYear(2026)])).toThrow(/2026 given twice/);
  });
});

describe('parseHolidayYear rejects malformed data, naming the source and field', () => {
  const good = (): Record<string, unknown> => ({
    year: 2026,
    notes: '',
    holidays: [{ date: '2026-01-01', name: 'Новый год', moves: true }],
    transfers: [],
  });
  const bad = (patch: (o: Record<string, unknown>) => void): Record<string, unknown> => {
    const o = good();
    patch(o);
    return o;
  };

  it('accepts the good example', () => {
    expect(parseHolidayYear(good(), 'x.json').holidays).toHaveLength(1);
  });

  it.each([
    ['not an object', () => [1, 2], /x\.json: calendar data must be a JSON object/],
    ['missing year', () => bad((o) => delete o['year']), /x\.json: missing field "year"/],
    ['year not a number', () => bad((o) => (o['year'] = '2026')), /x\.json: "year" must be/],
    ['missing notes', () => bad((o) => delete o['notes']), /x\.json: missing field "notes"/],
    ['missing holidays', () => bad((o) => delete o['holidays']), /x\.json: missing field "holidays"/],
    ['missing transfers', () => bad((o) => delete o['transfers']), /x\.json: missing field "transfers"/],
    ['unknown field', () => bad((o) => (o['holiday'] = [])), /x\.json: unknown field holiday/],
    ['bad date', () => bad((o) => (o['holidays'] = [{ date: '2026-02-30', name: 'a', moves: true }])), /x\.json: holidays\[0\]\.date is not a date/],
    ['date not ISO', () => bad((o) => (o['holidays'] = [{ date: '01.01.2026', name: 'a', moves: true }])), /holidays\[0\]\.date is not a date/],
    ['date outside the year', () => bad((o) => (o['holidays'] = [{ date: '2027-01-01', name: 'a', moves: true }])), /x\.json: holidays\[0\]\.date 2027-01-01 is outside the year 2026/],
    ['missing date', () => bad((o) => (o['holidays'] = [{ name: 'a', moves: true }])), /x\.json: missing field holidays\[0\]\.date/],
    ['missing name', () => bad((o) => (o['holidays'] = [{ date: '2026-01-01', moves: true }])), /missing field holidays\[0\]\.name/],
    ['missing moves', () => bad((o) => (o['holidays'] = [{ date: '2026-01-01', name: 'a' }])), /missing field holidays\[0\]\.moves/],
    ['moves not boolean', () => bad((o) => (o['holidays'] = [{ date: '2026-01-01', name: 'a', moves: 'yes' }])), /holidays\[0\]\.moves must be true or false/],
    ['duplicate holiday', () => bad((o) => (o['holidays'] = [{ date: '2026-01-01', name: 'a', moves: true }, { date: '2026-01-01', name: 'b', moves: true }])), /holidays\[1\]\.date 2026-01-01 is listed twice/],
    ['transfer workday not a weekend', () => bad((o) => (o['transfers'] = [{ workday: '2026-07-02', dayOff: '2026-07-03' }])), /transfers\[0\]\.workday 2026-07-02 is not a Saturday or Sunday/],
    ['transfer day off on a weekend', () => bad((o) => (o['transfers'] = [{ workday: '2026-07-04', dayOff: '2026-07-05' }])), /transfers\[0\]\.dayOff 2026-07-05 is a Saturday or Sunday/],
    ['transfer day off outside the year', () => bad((o) => (o['transfers'] = [{ workday: '2026-12-26', dayOff: '2027-01-05' }])), /transfers\[0\]\.dayOff 2027-01-05 is outside the year 2026/],
    ['transfer day off already a holiday', () => bad((o) => (o['transfers'] = [{ workday: '2026-01-03', dayOff: '2026-01-01' }])), /transfers\[0\]\.dayOff 2026-01-01 is already a holiday/],
    ['transfer missing dayOff', () => bad((o) => (o['transfers'] = [{ workday: '2026-07-04' }])), /missing field transfers\[0\]\.dayOff/],
  ])('%s', (_label, make, message) => {
    expect(() => parseHolidayYear(make(), 'x.json')).toThrow(CalendarError);
    expect(() => parseHolidayYear(make(), 'x.json')).toThrow(message);
  });

  it('a transfer day off that is a moved holiday is refused by the calendar', () => {
    // 9 May 2026 (Sat) moves to Mon 11 May; a transfer giving 11 May off gives nothing.
    const y: HolidayYear = { ...loadYear(2026), transfers: [{ workday: '2026-05-16', dayOff: '2026-05-11' }] };
    expect(() => new WorkingCalendar([y, loadYear(2027)])).toThrow(/2026-05-11 is already the day off for holiday 2026-05-09/);
  });
});
