// Access events: what the network team switches off and on.
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection.js';
import { accessEventKey } from '../domain/keys.js';
import type { IsoDate } from '../domain/dates.js';
import { transition, type AccessCause, type AccountState, type Transition } from '../domain/accounts.js';

export type AccessEvent = 'suspend' | 'restore' | 'terminate';

export interface NewAccessEvent {
  account: string;
  at: string;
  valueDate: IsoDate;
  event: AccessEvent;
  cause: AccessCause;
  reason: string;
  runId: number | null;
  /** The key of the fact behind the event, where one day can hold the event twice (domain/keys.ts, accessEventKey). */
  by?: string;
}

/** Records an event once: the key (account, day, event) makes a retried batch harmless. Returns whether it is new. */
const inserts = new WeakMap<Db['sqlite'], Statement>();

export function recordAccessEvent(db: Db, e: NewAccessEvent): boolean {
  let insert = inserts.get(db.sqlite);
  if (!insert) {
    insert = db.sqlite.prepare(
      `INSERT INTO access_events (account, at, value_date, event, cause, reason, key, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
    );
    inserts.set(db.sqlite, insert);
  }
  const result = insert.run(e.account, e.at, e.valueDate, e.event, e.cause, e.reason, accessEventKey(e.event, e.account, e.valueDate, e.by), e.runId);
  return result.changes === 1;
}

/**
 * Applies a status transition (domain/accounts.ts) to an account: its row and its access event,
 * written together. Returns the new state, or null when the transition does not apply (nothing is written).
 */
export function applyTransition(
  db: Db,
  account: string,
  from: AccountState,
  t: Transition,
  e: { at: string; valueDate: IsoDate; reason: string; runId: number | null; by?: string },
): AccountState | null {
  const next = transition(from, t);
  if (!next) return null;
  db.sqlite.prepare('UPDATE accounts SET status = ?, suspend_reason = ? WHERE account = ?').run(next.status, next.suspendReason, account);
  recordAccessEvent(db, { account, event: t.event, cause: t.cause, ...e });
  return next;
}

export interface AccessEventRow {
  /** The journal's order: a cursor for `access --after-id` (an event posted late for an earlier day still comes after it). */
  id: number;
  account: string;
  /** The instant it was recorded, ISO in UTC as stored. */
  at: string;
  /** The billing day it is for. */
  valueDate: IsoDate;
  event: AccessEvent;
  cause: AccessCause | null;
  reason: string;
  /** The account's address, where the network team switches it. */
  address: string;
}

const EVENT_COLUMNS = `e.id, e.account, e.at, e.value_date AS valueDate, e.event, e.cause, e.reason, a.address
  FROM access_events e JOIN accounts a ON a.account = e.account`;

/** Events for billing days from `since` on, by day. */
export function accessEventsSince(db: Db, since: IsoDate): AccessEventRow[] {
  return db.sqlite.prepare(`SELECT ${EVENT_COLUMNS} WHERE e.value_date >= ? ORDER BY e.value_date, e.id`).all(since) as AccessEventRow[];
}

/** Events recorded after event `afterId`, in the order they were recorded, whatever their billing day. */
export function accessEventsAfter(db: Db, afterId: number): AccessEventRow[] {
  return db.sqlite.prepare(`SELECT ${EVENT_COLUMNS} WHERE e.id > ? ORDER BY e.id`).all(afterId) as AccessEventRow[];
}

export interface AccountOffRow {
  account: string;
  status: 'suspended' | 'terminated';
  address: string;
  /** The event that switched it off (its latest suspension or its termination); null only for data older than the journal. */
  eventId: number | null;
  since: IsoDate | null;
  cause: AccessCause | null;
  reason: string | null;
}

/** Accounts that must be off now: suspended or terminated as they stand, with the event that switched each off. */
export function accountsOffNow(db: Db): AccountOffRow[] {
  return db.sqlite
    .prepare(
      `SELECT a.account, a.status, a.address, e.id AS eventId, e.value_date AS since, e.cause, e.reason
         FROM accounts a
         LEFT JOIN access_events e ON e.id = (
              SELECT x.id FROM access_events x WHERE x.account = a.account AND x.event IN ('suspend', 'terminate')
               ORDER BY x.value_date DESC, x.id DESC LIMIT 1)
        WHERE a.status IN ('suspended', 'terminated')
        ORDER BY a.account`,
    )
    .all() as AccountOffRow[];
}
