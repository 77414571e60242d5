// `esep send invoices --period P [--date D] [--dry-run DIR]` and `esep send notices [--date D] [--dry-run DIR]`:
// email the documents through the outbox (cl. 14, 23.8). The SMTP address is shown masked only.
import type { Command } from 'commander';
import { maskSmtpUrl, type Config } from '../../config/config.js';
import type { Counts } from '../../db/journal.js';
import type { SendScope } from '../../db/outbox.js';
import type { SendResult } from '../../jobs/send.js';
import { configOf, dateOption, globals, periodOption, print, printJson, withDb } from '../context.js';
import { terminalProgress } from '../progress.js';

const n = (c: Counts, k: string) => c[k] ?? 0;

export function describeSend(c: Counts, dryRun: boolean): string {
  if (dryRun) return `${n(c, 'written')} message(s) written as .eml, ${n(c, 'no_address')} without email (paper)`;
  return (
    `${n(c, 'queued')} queued, ${n(c, 'no_address')} without email (paper), ${n(c, 'sent')} sent, ` +
    `${n(c, 'deferred')} to retry later, ${n(c, 'failed')} failed`
  );
}

interface SendFlags {
  period?: string;
  date?: string;
  dryRun?: string;
}

async function send(cmd: Command, scope: SendScope, flags: SendFlags): Promise<void> {
  const config: Config = configOf(cmd);
  const smtp = config.smtp;
  const json = globals(cmd).json;
  const via = flags.dryRun !== undefined ? `dry run into ${flags.dryRun}` : `via ${maskSmtpUrl(smtp.url) ?? '(no SMTP server)'}`;
  await withDb(cmd, async (db) => {
    // loaded on use: nodemailer and pdfkit are heavy for every other command
    const { runSend, smtpTimeouts } = await import('../../jobs/send.js');
    const timeouts = smtpTimeouts({ connection: smtp.connection_timeout_seconds, greeting: smtp.greeting_timeout_seconds, socket: smtp.socket_timeout_seconds });
    const result: SendResult = await runSend(db, {
      scope,
      smtp: { url: smtp.url, from: smtp.from, ratePerSecond: smtp.rate_per_second, maxAttempts: smtp.max_attempts, timeouts },
      dryRunDir: flags.dryRun,
      progress: terminalProgress(),
    });
    const what = scope.kind === 'invoice' ? `invoices ${scope.period}` : `notices through ${scope.through}`;
    if (json) {
      printJson({
        job: `send-${scope.kind}s`,
        scope: scope.kind === 'invoice' ? scope.period : scope.through,
        dry_run: result.dryRun,
        run_id: result.runId,
        smtp: flags.dryRun !== undefined ? null : maskSmtpUrl(smtp.url),
        counts: result.counts,
        failed: result.failed,
        missing_files: result.missingFiles,
        stopped: result.stopped,
        without_pdf: result.withoutPdf,
        written: result.written,
      });
    } else {
      for (const f of result.failed) print(`failed: ${f.document} (account ${f.account}) to ${f.recipient}: ${f.reply}`);
      for (const f of result.missingFiles) print(`not sent: ${f.document} (account ${f.account}): ${f.reply}`);
      if (scope.kind === 'invoice' && result.withoutPdf > 0) {
        print(`${result.withoutPdf} invoice(s) of ${scope.period} have no PDF yet: queued once \`esep run invoices --period ${scope.period}\` has written them`);
      }
      if (result.stopped) print(`stopped: ${result.stopped}; the rest is sent by the next run`);
      print(`${result.dryRun ? 'dry run, nothing sent or marked: ' : ''}send ${what} ${via}: ${describeSend(result.counts, result.dryRun)}`);
    }
    if (result.stopped !== null || result.missingFiles.length > 0) process.exitCode = 1;
  });
}

export function registerSend(program: Command): void {
  const group = program.command('send').description('email invoices and termination notices through the outbox (SMTP from the configuration)');
  group
    .command('invoices')
    .description('queue and email the invoices of a period, the PDF attached (cl. 14)')
    .requiredOption('--period <period>', 'the invoices of this period (YYYY-MM)')
    .option('--date <date>', 'only invoices issued on or before this day, default today in Asia/Almaty')
    .option('--dry-run <dir>', 'write each message as an .eml file into DIR instead of sending; mark nothing')
    .action(async (flags: SendFlags, cmd: Command) => {
      const period = periodOption(flags.period);
      await send(cmd, { kind: 'invoice', period, through: dateOption(flags.date) }, flags);
    });
  group
    .command('notices')
    .description('queue and email the termination notices with the debt demand (cl. 23.8)')
    .option('--date <date>', 'only notices issued on or before this day, default today in Asia/Almaty')
    .option('--dry-run <dir>', 'write each message as an .eml file into DIR instead of sending; mark nothing')
    .action(async (flags: SendFlags, cmd: Command) => {
      await send(cmd, { kind: 'notice', through: dateOption(flags.date) }, flags);
    });
}
