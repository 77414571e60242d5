// The outbox's queries: which documents still need a message, which messages are due, and writing a
// message's state. The decisions (what a reply means, when to retry) are in src/domain/outbox.ts.
import type { Db } from './connection.js';
import type { IsoDate, Period } from '../domain/dates.js';
import type { DocumentKind, OutboxState, Transition } from '../domain/outbox.js';
import type { Tiyn } from '../domain/money.js';

/** Which documents a send looks at: the invoices of a period, or every termination notice; either up to a day. */
export type SendScope = { kind: 'invoice'; period: Period; through: IsoDate } | { kind: 'notice'; through: IsoDate };

/** A document that has no message to its account's current address yet. */
export interface DocumentToQueue {
  docId: number;
  account: string;
  period: Period;
  /** The account's email, or '' when it has none. */
  recipient: string;
}

// A document gets one email message. Another row for it appears only when none of its rows reached
// anyone and the account's address is not one tried already: it was queued without an address
// (no_address) and the account has an email now, or its message failed (refused, or given up after
// retries) and the account's email has been corrected since (or removed: then it goes by post).
const NOT_DELIVERED = `('no_address', 'failed')`;
const NOT_QUEUED = (kind: DocumentKind, doc: string) => `NOT EXISTS (
  SELECT 1 FROM outbox o WHERE o.doc_kind = '${kind}' AND o.doc_id = ${doc}
     AND (o.state NOT IN ${NOT_DELIVERED} OR o.recipient = COALESCE(TRIM(a.email), '')))`;

/** Documents of the scope with their PDF written and no message yet, in id order after `after`. */
export function documentsToQueue(db: Db, scope: SendScope, after: number, limit: number): DocumentToQueue[] {
  if (scope.kind === 'invoice') {
    return db.sqlite
      .prepare(
        `SELECT i.id AS docId, i.account, i.period, COALESCE(TRIM(a.email), '') AS recipient
           FROM invoices i JOIN accounts a ON a.account = i.account
          WHERE i.period = @period AND i.issued_on <= @through AND i.file IS NOT NULL AND i.id > @after AND ${NOT_QUEUED('invoice', 'i.id')}
          ORDER BY i.id LIMIT @limit`,
      )
      .all({ period: scope.period, through: scope.through, after, limit }) as DocumentToQueue[];
  }
  return db.sqlite
    .prepare(
      `SELECT n.id AS docId, n.account, substr(n.issued_on, 1, 7) AS period, COALESCE(TRIM(a.email), '') AS recipient
         FROM notices n JOIN accounts a ON a.account = n.account
        WHERE n.issued_on <= @through AND n.id > @after AND ${NOT_QUEUED('notice', 'n.id')}
        ORDER BY n.id LIMIT @limit`,
    )
    .all({ through: scope.through, after, limit }) as DocumentToQueue[];
}

/** Invoices of the scope whose PDF is not written yet: they are queued once it is. */
export function invoicesWithoutPdf(db: Db, scope: SendScope): number {
  if (scope.kind !== 'invoice') return 0;
  return (
    db.sqlite.prepare(`SELECT COUNT(*) AS n FROM invoices WHERE period = ? AND issued_on <= ? AND file IS NULL`).get(scope.period, scope.through) as { n: number }
  ).n;
}

/** Queues one message; false when it exists already (the unique index on document and recipient). */
export function insertMessage(db: Db, kind: DocumentKind, doc: DocumentToQueue, state: 'queued' | 'no_address', messageId: string): boolean {
  const r = db.sqlite
    .prepare(
      `INSERT INTO outbox (doc_kind, doc_id, account, period, recipient, state, message_id) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (doc_kind, doc_id, recipient) DO NOTHING`,
    )
    .run(kind, doc.docId, doc.account, doc.period, doc.recipient, state, messageId);
  return r.changes > 0;
}

/** A message with everything its email says: the subscriber, and the invoice's or the notice's figures. */
export interface OutboxMessage {
  id: number;
  docKind: DocumentKind;
  docId: number;
  account: string;
  period: Period;
  recipient: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastReply: string | null;
  sentAt: string | null;
  messageId: string;
  name: string;
  address: string;
  /** The PDF as stored by the job that wrote it (absolute, or relative to the working directory). */
  file: string | null;
  number: string | null;
  issuedOn: IsoDate | null;
  dueOn: IsoDate | null;
  amountDue: Tiyn | null;
  advisedTopup: Tiyn | null;
  debt: Tiyn | null;
  equipmentReturnBy: IsoDate | null;
}

const MESSAGE_COLUMNS = `o.id, o.doc_kind AS docKind, o.doc_id AS docId, o.account, o.period, o.recipient, o.state, o.attempts,
  o.next_attempt_at AS nextAttemptAt, o.last_attempt_at AS lastAttemptAt, o.last_reply AS lastReply, o.sent_at AS sentAt,
  o.message_id AS messageId, s.name, a.address, COALESCE(i.file, n.file) AS file, i.number,
  COALESCE(i.issued_on, n.issued_on) AS issuedOn, i.due_on AS dueOn, i.amount_due AS amountDue, i.advised_topup AS advisedTopup,
  n.debt, n.equipment_return_by AS equipmentReturnBy`;
const MESSAGE_FROM = `outbox o JOIN accounts a ON a.account = o.account JOIN subscribers s ON s.iin = a.iin
  LEFT JOIN invoices i ON o.doc_kind = 'invoice' AND i.id = o.doc_id
  LEFT JOIN notices n ON o.doc_kind = 'notice' AND n.id = o.doc_id`;

function scopeWhere(scope: SendScope): string {
  return scope.kind === 'invoice'
    ? `o.doc_kind = 'invoice' AND o.period = @period AND i.issued_on <= @through`
    : `o.doc_kind = 'notice' AND n.issued_on <= @through`;
}

