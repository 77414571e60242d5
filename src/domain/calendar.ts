// The Kazakhstan working-day calendar.
//
// The holidays are DATA (one JSON file per year, data/calendar/YYYY.json, parsed by the caller and
// checked here by parseHolidayYear); the moving rule is CODE (WorkingCalendar):
//   - working days are Monday–Friday, minus the non-working weekdays computed below,
//     plus the weekend days the government made working days (transfers);
//   - a holiday on a weekday is a day off;
//   - a holiday with "moves": true (secular) that falls on a Saturday or Sunday moves to the next
//     weekday that is not a holiday and not already taken by an earlier moved day (cascade; each day
//     of a multi-day holiday such as Nauryz moves on its own);
//   - a holiday with "moves": false (religious: Orthodox Christmas, Kurban Ait) never moves;
//   - a transfer makes a weekend day ("workday") a working day and a weekday ("dayOff") a day off.
// A date in a year the calendar has no data for is an error, never "no holidays".
//
// Pure: no file system, no clock. Dates are ISO strings 'YYYY-MM-DD'.

export interface Holiday {
  /** The date in the law, 'YYYY-MM-DD', before any moving. */
  date: string;
  name: string;
  /** true: secular, moves to the next free weekday when on a weekend; false: religious, never moves. */
  moves: boolean;
}

export interface Transfer {
  /** A Saturday or Sunday made a working day. In the file's year or an adjacent one. */
  workday: string;
  /** The weekday given off in exchange. In the file's year. */
  dayOff: string;
  /** The decree that announced it, for people (optional). */
  basis?: string;
}

/** One data/calendar/YYYY.json file. */
export interface HolidayYear {
  year: number;
  /** Free text: sources, format description, decisions about this year's data. */
  notes: string;
  holidays: Holiday[];
  transfers: Transfer[];
}

export class CalendarError extends Error {
  override name = 'CalendarError';
}

// ---------------------------------------------------------------------------------------------
// Date arithmetic on day numbers (days since 1970-01-01, UTC; no time zones involved).

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Day number of a valid ISO date, or null when the string is not one. */
function dayNumberOrNull(date: string): number | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC maps years 0..99 to 1900..1999; the round trip catches that and 31 April alike.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.round(ms / MS_PER_DAY);
}

function dayNumber(date: string): number {
  const n = dayNumberOrNull(date);
  if (n === null) throw new CalendarError(`not a date (expected YYYY-MM-DD): "${date}"`);
  return n;
}

function isoFromDayNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekday(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

function isWeekend(n: number): boolean {
  const w = weekday(n);
  return w === 0 || w === 6;
}

// ---------------------------------------------------------------------------------------------
// Validation of one year's data.

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rejectUnknownKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string, source: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new CalendarError(`${source}: unknown field ${where}${key}`);
  }
}

/**
 * Checks parsed JSON against the HolidayYear shape and the calendar's rules, and returns a fresh copy
 * (holidays and transfers sorted by date). Throws a CalendarError naming `source` and the bad field.
 */
