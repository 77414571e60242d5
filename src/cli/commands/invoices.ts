// `esep run invoices --period P [--date D] [--out DIR] [--reissue] [--dry-run]`: month-end.
import type { Command } from 'commander';
import { acquireLock, periodsNeverInvoiced, type Counts } from '../../db/journal.js';
import { monthEndProgress } from '../../db/invoices.js';
import { lastDayOf } from '../../domain/dates.js';
import { BusyError, InputError } from '../../domain/errors.js';
import { formatTenge } from '../../domain/money.js';
import { monthEndBackup } from '../../jobs/backup.js';
import { ALLOW_FUTURE, configOf, globals, jobDate, jobPeriod, print, printJson, warnIfDailyJobsBehind, withDb } from '../context.js';
import { terminalProgress } from '../progress.js';
import { REGISTRY_LIST, registryRows } from '../../jobs/registry.js';
import { writeXlsx, xlsxTarget } from '../../io/xlsx.js';
import { ensureFolder } from '../../io/files.js';

const n = (c: Counts, k: string) => c[k] ?? 0;

export function describeInvoices(c: Counts): string {
  return (
    `${n(c, 'invoices')} invoices issued, ${n(c, 'charges')} month-end charges posted (${formatTenge(n(c, 'charged_tiyn'))}), ` +
    `${n(c, 'pdfs')} PDFs written${n(c, 'pdf_failures') > 0 ? `, ${n(c, 'pdf_failures')} PDFs failed` : ''}`
  );
}

/** `run invoices` for P after a period no month-end completed: refused, naming it (exit 2, nothing written). */
function refuseGap(missing: readonly string[]): void {
  if (missing.length === 0) return;
  const which = missing.length === 1 ? missing[0] : `${missing.slice(0, 12).join(', ')}${missing.length > 12 ? ', …' : ''}`;
  throw new InputError([
    {
      field: '--period',
      message:
        `no month-end run completed for ${which}, though accounts were active in ${missing.length === 1 ? 'it' : 'them'}: ` +
        `periods are invoiced in order (numbers, opening balances); run \`esep run invoices --period ${missing[0]}\` first`,
    },
  ]);
}

/**
 * What a month-end that did not finish did and did not do, and how to finish it: the invoices it
 * numbered (kept: numbers are gapless), how many still lack a PDF, the backup taken before it.
 */
export function monthEndFailed(
  period: string,
  progress: { issued: number; withoutPdf: number },
  registry: string | null,
  backup: string | null,
  command: string,
): string {
  const lines = [
    `month-end ${period} not finished: ${progress.issued} invoice(s) of ${period} issued and numbered, ${progress.withoutPdf} of them without a PDF; ` +
      (registry === null ? 'the registry CSV was not written' : `the registry ${registry} is written`),
    `to finish: run the same command again (\`${command}\`, with the same --db and --config): it issues the invoices still missing with the next numbers and writes the missing PDFs; nothing is issued twice`,
  ];
  lines.push(
    backup === null
      ? 'no backup was taken before this run (backup.before_month_end is off)'
      : `to undo the whole month-end instead: \`esep restore ${backup} --force\` (the backup taken just before this run)`,
  );
  return lines.join('\n');
}

