// `esep outbox [--period P] [--paper-csv FILE] [--xlsx FILE] [--json]`: what was sent, what failed and
// why, what waits for a retry, and the documents of accounts without email (account, name, address):
// the list for the post, printed, and written as CSV (scripts) or xlsx (people).
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { messagesInState, paperDeliveries, stateCounts, type OutboxMessage } from '../../db/outbox.js';
import { formatTenge, toTengeString, type Tiyn } from '../../domain/money.js';
import { formatTime } from '../../domain/dates.js';
import { documentName, OUTBOX_STATES, type OutboxState } from '../../domain/outbox.js';
import { listCsv } from '../../io/csv.js';
import { column, type ListSpec } from '../../io/list.js';
import { writeXlsx, xlsxTarget } from '../../io/xlsx.js';
import { globals, periodOption, print, printJson, withDb } from '../context.js';
import { renderTable } from '../table.js';

/** What the subscriber is asked to pay: the invoice's amount due, the notice's demanded debt. */
function amountOf(m: OutboxMessage): Tiyn {
  return (m.docKind === 'invoice' ? m.amountDue : m.debt) ?? 0;
}

/** The list for the post: one row per document of an account without email. */
export const PAPER_LIST: ListSpec<OutboxMessage> = {
  sheet: 'Поштамен - Почтой',
  columns: [
    column('name', 'Аты-жөні', 'ФИО', 'text', (m) => m.name, 30),
    column('address', 'Мекенжай', 'Адрес', 'text', (m) => m.address, 40),
    column('account', 'Дербес шот', 'Лицевой счёт', 'text', (m) => m.account),
    column('document', 'Құжат', 'Документ', 'text', (m) => documentName(m), 18),
    column('kind', 'Түрі', 'Вид', 'text', (m) => m.docKind, 10),
    column('amount', 'Төлеуге', 'К оплате', 'amount', amountOf),
    column('file', 'Файл', 'Файл', 'text', (m) => m.file, 40),
  ],
};

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
    .option('--xlsx <file>', 'write the same list for the post as an Excel workbook')
    .action(async (options: { period?: string; paperCsv?: string; xlsx?: string }, cmd: Command) => {
      const period = options.period === undefined ? undefined : periodOption(options.period);
      const xlsx = options.xlsx === undefined ? undefined : xlsxTarget(options.xlsx);
      if (options.paperCsv !== undefined) xlsxTarget(options.paperCsv, '--paper-csv');
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
      if (options.paperCsv !== undefined) writeFileSync(options.paperCsv, listCsv(PAPER_LIST, report.paper));
      if (xlsx !== undefined) await writeXlsx(xlsx, PAPER_LIST, report.paper);

      if (globals(cmd).json) {
        printJson({
          period: period ?? null,
          counts: { ...counts, total },
          failed: report.failed.map(messageJson),
          waiting: report.waiting.map(messageJson),
          no_address: report.paper.map((m) => ({ name: m.name, address: m.address, account: m.account, document: documentName(m), kind: m.docKind, amount: toTengeString(amountOf(m)), file: m.file })),
          paper_csv: options.paperCsv ?? null,
          xlsx: xlsx ?? null,
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
          const next = m.state === 'sending' ? 'interrupted, resent by the next run' : m.nextAttemptAt ? `next attempt after ${formatTime(m.nextAttemptAt)}` : 'next run';
          print(`  ${documentName(m)}\t${m.account}\t${m.recipient}\t${m.attempts} attempt(s)\t${next}${m.lastReply ? `\t${m.lastReply}` : ''}`);
        }
      }
      const written = [options.paperCsv, xlsx].filter((f) => f !== undefined);
      if (report.paper.length === 0 && written.length > 0) print(`no document of an account without email: an empty list written to ${written.join(', ')}`);
      if (report.paper.length > 0) {
        print(
          written.length > 0
            ? `${report.paper.length} document(s) of accounts without email, for delivery by post: ${written.join(', ')}`
            : `${report.paper.length} document(s) of accounts without email, for delivery by post (as a file: --xlsx FILE or --paper-csv FILE):`,
        );
        print(
          renderTable(report.paper, [
            { title: 'account', value: (m) => m.account },
            { title: 'name', value: (m) => m.name },
            { title: 'address', value: (m) => m.address },
            { title: 'document', value: (m) => documentName(m) },
            { title: 'amount', value: (m) => formatTenge(amountOf(m)), align: 'right' },
          ]),
        );
      }
    });
}
