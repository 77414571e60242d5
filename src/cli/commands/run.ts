import type { Command } from 'commander';
import type { Counts } from '../../db/journal.js';
import { toTengeString, formatTenge } from '../../domain/money.js';
import { runDebit } from '../../jobs/debit.js';
import type { JobResult } from '../../jobs/runner.js';
import { dateOption, globals, print, printJson, withDb } from '../context.js';
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
    .action(async (options: { date?: string; dryRun?: boolean }, cmd: Command) => {
      const date = dateOption(options.date);
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