export function registerRunInvoices(run: Command): void {
  run
    .command('invoices')
    .description('month-end: monthly fees of credit accounts, installation, bundles; one invoice per account active in P, as PDF, and the registry CSV (cl. 13–15, 18)')
    .requiredOption('--period <YYYY-MM>', 'the period to invoice')
    .option('--date <date>', 'the issue date (default: the first day of the next month)')
    .option('--out <dir>', 'where the PDFs and the registry go (DIR/P/); default the configuration\'s output.invoices_dir')
    .option('--reissue', "regenerate every PDF of the period with the same numbers and figures")
    .option('--dry-run', 'compute and count; write nothing')
    .option('--xlsx <file>', 'also write the registry of the period as an Excel workbook (typed cells, header in Kazakh and Russian)')
    .option(ALLOW_FUTURE, 'issue the invoices of a period that has not ended, or on a day after today; refused otherwise (D-12)')
    .action(async (options: { period: string; date?: string; out?: string; reissue?: boolean; dryRun?: boolean; allowFuture?: boolean; xlsx?: string }, cmd: Command) => {
      if (options.xlsx !== undefined && options.dryRun) throw new InputError([{ field: '--xlsx', message: 'a dry run writes nothing: run without --dry-run to write the registry' }]);
      const xlsx = options.xlsx === undefined ? undefined : xlsxTarget(options.xlsx);
      const period = jobPeriod(options.period, options);
      const issuedOn = options.date === undefined ? undefined : jobDate(options.date, options);
      // --out FILE, or a folder that cannot be made (under /proc): refused before anything is numbered
      if (options.out !== undefined && !options.dryRun) ensureFolder(options.out, '--out');
      await withDb(cmd, async (db) => {
        if (!options.reissue) refuseGap(periodsNeverInvoiced(db, period));
        warnIfDailyJobsBehind(db, lastDayOf(period));
        // The month-end backup (backup.before_month_end), before anything is written; none for a dry
        // run or --reissue (they issue nothing). Taken under the writer lock, so a run that would only
        // exit 75 (busy) takes none and prunes nothing.
        let backup: { file: string; taken: boolean } | null = null;
        if (!options.dryRun && !options.reissue) {
          const release = acquireLock(db, 'invoices');
          try {
            backup = await monthEndBackup(db, configOf(cmd), period);
          } finally {
            release();
          }
        }
        // loaded on use: pdfkit, fontkit and the worker pool are heavy for every other command
        const { runInvoices } = await import('../../jobs/invoices.js');
        const command = `esep run invoices --period ${period}${options.date === undefined ? '' : ` --date ${options.date}`}`;
        let result: Awaited<ReturnType<typeof runInvoices>>;
        try {
          result = await runInvoices(db, {
            period,
            issuedOn,
            outDir: options.out ?? configOf(cmd).output.invoices_dir,
            reissue: options.reissue,
            dryRun: options.dryRun,
            progress: terminalProgress(),
          });
        } catch (error) {
          // bad input and busy change nothing (their own message says so); any other failure leaves
          // whole batches only: say how far the month-end got and how to finish or undo it
          if (!options.dryRun && !(error instanceof InputError) && !(error instanceof BusyError)) {
            try {
              process.stderr.write(`${monthEndFailed(period, monthEndProgress(db, period), null, backup?.file ?? null, command)}\n`);
            } catch {
              // the database itself may be what failed: its own error follows
            }
          }
          throw error;
        }
        // the registry as a workbook: every invoice of the period, as the CSV beside the PDFs
        const registryXlsx = xlsx !== undefined && result.registry !== null ? await writeXlsx(xlsx, REGISTRY_LIST, registryRows(db, period)) : null;
        if (globals(cmd).json) {
          printJson({
            job: 'invoices',
            scope: period,
            issued_on: result.issuedOn,
            dry_run: result.dryRun,
            run_id: result.runId,
            counts: result.counts,
            renderer: result.renderMode,
            threads: result.threads,
            registry: result.registry,
            registry_xlsx: registryXlsx,
            failures: result.failures,
            backup,
          });
        } else {
          if (backup?.taken) print(`backup: ${backup.file}`);
          print(`${result.dryRun ? 'dry run, nothing written: ' : ''}invoices ${period} (issued ${result.issuedOn}): ${describeInvoices(result.counts)}`);
          if (result.registry) print(`registry: ${result.registry}`);
          if (registryXlsx) print(`registry: ${registryXlsx}`);
          for (const f of result.failures) print(`PDF failed: ${f.number} (account ${f.account}): ${f.error}`);
          if (result.failures.length > 0) print(monthEndFailed(period, monthEndProgress(db, period), result.registry, backup?.file ?? null, command));
        }
        if (n(result.counts, 'pdf_failures') > 0) process.exitCode = 1;
      });
    });
}
