// `esep send invoices --period P` (cl. 14) and `esep send notices` (cl. 23.8): email each document
// through the outbox.
//
// 1. Queue, under the writer lock, in batches (one transaction each, with the journal's counts):
//    every document of the scope with its PDF written and no message yet gets one, with our own
//    Message-ID; an account without email gets a no_address row instead (delivered on paper:
//    `esep outbox --paper-csv`). The unique index on (document, recipient) makes a rerun queue
//    nothing twice. Then the writer lock is released: billing jobs and imports run while mail goes.
// 2. Send the due messages one by one, smtp.rate_per_second apart. Each message is
//      a. claimed: marked "sending" (attempts + 1, last_attempt_at = now) and committed,
//      b. handed to the SMTP server (IO, outside any transaction and any lock but `send`),
//      c. marked with the outcome (sent / queued again after a backoff / failed) and committed.
//    a and c are short transactions of their own on the message's row, which no other job writes.
//    The run holds the `send` lock from start to end, so a row found in "sending" at the start of a
//    run is a claim of a run that died between a and c: it is sent again with the same Message-ID
//    (or given up, if that was its last attempt), so a crash between "server accepted" and c costs
//    at most one duplicate of that one message, and no claimed message is ever lost.
//    Every wait on the server is bounded (smtp.*_timeout_seconds); a server that does not answer, or
//    refuses our login or sender, ends the run (domain/outbox.ts: endsRun).
// With dryRunDir nothing is queued or marked and no lock is taken: each message that would be sent
// is written there as an .eml file instead.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SMTP_TIMEOUT_SECONDS } from '../config/config.js';
import { PROJECT_ROOT, type Db } from '../db/connection.js';
import { acquireLock, type Counts } from '../db/journal.js';
import { getOperator, type OperatorRow } from '../db/operator.js';
import {
  countDue,
  documentsToQueue,
  dueMessages,
  insertMessage,
  interruptedMessages,
  invoicesWithoutPdf,
  markSending,
  noteReply,
  saveTransition,
  type OutboxMessage,
  type SendScope,
} from '../db/outbox.js';
import { addDays } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import { formatTenge } from '../domain/money.js';
import {
  accepted,
  classifyFailure,
  documentName,
  endsRun,
  failed,
  makeMessageId,
  RateLimiter,
  recoverInterrupted,
  startAttempt,
  type DocumentKind,
} from '../domain/outbox.js';
import { displayDate } from '../io/pdf/render.js';
import {
  loadMailTemplate,
  periodWords,
  rawMessage,
  renderMail,
  SendError,
  smtpFailureOf,
  smtpTransport,
  type MailTemplate,
  type MailTransport,
  type OutgoingMail,
  type SmtpTimeouts,
} from '../io/mail.js';
import { ensureFolder } from '../io/files.js';
import { PAY_WITHIN_DAYS } from './notices.js';
import { runJob, type JobResult, type Progress } from './runner.js';

export const MAIL_TEMPLATES: Record<DocumentKind, string> = {
  invoice: path.join(PROJECT_ROOT, 'templates', 'mail-invoice.json'),
  notice: path.join(PROJECT_ROOT, 'templates', 'mail-notice.json'),
};

const QUEUE_BATCH = 500;
const SEND_PAGE = 100;
/** Messages named in the result (all are counted in the journal and listed by `esep outbox`). */
const MAX_LISTED = 100;

export interface SmtpSettings {
  url: string | null;
  from: string | null;
  ratePerSecond: number;
  maxAttempts: number;
  /** Default: the configuration's defaults (SMTP_TIMEOUT_SECONDS). */
  timeouts?: SmtpTimeouts | undefined;
}

/** The configuration's smtp.*_timeout_seconds as the transport takes them. */
export function smtpTimeouts(seconds: { connection: number; greeting: number; socket: number } = SMTP_TIMEOUT_SECONDS): SmtpTimeouts {
  return { connectionMs: seconds.connection * 1000, greetingMs: seconds.greeting * 1000, socketMs: seconds.socket * 1000 };
}

export interface SendOptions {
  scope: SendScope;
  smtp: SmtpSettings;
  /** Write each message as an .eml file here instead of sending; queue and mark nothing. */
  dryRunDir?: string | undefined;
  progress?: Progress;
  /** Tests: a transport instead of SMTP from smtp.url, the clock and sleep of the rate limit and backoff, templates. */
  transport?: MailTransport;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  templates?: Partial<Record<DocumentKind, string>>;
}

export interface MessageProblem {
  id: number;
  document: string;
  account: string;
  recipient: string;
  reply: string;
}

