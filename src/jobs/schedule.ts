// `esep schedule`: the built-in scheduler. It runs each job as its own process (the built binary,
// bin/esep, with --db and --config), one at a time from a queue, so a job that crashes cannot take
// the scheduler down and two of its jobs never compete for the writer lock.
//
// - Every day at jobs.daily_at (Asia/Almaty) the daily jobs for that day: `run day` when this esep
//   has it (asked at run time: `esep run --help`), else `run debit`.
// - On jobs.invoices_on_day at jobs.invoices_at, `run invoices --period <previous month>`, after an
//   automatic backup (backup.before_month_end); then `send invoices` if jobs.send_invoices.
// - After the daily jobs, `send notices` if jobs.send_notices, and if jobs.send_invoices, `send
//   invoices` for every period with an invoice still to email (a retry after a 4xx, the rest of a
//   killed send): so a mail server that is down at month-end delays the invoices by a day, no more.
// - At start, what was missed while it was down (domain/schedule.ts: missedRuns), oldest first.
// - A job that exits 75 (busy: someone else holds the writer lock) is retried a few times after a delay.
// - One log line per run, text or JSON.
// - SIGTERM/SIGINT: no new job starts; a running job is left to finish (it is in another process
//   group, so a Ctrl-C on the terminal does not reach it either), then the scheduler exits 0.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/config.js';
import { openDatabase, PROJECT_ROOT, type Db } from '../db/connection.js';
import { BILLING_TZ, billingDayOf, type IsoDate, type Period } from '../domain/dates.js';
import {
  cronExpressions,
  formatAlmaty,
  missedRuns,
  periodBilledAt,
  type JournalFacts,
  type ScheduleSettings,
} from '../domain/schedule.js';
import { invoicePeriodsToSend } from '../db/outbox.js';
import { autoBackup, MONTH_END_BACKUP_ENV } from './backup.js';

export const ESEP_BIN = path.join(PROJECT_ROOT, 'bin', 'esep');

export type LogFormat = 'text' | 'json';

/** One job for the queue: `esep <args>`. */
interface QueuedJob {
  /** The name in the log and the journal: day, debit, invoices, send-invoices, send-notices. */
  job: string;
  scope: string;
  kind: 'daily' | 'invoices' | 'send-invoices' | 'send-notices';
}

export interface RunRecord {
  time: string;
  job: string;
  scope: string;
  exit: number;
  seconds: number;
  attempt: number;
  summary: string;
}

export interface SchedulerOptions {
  dbPath: string;
  configFile: string | null;
  config: Config;
  logFormat: LogFormat;
  /** Retries of a job that exits 75 (busy), and the delay before each. */
  busyRetries: number;
  retryDelayMs: number;
  /** The instant the start-up catch-up computes from (--now, for tests); default the clock. */
  now?: Date;
  /** Where log lines go; default stdout. */
  write?: (line: string) => void;
}

export function settingsOf(config: Config): ScheduleSettings {
  return { dailyAt: config.jobs.daily_at, invoicesOnDay: config.jobs.invoices_on_day, invoicesAt: config.jobs.invoices_at };
}

/** Whether this esep has `run day` (the lead's combined daily run); asked of the built binary each time. */
export function hasRunDay(): boolean {
  const r = spawnSync(process.execPath, [ESEP_BIN, 'run', '--help'], { encoding: 'utf8', env: { ...process.env } });
  return r.status === 0 && /^\s+day\b/m.test(r.stdout);
}

/** The scope of the latest successful run of a job (a day or a period), or null. */
function latestOk(db: Db, job: string): string | null {
  return (db.sqlite.prepare(`SELECT MAX(scope) AS s FROM job_runs WHERE job = ? AND outcome = 'ok'`).get(job) as { s: string | null }).s;
}

/** What the journal says was done: the latest ok daily run (of `dailyJob`) and the latest ok month-end run. */
export function journalFacts(dbPath: string, dailyJob: string): JournalFacts {
  const db = openDatabase(dbPath);
  try {
    return { lastDaily: latestOk(db, dailyJob), lastInvoiced: latestOk(db, 'invoices') };
  } finally {
    db.close();
  }
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1] ?? '';
}

