// The working-day calendar the jobs use: the shipped data/calendar/YYYY.json, with the years in the
// configuration's calendar.dir added, or replacing a shipped year whole (a year's file is one
// unit: a government transfer announced for 2027 goes into a full copy of 2027.json). The files are
// read and checked by io/calendar.ts; this is the configuration's way in, and where the warnings
// about the end of the data are written (stderr: the command's output and exit code stay as they are).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { warnsOfCalendarEnd, type WorkingCalendar, type WorkingDaysEstimate } from '../domain/calendar.js';
import { billingDayOf, isIsoDate, type IsoDate } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import { loadCalendar, SHIPPED_CALENDAR_DIR } from '../io/calendar.js';
import type { ConfigFile } from './config.js';

const YEAR_FILE = /^(\d{4})\.json$/;

/** Today's billing day: $ESEP_TODAY when set (replays, simulations, tests; SPEC section 2), else the date in Asia/Almaty. */
export function billingToday(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): IsoDate {
  const fixed = env.ESEP_TODAY;
  if (fixed === undefined || fixed === '') return billingDayOf(now);
  if (!isIsoDate(fixed)) throw new InputError([{ field: 'ESEP_TODAY', message: `"${fixed}" is not a date (YYYY-MM-DD)` }]);
  return fixed;
}

/** 31.12.2030: a date for people. */
function shown(date: IsoDate): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

const ESTIMATE = 'Mon–Fri minus the law\u2019s fixed holidays, moved by its rule; no Kurban Ait, no transfers';

/** Where the next year's file goes: the configuration's calendar.dir when set, else the shipped folder. */
function fileToAdd(config: Pick<ConfigFile, 'calendar'>, year: number): string {
  return config.calendar.dir === null ? `data/calendar/${year}.json` : `${path.join(config.calendar.dir, `${year}.json`)} (calendar.dir)`;
}

/** The warning a run on `today` prints about the end of the calendar's data, or null (domain/calendar.ts: warnsOfCalendarEnd). */
export function calendarEndWarning(calendar: WorkingCalendar, today: IsoDate, config: Pick<ConfigFile, 'calendar'>): string | null {
  const last = calendar.lastDateCovered(today);
  if (!warnsOfCalendarEnd(last, today)) return null;
  const add = `add ${fileToAdd(config, Number(last.slice(0, 4)) + 1)}`;
  if (today <= last) return `warning: the working-day calendar ends on ${shown(last)}; ${add}`;
  return `warning: the working-day calendar ended on ${shown(last)}: deadlines after it are estimates (${ESTIMATE}); ${add}`;
}

/** The warning for one deadline counted into a year without data. */
export function estimateWarning(e: WorkingDaysEstimate, config: Pick<ConfigFile, 'calendar'>): string {
  const what = e.workingDays === 0 ? `the working day on or after ${shown(e.from)}` : `${e.workingDays} working days after ${shown(e.from)}`;
  const years = e.years.join(', ');
  return (
    `warning: ${what} is ${shown(e.result)}, an estimate: the working-day calendar has no data for ${years} (${ESTIMATE}); ` +
    `add ${e.years.map((y) => fileToAdd(config, y)).join(', ')} and check the deadlines set on ${shown(e.from)}`
  );
}

export interface CalendarWarnings {
  /** Today's billing day (default billingToday()). */
  today?: IsoDate;
  /** Where a warning line goes (default stderr); each distinct line is written once. */
  warn?: (line: string) => void;
}

/**
 * The working-day calendar: data/calendar plus the overrides of calendar.dir (a bad file is exit 2).
 * Warns from 90 days before its data ends, and for every deadline counted beyond it.
 */
export function workingCalendar(config: Pick<ConfigFile, 'calendar'>, options: CalendarWarnings = {}): WorkingCalendar {
  const write = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const written = new Set<string>();
  const warn = (line: string): void => {
    if (written.has(line)) return;
    written.add(line);
    write(line);
  };
  const today = options.today ?? billingToday();
  const calendar = loadCalendar(config.calendar.dir ?? undefined, { onEstimate: (e) => warn(estimateWarning(e, config)) });
  const end = calendarEndWarning(calendar, today, config);
  if (end !== null) warn(end);
  return calendar;
}

/** Which file each year of the calendar comes from (for `esep config show`). */
export function calendarSources(config: Pick<ConfigFile, 'calendar'>): { year: number; file: string }[] {
  const files = new Map<number, string>();
  for (const dir of [SHIPPED_CALENDAR_DIR, config.calendar.dir]) {
    if (dir === null) continue;
    for (const name of readdirSync(dir)) {
      const m = YEAR_FILE.exec(name);
      if (m) files.set(Number(m[1]), path.join(dir, name));
    }
  }
  return [...files.entries()].sort(([a], [b]) => a - b).map(([year, file]) => ({ year, file }));
}