export function parseHolidayYear(json: unknown, source: string): HolidayYear {
  const fail = (message: string): never => {
    throw new CalendarError(`${source}: ${message}`);
  };
  if (!isRecord(json)) return fail('calendar data must be a JSON object');
  rejectUnknownKeys(json, ['year', 'notes', 'holidays', 'transfers'], '', source);

  const year = json['year'];
  if (year === undefined) return fail('missing field "year"');
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1000 || year > 9999) {
    return fail(`"year" must be a four-digit integer, got ${JSON.stringify(year)}`);
  }
  const notes = json['notes'];
  if (notes === undefined) return fail('missing field "notes"');
  if (typeof notes !== 'string') return fail('"notes" must be a string');

  const dateField = (value: unknown, field: string): string => {
    if (value === undefined) return fail(`missing field ${field}`);
    if (typeof value !== 'string' || dayNumberOrNull(value) === null) {
      return fail(`${field} is not a date (expected YYYY-MM-DD): ${JSON.stringify(value)}`);
    }
    return value;
  };

  const rawHolidays = json['holidays'];
  if (rawHolidays === undefined) return fail('missing field "holidays"');
  if (!Array.isArray(rawHolidays)) return fail('"holidays" must be an array');
  const holidays: Holiday[] = [];
  const holidayDates = new Set<string>();
  rawHolidays.forEach((h: unknown, i) => {
    const at = `holidays[${i}]`;
    if (!isRecord(h)) return fail(`${at} must be an object`);
    rejectUnknownKeys(h, ['date', 'name', 'moves'], `${at}.`, source);
    const date = dateField(h['date'], `${at}.date`);
    if (yearOf(date) !== year) return fail(`${at}.date ${date} is outside the year ${year}`);
    if (holidayDates.has(date)) return fail(`${at}.date ${date} is listed twice`);
    const name = h['name'];
    if (name === undefined) return fail(`missing field ${at}.name`);
    if (typeof name !== 'string' || name.trim() === '') return fail(`${at}.name must be a non-empty string`);
    const moves = h['moves'];
    if (moves === undefined) return fail(`missing field ${at}.moves`);
    if (typeof moves !== 'boolean') return fail(`${at}.moves must be true or false`);
    holidayDates.add(date);
    holidays.push({ date, name, moves });
  });

  const rawTransfers = json['transfers'];
  if (rawTransfers === undefined) return fail('missing field "transfers" (use [] when there are none)');
  if (!Array.isArray(rawTransfers)) return fail('"transfers" must be an array');
  const transfers: Transfer[] = [];
  const transferDates = new Set<string>();
  rawTransfers.forEach((t: unknown, i) => {
    const at = `transfers[${i}]`;
    if (!isRecord(t)) return fail(`${at} must be an object`);
    rejectUnknownKeys(t, ['workday', 'dayOff', 'basis'], `${at}.`, source);
    const workday = dateField(t['workday'], `${at}.workday`);
    const dayOff = dateField(t['dayOff'], `${at}.dayOff`);
    if (yearOf(dayOff) !== year) return fail(`${at}.dayOff ${dayOff} is outside the year ${year}`);
    if (Math.abs(yearOf(workday) - year) > 1) {
      return fail(`${at}.workday ${workday} is outside the year ${year} and the years next to it`);
    }
    if (!isWeekend(dayNumber(workday))) return fail(`${at}.workday ${workday} is not a Saturday or Sunday`);
    if (isWeekend(dayNumber(dayOff))) return fail(`${at}.dayOff ${dayOff} is a Saturday or Sunday`);
    if (holidayDates.has(workday)) return fail(`${at}.workday ${workday} is a holiday`);
    if (holidayDates.has(dayOff)) return fail(`${at}.dayOff ${dayOff} is already a holiday`);
    for (const d of [workday, dayOff]) {
      if (transferDates.has(d)) return fail(`${at}: ${d} appears in more than one transfer`);
      transferDates.add(d);
    }
    const basis = t['basis'];
    if (basis !== undefined && typeof basis !== 'string') return fail(`${at}.basis must be a string`);
    transfers.push(basis === undefined ? { workday, dayOff } : { workday, dayOff, basis });
  });

  holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  transfers.sort((a, b) => (a.dayOff < b.dayOff ? -1 : a.dayOff > b.dayOff ? 1 : 0));
  return { year, notes, holidays, transfers };
}

// ---------------------------------------------------------------------------------------------
// The calendar.

export class WorkingCalendar {
  private readonly yearsLoaded: ReadonlySet<number>;
  /** Weekdays that are not working days: holidays on weekdays, moved holidays, transfer days off. */
  private readonly offWeekdays = new Set<string>();
  /** Saturdays and Sundays that are working days (transfers). */
  private readonly workingWeekends = new Set<string>();

