// `esep run invoices --period P [--date D] [--out DIR] [--reissue] [--dry-run]`: month-end.
import type { Command } from 'commander';
import { acquireLock, type Counts } from '../../db/journal.js';
import { formatTenge } from '../../domain/money.js';
import { monthEndBackup } from '../../jobs/backup.js';
import { configOf, globals, periodOption, print, printJson, withDb, dateOption } from '../context.js';
import { terminalProgress } from '../progress.js';

const n = (c: Counts, k: string) => c[k] ?? 0;

export function describeInvoices(c: Counts): string {
  return (
    `${n(c, 'invoices')} invoices issued, ${n(c, 'charges')} month-end charges posted (${formatTenge(n(c, 'charged_tiyn'))}), ` +
    `${n(c, 'pdfs')} PDFs written${n(c, 'pdf_failures') > 0 ? `, ${n(c, 'pdf_failures')} PDFs failed` : ''}`
  );
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
    .action(async (options: { period: string; date?: string; out?: string; reissue?: boolean; dryRun?: boolean }, cmd: Command) => {
      const period = periodOption(options.period);
      const issuedOn = options.date === undefined ? undefined : dateOption(options.date);
      await withDb(cmd, async (db) => {
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
        const result = await runInvoices(db, {
          period,
          issuedOn,
          outDir: options.out ?? configOf(cmd).output.invoices_dir,
          reissue: options.reissue,
          dryRun: options.dryRun,
          progress: terminalProgress(),
        });
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
            failures: result.failures,
            backup,
          });
        } else {
          if (backup?.taken) print(`backup: ${backup.file}`);
          print(`${result.dryRun ? 'dry run, nothing written: ' : ''}invoices ${period} (issued ${result.issuedOn}): ${describeInvoices(result.counts)}`);
          if (result.registry) print(`registry: ${result.registry}`);
          for (const f of result.failures) print(`PDF failed: ${f.number} (account ${f.account}): ${f.error}`);
          if (result.failures.length > 0) print('the invoices are issued and numbered; rerun the same command to write the missing PDFs');
        }
        if (n(result.counts, 'pdf_failures') > 0) process.exitCode = 1;
      });
    });
}
