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
// A date in a year the calendar has no data for is an error, never "no holidays", with one
// exception: a deadline (addWorkingDays and the two functions built on it) that runs past the data
// into a later year is counted by the law's rule for that year (lawHolidays: the fixed holidays,
// moved as above; no Kurban Ait, no transfers, neither being known in advance), and the calendar
// reports it through onEstimate, so that one deadline beyond the data never fails a night's work.
// From 90 days before the data ends every run warns (warnsOfCalendarEnd).
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
// The law's list of holidays, as a rule: what a year's file holds, and the estimate for a year that
// has no file yet.

/** The first year lawHolidays describes: the Law "On holidays" as amended in 2026. */
export const LAW_HOLIDAYS_FROM = 2026;

const NEW_YEAR = 'Жаңа жыл / Новый год';
const ORTHODOX_CHRISTMAS = 'Православиелік Рождество / Православное Рождество';
const WOMENS_DAY = 'Халықаралық әйелдер күні / Международный женский день';
const CONSTITUTION_DAY = 'Конституция күні / День Конституции';
const NAURYZ = 'Наурыз мейрамы / Праздник Наурыз';
const UNITY_DAY = 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана';
const DEFENDERS_DAY = 'Отан қорғаушы күні / День защитника Отечества';
const VICTORY_DAY = 'Жеңіс күні / День Победы';
const KURBAN_AIT = 'Құрбан айт / Курбан айт';
const CAPITAL_DAY = 'Астана күні / День столицы';
const REPUBLIC_DAY = 'Республика күні / День Республики';
const INDEPENDENCE_DAY = 'Тәуелсіздік күні / День Независимости';

/**
 * The holidays of `year` as the Law "On holidays in the Republic of Kazakhstan" (as amended in 2026)
 * lists them, each on its own date before any moving, in date order: 1–2 January, 7 January
 * (Orthodox Christmas, religious), 8 March, 15 March (Constitution Day, from 2027; 30 August is no
 * holiday from 2026 on), 21–23 March, 1, 7, 9 May, Kurban Ait (religious; its date is announced each
 * year: `kurbanAit`, or null when not known), 6 July, 25 October, 16 December.
 */
