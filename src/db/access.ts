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
  const result = insert.run(e.account, e.at, e.valueDate, e.event, e.cause, e.reason, accessEventKey(e.event, e.account, e.valueDate), e.runId);
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
  e: { at: string; valueDate: IsoDate; reason: string; runId: number | null },
): AccountState | null {
  const next = transition(from, t);
  if (!next) return null;
  db.sqlite.prepare('UPDATE accounts SET status = ?, suspend_reason = ? WHERE account = ?').run(next.status, next.suspendReason, account);
  recordAccessEvent(db, { account, event: t.event, cause: t.cause, ...e });
  return next;
}

export interface AccessEventRow {
  id: number;
  account: string;
  at: string;
  valueDate: IsoDate;
  event: AccessEvent;
  cause: AccessCause | null;
  reason: string;
}

export function accessEventsSince(db: Db, since: IsoDate): AccessEventRow[] {
  return db.sqlite
    .prepare(
      `SELECT id, account, at, value_date AS valueDate, event, cause, reason FROM access_events WHERE value_date >= ? ORDER BY value_date, id`,
    )
    .all(since) as AccessEventRow[];
}
