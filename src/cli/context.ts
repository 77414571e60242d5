// What every command shares: the database path, today's billing day, output mode.
import type { Command } from 'commander';
import { openDatabase, type Db } from '../db/connection.js';
import { billingDayOf, isIsoDate, isPeriod, type IsoDate, type Period } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
  verbose?: boolean;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** --db, else ESEP_DB, else ./esep.db (SPEC section 7). */
export function dbPath(cmd: Command): string {
  return globals(cmd).db ?? process.env.ESEP_DB ?? 'esep.db';
}

export function withDb<T>(cmd: Command, work: (db: Db) => T, options: { create?: boolean } = {}): T {
  const db = openDatabase(dbPath(cmd), options);
  try {
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

/** --date D, default today in Asia/Almaty. */
export function dateOption(value: string | undefined, flag = '--date'): IsoDate {
  if (value === undefined) return billingDayOf(new Date());
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
