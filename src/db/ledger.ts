// The one way into the ledger. Posting compares on conflict, as TigerBeetle does: an entry whose key
// exists already with the same account, kind, value date, amount and correction link is not posted
// again (a retried batch is harmless); the same key with anything else is an error naming both, never
// a silent skip. The account's cached balance moves only by what was really inserted.
import type Database from 'better-sqlite3';
import type { Db } from './connection.js';
import type { Entry, EntryKind, ServiceSpan } from '../domain/entries.js';
export type { ServiceSpan } from '../domain/entries.js';
import type { IsoDate } from '../domain/dates.js';
import { formatTenge, type Tiyn } from '../domain/money.js';

export interface NewEntry {
  account: string;
  valueDate: IsoDate;
  kind: EntryKind;
  amount: Tiyn;
  /** The idempotency key (domain/keys.ts): the same fact always gets the same key. */
  key: string;
  invoiceId?: number | null;
  paymentId?: number | null;
  runId?: number | null;
  memo?: string | null;
  /** D-7: the id of the entry this one corrects. */
  corrects?: number | null;
  span?: ServiceSpan | null;
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
  corrects: number | null;
  createdAt: string;
}

/** An entry with the columns the rules read: the invoice a penalty belongs to, the entry a correction names. */
export type LedgerFact = Entry & { invoiceId: number | null; corrects: number | null };

interface Prepared {
  insert: Database.Statement;
  existing: Database.Statement;
  link: Database.Statement;
  span: Database.Statement;
  bump: Database.Statement;
  facts: Database.Statement;
}

const statements = new WeakMap<Database.Database, Prepared>();

/** The columns of a fact, from `ledger l` left-joined to its correction link `k`. */
export const FACT_COLUMNS = 'l.id, l.value_date AS valueDate, l.kind, l.amount, l.invoice_id AS invoiceId, k.corrects_id AS corrects';
export const FACT_JOIN = 'ledger l LEFT JOIN ledger_links k ON k.entry_id = l.id';

