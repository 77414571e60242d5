// What every command shares: the database path, today's billing day, output mode.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/config.js';
import { syncOperatorFromConfig } from '../config/operator.js';
import { openDatabase, type Db } from '../db/connection.js';
import { dailyJobsBehind, firstDayOf, formatDay, isAfterToday, isIsoDate, isPeriod, nextPeriod, periodHasEnded, type IsoDate, type Period } from '../domain/dates.js';
import { lastCompletedDays } from '../db/journal.js';
import { billingToday } from '../config/calendar.js';
import { InputError } from '../domain/errors.js';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
  verbose?: boolean;
  config?: string;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** --db, else ESEP_DB, else ./esep.db (SPEC section 7). */
export function dbPath(cmd: Command): string {
  return globals(cmd).db ?? process.env.ESEP_DB ?? 'esep.db';
}

/** The configuration: --config, else $ESEP_CONFIG, else ./esep.config.json, else the defaults (bad: exit 2). */
export function configOf(cmd: Command): Config {
  return loadConfig({ path: globals(cmd).config });
}

/** Opens the database for `work`; the configuration file's operator section, if any, is applied first. */
export function withDb<T>(cmd: Command, work: (db: Db) => T, options: { create?: boolean } = {}): T {
  const config = configOf(cmd);
  const db = openDatabase(dbPath(cmd), options);
  try {
    const synced = syncOperatorFromConfig(db, config);
    if (synced.outcome === 'updated') process.stderr.write(`esep: operator updated from ${config.file} (${synced.fields.join(', ')})\n`);
    if (synced.outcome === 'busy') process.stderr.write(`esep: operator settings of ${config.file} not applied yet: a job is running\n`);
    const result = work(db);
    if (result instanceof Promise) {
      return result.finally(() => db.close()) as T;
    }
    db.close();
    return result;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Today's billing day: ESEP_TODAY when set (replays, simulations, tests: SPEC D-12), else today in Asia/Almaty. */
export function today(): IsoDate {
  return billingToday();
}

/** --date D, default today (ESEP_TODAY, else today in Asia/Almaty). */
export function dateOption(value: string | undefined, flag = '--date'): IsoDate {
  if (value === undefined) return today();
  if (!isIsoDate(value)) throw new InputError([{ field: flag, message: `"${value}" is not a date (YYYY-MM-DD)` }]);
  return value;
}

export function requiredDate(value: string | undefined, flag: string): IsoDate {
  if (value === undefined) throw new InputError([{ field: flag, message: 'is required' }]);
  return dateOption(value, flag);
}

export function periodOption(value: string | undefined, flag = '--period'): Period {
  if (value === undefined || !isPeriod(value)) {
    throw new InputError([{ field: flag, message: `"${value ?? ''}" is not a period (YYYY-MM)` }]);
  }
  return value;
}

/** The flag of D-12, taken by every job with a date and by `run invoices`. */
export const ALLOW_FUTURE = '--allow-future';
export const ALLOW_FUTURE_HELP = 'run it for a day after today (a replay ahead, a test); refused otherwise (D-12)';

/** "today (2026-12-01, ESEP_TODAY)": which today a refusal compared with. */
function todayNamed(day: IsoDate): string {
  return `today (${day}${process.env.ESEP_TODAY ? ', ESEP_TODAY' : ' in Asia/Almaty'})`;
}

/**
 * A job's --date (D-12): default today; a day after today is refused (exit 2, nothing changed)
 * unless --allow-future. One typo must not post a year of charges and send termination notices.
 */
export function jobDate(value: string | undefined, options: { allowFuture?: boolean }, flag = '--date'): IsoDate {
  const date = dateOption(value, flag);
  const now = today();
  if (!options.allowFuture && isAfterToday(date, now)) {
    throw new InputError([
      { field: flag, message: `${date} is after ${todayNamed(now)}: nothing is posted for a day that has not come; add ${ALLOW_FUTURE} to do it anyway` },
    ]);
  }
  return date;
}

/** `run invoices --period P` (D-12): a period that has not ended is refused (exit 2) unless --allow-future. */
export function jobPeriod(value: string | undefined, options: { allowFuture?: boolean }): Period {
  const period = periodOption(value);
  const now = today();
  if (!options.allowFuture && !periodHasEnded(period, now)) {
    throw new InputError([
      {
        field: '--period',
        message: `${period} has not ended, ${todayNamed(now)}: its invoices can be issued from ${firstDayOf(nextPeriod(period))}; add ${ALLOW_FUTURE} to issue them ahead anyway`,
      },
    ]);
  }
  return period;
}

/**
 * A look-back's --date (`account show`, `debtors`): a day after today is refused (exit 2). Nothing
 * is posted for the days to come yet, so figures "as of" one would be today's under a later date.
 */
export function lookBackDate(value: string | undefined, flag = '--date'): IsoDate {
  const date = dateOption(value, flag);
  const now = today();
  if (isAfterToday(date, now)) {
    throw new InputError([
      { field: flag, message: `${date} is after ${todayNamed(now)}: the days to it are not charged yet, so nothing can be shown as of it; omit ${flag} to see today` },
    ]);
  }
  return date;
}

/**
 * A warning on stderr when the daily jobs have not completed `asOf` (`account show`, `debtors`,
 * `run invoices`): what is shown misses the charges and penalties of the days since.
 */
export function warnIfDailyJobsBehind(db: Db, asOf: IsoDate): void {
  const done = lastCompletedDays(db).daily;
  if (!dailyJobsBehind(done, asOf)) return;
  const since = done === null ? 'the daily jobs have never run' : `the daily jobs last ran for ${formatDay(done)}`;
  process.stderr.write(`warning: ${since}: the figures as of ${formatDay(asOf)} miss the charges and penalties of the days not run; run \`esep run day\`\n`);
}

export function positiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new InputError([{ field: flag, message: `"${value}" is not a whole number` }]);
  return Number(value);
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
