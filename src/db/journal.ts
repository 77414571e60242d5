// The job journal: one row per run, written in the same transaction as the run's work.
import { hostname } from 'node:os';
import type { Db } from './connection.js';
import { BusyError } from '../domain/errors.js';

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

function processAlive(pid: number): boolean {
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
