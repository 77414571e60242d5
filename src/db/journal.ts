// The job journal: one row per run, written in the same transaction as the run's work.
import { hostname } from 'node:os';
import type { Db } from './connection.js';
import { BusyError } from '../domain/errors.js';
import { formatTime } from '../domain/dates.js';
import { firstDayOf, lastDayOf, nextPeriod, periodOf, type Period } from '../domain/dates.js';
import { ACTIVE_IN_PERIOD_SQL } from '../domain/invoice.js';

export type Counts = Record<string, number>;

export function nowIso(): string {
  return new Date().toISOString();
}

/** Journals a run that completed in one transaction (imports, small jobs). Call inside the transaction. */
export function journalRun(db: Db, job: string, scope: string, startedAt: string, counts: Counts, message?: string): number {
  const result = db.sqlite
    .prepare(
      `INSERT INTO job_runs (job, scope, started_at, finished_at, outcome, counts, message, pid)
       VALUES (?, ?, ?, ?, 'ok', ?, ?, ?)`,
    )
    .run(job, scope, startedAt, nowIso(), JSON.stringify(counts), message ?? null, process.pid);
  return Number(result.lastInsertRowid);
}

export interface RunHandle {
  id: number;
  /** Adds to the run's counts; call inside each batch's transaction so the journal matches the work. */
  add(counts: Counts): void;
  finish(outcome: 'ok' | 'failed', message?: string): void;
}

/** Starts a multi-batch run: its row is committed at once, and updated by each batch. */
export function startRun(db: Db, job: string, scope: string): RunHandle {
  const id = Number(
    db.sqlite
      .prepare(`INSERT INTO job_runs (job, scope, started_at, outcome, pid) VALUES (?, ?, ?, 'running', ?)`)
      .run(job, scope, nowIso(), process.pid).lastInsertRowid,
  );
  const read = db.sqlite.prepare('SELECT counts FROM job_runs WHERE id = ?');
  const write = db.sqlite.prepare('UPDATE job_runs SET counts = ? WHERE id = ?');
  return {
    id,
    add(counts) {
      const current = JSON.parse((read.get(id) as { counts: string }).counts) as Counts;
      for (const [k, v] of Object.entries(counts)) current[k] = (current[k] ?? 0) + v;
      write.run(JSON.stringify(current), id);
    },
    finish(outcome, message) {
      db.sqlite
        .prepare('UPDATE job_runs SET outcome = ?, finished_at = ?, message = ? WHERE id = ?')
        .run(outcome, nowIso(), message ?? null, id);
    },
  };
}

/** Whether a process of this host is alive (a lock of a dead one is stale). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The locks in job_locks: `writer`, taken by every job that writes billing data; `send`, held by a
 * `send` run from start to end (one sender at a time) while it takes the writer lock only to queue.
 */
export type LockName = 'writer' | 'send';

/**
 * Takes the writer lock (or the named one) for a job, or throws BusyError (exit 75) when another
 * live process holds it. A lock left by a killed process on this host is taken over, and its
 * running journal rows are marked interrupted.
 */
export function acquireLock(db: Db, job: string, name: LockName = 'writer'): () => void {
  const host = hostname();
  const take = db.sqlite.transaction(() => {
    const held = db.sqlite.prepare('SELECT pid, host, job, acquired_at AS acquiredAt FROM job_locks WHERE name = ?').get(name) as
      | { pid: number; host: string; job: string; acquiredAt: string }
      | undefined;
    if (held) {
      const stale = held.host === host && held.pid !== process.pid && !processAlive(held.pid);
      if (!stale) {
        throw new BusyError(`busy: ${held.job} is running (pid ${held.pid} on ${held.host} since ${formatTime(held.acquiredAt)} Almaty time); try later`);
      }
      db.sqlite.prepare('DELETE FROM job_locks WHERE name = ?').run(name);
      db.sqlite
        .prepare(`UPDATE job_runs SET outcome = 'interrupted', finished_at = ? WHERE outcome = 'running' AND pid = ?`)
        .run(nowIso(), held.pid);
    }
    db.sqlite
      .prepare('INSERT INTO job_locks (name, pid, host, job, acquired_at) VALUES (?, ?, ?, ?, ?)')
      .run(name, process.pid, host, job, nowIso());
  });
  take.immediate();
  return () => {
    db.sqlite.prepare('DELETE FROM job_locks WHERE name = ? AND pid = ?').run(name, process.pid);
  };
}

/** The daily jobs, in the order `run day` runs them; each journals its own run with its day as scope. */
export const DAILY_JOBS = ['debit', 'penalties', 'suspend', 'terminate'] as const;
export type DailyJob = (typeof DAILY_JOBS)[number];

export interface CompletedDays {
  /** Each daily job's latest day completed (outcome ok), run alone or by `run day`; null if never. */
  jobs: Record<DailyJob, string | null>;
  /** The latest day `run day` completed (days are done in order: every one before it is done too). */
  day: string | null;
  /** The last day all four daily jobs have completed: the earliest of their latest days; null while one never ran. */
  daily: string | null;
  /** The latest period month-end (`run invoices`) completed. */
  invoices: string | null;
}

/**
 * What the journal says is done: the latest completed day of each daily job and of `run day`, the
 * day through which the daily jobs as a whole are done, and the latest month-end. Dry runs journal
 * nothing; failed and interrupted runs do not count. The one query for every "is it behind?".
 */
export function lastCompletedDays(db: Db): CompletedDays {
  const rows = db.sqlite
    .prepare(
      `SELECT job, MAX(scope) AS scope FROM job_runs
        WHERE outcome = 'ok' AND job IN ('day', 'invoices', ${DAILY_JOBS.map((j) => `'${j}'`).join(', ')}) GROUP BY job`,
    )
    .all() as { job: string; scope: string }[];
  const latest = new Map(rows.map((r) => [r.job, r.scope]));
  const jobs = Object.fromEntries(DAILY_JOBS.map((j) => [j, latest.get(j) ?? null])) as Record<DailyJob, string | null>;
  const days = Object.values(jobs);
  const daily = days.some((d) => d === null) ? null : (days as string[]).reduce((a, b) => (a <= b ? a : b));
  return { jobs, day: latest.get('day') ?? null, daily, invoices: latest.get('invoices') ?? null };
}

/**
 * The periods before `period` that accounts were active in (domain/invoice.ts: ACTIVE_IN_PERIOD_SQL)
 * and that no month-end run completed, oldest first: `run invoices` goes period by period, so that
 * numbers follow the periods and each invoice's opening balance is the last one's closing.
 */
export function periodsNeverInvoiced(db: Db, period: Period): Period[] {
  const first = (db.sqlite.prepare('SELECT MIN(connected_on) AS d FROM accounts').get() as { d: string | null }).d;
  if (first === null) return [];
  const done = new Set(
    (db.sqlite.prepare(`SELECT DISTINCT scope FROM job_runs WHERE job = 'invoices' AND outcome = 'ok' AND scope < ?`).all(period) as { scope: string }[]).map(
      (r) => r.scope,
    ),
  );
  const active = db.sqlite.prepare(`SELECT EXISTS (SELECT 1 FROM accounts a WHERE ${ACTIVE_IN_PERIOD_SQL}) AS yes`);
  const missing: Period[] = [];
  for (let p = periodOf(first); p < period; p = nextPeriod(p)) {
    if (!done.has(p) && (active.get({ first: firstDayOf(p), last: lastDayOf(p) }) as { yes: number }).yes === 1) missing.push(p);
  }
  return missing;
}
