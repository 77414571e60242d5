// `esep status`: reads what the journal and the tables say, asks the domain (domain/status.ts) whether
// the nightly work is behind and what needs a person, and returns it all for one screen or --json.
// Reads only: no lock, no journal row; it runs beside any job (WAL), in one read transaction so that
// its facts are of one moment.
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Config } from '../config/config.js';
import { workingCalendar } from '../config/calendar.js';
import type { Db } from '../db/connection.js';
import { lastCompletedDays, processAlive, type CompletedDays } from '../db/journal.js';
import { messagesInState } from '../db/outbox.js';
import { paymentsWithStatus, unlinkedReversals } from '../db/payments.js';
import { hasAccounts, heldLocks, runsNotDoneSince, type HeldLock, type JournalRunRow } from '../db/status.js';
import { warnsOfCalendarEnd } from '../domain/calendar.js';
import type { IsoDate } from '../domain/dates.js';
import type { Tiyn } from '../domain/money.js';
import type { LocalMoment } from '../domain/schedule.js';
import { assessStatus, suspenseAge, type StatusVerdict } from '../domain/status.js';
import { listAutoBackups } from './backup.js';

export interface FailedRun extends JournalRunRow {
  /** 'running' rows whose process holds no lock any more are reported as interrupted. */
  outcome: 'failed' | 'interrupted';
}

export interface StatusReport {
  now: LocalMoment;
  completed: CompletedDays;
  verdict: StatusVerdict;
  /** Jobs running now (the locks held by live processes). */
  running: HeldLock[];
  failedRuns: FailedRun[];
  outbox: { failed: number };
  suspense: { count: number; amount: Tiyn; oldestValueDate: IsoDate | null; oldestDays: number | null; overdue: number; thresholdDays: number };
  reversals: { count: number; amount: Tiyn; latestValueDate: IsoDate | null };
  calendar: { lastDate: IsoDate; warns: boolean };
  lastBackup: { file: string; at: Date } | null;
}

/** Every fact and the verdict at `now` (Almaty wall clock; its date is today). */
export function statusReport(db: Db, config: Config, now: LocalMoment): StatusReport {
  const today = now.date;
  const read = db.sqlite.transaction(() => {
    // a lock left by a process of this host that died is stale: the next job takes it over
    const locks = heldLocks(db).filter((l) => l.host !== hostname() || processAlive(l.pid));
    const lockPids = new Set(locks.map((l) => l.pid));
    const failedRuns: FailedRun[] = [];
    for (const run of runsNotDoneSince(db)) {
      if (run.outcome === 'running') {
        // still running: its process holds a lock; else it died before marking its run
        if (run.pid !== null && lockPids.has(run.pid)) continue;
        failedRuns.push({ ...run, outcome: 'interrupted' });
      } else failedRuns.push({ ...run, outcome: run.outcome as FailedRun['outcome'] });
    }
    return {
      locks,
      failedRuns,
      completed: lastCompletedDays(db),
      accounts: hasAccounts(db),
      outboxFailed: messagesInState(db, ['failed'], {}).length,
      suspense: paymentsWithStatus(db, 'suspense'),
      reversals: unlinkedReversals(db),
    };
  });
  const facts = read.deferred();
  const calendar = workingCalendar(config, { today, warn: () => {} });
  const lastDate = calendar.lastDateCovered(today);
  const calendarFacts = { lastDate, warns: warnsOfCalendarEnd(lastDate, today) };
  const verdict = assessStatus(
    now,
    {
      dailyJobs: facts.completed.jobs,
      lastInvoiced: facts.completed.invoices,
      hasAccounts: facts.accounts,
      failedRuns: facts.failedRuns,
      outboxFailed: facts.outboxFailed,
      suspense: facts.suspense.map((p) => p.valueDate),
      calendar: calendarFacts,
    },
    {
      dailyAt: config.jobs.daily_at,
      invoicesOnDay: config.jobs.invoices_on_day,
      invoicesAt: config.jobs.invoices_at,
      suspenseDays: config.status.suspense_days,
    },
  );
  const oldest = facts.suspense.reduce<IsoDate | null>((d, p) => (d === null || p.valueDate < d ? p.valueDate : d), null);
  const backup = listAutoBackups(config.output.backups_dir)[0];
  return {
    now,
    completed: facts.completed,
    verdict,
    running: facts.locks,
    failedRuns: facts.failedRuns,
    outbox: { failed: facts.outboxFailed },
    suspense: {
      count: facts.suspense.length,
      amount: facts.suspense.reduce((s, p) => s + p.amount, 0),
      oldestValueDate: oldest,
      oldestDays: oldest === null ? null : suspenseAge(oldest, today),
      overdue: verdict.suspenseOverdue,
      thresholdDays: config.status.suspense_days,
    },
    reversals: {
      count: facts.reversals.length,
      amount: facts.reversals.reduce((s, p) => s + p.amount, 0),
      latestValueDate: facts.reversals.reduce<IsoDate | null>((d, p) => (d === null || p.valueDate > d ? p.valueDate : d), null),
    },
    calendar: calendarFacts,
    lastBackup: backup === undefined ? null : { file: backup, at: statSync(backup).mtime },
  };
}
