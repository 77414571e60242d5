import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CalendarError, WorkingCalendar, lawHolidays, parseHolidayYear, warnsOfCalendarEnd } from '../../src/domain/calendar.js';
import type { HolidayYear, WorkingDaysEstimate } from '../../src/domain/calendar.js';

// The expectations below are worked out by hand from the rule, not copied from program output.
// Weekdays used (checked against a wall calendar): 1 Jan 2026 is a Thursday, 1 Jan 2027 a Friday,
// 1 Jan 2028 a Saturday (2028 is a leap year), 1 Jan 2029 a Monday, 1 Jan 2030 a Tuesday,
// 1 Jan 2031 a Wednesday. A date's weekday below is counted from these: day of the year minus one,
// modulo 7, added to 1 January's weekday.

const CALENDAR_DIR = new URL('../../data/calendar/', import.meta.url);

function loadYear(year: number): HolidayYear {
  const file = new URL(`${year}.json`, CALENDAR_DIR);
  return parseHolidayYear(JSON.parse(readFileSync(file, 'utf8')) as unknown, `data/calendar/${year}.json`);
}

const SHIPPED_YEARS = [2026, 2027, 2028, 2029, 2030];
const shipped = new WorkingCalendar(SHIPPED_YEARS.map(loadYear));

/** Kurban Ait, first day, as shipped: the expected dates (to confirm against each year's decree). */
const KURBAN_AIT: Record<number, string> = {
  2026: '2026-05-27', // Wed
  2027: '2027-05-16', // Sun
  2028: '2028-05-05', // Fri
  2029: '2029-04-24', // Tue
  2030: '2030-04-13', // Sat
};

/** A small valid year for hand-made cases. */
function year(y: number, holidays: HolidayYear['holidays'], transfers: HolidayYear['transfers'] = []): HolidayYear {
  return { year: y, notes: 'test data', holidays, transfers };
}

describe('shipped calendar files', () => {
  it('every data/calendar/*.json passes parseHolidayYear and names its own year', () => {
    const files = readdirSync(CALENDAR_DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['2026.json', '2027.json', '2028.json', '2029.json', '2030.json']);
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
    for (const y of SHIPPED_YEARS.map(loadYear)) {
      const fixed = y.holidays.filter((h) => !h.moves).map((h) => h.date);
      expect(fixed.sort()).toEqual([`${y.year}-01-07`, KURBAN_AIT[y.year]].sort());
    }
  });

  it('each file holds exactly the law\'s list for its year (lawHolidays), with its Kurban Ait', () => {
    for (const y of SHIPPED_YEARS.map(loadYear)) {
      expect(y.holidays).toEqual(lawHolidays(y.year, KURBAN_AIT[y.year]!));
    }
  });

  it('2028–2030: 15 holidays each, no transfers, and the notes say that none are announced and Kurban Ait is expected', () => {
    for (const year of [2028, 2029, 2030]) {
      const y = loadYear(year);
      expect(y.holidays).toHaveLength(15);
      expect(y.holidays.map((h) => h.date)).toContain(`${year}-03-15`);
      expect(y.holidays.map((h) => h.date)).not.toContain(`${year}-08-30`);
      expect(y.transfers).toEqual([]);
      expect(y.notes).toContain(`No transfers are announced for ${year}`);
      expect(y.notes).toMatch(/Kurban Ait .* EXPECTED date/);
    }
  });
});

