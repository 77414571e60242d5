import type { Command } from 'commander';
import type { Counts } from '../../db/journal.js';
import { toTengeString, formatTenge } from '../../domain/money.js';
import { runDebit } from '../../jobs/debit.js';
import { runPenalties } from '../../jobs/penalties.js';
import { runSuspend, runTerminate, type Termination } from '../../jobs/collection.js';
import { runDay } from '../../jobs/day.js';
import { workingCalendar } from '../../config/calendar.js';
import type { Db } from '../../db/connection.js';
import { addDays } from '../../domain/dates.js';
import type { JobResult } from '../../jobs/runner.js';
import { ALLOW_FUTURE, ALLOW_FUTURE_HELP, configOf, dateOption, globals, jobDate, print, printJson, withDb } from '../context.js';
import { terminalProgress } from '../progress.js';

/** One summary line for cron (or the counts as JSON). */
export function reportJob(cmd: Command, job: string, scope: string, result: JobResult, describe: (c: Counts) => string): void {
  if (globals(cmd).json) {
    printJson({ job, scope, dry_run: result.dryRun, run_id: result.runId, counts: result.counts });
    return;
  }
  print(`${result.dryRun ? 'dry run, nothing written: ' : ''}${job} ${scope}: ${describe(result.counts)}`);
}

const n = (c: Counts, k: string) => c[k] ?? 0;

export function describeDebit(c: Counts): string {
  return (
    `${n(c, 'accounts')} accounts, ${n(c, 'days')} account-days: ${n(c, 'fees')} daily fees (${formatTenge(n(c, 'fee_tiyn'))}), ` +
    `${n(c, 'port_fees')} port reservations (${formatTenge(n(c, 'port_tiyn'))}), ${n(c, 'suspended')} suspended, ${n(c, 'restored')} restored`
  );
}

/** `esep run debit`; `run` is the parent command of all billing jobs (created in main.ts). */
export function registerRunDebit(run: Command): void {
  run
    .command('debit')
    .description('daily debits of advance accounts, catching up every undecided day (cl. 17)')
    .option('--date <date>', 'the day to run, default today in Asia/Almaty')
    .option('--dry-run', 'print what would be posted; write nothing')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .action(async (options: { date?: string; dryRun?: boolean; allowFuture?: boolean }, cmd: Command) => {
      const date = jobDate(options.date, options);
      await withDb(cmd, async (db) => {
        const json = globals(cmd).json;
        const result = await runDebit(db, {
          date,
          dryRun: options.dryRun,
          progress: terminalProgress(),
          onPost:
            options.dryRun && !json
              ? (e) => print(`${e.account}\t${e.valueDate}\t${e.kind}\t${toTengeString(e.amount)}`)
              : undefined,
        });
        reportJob(cmd, 'debit', date, result, describeDebit);
      });
    });
}

export function describePenalties(c: Counts): string {
  // account-days only from run day over several days, where an account is checked on each of them
  const days = n(c, 'account_days') !== n(c, 'accounts') ? ` (${n(c, 'account_days')} account-days)` : '';
  return `${n(c, 'accounts')} accounts checked${days}: ${n(c, 'penalties')} penalties (${formatTenge(n(c, 'penalty_tiyn'))}), ${n(c, 'corrections')} corrections (${formatTenge(n(c, 'correction_tiyn'))})`;
}

export function describeSuspend(c: Counts): string {
  return `${n(c, 'suspended')} suspended for debt, ${n(c, 'restored')} restored, ${n(c, 'equipment_charged')} equipment charged`;
}

export function describeTerminate(c: Counts): string {
  return `${n(c, 'terminated_credit')} credit and ${n(c, 'terminated_advance')} advance accounts terminated`;
}

/** How far back a run looks for terminations whose notice is still missing (a run killed after it committed them). */
const NOTICE_LOOKBACK_DAYS = 30;

/**
 * Terminations of a run: printed for the accountant, and their notices with the debt demand written,
 * together with those of any termination of the last 30 days before `since` whose notice is missing
 * (a run killed after committing a termination, before writing its notice).
 */
async function announce(cmd: Command, db: Db, terminated: Termination[], since: string, dryRun: boolean | undefined): Promise<void> {
  const json = globals(cmd).json;
  if (!json) for (const t of terminated) print(`terminated ${t.account} on ${t.date}: ${t.reason}`);
  if (dryRun) return;
  const dir = configOf(cmd).output.notices_dir;
  const { writeTerminationNotices } = await import('../../jobs/notices.js'); // pdfkit, loaded on use
  const written = await writeTerminationNotices(db, dir, addDays(since, -NOTICE_LOOKBACK_DAYS));
  if (!json && written.length > 0) print(`${written.length} termination notice(s) with the debt demand under ${dir}`);
}

