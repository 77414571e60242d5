// The working-day calendar the jobs use: the shipped data/calendar/YYYY.json, with the years in the
// configuration's calendar.dir added, or replacing a shipped year whole (a year's file is one
// unit: a government transfer announced for 2027 goes into a full copy of 2027.json). The files are
// read and checked by io/calendar.ts; this is the configuration's way in.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { WorkingCalendar } from '../domain/calendar.js';
import { loadCalendar, SHIPPED_CALENDAR_DIR } from '../io/calendar.js';
import type { ConfigFile } from './config.js';

const YEAR_FILE = /^(\d{4})\.json$/;

/** The working-day calendar: data/calendar plus the overrides of calendar.dir (a bad file is exit 2). */
export function workingCalendar(config: Pick<ConfigFile, 'calendar'>): WorkingCalendar {
  return loadCalendar(config.calendar.dir ?? undefined);
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