function prepared(sqlite: Database.Database): Prepared {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      insert: sqlite.prepare(
        `INSERT INTO ledger (account, value_date, kind, amount, key, invoice_id, payment_id, run_id, memo)
         VALUES (@account, @valueDate, @kind, @amount, @key, @invoiceId, @paymentId, @runId, @memo)`,
      ),
      existing: sqlite.prepare(
        `SELECT l.id, l.account, l.value_date AS valueDate, l.kind, l.amount, k.corrects_id AS corrects
           FROM ledger l LEFT JOIN ledger_links k ON k.entry_id = l.id WHERE l.key = ?`,
      ),
      link: sqlite.prepare('INSERT INTO ledger_links (entry_id, corrects_id) VALUES (?, ?)'),
      span: sqlite.prepare(
        'INSERT INTO ledger_spans (entry_id, service_from, service_to, service_days, period_days, name) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      bump: sqlite.prepare('UPDATE accounts SET balance = balance + ? WHERE account = ?'),
      facts: sqlite.prepare(`SELECT ${FACT_COLUMNS} FROM ${FACT_JOIN} WHERE l.account = ? ORDER BY l.value_date, l.id`),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/** The same key posted again with other facts: a bug that reused a key, refused with both named. */
export class KeyConflictError extends Error {
  override name = 'KeyConflictError';
}

/** The key's unique index refused the insert (the ledger fires no insert trigger since migration 0014). */
function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const describe = (e: { account: string; kind: string; valueDate: string; amount: number; corrects?: number | null }) =>
  `account ${e.account}, ${e.kind} of ${formatTenge(e.amount)} on ${e.valueDate}${e.corrects ? `, correcting entry ${e.corrects}` : ''}`;

/**
 * Posts entries; returns how many were new. Must run inside a transaction together with whatever
 * else the batch writes (its journal row), so that a crash leaves all of it or none of it.
 */
export function postEntries(db: Db, entries: readonly NewEntry[]): number {
  if (!db.sqlite.inTransaction) throw new Error('postEntries must run inside a transaction');
  const p = prepared(db.sqlite);
  let posted = 0;
  for (const e of entries) {
    if (!Number.isSafeInteger(e.amount) || e.amount === 0) {
      throw new Error(`entry ${e.key}: amount must be a non-zero whole number of tiyn, got ${e.amount}`);
    }
    let id: number;
    try {
      id = Number(
        p.insert.run({
          account: e.account,
          valueDate: e.valueDate,
          kind: e.kind,
          amount: e.amount,
          key: e.key,
          invoiceId: e.invoiceId ?? null,
          paymentId: e.paymentId ?? null,
          runId: e.runId ?? null,
          memo: e.memo ?? null,
        }).lastInsertRowid,
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const was = p.existing.get(e.key) as { id: number; account: string; valueDate: string; kind: string; amount: number; corrects: number | null } | undefined;
      if (!was) throw err;
      const same = was.account === e.account && was.kind === e.kind && was.valueDate === e.valueDate && was.amount === e.amount && (was.corrects ?? null) === (e.corrects ?? null);
      if (!same) throw new KeyConflictError(`ledger key ${e.key} exists as entry ${was.id} (${describe(was)}); refused to post it as ${describe(e)}`);
      continue;
    }
    if (e.corrects !== undefined && e.corrects !== null) p.link.run(id, e.corrects);
    if (e.span) p.span.run(id, e.span.from, e.span.to, e.span.days, e.span.periodDays, e.span.name ?? null);
    p.bump.run(e.amount, e.account);
    posted++;
  }
  return posted;
}

const ROW_COLUMNS = `l.id, l.account, l.value_date AS valueDate, l.kind, l.amount, l.key, l.invoice_id AS invoiceId,
  l.payment_id AS paymentId, l.run_id AS runId, l.memo, k.corrects_id AS corrects, l.created_at AS createdAt`;

/** Every entry of an account, in value-date order. */
export function entriesOf(db: Db, account: string): LedgerRow[] {
  return db.sqlite
    .prepare(`SELECT ${ROW_COLUMNS} FROM ${FACT_JOIN} WHERE l.account = ? ORDER BY l.value_date, l.id`)
    .all(account) as LedgerRow[];
}

/**
 * Every entry of an account as the rules see it, with the invoice a penalty belongs to, in value-date
 * order: the columns a replay reads (the penalty job's, once per account), from a statement prepared once.
 */
export function factsOf(db: Db, account: string): LedgerFact[] {
  return prepared(db.sqlite).facts.all(account) as LedgerFact[];
}

export function asEntries(rows: readonly LedgerRow[]): Entry[] {
  return rows.map((r) => ({ id: r.id, valueDate: r.valueDate, kind: r.kind, amount: r.amount, corrects: r.corrects }));
}

/** Sum of an account's entries with value date before `date`. */
export function balanceBefore(db: Db, account: string, date: IsoDate): Tiyn {
  const row = db.sqlite
    .prepare('SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE account = ? AND value_date < ?')
    .get(account, date) as { s: number };
  return row.s;
}

const spanned = new WeakMap<Database.Database, Database.Statement>();

/** An account's entries dated up to `through` (all by default), each with its service span when it has one (what an invoice is computed from). */
export function spannedFactsOf(db: Db, account: string, through: IsoDate = '9999-12-31'): (Entry & { span: ServiceSpan | null })[] {
  let stmt = spanned.get(db.sqlite);
  if (!stmt) {
    stmt = db.sqlite.prepare(
      `SELECT l.id, l.value_date AS valueDate, l.kind, l.amount, k.corrects_id AS corrects, s.service_from AS spanFrom, s.service_to AS spanTo,
              s.service_days AS spanDays, s.period_days AS periodDays, s.name AS spanName
         FROM ledger l LEFT JOIN ledger_links k ON k.entry_id = l.id LEFT JOIN ledger_spans s ON s.entry_id = l.id
        WHERE l.account = ? AND l.value_date <= ? ORDER BY l.value_date, l.id`,
    );
    spanned.set(db.sqlite, stmt);
  }
  type Row = Entry & { spanFrom: string | null; spanTo: string; spanDays: number; periodDays: number; spanName: string | null };
  return (stmt.all(account, through) as Row[]).map(({ spanFrom, spanTo, spanDays, periodDays, spanName, ...e }) => ({
    ...e,
    span: spanFrom === null ? null : { from: spanFrom, to: spanTo, days: spanDays, periodDays, name: spanName },
  }));
}

const POSTED_NET = `l.id, l.key, l.kind, l.value_date AS valueDate,
  l.amount + COALESCE((SELECT SUM(c.amount) FROM ledger_links k JOIN ledger c ON c.id = k.entry_id WHERE k.corrects_id = l.id), 0) AS net,
  (SELECT COUNT(*) FROM ledger_links k WHERE k.corrects_id = l.id) AS corrections`;

/** Charges as posted, each with what its corrections (D-7) have left of it: those with the given keys. */
export function chargesByKey(db: Db, keys: readonly string[]): { id: number; key: string; kind: EntryKind; valueDate: IsoDate; net: Tiyn; corrections: number }[] {
  if (keys.length === 0) return [];
  return db.sqlite.prepare(`SELECT ${POSTED_NET} FROM ledger l WHERE l.key IN (${keys.map(() => '?').join(', ')}) AND l.amount < 0`).all(...keys) as ReturnType<typeof chargesByKey>;
}

/** An account's charges of the given kinds dated from `from` to `to`, each with what its corrections have left of it. */
export function chargesDated(db: Db, account: string, kinds: readonly EntryKind[], from: IsoDate, to: IsoDate): ReturnType<typeof chargesByKey> {
  return db.sqlite
    .prepare(
      `SELECT ${POSTED_NET} FROM ledger l WHERE l.account = ? AND l.value_date BETWEEN ? AND ? AND l.amount < 0
          AND l.kind IN (${kinds.map(() => '?').join(', ')}) AND NOT EXISTS (SELECT 1 FROM ledger_links k WHERE k.entry_id = l.id)`,
    )
    .all(account, from, to, ...kinds) as ReturnType<typeof chargesByKey>;
}
