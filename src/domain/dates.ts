// Billing days and periods. Dates cross modules as ISO strings 'YYYY-MM-DD', periods as 'YYYY-MM';
// dayjs is used only inside this file. The billing day is a calendar date in Asia/Almaty.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(customParseFormat);

export const BILLING_TZ = 'Asia/Almaty';

export type IsoDate = string;
export type Period = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PERIOD = /^\d{4}-\d{2}$/;

/** Days in month `month` (1–12) of `year`, Gregorian; plain arithmetic for any year. */
export function monthLength(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const m = Number(text.slice(5, 7));
  const d = Number(text.slice(8, 10));
  return m >= 1 && m <= 12 && d >= 1 && d <= monthLength(Number(text.slice(0, 4)), m);
}

export function isPeriod(text: string): boolean {
  return PERIOD.test(text) && dayjs(`${text}-01`, 'YYYY-MM-DD', true).isValid();
}

const DOTTED_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

/**
 * A date written in a file: ISO `2026-11-25`, or as Excel writes it in a Russian or Kazakh locale,
 * `25.11.2026` (day first; `5.1.2026` too). The one parser of file dates (accounts, payment CSVs;
 * bank statements add a time of day around it). Anything else, a two-digit year included, is
 * undefined: never guessed.
 */
export function parseFileDate(text: string): IsoDate | undefined {
  const s = text.trim();
  if (isIsoDate(s)) return s;
  const dotted = DOTTED_DATE.exec(s);
  if (!dotted) return undefined;
  const iso = `${dotted[3]}-${dotted[2]!.padStart(2, '0')}-${dotted[1]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : undefined;
}

/** The days a date in a file may fall on, both included. */
export interface DateWindow {
  earliest: IsoDate;
  latest: IsoDate;
}

/** From `daysBack` days before today to `daysAhead` days after it. */
export function windowAround(today: IsoDate, daysBack: number, daysAhead: number): DateWindow {
  return { earliest: addDays(today, -daysBack), latest: addDays(today, daysAhead) };
}

/** Where a date falls against its window: 'before', 'after', or null when inside. */
export function outsideWindow(date: IsoDate, window: DateWindow): 'before' | 'after' | null {
  parts(date);
  if (date < window.earliest) return 'before';
  if (date > window.latest) return 'after';
  return null;
}

function parse(date: IsoDate): dayjs.Dayjs {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${date}"`);
  return dayjs.utc(date, 'YYYY-MM-DD', true);
}

/** Year, month (1–12) and day of a valid ISO date, without dayjs: the hot path of daily jobs. */
function parts(date: IsoDate): [number, number, number] {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${date}"`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function fromUtc(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The billing day (a calendar date in Asia/Almaty) of an instant. */
export function billingDayOf(instant: Date): IsoDate {
  return dayjs(instant).tz(BILLING_TZ).format('YYYY-MM-DD');
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parts(date);
  const day = d + days;
  // within the same month: no Date object needed (the nightly jobs' hot path)
  if (day >= 1 && day <= monthLength(y, m)) return `${date.slice(0, 8)}${day < 10 ? '0' : ''}${day}`;
  return fromUtc(Date.UTC(y, m - 1, day));
}

export function addMonths(date: IsoDate, months: number): IsoDate {
  return parse(date).add(months, 'month').format('YYYY-MM-DD');
}

/** Whole days from a to b (b − a); negative when b is earlier. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return parse(b).diff(parse(a), 'day');
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  const d = parse(date).day();
  return d === 0 ? 7 : d;
}

export function dayOfMonth(date: IsoDate): number {
  return parts(date)[2];
}

export function daysInMonth(date: IsoDate | Period): number {
  const [y, m] = parts(isPeriod(date) ? `${date}-01` : date);
  return monthLength(y, m);
}

/** The period 'YYYY-MM' of a date: the one place a period is taken from a date's text. */
export function periodOf(date: IsoDate): Period {
  if (!ISO_DATE.test(date)) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${date}"`);
  return date.slice(0, 7);
}

export function firstDayOf(period: Period): IsoDate {
  if (!isPeriod(period)) throw new RangeError(`not a period (YYYY-MM): "${period}"`);
  return `${period}-01`;
}

export function lastDayOf(period: Period): IsoDate {
  return parse(firstDayOf(period)).endOf('month').format('YYYY-MM-DD');
}

export function nextPeriod(period: Period): Period {
  return parse(firstDayOf(period)).add(1, 'month').format('YYYY-MM');
}

export function previousPeriod(period: Period): Period {
  return parse(firstDayOf(period)).subtract(1, 'month').format('YYYY-MM');
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/** Every date from `from` to `to`, both included, in order. */
export function* eachDay(from: IsoDate, to: IsoDate): Generator<IsoDate> {
  parts(to);
  for (let day = from; day <= to; day = addDays(day, 1)) yield day;
}

/** The calendar year a date falls in. */
export function yearOf(date: IsoDate): number {
  return parts(date)[0];
}

/** 31.10.2026: a date as people read it in Kazakhstan. */
export function formatDay(date: IsoDate): string {
  const [y, m, d] = parts(date);
  return `${String(d).padStart(2, '0')}.${String(m).padStart(2, '0')}.${y}`;
}

/**
 * D-12: a day after `today` has not come yet. A job run for it would post its charges, penalties and
 * terminations now; a period has ended once its last day is before today.
 */
export function isAfterToday(date: IsoDate, today: IsoDate): boolean {
  parts(date);
  parts(today);
  return date > today;
}

export function periodHasEnded(period: Period, today: IsoDate): boolean {
  return lastDayOf(period) < today;
}

/**
 * The daily jobs are behind a day when they have not completed it: what is shown as of that day
 * misses its charges, penalties and suspensions (and those of the days between).
 */
export function dailyJobsBehind(doneThrough: IsoDate | null, asOf: IsoDate): boolean {
  return doneThrough === null || doneThrough < asOf;
}

/**
 * 01.12.2026 01:00:03: an instant (a Date, or an ISO timestamp as the journal stores them, `…Z`) as
 * people read it, on the Almaty wall clock. Every time shown to a person goes through here.
 */
export function formatTime(instant: Date | string): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) throw new RangeError(`not an instant: "${String(instant)}"`);
  return dayjs(at).tz(BILLING_TZ).format('DD.MM.YYYY HH:mm:ss');
}