type Job = (db: Db, options: { date: string; dryRun?: boolean; progress: ReturnType<typeof terminalProgress> }, terminated: Termination[], cmd: Command) => Promise<JobResult>;

function dayJob(run: Command, name: string, description: string, job: Job, describe: (c: Counts) => string): void {
  run
    .command(name)
    .description(description)
    .option('--date <date>', 'the day to run, default today in Asia/Almaty')
    .option('--dry-run', 'compute and report; write nothing')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .action(async (options: { date?: string; dryRun?: boolean; allowFuture?: boolean }, cmd: Command) => {
      const date = jobDate(options.date, options);
      await withDb(cmd, async (db) => {
        const terminated: Termination[] = [];
        const result = await job(db, { date, dryRun: options.dryRun, progress: terminalProgress() }, terminated, cmd);
        if (name === 'terminate') await announce(cmd, db, terminated, date, options.dryRun);
        reportJob(cmd, name, date, result, describe);
      });
    });
}

export function registerRunCollection(run: Command): void {
  dayJob(run, 'penalties', 'penalties on overdue invoices, 0.5% a day, at most 30 days (cl. 23.7); catch-up and late payments by difference', (db, o) => runPenalties(db, o), describePenalties);
  dayJob(run, 'suspend', 'suspend credit accounts for debt (cl. 23.5); charge equipment not returned in time (cl. 22.10)', (db, o) => runSuspend(db, o), describeSuspend);
  dayJob(
    run,
    'terminate',
    'terminate for two overdue invoices (credit) or two months suspended for funds (advance) (cl. 23.6, D-5)',
    (db, o, terminated, cmd) => runTerminate(db, { ...o, calendar: workingCalendar(configOf(cmd)), onTerminated: (t) => terminated.push(t) }),
    describeTerminate,
  );
  run
    .command('day')
    .description('debit, penalties, suspend, terminate, in that order, for every day not yet done up to --date, as one job (one writer lock)')
    .option('--date <date>', 'the day to run, default today in Asia/Almaty')
    .option('--dry-run', 'compute and report; write nothing')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .action(async (options: { date?: string; dryRun?: boolean; allowFuture?: boolean }, cmd: Command) => {
      const date = jobDate(options.date, options);
      await withDb(cmd, async (db) => {
        const terminated: Termination[] = [];
        const result = await runDay(db, { date, calendar: workingCalendar(configOf(cmd)), dryRun: options.dryRun, progress: terminalProgress(), onTerminated: (t) => terminated.push(t) });
        await announce(cmd, db, terminated, result.days[0] ?? date, options.dryRun);
        if (globals(cmd).json) {
          printJson({
            job: 'day',
            scope: date,
            dry_run: Boolean(options.dryRun),
            days: result.days,
            already_done: result.alreadyDone,
            done_through: result.doneThrough,
            counts: result.counts,
          });
          return;
        }
        if (result.alreadyDone) {
          print(`day ${date}: already done (run day has done every day through ${result.doneThrough}); nothing posted`);
          return;
        }
        const span = result.days.length === 1 ? result.days[0] : `${result.days[0]}..${result.days[result.days.length - 1]} (${result.days.length} days)`;
        const c = result.counts;
        print(
          `${options.dryRun ? 'dry run, nothing written: ' : ''}day ${span}: debit: ${describeDebit(c.debit ?? {})}; penalties: ${describePenalties(c.penalties ?? {})}; ` +
            `suspend: ${describeSuspend(c.suspend ?? {})}; terminate: ${describeTerminate(c.terminate ?? {})}`,
        );
      });
    });
}

export function registerNotices(program: Command): void {
  program
    .command('notices')
    .description('write the termination notices with the debt demand (cl. 23.8) still missing, and the mailing lists')
    .option('--since <date>', 'terminations from this day, default 30 days ago')
    .action(async (options: { since?: string }, cmd: Command) => {
      const since = options.since === undefined ? addDays(dateOption(undefined), -30) : dateOption(options.since, '--since');
      await withDb(cmd, async (db) => {
        const dir = configOf(cmd).output.notices_dir;
        const { writeTerminationNotices } = await import('../../jobs/notices.js');
        const written = await writeTerminationNotices(db, dir, since);
        if (globals(cmd).json) printJson(written);
        else print(`${written.length} termination notice(s) written under ${dir}`);
      });
    });
}
