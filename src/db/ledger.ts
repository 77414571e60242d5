// The one way into the ledger. An entry whose key exists already is not posted again, and the
// account's cached balance moves only by what was really inserted: a retried batch is harmless.
import type Database from 'better-sqlite3';
import type { Db } from './connection.js';
import type { Entry, EntryKind } from '../domain/entries.js';
import type { IsoDate } from '../domain/dates.js';
import type { Tiyn } from '../domain/money.js';

export interface NewEntry {
  account: string;
  valueDate: IsoDate;
  kind: EntryKind;
  amount: Tiyn;
  /** The idempotency key: the same fact always gets the same key. */
  key: string;
  invoiceId?: number | null;
  paymentId?: number | null;
  runId?: number | null;
  memo?: string | null;
}

export interface LedgerRow {
  id: number;
  account: string;
  valueDate: IsoDate;
  kind: EntryKind;
  amount: Tiyn;
  key: string;
  invoiceId: number | null;
  paymentId: number | null;
  runId: number | null;
  memo: string | null;
  createdAt: string;
}

const statements = new WeakMap<Database.Database, { insert: Database.Statement; bump: Database.Statement; facts: Database.Statement }>();

function prepared(sqlite: Database.Database) {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      insert: sqlite.prepare(
        `INSERT INTO ledger (account, value_date, kind, amount, key, invoice_id, payment_id, run_id, memo)
         VALUES (@account, @valueDate, @kind, @amount, @key, @invoiceId, @paymentId, @runId, @memo)
         ON CONFLICT (key) DO NOTHING`,
      ),
      bump: sqlite.prepare('UPDATE accounts SET balance = balance + ? WHERE account = ?'),
      facts: sqlite.prepare(`SELECT id, value_date AS valueDate, kind, amount, invoice_id AS invoiceId FROM ledger WHERE account = ? ORDER BY value_date, id`),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/**
 * Posts entries; returns how many were new. Must run inside a transaction together with whatever
 * else the batch writes (its journal row), so that a crash leaves all of it or none of it.
 */
export function postEntries(db: Db, entries: readonly NewEntry[]): number {
  if (!db.sqlite.inTransaction) throw new Error('postEntries must run inside a transaction');
  const { insert, bump } = prepared(db.sqlite);
  let posted = 0;
  for (const e of entries) {
    if (!Number.isSafeInteger(e.amount) || e.amount === 0) {
      throw new Error(`entry ${e.key}: amount must be a non-zero whole number of tiyn, got ${e.amount}`);
    }
    const result = insert.run({
      account: e.account,
      valueDate: e.valueDate,
      kind: e.kind,
      amount: e.amount,
      key: e.key,
      invoiceId: e.invoiceId ?? null,
      paymentId: e.paymentId ?? null,
      runId: e.runId ?? null,
      memo: e.memo ?? null,
    });
    if (result.changes === 1) {
      bump.run(e.amount, e.account);
      posted++;
    }
  }
  return posted;
}

const ROW_COLUMNS = `id, account, value_date AS valueDate, kind, amount, key, invoice_id AS invoiceId,
  payment_id AS paymentId, run_id AS runId, memo, created_at AS createdAt`;

/** Every entry of an account, in value-date order. */
export function entriesOf(db: Db, account: string): LedgerRow[] {
  return db.sqlite
    .prepare(`SELECT ${ROW_COLUMNS} FROM ledger WHERE account = ? ORDER BY value_date, id`)
    .all(account) as LedgerRow[];
}

/**
 * Every entry of an account as the rules see it, with the invoice a penalty belongs to, in value-date
 * order: the columns a replay reads (the penalty job's, once per account), from a statement prepared once.
 */
export function factsOf(db: Db, account: string): (Entry & { invoiceId: number | null })[] {
  return prepared(db.sqlite).facts.all(account) as (Entry & { invoiceId: number | null })[];
}

export function asEntries(rows: readonly LedgerRow[]): Entry[] {
  return rows.map((r) => ({ id: r.id, valueDate: r.valueDate, kind: r.kind, amount: r.amount }));
}

/** Sum of an account's entries with value date before `date`. */
export function balanceBefore(db: Db, account: string, date: IsoDate): Tiyn {
  const row = db.sqlite
    .prepare('SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE account = ? AND value_date < ?')
    .get(account, date) as { s: number };
  return row.s;
}
