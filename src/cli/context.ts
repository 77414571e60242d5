// What every command shares: the database path, today's billing day, output mode.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/config.js';
import { syncOperatorFromConfig } from '../config/operator.js';
import { openDatabase, type Db } from '../db/connection.js';
import { isIsoDate, isPeriod, type IsoDate, type Period } from '../domain/dates.js';
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