/** The line that says why a job failed: esep's own message, else an uncaught error's, else the last. */
function failureLine(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return lines.find((l) => l.startsWith('esep:')) ?? lines.find((l) => /^[A-Za-z]*Error\b.*:/.test(l)) ?? lines[lines.length - 1] ?? '';
}

export class Scheduler {
  private readonly queue: QueuedJob[] = [];
  private running: Promise<void> | null = null;
  private child: ReturnType<typeof spawn> | null = null;
  private tasks: ScheduledTask[] = [];
  private stopping = false;
  private cancelWait: (() => void) | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly write: (line: string) => void;
  /** Runs that did not end with exit 0 (after retries). */
  readonly failures: RunRecord[] = [];

  constructor(private readonly options: SchedulerOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  /** The start-up catch-up: enqueues what was missed, oldest first; returns how many runs. */
  catchUp(now: Date = this.options.now ?? new Date()): number {
    const dailyJob = hasRunDay() ? 'day' : 'debit';
    const missed = missedRuns(now, settingsOf(this.options.config), journalFacts(this.options.dbPath, dailyJob));
    for (const run of missed) {
      if (run.job === 'daily') this.enqueue({ job: dailyJob, scope: run.scope, kind: 'daily' });
      else this.enqueue({ job: 'invoices', scope: run.scope, kind: 'invoices' });
    }
    return missed.length;
  }

  /** Starts the two cron tasks (Asia/Almaty); each tick enqueues the run for the moment it was due. */
  startCron(): void {
    const expressions = cronExpressions(settingsOf(this.options.config));
    // node-cron's own messages go to stderr, so that stdout stays one line per run
    const toStderr = (message: string | Error) => process.stderr.write(`esep schedule: node-cron: ${String(message)}\n`);
    const logger = { info() {}, debug() {}, warn: toStderr, error: toStderr };
    const daily = cron.schedule(expressions.daily, (ctx) => this.enqueueDaily(billingDayOf(ctx.date)), {
      timezone: BILLING_TZ,
      name: 'esep-daily',
      logger,
    });
    const invoices = cron.schedule(
      expressions.invoices,
      (ctx) => this.enqueue({ job: 'invoices', scope: periodBilledAt(ctx.date), kind: 'invoices' }),
      { timezone: BILLING_TZ, name: 'esep-invoices', logger },
    );
    this.tasks = [daily, invoices];
  }

  private enqueueDaily(day: IsoDate): void {
    this.enqueue({ job: hasRunDay() ? 'day' : 'debit', scope: day, kind: 'daily' });
  }

  enqueue(job: QueuedJob): void {
    if (this.stopping) return;
    if (this.queue.some((q) => q.kind === job.kind && q.scope === job.scope)) return;
    this.queue.push(job);
    if (!this.running) this.running = this.drain();
  }

  /** Resolves when the queue is empty and no job runs. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** No new job starts; resolves when the running one (if any) has finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.queue.length = 0;
    for (const task of this.tasks) await task.destroy();
    this.tasks = [];
    this.cancelWait?.();
    await this.idle();
  }

  /** A line about the scheduler itself (started, stopping, stopped). */
  note(event: string, detail: string): void {
    const time = formatAlmaty(new Date());
    if (this.options.logFormat === 'json') this.write(JSON.stringify({ time, job: 'schedule', event, detail }));
    else this.write(`${time} schedule ${event}${detail ? `: ${detail}` : ''}`);
  }

  log(record: RunRecord): void {
    if (this.options.logFormat === 'json') {
      this.write(JSON.stringify(record));
      return;
    }
    const outcome = record.exit === 0 ? 'ok' : record.exit === 75 ? 'busy (exit 75)' : `failed (exit ${record.exit})`;
    const retry = record.attempt > 1 ? ` attempt ${record.attempt}` : '';
    this.write(`${record.time} ${record.job} ${record.scope} ${outcome} ${record.seconds.toFixed(1)}s${retry}${record.summary ? `: ${record.summary}` : ''}`);
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next && !this.stopping; next = this.queue.shift()) {
        await this.runWithRetries(next);
      }
    } finally {
      this.running = null;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async runWithRetries(job: QueuedJob): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const record = await this.runOnce(job, attempt);
      this.log(record);
      if (record.exit === 75 && attempt <= this.options.busyRetries && !this.stopping) {
        await this.wait(this.options.retryDelayMs);
        if (this.stopping) {
          this.failures.push(record);
          return;
        }
        continue;
      }
      if (record.exit !== 0) {
        this.failures.push(record);
        return;
      }
      if (job.kind === 'invoices' && this.options.config.jobs.send_invoices) {
        this.enqueue({ job: 'send-invoices', scope: job.scope, kind: 'send-invoices' });
      }
      if (job.kind === 'daily' && this.options.config.jobs.send_notices) {
        this.enqueue({ job: 'send-notices', scope: job.scope, kind: 'send-notices' });
      }
      if (job.kind === 'daily' && this.options.config.jobs.send_invoices) {
        for (const period of this.invoicePeriodsToSend(job.scope)) this.enqueue({ job: 'send-invoices', scope: period, kind: 'send-invoices' });
      }
      return;
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.cancelWait = () => {
        this.cancelWait = null;
        done();
      };
    });
  }

  private argsOf(job: QueuedJob): string[] {
    switch (job.kind) {
      case 'daily':
        return ['run', job.job, '--date', job.scope];
      case 'invoices':
        return ['run', 'invoices', '--period', job.scope, '--out', this.options.config.output.invoices_dir];
      case 'send-invoices':
        return ['send', 'invoices', '--period', job.scope];
      case 'send-notices':
        return ['send', 'notices'];
    }
  }

  /** The periods with invoices still to email (db/outbox.ts); read between two jobs. A failure is logged, not fatal. */
  private invoicePeriodsToSend(day: IsoDate): Period[] {
    try {
      const db = openDatabase(this.options.dbPath);
      try {
        return invoicePeriodsToSend(db, latestOk(db, 'invoices') as Period | null, day);
      } finally {
        db.close();
      }
    } catch (error) {
      this.note('error', `cannot read the outbox for invoices to send: ${(error as Error).message}`);
      return [];
    }
  }

  /** The month-end backup, taken here in the scheduler before `run invoices` starts. */
  private async monthEndBackup(period: Period): Promise<string | null> {
    if (!this.options.config.backup.before_month_end) return null;
    const db = openDatabase(this.options.dbPath);
    try {
      return (await autoBackup(db, this.options.config, `invoices-${period}`)).file;
    } finally {
      db.close();
    }
  }

  private async runOnce(job: QueuedJob, attempt: number): Promise<RunRecord> {
    const started = new Date();
    const time = formatAlmaty(started);
    const seconds = () => Math.round((Date.now() - started.getTime()) / 100) / 10;
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (job.kind === 'invoices') {
      try {
        const file = await this.monthEndBackup(job.scope);
        if (file) env[MONTH_END_BACKUP_ENV] = file;
      } catch (error) {
        // no month-end run without its backup
        return { time, job: job.job, scope: job.scope, exit: 1, seconds: seconds(), attempt, summary: `backup failed: ${(error as Error).message}` };
      }
    }
    const args = [ESEP_BIN, '--db', this.options.dbPath];
    if (this.options.configFile) args.push('--config', this.options.configFile);
    args.push(...this.argsOf(job));
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      // detached: its own process group, so a terminal's Ctrl-C reaches the scheduler only
      const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      let out = '';
      let err = '';
      child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
      child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
      child.on('error', (error) => resolve({ code: 1, stdout: out, stderr: `${err}\ncannot start: ${error.message}` }));
      child.on('close', (status, signal) => resolve({ code: status ?? (signal ? 128 : 1), stdout: out, stderr: signal ? `${err}\nkilled by ${signal}` : err }));
    });
    this.child = null;
    const summary = code === 0 ? lastLine(stdout) : failureLine(stderr) || lastLine(stdout);
    return { time, job: job.job, scope: job.scope, exit: code, seconds: seconds(), attempt, summary };
  }

  /** Whether a job process is running now. */
  busy(): boolean {
    return this.child !== null;
  }
}