export interface SendResult extends JobResult {
  /** Messages that became failed in this run (permanent refusal, or attempts used up). */
  failed: MessageProblem[];
  /** Messages whose PDF is missing on disk: left queued, sent once the file is back. */
  missingFiles: MessageProblem[];
  /** Why the run stopped before sending everything due (server unreachable, login refused), or null. */
  stopped: string | null;
  /** Invoices of the period still without their PDF (queued when `run invoices` has written it). */
  withoutPdf: number;
  /** Dry run: the .eml files written. */
  written: string[];
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function scopeName(scope: SendScope): string {
  return scope.kind === 'invoice' ? scope.period : scope.through;
}

/** The values of the mail template's {placeholders}. */
export function mailValues(m: OutboxMessage, operator: OperatorRow, template: MailTemplate): Record<string, string> {
  const common = {
    subscriber_name: m.name,
    account: m.account,
    operator_name: operator.name,
    operator_phone: operator.phone,
    operator_site: operator.site,
    operator_email: operator.email,
  };
  if (m.docKind === 'invoice') {
    const period = periodWords(template, m.period);
    const due = m.amountDue ?? 0;
    return {
      ...common,
      number: m.number ?? '',
      period: m.period,
      period_kk: period.kk,
      period_ru: period.ru,
      issued_on: m.issuedOn ? displayDate(m.issuedOn) : '',
      due_on: m.dueOn ? displayDate(m.dueOn) : '',
      amount_due: formatTenge(due),
      to_pay: due > 0 ? formatTenge(due) : '',
      nothing_to_pay: due > 0 ? '' : 'yes',
      advised_topup: m.advisedTopup !== null && m.advisedTopup > 0 ? formatTenge(m.advisedTopup) : '',
    };
  }
  const debt = m.debt ?? 0;
  return {
    ...common,
    terminated_on: m.issuedOn ? displayDate(m.issuedOn) : '',
    debt: debt > 0 ? formatTenge(debt) : '',
    // the demand's term, as the notice itself states it (jobs/notices.ts)
    pay_by: m.issuedOn ? displayDate(addDays(m.issuedOn, PAY_WITHIN_DAYS)) : '',
    equipment_return_by: m.equipmentReturnBy ? displayDate(m.equipmentReturnBy) : '',
  };
}

/** The email of one message; the PDF is read here, so a missing file is found before any attempt. */
export async function buildMail(m: OutboxMessage, operator: OperatorRow, template: MailTemplate, from: OutgoingMail['from']): Promise<OutgoingMail> {
  if (m.file === null) throw new Error(`${documentName(m)} has no PDF`);
  const content = await readFile(path.resolve(m.file));
  const text = renderMail(template, mailValues(m, operator, template));
  return {
    from,
    to: m.recipient,
    subject: text.subject,
    text: text.text,
    messageId: m.messageId,
    attachment: { filename: text.filename, content },
    headers: { 'X-Esep-Document': `${m.docKind} ${m.docKind === 'invoice' ? (m.number ?? m.docId) : m.docId}` },
  };
}

function fromAddress(smtp: SmtpSettings, operator: OperatorRow): OutgoingMail['from'] {
  return smtp.from ?? { name: operator.name, address: operator.email };
}

function fromText(from: OutgoingMail['from']): string {
  return typeof from === 'string' ? from : from.address;
}

/** Step 1: queue every document of the scope that has no message yet, a batch at a time. */
function queue(batch: (work: () => Counts) => Counts, db: Db, scope: SendScope, from: string): Counts {
  const totals: Counts = {};
  for (let after = 0; ; ) {
    const docs = documentsToQueue(db, scope, after, QUEUE_BATCH);
    if (docs.length === 0) return totals;
    const counts = batch(() => {
      const c: Counts = {};
      for (const d of docs) {
        const state = d.recipient === '' ? 'no_address' : 'queued';
        const id = makeMessageId(scope.kind, d.docId, randomBytes(8).toString('hex'), from);
        if (insertMessage(db, scope.kind, d, state, id)) c[state] = (c[state] ?? 0) + 1;
      }
      return c;
    });
    for (const [k, v] of Object.entries(counts)) totals[k] = (totals[k] ?? 0) + v;
    after = docs[docs.length - 1]!.docId;
  }
}

function emlName(m: OutboxMessage): string {
  return `${m.docKind}-${documentName(m).replace(/^notice /, '').replace(/[^\p{L}\p{N}._-]+/gu, '-')}.eml`;
}

export async function runSend(db: Db, options: SendOptions): Promise<SendResult> {
  const { scope, smtp } = options;
  const dryRunDir = options.dryRunDir;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? sleepMs;
  const operator = getOperator(db);
  if (!operator) throw new InputError([{ field: 'operator', message: 'no operator requisites: run `esep import operator FILE.json` first' }]);
  if (!dryRunDir && !options.transport && smtp.url === null) {
    throw new InputError([{ field: 'smtp.url', message: 'no SMTP server: set smtp.url in the configuration or ESEP_SMTP_URL (or use --dry-run DIR)' }]);
  }
  // the folder first: a file in its way, or one that cannot be made, is refused before any work
  if (dryRunDir !== undefined) ensureFolder(dryRunDir, '--dry-run');
  const template = loadMailTemplate(options.templates?.[scope.kind] ?? MAIL_TEMPLATES[scope.kind]);
  const from = fromAddress(smtp, operator);
  const result: Omit<SendResult, keyof JobResult> = { failed: [], missingFiles: [], stopped: null, withoutPdf: invoicesWithoutPdf(db, scope), written: [] };
  const problem = (m: OutboxMessage, reply: string): MessageProblem => ({ id: m.id, document: documentName(m), account: m.account, recipient: m.recipient, reply });

  let transport: MailTransport | undefined;
  const jobName = `send-${scope.kind}s`;
  // the writer lock is taken first (busy: exit 75 with nothing journaled) and only for queueing;
  // the run itself holds the `send` lock
  let releaseWriter = dryRunDir !== undefined ? () => {} : acquireLock(db, jobName);
  const writerReleased = () => {
    releaseWriter();
    releaseWriter = () => {};
  };
  const job = await runJob(
    db,
    { job: jobName, scope: scopeName(scope), dryRun: dryRunDir !== undefined, progress: options.progress, lock: 'send' },
    async (ctx) => {
      if (dryRunDir !== undefined) {
        // queue and read in one transaction that is rolled back: what a send would do now, written nowhere but DIR
        let due: OutboxMessage[] = [];
        ctx.batch(() => {
          const queued = queue((work) => work(), db, scope, fromText(from));
          for (let after = 0; ; ) {
            const page = dueMessages(db, scope, now().toISOString(), after, SEND_PAGE);
            if (page.length === 0) break;
            due = due.concat(page);
            after = page[page.length - 1]!.id;
          }
          return queued;
        });
        for (const m of due) {
          let mail: OutgoingMail;
          try {
            mail = await buildMail(m, operator, template, from);
          } catch (error) {
            if (result.missingFiles.length < MAX_LISTED) result.missingFiles.push(problem(m, (error as Error).message));
            ctx.totals.missing_pdf = (ctx.totals.missing_pdf ?? 0) + 1;
            continue;
          }
          const file = path.join(dryRunDir, emlName(m));
          await writeFile(file, await rawMessage(mail));
          result.written.push(file);
          ctx.totals.written = (ctx.totals.written ?? 0) + 1;
        }
        return;
      }

      try {
        queue((work) => ctx.batch(work), db, scope, fromText(from));
      } finally {
        writerReleased();
      }

      // a claim left in "sending" (its run died) on its last allowed attempt is given up rather than resent
      const interrupted = interruptedMessages(db, scope);
      if (interrupted.length > 0) {
        ctx.batch((): Counts => {
          let gaveUp = 0;
          for (const row of interrupted) {
            const t = recoverInterrupted({ state: 'sending', attempts: row.attempts }, smtp.maxAttempts);
            if (t) {
              saveTransition(db, row.id, t);
              gaveUp++;
            }
          }
          return gaveUp > 0 ? { failed: gaveUp } : {};
        });
      }

      if (ctx.progress.visible) ctx.progress.start(countDue(db, scope, now().toISOString()), `send ${scope.kind}s ${scopeName(scope)}`);
      const limiter = new RateLimiter(smtp.ratePerSecond, () => now().getTime(), sleep);
      transport = options.transport ?? smtpTransport(smtp.url!, smtp.timeouts ?? smtpTimeouts());
      for (let after = 0; result.stopped === null; ) {
        const page = dueMessages(db, scope, now().toISOString(), after, SEND_PAGE);
        if (page.length === 0) break;
        after = page[page.length - 1]!.id;
        for (const m of page) {
          let mail: OutgoingMail;
          try {
            mail = await buildMail(m, operator, template, from);
          } catch (error) {
            const reply = `not sent: ${(error as Error).message}`;
            ctx.batch(() => {
              noteReply(db, m.id, reply);
              return { missing_pdf: 1 };
            });
            if (result.missingFiles.length < MAX_LISTED) result.missingFiles.push(problem(m, reply));
            continue;
          }
          await limiter.take();
          const attempt = startAttempt(m);
          ctx.batch(() => {
            markSending(db, m.id, attempt.attempts, now().toISOString());
            return { attempts: 1 };
          });
          const row = { state: attempt.state, attempts: attempt.attempts };
          try {
            const { reply } = await transport.send(mail);
            ctx.batch(() => {
              saveTransition(db, m.id, accepted(row, reply, now()));
              return { sent: 1 };
            });
          } catch (error) {
            const failure = error instanceof SendError ? error.failure : smtpFailureOf(error);
            const verdict = classifyFailure(failure);
            const t = failed(row, verdict, now(), smtp.maxAttempts);
            ctx.batch((): Counts => {
              saveTransition(db, m.id, t);
              return t.state === 'failed' ? { failed: 1 } : verdict.kind === 'server' ? { not_attempted: 1 } : { deferred: 1 };
            });
            if (t.state === 'failed' && result.failed.length < MAX_LISTED) result.failed.push(problem(m, t.lastReply ?? verdict.reply));
            if (endsRun(verdict)) {
              result.stopped = verdict.reply;
              break;
            }
          }
          ctx.progress.increment(1);
        }
      }
    },
  ).finally(() => {
    writerReleased();
    transport?.close();
  });
  return { ...job, ...result };
}
