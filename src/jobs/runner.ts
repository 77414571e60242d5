// The discipline every job follows (SPEC section 6): one writer at a time (a second run exits 75),
// a journal row per run, and work in batches, each batch one transaction together with the
// journal's counts, so a run killed at any point leaves whole batches only and a rerun finishes the
// rest. With dryRun every batch is computed and then rolled back: nothing is written. A job made of
// other jobs (`run day`) holds the lock for all of them (holdWriterLock).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from '../db/connection.js';
import { acquireLock, startRun, type Counts, type LockName, type RunHandle } from '../db/journal.js';

export interface Progress {
  /** False where nobody watches (cron): a job then skips counting its work up front. */
  readonly visible: boolean;
  start(total: number, label: string): void;
  increment(n: number): void;
  stop(): void;
}

export const silentProgress: Progress = { visible: false, start() {}, increment() {}, stop() {} };

export interface JobOptions {
  job: string;
  scope: string;
  dryRun?: boolean;
  progress?: Progress;
  /** The lock held for the whole run: the writer lock, or `send` (a send takes the writer lock only to queue). */
  lock?: LockName;
}

export interface JobContext {
  db: Db;
  runId: number | null;
  dryRun: boolean;
  progress: Progress;
  /** Runs one batch in one IMMEDIATE transaction with its journal counts; rolled back on a dry run. */
  batch(work: () => Counts): Counts;
  totals: Counts;
}

class DryRunRollback extends Error {}

/**
 * Crash testing: ESEP_FAILPOINT=in-batch:N kills the process with SIGKILL inside the N-th batch's
 * transaction (before it commits), after-batch:N right after the N-th batch commits. Unset in
 * production; the crash tests spawn the built binary with it.
 */
function failpoint(where: 'in-batch' | 'after-batch', batchNo: number): void {
  const spec = process.env.ESEP_FAILPOINT;
  if (spec && spec === `${where}:${batchNo}`) process.kill(process.pid, 'SIGKILL');
}

function addTo(totals: Counts, counts: Counts): void {
  for (const [k, v] of Object.entries(counts)) totals[k] = (totals[k] ?? 0) + v;
}

export interface JobResult {
  runId: number | null;
  counts: Counts;
  dryRun: boolean;
}

/** The writer lock held by holdWriterLock, for the jobs run inside its body. */
const heldLock = new AsyncLocalStorage<{ db: Db; job: string }>();

/** Whether the code running now is inside holdWriterLock's body for this database. */
function underHeldLock(db: Db): boolean {
  return heldLock.getStore()?.db === db;
}

/**
 * Runs `body` holding the writer lock as `job` from its start to its end: a job made of other jobs
 * (`run day`: debit, penalties, suspend, terminate, day after day) takes the lock once, so that no
 * other writer (a payments import, another job: they exit 75) comes in between two of them. Every
 * runJob inside `body` on the same database runs under the held lock instead of taking its own, and
 * journals its own run as usual. The scope is the body's own calls, not the process: a job started
 * elsewhere, even on another connection of this process, still finds the lock taken.
 */
export async function holdWriterLock<T>(db: Db, job: string, body: () => Promise<T>): Promise<T> {
  if (underHeldLock(db)) return body();
  const release = acquireLock(db, job);
  try {
    return await heldLock.run({ db, job }, body);
  } finally {
    release();
  }
}

export async function runJob(db: Db, options: JobOptions, body: (ctx: JobContext) => void | Promise<void>): Promise<JobResult> {
  const dryRun = options.dryRun ?? false;
  const progress = options.progress ?? silentProgress;
  const lock = options.lock ?? 'writer';
  const release = dryRun || (lock === 'writer' && underHeldLock(db)) ? () => {} : acquireLock(db, options.job, lock);
  let run: RunHandle | undefined;
  const totals: Counts = {};
  let batches = 0;
  try {
    run = dryRun ? undefined : startRun(db, options.job, options.scope);
    const ctx: JobContext = {
      db,
      runId: run?.id ?? null,
      dryRun,
      progress,
      totals,
      batch(work) {
        let counts: Counts = {};
        const batchNo = ++batches;
        try {
          db.sqlite
            .transaction(() => {
              counts = work();
              if (dryRun) throw new DryRunRollback();
              run?.add(counts);
              failpoint('in-batch', batchNo);
            })
            .immediate();
        } catch (error) {
          if (!(error instanceof DryRunRollback)) throw error;
        }
        failpoint('after-batch', batchNo);
        addTo(totals, counts);
        return counts;
      },
    };
    await body(ctx);
    run?.finish('ok');
    return { runId: run?.id ?? null, counts: totals, dryRun };
  } catch (error) {
    try {
      run?.finish('failed', (error as Error).message);
    } catch {
      // the database itself may be what failed; the journal row stays 'running' and the next run marks it interrupted
    }
    throw error;
  } finally {
    progress.stop();
    release();
  }
}

/**
 * Pages of accounts in key order (keyset pagination): `page` selects with `account > @after` and
 * `LIMIT @limit`, ordered by account. Rows a batch changes never make a page skip or repeat one.
 */
export function* accountPages<T extends { account: string }>(
  page: { all(params: Record<string, unknown>): unknown[] },
  params: Record<string, unknown>,
  limit: number,
): Generator<T[]> {
  let after = '';
  for (;;) {
    const rows = page.all({ ...params, after, limit }) as T[];
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.account;
  }
}
