import type { Command } from 'commander';
import path from 'node:path';
import { InputError } from '../../domain/errors.js';
import { BILLING_TZ } from '../../domain/dates.js';
import type { LogFormat } from '../../jobs/schedule.js';
import { configOf, dbPath, positiveInt, withDb } from '../context.js';

interface ScheduleOptions {
  once?: boolean;
  logFormat: string;
  now?: string;
  busyRetries: string;
  retryDelay: string;
}

function nowOption(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  // an instant with its zone: 2026-11-26T01:30:00+05:00 or 2026-11-25T20:30:00Z
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  const at = new Date(value);
  if (!ok || Number.isNaN(at.getTime())) {
    throw new InputError([{ field: '--now', message: `"${value}" is not an ISO instant with its zone (2026-11-26T01:30:00+05:00)` }]);
  }
  return at;
}

/** `esep schedule`: the node-cron daemon (src/jobs/schedule.ts). */
export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .description('the scheduler: the daily jobs every night and the month-end run, in Asia/Almaty time; catches up at start')
    .option('--once', 'catch up what is due now, then exit (for cron and tests)')
    .option('--log-format <format>', 'one line per run: text or json', 'text')
    .option('--now <instant>', 'for tests: catch up as if it were this ISO instant (2026-11-26T01:30:00+05:00)')
    .option('--busy-retries <n>', 'how often a job that finds the database busy (exit 75) is retried', '3')
    .option('--retry-delay <seconds>', 'the wait before each such retry', '60')
    .action(async (options: ScheduleOptions, cmd: Command) => {
      if (options.logFormat !== 'text' && options.logFormat !== 'json') {
        throw new InputError([{ field: '--log-format', message: `"${options.logFormat}" is neither text nor json` }]);
      }
      const now = nowOption(options.now);
      const busyRetries = positiveInt(options.busyRetries, '--busy-retries');
      const retryDelayMs = positiveInt(options.retryDelay, '--retry-delay') * 1000;
      const config = configOf(cmd);
      // the database must exist; the configuration's operator is applied here once
      withDb(cmd, () => undefined);
      const { Scheduler } = await import('../../jobs/schedule.js');
      const scheduler = new Scheduler({
        dbPath: path.resolve(dbPath(cmd)),
        configFile: config.file,
        config,
        logFormat: options.logFormat as LogFormat,
        busyRetries,
        retryDelayMs,
        now,
      });

      if (options.once) {
        scheduler.catchUp();
        await scheduler.idle();
        const failures = scheduler.failures;
        process.exitCode = failures.length === 0 ? 0 : failures.every((f) => f.exit === 75) ? 75 : 1;
        return;
      }

      await new Promise<void>((resolve) => {
        let stopping = false;
        const onSignal = (signal: NodeJS.Signals) => {
          if (stopping) {
            // a second signal: leave now; a running job (its own process group) finishes on its own
            scheduler.note('stopped', `second ${signal}: exiting without waiting for the running job`);
            process.exit(0);
          }
          stopping = true;
          scheduler.note('stopping', `${signal}: no new job starts${scheduler.busy() ? '; waiting for the running job to finish' : ''}`);
          void scheduler.stop().then(() => {
            scheduler.note('stopped', '');
            process.off('SIGTERM', onSignal);
            process.off('SIGINT', onSignal);
            resolve();
          });
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
        const { daily_at, invoices_on_day, invoices_at } = config.jobs;
        scheduler.note(
          'started',
          `daily jobs at ${daily_at}, month-end run on day ${invoices_on_day} at ${invoices_at} (${BILLING_TZ}); pid ${process.pid}`,
        );
        scheduler.catchUp();
        scheduler.startCron();
      });
      process.exitCode = 0;
    });
}