function scopeParams(scope: SendScope): Record<string, string> {
  return scope.kind === 'invoice' ? { period: scope.period, through: scope.through } : { through: scope.through };
}

/**
 * Due now: in "sending" (a killed run's), or queued with its backoff passed. The state test is
 * written as the partial index outbox_pending's condition, so that the planner can use that index.
 */
const DUE = `o.state IN ('queued', 'sending') AND (o.state = 'sending' OR o.next_attempt_at IS NULL OR o.next_attempt_at <= @now)`;

/**
 * Messages to send now, in id order after `after`: queued ones whose backoff has passed, and those a
 * killed run left in "sending".
 */
export function dueMessages(db: Db, scope: SendScope, now: string, after: number, limit: number): OutboxMessage[] {
  return db.sqlite
    .prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}
        WHERE ${scopeWhere(scope)} AND ${DUE} AND o.id > @after
        ORDER BY o.id LIMIT @limit`,
    )
    .all({ ...scopeParams(scope), now, after, limit }) as OutboxMessage[];
}

export function countDue(db: Db, scope: SendScope, now: string): number {
  return (
    db.sqlite
      .prepare(
        `SELECT COUNT(*) AS n FROM ${MESSAGE_FROM}
          WHERE ${scopeWhere(scope)} AND ${DUE}`,
      )
      .get({ ...scopeParams(scope), now }) as { n: number }
  ).n;
}

/** Messages a killed run left in "sending" (for the interrupted-attempt rule). */
export function interruptedMessages(db: Db, scope: SendScope): { id: number; attempts: number }[] {
  return db.sqlite
    .prepare(`SELECT o.id, o.attempts FROM ${MESSAGE_FROM} WHERE ${scopeWhere(scope)} AND o.state = 'sending' ORDER BY o.id`)
    .all(scopeParams(scope)) as { id: number; attempts: number }[];
}

/** Marks an attempt as started (state sending, attempts + 1); committed before the SMTP conversation. */
export function markSending(db: Db, id: number, attempts: number, at: string): void {
  db.sqlite.prepare(`UPDATE outbox SET state = 'sending', attempts = ?, last_attempt_at = ? WHERE id = ?`).run(attempts, at, id);
}

export function saveTransition(db: Db, id: number, t: Transition): void {
  db.sqlite
    .prepare(`UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_reply = ?, sent_at = ? WHERE id = ?`)
    .run(t.state, t.attempts, t.nextAttemptAt, t.lastReply, t.sentAt, id);
}

/** A reply noted on a message without changing its state (a PDF found missing before any attempt). */
export function noteReply(db: Db, id: number, reply: string): void {
  db.sqlite.prepare(`UPDATE outbox SET last_reply = ? WHERE id = ?`).run(reply, id);
}

/**
 * The periods whose invoices still need a `send invoices` run: those with a message waiting for a
 * retry (queued after a 4xx, or left in "sending" by a killed run), and `latest` (the newest
 * invoiced period) if one of its invoices issued by `through` has a PDF and no message yet.
 */
export function invoicePeriodsToSend(db: Db, latest: Period | null, through: IsoDate): Period[] {
  const periods = new Set(
    (
      db.sqlite
        .prepare(`SELECT DISTINCT period FROM outbox WHERE state IN ('queued', 'sending') AND doc_kind = 'invoice' ORDER BY period`)
        .all() as { period: Period }[]
    ).map((r) => r.period),
  );
  if (latest !== null && documentsToQueue(db, { kind: 'invoice', period: latest, through }, 0, 1).length > 0) periods.add(latest);
  return [...periods].sort();
}

// ---------------------------------------------------------------------------------------------
// The report (`esep outbox`)

export interface OutboxFilter {
  period?: Period | undefined;
}

export function stateCounts(db: Db, filter: OutboxFilter): { docKind: DocumentKind; state: OutboxState; n: number }[] {
  return db.sqlite
    .prepare(
      `SELECT doc_kind AS docKind, state, COUNT(*) AS n FROM outbox
        WHERE (@period IS NULL OR period = @period) GROUP BY doc_kind, state ORDER BY doc_kind, state`,
    )
    .all({ period: filter.period ?? null }) as { docKind: DocumentKind; state: OutboxState; n: number }[];
}

/** A document's rows after this one: a message to a corrected address supersedes a failed one. */
const NOT_SUPERSEDED = `NOT EXISTS (SELECT 1 FROM outbox e WHERE e.doc_kind = o.doc_kind AND e.doc_id = o.doc_id AND e.id > o.id)`;

/** The messages in these states that are still a document's latest (a failed one that was sent again later is dealt with). */
export function messagesInState(db: Db, states: readonly OutboxState[], filter: OutboxFilter): OutboxMessage[] {
  return db.sqlite
    .prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}
        WHERE o.state IN (${states.map(() => '?').join(', ')}) AND (? IS NULL OR o.period = ?) AND ${NOT_SUPERSEDED}
        ORDER BY o.doc_kind, o.period, o.id`,
    )
    .all(...states, filter.period ?? null, filter.period ?? null) as OutboxMessage[];
}

/** Documents that went out without an email address and no email of them reached anyone since: delivered by post. */
export function paperDeliveries(db: Db, filter: OutboxFilter): OutboxMessage[] {
  return db.sqlite
    .prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}
        WHERE o.state = 'no_address' AND (@period IS NULL OR o.period = @period)
          AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.doc_kind = o.doc_kind AND e.doc_id = o.doc_id AND e.state NOT IN ${NOT_DELIVERED})
        ORDER BY o.doc_kind, o.period, o.account`,
    )
    .all({ period: filter.period ?? null }) as OutboxMessage[];
}
