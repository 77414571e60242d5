// `esep run day --date D`: debit, penalties, suspension, termination, in that order, for every day
// not yet done up to D, one day after another (a termination on a day then follows that day's
// debit, as it would have on time). One summary and one exit code for cron.
import type { Db } from '../db/connection.js';
import { journalRun, nowIso, type Counts } from '../db/journal.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import { addDays, type IsoDate } from '../domain/dates.js';
import { inTransaction } from '../db/connection.js';
import { runSuspend, runTerminate, type Termination } from './collection.js';
import { runDebit } from './debit.js';
import { runPenalties } from './penalties.js';
import type { Progress } from './runner.js';

export interface DayOptions {
  date: IsoDate;
  calendar: WorkingCalendar;
  dryRun?: boolean;
  progress?: Progress;
  onTerminated?: (t: Termination) => void;
}

export interface DayResult {
  days: IsoDate[];
  counts: Record<string, Counts>;
}

/** The first day `run day` still has to do: the day after the last completed one, or D itself on a new database. */
export function firstUndoneDay(db: Db, date: IsoDate): IsoDate {
  const last = db.sqlite.prepare(`SELECT MAX(scope) AS d FROM job_runs WHERE job = 'day' AND outcome = 'ok'`).get() as { d: string | null };
  if (!last.d) return date;
  const next = addDays(last.d, 1);
  return next <= date ? next : date;
}

export async function runDay(db: Db, options: DayOptions): Promise<DayResult> {
  const result: DayResult = { days: [], counts: {} };
  const merge = (job: string, counts: Counts) => {
    const into = (result.counts[job] ??= {});
    // a run's ledger mark is its own bookkeeping, not a count to add up over days
    for (const [k, v] of Object.entries(counts)) if (k !== 'ledger_mark') into[k] = (into[k] ?? 0) + v;
  };
  for (let day = firstUndoneDay(db, options.date); day <= options.date; day = addDays(day, 1)) {
    const startedAt = nowIso();
    const common = { date: day, dryRun: options.dryRun, progress: options.progress };
    merge('debit', (await runDebit(db, common)).counts);
    merge('penalties', (await runPenalties(db, common)).counts);
    merge('suspend', (await runSuspend(db, common)).counts);
    merge('terminate', (await runTerminate(db, { ...common, calendar: options.calendar, onTerminated: options.onTerminated })).counts);
    if (!options.dryRun) inTransaction(db, () => journalRun(db, 'day', day, startedAt, {}));
    result.days.push(day);
  }
  return result;
}
