// The facts `esep status` reads besides the last completed days (journal.ts: lastCompletedDays):
// runs that failed and were not done since, the locks held now, whether there is anything to bill.
// Reads only; what they mean is decided in domain/status.ts.
import type { Db } from './connection.js';

export interface JournalRunRow {
  id: number;
  job: string;
  scope: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: 'running' | 'ok' | 'failed' | 'interrupted';
  message: string | null;
  pid: number | null;
}

const RUN_COLUMNS = `r.id, r.job, r.scope, r.started_at AS startedAt, r.finished_at AS finishedAt, r.outcome, r.message, r.pid`;

/**
 * Runs that failed or were interrupted, and runs still marked running, after the last successful run
 * of the same job (a job that succeeded since has caught up: the daily jobs and month-end finish a
 * killed run's work, an import is repeated), oldest first.
 */
export function runsNotDoneSince(db: Db): JournalRunRow[] {
  return db.sqlite
    .prepare(
      `SELECT ${RUN_COLUMNS} FROM job_runs r
        WHERE r.outcome IN ('failed', 'interrupted', 'running')
          AND r.id > COALESCE((SELECT MAX(o.id) FROM job_runs o WHERE o.job = r.job AND o.outcome = 'ok'), 0)
        ORDER BY r.id`,
    )
    .all() as JournalRunRow[];
}

export interface HeldLock {
  name: string;
  job: string;
  pid: number;
  host: string;
  acquiredAt: string;
}

/** The locks held now (job_locks): the writer lock, and the sender's. */
export function heldLocks(db: Db): HeldLock[] {
  return db.sqlite.prepare('SELECT name, job, pid, host, acquired_at AS acquiredAt FROM job_locks ORDER BY name').all() as HeldLock[];
}

/** Whether the database holds any account at all (with none, nothing that never ran is missed). */
export function hasAccounts(db: Db): boolean {
  return (db.sqlite.prepare('SELECT EXISTS (SELECT 1 FROM accounts) AS yes').get() as { yes: number }).yes === 1;
}
