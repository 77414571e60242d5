// `esep outbox [--period P] [--paper-csv FILE] [--json]`: what was sent, what failed and why, what
// waits for a retry, and the documents of accounts without email, as a CSV for delivery by post.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { messagesInState, paperDeliveries, stateCounts, type OutboxMessage } from '../../db/outbox.js';
import { toTengeString } from '../../domain/money.js';
import { documentName, OUTBOX_STATES, type OutboxState } from '../../domain/outbox.js';
import { toExcelCsv } from '../../io/csv.js';
import { globals, periodOption, print, printJson, withDb } from '../context.js';

export const PAPER_HEADER = ['name', 'address', 'account', 'document', 'kind', 'amount', 'file'] as const;

/** What the subscriber is asked to pay: the invoice's amount due, the notice's demanded debt. */
function amountOf(m: OutboxMessage): string {
  return toTengeString((m.docKind === 'invoice' ? m.amountDue : m.debt) ?? 0);
}

function messageJson(m: OutboxMessage) {
  return {
    id: m.id,
    kind: m.docKind,
    document: documentName(m),
    account: m.account,
    period: m.period,
    recipient: m.recipient,
    state: m.state,
    attempts: m.attempts,
    next_attempt_at: m.nextAttemptAt,
    last_attempt_at: m.lastAttemptAt,
    last_reply: m.lastReply,
    sent_at: m.sentAt,
    message_id: m.messageId,
  };
}

export function registerOutbox(program: Command): void {
  program
    .command('outbox')
    .description('email delivery: counts by state, failed messages with the server\'s reply, accounts without email (CSV for post)')
    .option('--period <period>', 'only documents of this period (YYYY-MM; a notice counts in the month it was issued)')
    .option('--paper-csv <file>', 'write the documents of accounts without email as CSV for delivery by post')
    .action((options: { period?: string; paperCsv?: string }, cmd: Command) => {
      const period = options.period === undefined ? undefined : periodOption(options.period);
      const report = withDb(cmd, (db) => ({
        counts: stateCounts(db, { period }),
        failed: messagesInState(db, ['failed'], { period }),
        waiting: messagesInState(db, ['queued', 'sending'], { period }),
        paper: paperDeliveries(db, { period }),
      }));
      const counts: Record<string, Record<OutboxState, number>> = {};
      const zero = () => Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
      const total = zero();
      for (const c of report.counts) {
        (counts[c.docKind] ??= zero())[c.state] = c.n;
        total[c.state] += c.n;
      }
      const paperRows = report.paper.map((m) => [m.name, m.address, m.account, documentName(m), m.docKind, amountOf(m), m.file ?? '']);
      if (options.paperCsv !== undefined) writeFileSync(options.paperCsv, toExcelCsv(PAPER_HEADER, paperRows, { delimiter: ';' }));

      if (globals(cmd).json) {
        printJson({
          period: period ?? null,
          counts: { ...counts, total },
          failed: report.failed.map(messageJson),
          waiting: report.waiting.map(messageJson),
          no_address: report.paper.map((m) => ({ name: m.name, address: m.address, account: m.account, document: documentName(m), kind: m.docKind, amount: amountOf(m), file: m.file })),
          paper_csv: options.paperCsv ?? null,
        });
        return;
      }
      print(`outbox${period ? ` ${period}` : ''}: ${OUTBOX_STATES.map((s) => `${total[s]} ${s.replace('_', ' ')}`).join(', ')}`);
      for (const [kind, c] of Object.entries(counts)) print(`  ${kind}s: ${OUTBOX_STATES.map((s) => `${c[s]} ${s.replace('_', ' ')}`).join(', ')}`);
      if (report.failed.length > 0) {
        print('failed:');
        for (const m of report.failed) print(`  ${documentName(m)}\t${m.account}\t${m.recipient}\t${m.attempts} attempt(s)\t${m.lastReply ?? ''}`);
      }
      if (report.waiting.length > 0) {
        print('waiting:');
        for (const m of report.waiting) {
          const next = m.state === 'sending' ? 'interrupted, resent by the next run' : m.nextAttemptAt ? `next attempt after ${m.nextAttemptAt}` : 'next run';
          print(`  ${documentName(m)}\t${m.account}\t${m.recipient}\t${m.attempts} attempt(s)\t${next}${m.lastReply ? `\t${m.lastReply}` : ''}`);
        }
      }
      if (report.paper.length > 0) {
        print(
          options.paperCsv !== undefined
            ? `${report.paper.length} document(s) of accounts without email, for delivery by post: ${options.paperCsv}`
            : `${report.paper.length} document(s) of accounts without email: write them for delivery by post with --paper-csv FILE`,
        );
      }
    });
}