export function lawHolidays(year: number, kurbanAit: string | null): Holiday[] {
  if (!Number.isInteger(year) || year < LAW_HOLIDAYS_FROM || year > 9999) {
    throw new CalendarError(`the holiday rule knows the law as amended in 2026, for ${LAW_HOLIDAYS_FROM} and later: no rule for ${year}`);
  }
  if (kurbanAit !== null && (dayNumberOrNull(kurbanAit) === null || yearOf(kurbanAit) !== year)) {
    throw new CalendarError(`Kurban Ait ${kurbanAit} is not a date in ${year}`);
  }
  const on = (monthDay: string, name: string, moves: boolean): Holiday => ({ date: `${year}-${monthDay}`, name, moves });
  const holidays: Holiday[] = [
    on('01-01', NEW_YEAR, true),
    on('01-02', NEW_YEAR, true),
    on('01-07', ORTHODOX_CHRISTMAS, false),
    on('03-08', WOMENS_DAY, true),
    ...(year >= 2027 ? [on('03-15', CONSTITUTION_DAY, true)] : []),
    on('03-21', NAURYZ, true),
    on('03-22', NAURYZ, true),
    on('03-23', NAURYZ, true),
    on('05-01', UNITY_DAY, true),
    on('05-07', DEFENDERS_DAY, true),
    on('05-09', VICTORY_DAY, true),
    on('07-06', CAPITAL_DAY, true),
    on('10-25', REPUBLIC_DAY, true),
    on('12-16', INDEPENDENCE_DAY, true),
  ];
  if (kurbanAit !== null) {
    if (holidays.some((h) => h.date === kurbanAit)) throw new CalendarError(`Kurban Ait ${kurbanAit} is already another holiday`);
    holidays.push({ date: kurbanAit, name: KURBAN_AIT, moves: false });
  }
  return holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The weekdays off that `holidays` give: each holiday on a weekday, and each moving holiday on a
 * weekend moved, in date order, to the next weekday that is neither a holiday nor taken by an
 * earlier moved day. `movedTo` maps each moved day to the holiday it comes from.
 */
function weekdaysOff(holidays: readonly Holiday[]): { off: Set<string>; movedTo: Map<string, string> } {
  const sorted = [...holidays].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const holidayDates = new Set(sorted.map((h) => h.date));
  const off = new Set<string>();
  const movedTo = new Map<string, string>();
  for (const h of sorted) {
    const n = dayNumber(h.date);
    if (!isWeekend(n)) {
      off.add(h.date);
      continue;
    }
    if (!h.moves) continue;
    let m = n + 1;
    while (isWeekend(m) || holidayDates.has(isoFromDayNumber(m)) || movedTo.has(isoFromDayNumber(m))) m += 1;
    const target = isoFromDayNumber(m);
    movedTo.set(target, h.date);
    off.add(target);
  }
  return { off, movedTo };
}

// ---------------------------------------------------------------------------------------------
// The end of the data.

/** From this many days before the calendar's data ends, every run warns (SPEC section 2). */
export const CALENDAR_WARNING_DAYS = 90;

/**
 * Whether a run on `today` warns that the calendar's data ends on `lastDate`: from 90 days before it
 * (31 December: from 2 October on) and every day after it.
 */
export function warnsOfCalendarEnd(lastDate: string, today: string): boolean {
  return dayNumber(lastDate) - dayNumber(today) <= CALENDAR_WARNING_DAYS;
}

/** A deadline counted into years the calendar has no data for, by the law's rule (lawHolidays, no Kurban Ait, no transfers). */
export interface WorkingDaysEstimate {
  /** The date counted from. */
  from: string;
  /** The working days counted (0 for workingDayOnOrAfter). */
  workingDays: number;
  /** The date found. */
  result: string;
  /** The years without data the count went through, ascending. */
  years: number[];
}

export interface CalendarOptions {
  /** Called for every deadline that went through a year without data (the caller warns). */
  onEstimate?: (estimate: WorkingDaysEstimate) => void;
}

// ---------------------------------------------------------------------------------------------
// The calendar.

export class WorkingCalendar {
  private readonly yearsLoaded: ReadonlySet<number>;
  /** Weekdays that are not working days: holidays on weekdays, moved holidays, transfer days off. */
  private readonly offWeekdays = new Set<string>();
  /** Saturdays and Sundays that are working days (transfers). */
  private readonly workingWeekends = new Set<string>();

  private readonly firstYear: number | null;
  /** The weekdays off of the years estimated by the rule so far, by year. */
  private readonly estimatedOff = new Map<number, ReadonlySet<string>>();
  private readonly onEstimate: ((estimate: WorkingDaysEstimate) => void) | undefined;

  constructor(years: readonly HolidayYear[], options: CalendarOptions = {}) {
    this.onEstimate = options.onEstimate;
    const checked = years.map((y) => parseHolidayYear(y, `calendar data for ${String(y?.year)}`));
    const loaded = new Set<number>();
    for (const y of checked) {
      if (loaded.has(y.year)) throw new CalendarError(`calendar data for year ${y.year} given twice`);
      loaded.add(y.year);
    }
    this.yearsLoaded = loaded;
    checked.sort((a, b) => a.year - b.year);
    this.firstYear = checked[0]?.year ?? null;

    const allHolidays = checked.flatMap((y) => y.holidays);
    const holidayDates = new Set(allHolidays.map((h) => h.date));

    // Holidays on weekdays are days off; moving holidays on weekends move (weekdaysOff).
    const { off, movedTo } = weekdaysOff(allHolidays);
    for (const [target, from] of movedTo) {
      if (!loaded.has(yearOf(target))) {
        throw new CalendarError(`holiday ${from} moves to ${target}, but the calendar has no data for year ${yearOf(target)}`);
      }
    }
    for (const d of off) this.offWeekdays.add(d);

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

  /**
   * The last date of the data that counts on `today`: 31 December of the last year in the unbroken
   * run of years with data from today's year on. When today's year has no data, the end of the
   * latest year with data before it (already passed), else of the first run of years (a calendar
   * that starts after today).
   */
  lastDateCovered(today: string): string {
    dayNumber(today);
    const years = this.years();
    if (years.length === 0) throw new CalendarError('the working-day calendar has no data at all');
    const y = yearOf(today);
    let end = this.yearsLoaded.has(y) ? y : (years.filter((x) => x < y).pop() ?? years[0]!);
    while (this.yearsLoaded.has(end + 1)) end += 1;
    return `${end}-12-31`;
  }

  private missingYear(year: number): never {
    const have = this.years().join(', ') || 'none';
    throw new CalendarError(`no working-day calendar data for year ${year} (have: ${have})`);
  }

  private requireYear(year: number): void {
    if (!this.yearsLoaded.has(year)) this.missingYear(year);
  }

  /** A year without data that a deadline may run into: after the first year with data, and one the rule knows. */
  private canEstimate(year: number): boolean {
    return this.firstYear !== null && year > this.firstYear && year >= LAW_HOLIDAYS_FROM;
  }

  private estimatedDaysOff(year: number): ReadonlySet<string> {
    let off = this.estimatedOff.get(year);
    if (off === undefined) {
      off = weekdaysOff(lawHolidays(year, null)).off;
      this.estimatedOff.set(year, off);
    }
    return off;
  }

  /**
   * Whether day n (= `date`) is a working day. Without `estimated`, a year without data is an error;
   * with it, such a year after the data is answered by the rule and added to `estimated`.
   */
  private isWorking(n: number, date: string, estimated?: Set<number>): boolean {
    const year = yearOf(date);
    if (!this.yearsLoaded.has(year)) {
      if (estimated === undefined || !this.canEstimate(year)) return this.missingYear(year);
      estimated.add(year);
      if (isWeekend(n)) return this.workingWeekends.has(date);
      return !this.offWeekdays.has(date) && !this.estimatedDaysOff(year).has(date);
    }
    if (isWeekend(n)) return this.workingWeekends.has(date);
    return !this.offWeekdays.has(date);
  }

  private reportEstimate(from: string, workingDays: number, result: string, estimated: ReadonlySet<number>): void {
    if (estimated.size === 0) return;
    this.onEstimate?.({ from, workingDays, result, years: [...estimated].sort((a, b) => a - b) });
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
   * Days in a year without data after the data are counted by the rule and reported (onEstimate).
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 1) throw new CalendarError(`number of working days must be a whole number ≥ 1, got ${n}`);
    let d = dayNumber(date);
    const estimated = new Set<number>();
    if (!this.yearsLoaded.has(yearOf(date)) && !this.canEstimate(yearOf(date))) this.missingYear(yearOf(date));
    let left = n;
    while (left > 0) {
      d += 1;
      if (this.isWorking(d, isoFromDayNumber(d), estimated)) left -= 1;
    }
    const result = isoFromDayNumber(d);
    this.reportEstimate(date, n, result, estimated);
    return result;
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.addWorkingDays(date, 1);
  }

  /** `date` itself when it is a working day, else the next working day (a deadline that falls on a day off). */
  workingDayOnOrAfter(date: string): string {
    const estimated = new Set<number>();
    if (!this.isWorking(dayNumber(date), date, estimated)) return this.nextWorkingDay(date);
    this.reportEstimate(date, 0, date, estimated);
    return date;
  }
}
