// The working-day calendar from data: the shipped data/calendar/YYYY.json, and optionally a folder
// of files that override (same year) or add years.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../db/connection.js';
import { CalendarError, parseHolidayYear, WorkingCalendar, type CalendarOptions, type HolidayYear } from '../domain/calendar.js';
import { InputError } from '../domain/errors.js';

export const SHIPPED_CALENDAR_DIR = path.join(PROJECT_ROOT, 'data', 'calendar');

function readYears(dir: string): HolidayYear[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8').replace(/^\ufeff/, ''));
      } catch (error) {
        throw new InputError([{ file, message: `not valid JSON: ${(error as Error).message}` }]);
      }
      try {
        return parseHolidayYear(json, file);
      } catch (error) {
        if (error instanceof CalendarError) throw new InputError([{ file, message: error.message }]);
        throw error;
      }
    });
}

/** The shipped years, with every year found in `overrideDir` replacing or adding to them. */
export function loadCalendar(overrideDir?: string, options: CalendarOptions = {}): WorkingCalendar {
  const byYear = new Map<number, HolidayYear>();
  for (const y of readYears(SHIPPED_CALENDAR_DIR)) byYear.set(y.year, y);
  if (overrideDir) {
    if (!existsSync(overrideDir)) throw new InputError([{ file: overrideDir, message: 'calendar folder does not exist' }]);
    for (const y of readYears(overrideDir)) byYear.set(y.year, y);
  }
  return new WorkingCalendar([...byYear.values()], options);
}