  constructor(years: readonly HolidayYear[]) {
    const checked = years.map((y) => parseHolidayYear(y, `calendar data for ${String(y?.year)}`));
    const loaded = new Set<number>();
    for (const y of checked) {
      if (loaded.has(y.year)) throw new CalendarError(`calendar data for year ${y.year} given twice`);
      loaded.add(y.year);
    }
    this.yearsLoaded = loaded;
    checked.sort((a, b) => a.year - b.year);

    const allHolidays = checked.flatMap((y) => y.holidays);
    const holidayDates = new Set(allHolidays.map((h) => h.date));

    // Holidays on weekdays are days off; moving holidays on weekends move, in date order, each to
    // the next weekday that is neither a holiday nor taken by an earlier moved day.
    const movedTo = new Map<string, string>(); // moved day → the holiday it comes from
    for (const h of allHolidays) {
      const n = dayNumber(h.date);
      if (!isWeekend(n)) {
        this.offWeekdays.add(h.date);
        continue;
      }
      if (!h.moves) continue;
      let m = n + 1;
      while (isWeekend(m) || holidayDates.has(isoFromDayNumber(m)) || movedTo.has(isoFromDayNumber(m))) m += 1;
      const target = isoFromDayNumber(m);
      if (!loaded.has(yearOf(target))) {
        throw new CalendarError(
          `holiday ${h.date} moves to ${target}, but the calendar has no data for year ${yearOf(target)}`,
        );
      }
      movedTo.set(target, h.date);
      this.offWeekdays.add(target);
    }

    for (const y of checked) {
      for (const t of y.transfers) {
        const from = movedTo.get(t.dayOff);
        if (from !== undefined) {
          throw new CalendarError(
            `calendar data for ${y.year}: transfer day off ${t.dayOff} is already the day off for holiday ${from}`,
          );
        }
        if (holidayDates.has(t.workday)) {
          throw new CalendarError(`calendar data for ${y.year}: transfer workday ${t.workday} is a holiday`);
        }
        if (this.workingWeekends.has(t.workday) || this.offWeekdays.has(t.dayOff)) {
          throw new CalendarError(`calendar data for ${y.year}: transfer ${t.workday} → ${t.dayOff} repeats another transfer`);
        }
        this.workingWeekends.add(t.workday);
        this.offWeekdays.add(t.dayOff);
      }
    }
  }

  /** The years this calendar has data for, ascending. */
  years(): number[] {
    return [...this.yearsLoaded].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.yearsLoaded.has(year);
  }

  private requireYear(year: number): void {
    if (!this.yearsLoaded.has(year)) {
      const have = this.years().join(', ') || 'none';
      throw new CalendarError(`no working-day calendar data for year ${year} (have: ${have})`);
    }
  }

  private isWorking(n: number, date: string): boolean {
    this.requireYear(yearOf(date));
    if (isWeekend(n)) return this.workingWeekends.has(date);
    return !this.offWeekdays.has(date);
  }

  isWorkingDay(date: string): boolean {
    return this.isWorking(dayNumber(date), date);
  }

  /** The weekdays of `year` that are not working days (holidays, moved holidays, transfer days off), sorted. */
  daysOff(year: number): string[] {
    this.requireYear(year);
    const prefix = `${year}-`;
    return [...this.offWeekdays].filter((d) => d.startsWith(prefix)).sort();
  }

  /** The weekend days of `year` made working days by transfers, sorted. */
  workingWeekendDays(year: number): string[] {
    this.requireYear(year);
    const prefix = `${year}-`;
    return [...this.workingWeekends].filter((d) => d.startsWith(prefix)).sort();
  }

  /**
   * The date that is n working days after `date`, not counting `date` itself (n ≥ 1):
   * "within 10 working days of the 24th" ends on addWorkingDays(the 24th, 10).
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 1) throw new CalendarError(`number of working days must be a whole number ≥ 1, got ${n}`);
    let d = dayNumber(date);
    this.requireYear(yearOf(date));
    let left = n;
    while (left > 0) {
      d += 1;
      if (this.isWorking(d, isoFromDayNumber(d))) left -= 1;
    }
    return isoFromDayNumber(d);
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.addWorkingDays(date, 1);
  }

  /** `date` itself when it is a working day, else the next working day (a deadline that falls on a day off). */
  workingDayOnOrAfter(date: string): string {
    return this.isWorkingDay(date) ? date : this.nextWorkingDay(date);
  }
}