describe('lawHolidays (the rule the files are checked against)', () => {
  it('2026 has no Constitution Day (30 August dropped, 15 March only from 2027): 14 with Kurban Ait', () => {
    const dates = lawHolidays(2026, '2026-05-27').map((h) => h.date);
    expect(dates).toHaveLength(14);
    expect(dates).not.toContain('2026-03-15');
    expect(dates).not.toContain('2026-08-30');
  });

  it('a year whose Kurban Ait is not known yet: the 14 other holidays', () => {
    const list = lawHolidays(2031, null);
    expect(list.map((h) => h.date.slice(5))).toEqual([
      '01-01', '01-02', '01-07', '03-08', '03-15', '03-21', '03-22', '03-23', '05-01', '05-07', '05-09', '07-06', '10-25', '12-16',
    ]);
  });

  it('refuses a year before the 2026 law and a Kurban Ait outside the year', () => {
    expect(() => lawHolidays(2025, null)).toThrow(/2025/);
    expect(() => lawHolidays(2028, '2029-04-24')).toThrow(CalendarError);
    expect(() => lawHolidays(2028, '2028-05-07')).toThrow(/already another holiday/);
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

  it('2028', () => {
    // 1 Jan 2028 is a Saturday; 2028 is a leap year.
    expect(shipped.daysOff(2028)).toEqual([
      '2028-01-03', // 1 January is a Saturday → Mon 3 January
      '2028-01-04', // 2 January is a Sunday → Mon 3 taken by 1 January → Tue 4 January
      '2028-01-07', // Fri, Orthodox Christmas (day 7: 6 mod 7 = 6, Sat + 6 = Fri)
      '2028-03-08', // Wed (day 31 + 29 + 8 = 68: 67 mod 7 = 4, Sat + 4 = Wed)
      '2028-03-15', // Wed, Constitution Day
      '2028-03-21', // Tue, Nauryz
      '2028-03-22', // Wed
      '2028-03-23', // Thu
      '2028-05-01', // Mon (day 122: 121 mod 7 = 2, Sat + 2 = Mon)
      '2028-05-05', // Fri, Kurban Ait (expected)
      '2028-05-08', // 7 May is a Sunday → Mon 8 May
      '2028-05-09', // Tue, Victory Day
      '2028-07-06', // Thu (day 188: 187 mod 7 = 5, Sat + 5 = Thu)
      '2028-10-25', // Wed (day 299: 298 mod 7 = 4)
      '2028-12-18', // 16 December is a Saturday (day 351: 350 mod 7 = 0) → Mon 18 December
    ]);
  });

  it('2029', () => {
    // 1 Jan 2029 is a Monday.
    expect(shipped.daysOff(2029)).toEqual([
      '2029-01-01', // Mon
      '2029-01-02', // Tue
      // 7 January is a Sunday: Orthodox Christmas is religious and does not move
      '2029-03-08', // Thu (day 67: 66 mod 7 = 3, Mon + 3 = Thu)
      '2029-03-15', // Thu, Constitution Day
      '2029-03-21', // Wed, Nauryz
      '2029-03-22', // Thu
      '2029-03-23', // Fri
      '2029-04-24', // Tue, Kurban Ait (expected; day 114: 113 mod 7 = 1)
      '2029-05-01', // Tue (day 121: 120 mod 7 = 1)
      '2029-05-07', // Mon
      '2029-05-09', // Wed
      '2029-07-06', // Fri (day 187: 186 mod 7 = 4)
      '2029-10-25', // Thu (day 298: 297 mod 7 = 3)
      '2029-12-17', // 16 December is a Sunday (day 350: 349 mod 7 = 6) → Mon 17 December
    ]);
    expect(shipped.isWorkingDay('2029-01-08')).toBe(true); // the Monday after Sunday 7 January
  });

  it('2030', () => {
    // 1 Jan 2030 is a Tuesday.
    expect(shipped.daysOff(2030)).toEqual([
      '2030-01-01', // Tue
      '2030-01-02', // Wed
      '2030-01-07', // Mon, Orthodox Christmas
      '2030-03-08', // Fri (day 67: 66 mod 7 = 3, Tue + 3 = Fri)
      '2030-03-15', // Fri, Constitution Day
      '2030-03-21', // Thu, Nauryz
      '2030-03-22', // Fri
      '2030-03-25', // 23 March is a Saturday → Sun 24 weekend → Mon 25 March
      // 13 April (Kurban Ait, expected) is a Saturday (day 103: 102 mod 7 = 4): religious, no move
      '2030-05-01', // Wed (day 121: 120 mod 7 = 1)
      '2030-05-07', // Tue
      '2030-05-09', // Thu
      '2030-07-08', // 6 July is a Saturday (day 187: 186 mod 7 = 4) → Mon 8 July
      '2030-10-25', // Fri (day 298: 297 mod 7 = 3)
      '2030-12-16', // Mon (day 350: 349 mod 7 = 6, Tue + 6 = Mon)
    ]);
    expect(shipped.isWorkingDay('2030-04-15')).toBe(true); // the Monday after Kurban Ait
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
    expect(() => shipped.isWorkingDay('2031-01-06')).toThrow(/2031/);
    expect(() => shipped.isWorkingDay('2025-12-31')).toThrow(/no working-day calendar data for year 2025/);
    expect(() => shipped.daysOff(2031)).toThrow(/2031/);
    expect(() => shipped.nextWorkingDay('2025-06-02')).toThrow(/2025/);
  });

  it('counting from a year before the data throws: the rule is not the law of earlier years', () => {
    const only2027 = new WorkingCalendar([loadYear(2027)]);
    expect(only2027.addWorkingDays('2027-01-06', 1)).toBe('2027-01-08'); // Thu 7 Jan is Christmas
    expect(() => only2027.isWorkingDay('2026-12-31')).toThrow(/2026/);
    expect(() => only2027.addWorkingDays('2026-12-30', 1)).toThrow(/year 2026/);
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

describe('a deadline beyond the data: counted by the law\'s rule and reported, never a failed night', () => {
  function withEstimates(years: number[]): { cal: WorkingCalendar; estimates: WorkingDaysEstimate[] } {
    const estimates: WorkingDaysEstimate[] = [];
    return { cal: new WorkingCalendar(years.map(loadYear), { onEstimate: (e) => estimates.push(e) }), estimates };
  }

  it('termination on Thu 26 Dec 2030, equipment back within 5 working days (cl. 22.10)', () => {
    // Fri 27 Dec (1), Sat 28/Sun 29 weekend, Mon 30 (2), Tue 31 (3); 2031 has no data: by the rule,
    // Wed 1 Jan and Thu 2 Jan are New Year, Fri 3 (4), Sat 4/Sun 5 weekend, Mon 6 (5) → 2031-01-06.
    // (Mon–Fri without holidays would give Thu 2 January, a public holiday.)
    const { cal, estimates } = withEstimates(SHIPPED_YEARS);
    expect(cal.addWorkingDays('2030-12-26', 5)).toBe('2031-01-06');
    expect(estimates).toEqual([{ from: '2030-12-26', workingDays: 5, result: '2031-01-06', years: [2031] }]);
  });

  it('termination by the subscriber on Thu 26 Dec 2030, refund within 10 working days (cl. 17.4)', () => {
    // As above to Mon 6 Jan (5), Tue 7 Jan is Orthodox Christmas (by the rule), Wed 8 (6), Thu 9 (7),
    // Fri 10 (8), Mon 13 (9), Tue 14 (10) → 2031-01-14.
    const { cal, estimates } = withEstimates(SHIPPED_YEARS);
    expect(cal.addWorkingDays('2030-12-26', 10)).toBe('2031-01-14');
    expect(estimates).toHaveLength(1);
  });

  it('a count that stays within the data reports nothing', () => {
    // Mon 16 Dec 2030 is Independence Day: from Fri 13 Dec +1 → Tue 17 Dec.
    const { cal, estimates } = withEstimates(SHIPPED_YEARS);
    expect(cal.addWorkingDays('2030-12-13', 1)).toBe('2030-12-17');
    // Fri 20 Dec +5: Mon 23, Tue 24, Wed 25, Thu 26, Fri 27 → 2030-12-27, still 2030.
    expect(cal.addWorkingDays('2030-12-20', 5)).toBe('2030-12-27');
    expect(estimates).toEqual([]);
  });

  it('the estimate for 2028 from 2026–2027 data alone equals the shipped 2028', () => {
    // Tue 21 Dec 2027 +10: Wed 22 (1), Thu 23 (2), Fri 24 (3), Mon 27 (4), Tue 28 (5), Wed 29 (6),
    // Thu 30 (7), Fri 31 (8); Sat 1/Sun 2 Jan 2028, Mon 3 and Tue 4 off (1 and 2 January moved),
    // Wed 5 (9), Thu 6 (10) → 2028-01-06. Mon–Fri without holidays would give Tue 4 January.
    const { cal, estimates } = withEstimates([2026, 2027]);
    expect(cal.addWorkingDays('2027-12-21', 10)).toBe('2028-01-06');
    expect(estimates).toEqual([{ from: '2027-12-21', workingDays: 10, result: '2028-01-06', years: [2028] }]);
    expect(shipped.addWorkingDays('2027-12-21', 10)).toBe('2028-01-06');
  });

  it('the estimate does not know Kurban Ait: 5 May 2028 counts as a working day without the 2028 file', () => {
    // From Thu 4 May 2028 +1: with the data, Fri 5 is Kurban Ait, Sat 6/Sun 7, Mon 8 off (7 May
    // moved), Tue 9 Victory Day, Wed 10 → 2028-05-10. By the rule alone: Fri 5 → 2028-05-05.
    const { cal } = withEstimates([2026, 2027]);
    expect(cal.addWorkingDays('2028-05-04', 1)).toBe('2028-05-05');
    expect(shipped.addWorkingDays('2028-05-04', 1)).toBe('2028-05-10');
  });

  it('a start date after the data, and a year missing between two with data, are estimated too', () => {
    // From Wed 1 Jan 2031 (a holiday) +1: Thu 2 Jan off (New Year) → Fri 3 January.
    const { cal, estimates } = withEstimates(SHIPPED_YEARS);
    expect(cal.nextWorkingDay('2031-01-01')).toBe('2031-01-03');
    expect(cal.workingDayOnOrAfter('2031-01-03')).toBe('2031-01-03');
    expect(estimates.map((e) => e.result)).toEqual(['2031-01-03', '2031-01-03']);
    // 2026, 2027 and 2029 loaded: Fri 29 Dec 2028 +1 → Mon 1 Jan 2029 is New Year (data), Tue 2 too,
    // Wed 3 January 2029; counting from 2028 (no data) is estimated.
    const gap = withEstimates([2026, 2027, 2029]);
    expect(gap.cal.addWorkingDays('2028-12-29', 1)).toBe('2029-01-03');
    expect(gap.estimates).toEqual([{ from: '2028-12-29', workingDays: 1, result: '2029-01-03', years: [2028] }]);
  });

  it('questions about a year without data are still errors: only deadlines are estimated', () => {
    const { cal } = withEstimates(SHIPPED_YEARS);
    expect(() => cal.isWorkingDay('2031-01-06')).toThrow(/2031/);
    expect(() => cal.daysOff(2031)).toThrow(/2031/);
  });
});

describe('the end of the data', () => {
  it('lastDateCovered: the end of the unbroken run of years from today\'s', () => {
    expect(shipped.lastDateCovered('2026-12-01')).toBe('2030-12-31');
    expect(shipped.lastDateCovered('2030-12-31')).toBe('2030-12-31');
    expect(shipped.lastDateCovered('2031-02-01')).toBe('2030-12-31'); // already ended
    expect(shipped.lastDateCovered('2025-06-01')).toBe('2030-12-31'); // the data starts later
    const gap = new WorkingCalendar([loadYear(2026), loadYear(2027), loadYear(2029)]);
    expect(gap.lastDateCovered('2026-05-01')).toBe('2027-12-31'); // 2028 is missing
    expect(gap.lastDateCovered('2028-03-01')).toBe('2027-12-31');
    expect(gap.lastDateCovered('2029-03-01')).toBe('2029-12-31');
    expect(() => new WorkingCalendar([]).lastDateCovered('2026-01-01')).toThrow(/no data/);
  });

  it('warns from 90 days before the last date, and after it', () => {
    // 2 Oct 2030 → 31 Dec 2030: 29 days left of October + 30 (November) + 31 (December) = 90.
    expect(warnsOfCalendarEnd('2030-12-31', '2030-10-01')).toBe(false); // 91 days before
    expect(warnsOfCalendarEnd('2030-12-31', '2030-10-02')).toBe(true); // 90 days before
    expect(warnsOfCalendarEnd('2030-12-31', '2030-12-31')).toBe(true);
    expect(warnsOfCalendarEnd('2030-12-31', '2031-03-01')).toBe(true);
    expect(warnsOfCalendarEnd('2030-12-31', '2026-12-01')).toBe(false);
    expect(() => warnsOfCalendarEnd('2030-12-31', '2030-13-01')).toThrow(/not a date/);
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
