// `esep run day --date D`: debit, penalties, suspension, termination, in that order, for every day
// not yet done up to D, one day after another (a termination on a day then follows that day's
// debit, as it would have on time). One job: it holds the writer lock from the first job of the
// first day to the last job of the last day, so no payment import or other job comes in between
// (it exits 75), and a day once done is not done again. One summary and one exit code for cron.
import type { Db } from '../db/connection.js';
import { journalRun, nowIso, type Counts } from '../db/journal.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import { addDays, type IsoDate } from '../domain/dates.js';
import { inTransaction } from '../db/connection.js';
import { runSuspend, runTerminate, type Termination } from './collection.js';
import { runDebit } from './debit.js';
import { runPenalties } from './penalties.js';
import { holdWriterLock, type Progress } from './runner.js';

export interface DayOptions {
  date: IsoDate;
  calendar: WorkingCalendar;
  dryRun?: boolean;
  progress?: Progress;
  onTerminated?: (t: Termination) => void;
}

export interface DayResult {
  /** The days run, in order; none when D was done already. */
  days: IsoDate[];
  counts: Record<string, Counts>;
  /** The last day done after the run (null on a dry run of a new database). */
  doneThrough: IsoDate | null;
  /** D was done by an earlier run day: nothing was run or posted. */
  alreadyDone: boolean;
}

/** The last day a run day completed, or null on a new database. */
export function lastDoneDay(db: Db): IsoDate | null {
  return (db.sqlite.prepare(`SELECT MAX(scope) AS d FROM job_runs WHERE job = 'day' AND outcome = 'ok'`).get() as { d: string | null }).d;
}

/**
 * The first day `run day --date D` still has to do: the day after the last one done, or D itself on
 * a new database; null when D is done already (days are done in order, so every day up to the last
 * one done is).
 */
export function firstUndoneDay(db: Db, date: IsoDate): IsoDate | null {
  const last = lastDoneDay(db);
  if (!last) return date;
  return last < date ? addDays(last, 1) : null;
}

async function runDays(db: Db, options: DayOptions): Promise<DayResult> {
  const first = firstUndoneDay(db, options.date);
  const result: DayResult = { days: [], counts: {}, doneThrough: lastDoneDay(db), alreadyDone: first === null };
  const merge = (job: string, counts: Counts) => {
    const into = (result.counts[job] ??= {});
    // a run's ledger mark is its own bookkeeping, not a count to add up over days
    for (const [k, v] of Object.entries(counts)) if (k !== 'ledger_mark') into[k] = (into[k] ?? 0) + v;
  };
  if (first === null) return result;
  // Each job counts the accounts of its own run; over several days the same account is in many
  // runs, so the accounts of the whole run are counted once each here (account-days stay summed).
  const severalDays = first < options.date;
  const accounts = { debit: new Set<string>(), penalties: new Set<string>() };
  const counted = (job: keyof typeof accounts) => (severalDays ? (account: string) => void accounts[job].add(account) : undefined);
  for (let day = first; day <= options.date; day = addDays(day, 1)) {
    const startedAt = nowIso();
    const common = { date: day, dryRun: options.dryRun, progress: options.progress };
    merge('debit', (await runDebit(db, { ...common, onAccount: counted('debit') })).counts);
    const penalties = (await runPenalties(db, { ...common, onAccount: counted('penalties') })).counts;
    merge('penalties', { ...penalties, account_days: penalties.accounts ?? 0 });
    merge('suspend', (await runSuspend(db, common)).counts);
    merge('terminate', (await runTerminate(db, { ...common, calendar: options.calendar, onTerminated: options.onTerminated })).counts);
    if (!options.dryRun) {
      inTransaction(db, () => journalRun(db, 'day', day, startedAt, {}));
      result.doneThrough = day;
    }
    result.days.push(day);
  }
  if (severalDays) for (const job of ['debit', 'penalties'] as const) if (result.counts[job]) result.counts[job].accounts = accounts[job].size;
  return result;
}

/**
 * Runs the days not yet done up to `date` under one writer lock (a dry run, which writes nothing,
 * takes none, as every dry run). The four jobs journal their own runs as they do alone; each day
 * done adds a `day` row, which is what the next run starts after.
 */
export async function runDay(db: Db, options: DayOptions): Promise<DayResult> {
  if (options.dryRun) return runDays(db, options);
  return holdWriterLock(db, 'day', () => runDays(db, options));
}
