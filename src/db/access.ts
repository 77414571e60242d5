// Access events: what the network team switches off and on.
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection.js';
import type { IsoDate } from '../domain/dates.js';

export type AccessEvent = 'suspend' | 'restore' | 'terminate';

export interface NewAccessEvent {
  account: string;
  at: string;
  valueDate: IsoDate;
  event: AccessEvent;
  reason: string;
  runId: number | null;
}

/** Records an event once: the key (account, day, event) makes a retried batch harmless. Returns whether it is new. */
const inserts = new WeakMap<Db['sqlite'], Statement>();

export function recordAccessEvent(db: Db, e: NewAccessEvent): boolean {
  let insert = inserts.get(db.sqlite);
  if (!insert) {
    insert = db.sqlite.prepare(
      `INSERT INTO access_events (account, at, value_date, event, reason, key, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
    );
    inserts.set(db.sqlite, insert);
  }
  const result = insert.run(e.account, e.at, e.valueDate, e.event, e.reason, `${e.event}:${e.account}:${e.valueDate}`, e.runId);
  return result.changes === 1;
}

export interface AccessEventRow {
  id: number;
  account: string;
  at: string;
  valueDate: IsoDate;
  event: AccessEvent;
  reason: string;
}

export function accessEventsSince(db: Db, since: IsoDate): AccessEventRow[] {
  return db.sqlite
    .prepare(
      `SELECT id, account, at, value_date AS valueDate, event, reason FROM access_events WHERE value_date >= ? ORDER BY value_date, id`,
    )
    .all(since) as AccessEventRow[];
}
