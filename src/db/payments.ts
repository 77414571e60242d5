// Bank payments: reads and writes grouped by aggregate; no business decisions.
import type Database from 'better-sqlite3';
import type { Db } from './connection.js';
import { accountsOfIin } from './accounts.js';
import type { AccountLookup, MatchedBy, SuspenseReason } from '../domain/matching.js';
import type { IsoDate } from '../domain/dates.js';
import type { Tiyn } from '../domain/money.js';
import type { SameMoney, TransactionFacts } from '../domain/statement.js';

export type PaymentStatus = 'applied' | 'suspense' | 'reversal' | 'reversed';

export interface PaymentRow {
  id: number;
  identity: string;
  format: string;
  bankRef: string;
  valueDate: IsoDate;
  amount: Tiyn;
  account: string | null;
  status: PaymentStatus;
  matchedBy: MatchedBy | null;
  payerIin: string | null;
  payerName: string | null;
  purpose: string | null;
  file: string | null;
  line: number | null;
  /** Why it waits in suspense (null: not in suspense, or imported before reasons were recorded). */
  suspenseReason: SuspenseReason | null;
  /** What the bank wrote in the account column ('' nothing; null: imported before this was recorded). */
  accountHint: string | null;
  /** The accounts the suspense reason is about. */
  reasonAccounts: string[];
  /** The operator's account the statement is of (normalised IBAN); null when the file does not say (the generic CSV, imports before migration 0017). */
  statementAccount: string | null;
  importedAt: string;
  assignedAt: string | null;
}

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per connection (imports run these per row). */
function stmt(db: Db, sql: string): Database.Statement {
  let byText = cache.get(db.sqlite);
  if (!byText) {
    byText = new Map();
    cache.set(db.sqlite, byText);
  }
  let s = byText.get(sql);
  if (!s) {
    s = db.sqlite.prepare(sql);
    byText.set(sql, s);
  }
  return s;
}

const COLUMNS = `id, identity, format, bank_ref AS bankRef, value_date AS valueDate, amount, account, status,
  matched_by AS matchedBy, payer_iin AS payerIin, payer_name AS payerName, purpose, file, line,
  suspense_reason AS suspenseReason, account_hint AS accountHint, reason_accounts AS reasonAccounts, statement_account AS statementAccount,
  created_at AS importedAt, assigned_at AS assignedAt`;

export type NewPayment = Omit<PaymentRow, 'id' | 'importedAt' | 'assignedAt'>;

type StoredPayment = Omit<PaymentRow, 'reasonAccounts'> & { reasonAccounts: string | null };

/** A row as stored: the reason's accounts are a JSON array in their column. */
function fromStored(row: StoredPayment | undefined): PaymentRow | undefined {
  if (row === undefined) return undefined;
  return { ...row, reasonAccounts: row.reasonAccounts === null ? [] : (JSON.parse(row.reasonAccounts) as string[]) };
}

/**
 * Inserts a payment unless its identity is known; returns its id, or null when it was known.
 * A known identity is looked for first (NOT EXISTS) rather than left to ON CONFLICT alone: with
 * AUTOINCREMENT an upsert that does nothing still uses up an id, so a statement imported again (a
 * rerun after a crash) would shift the ids, and with them the ledger keys payment:ID, of every
 * payment imported after it, and the figures would differ from an uninterrupted run's.
 */
export function insertPayment(db: Db, p: NewPayment): number | null {
  const result = stmt(
    db,
    `INSERT INTO payments (identity, format, bank_ref, value_date, amount, account, status, matched_by, payer_iin, payer_name, purpose, file, line, suspense_reason, account_hint, reason_accounts, statement_account)
       SELECT @identity, @format, @bankRef, @valueDate, @amount, @account, @status, @matchedBy, @payerIin, @payerName, @purpose, @file, @line, @suspenseReason, @accountHint, @reasonAccounts, @statementAccount
        WHERE NOT EXISTS (SELECT 1 FROM payments WHERE identity = @identity)
       ON CONFLICT (identity) DO NOTHING`,
  ).run({ ...p, reasonAccounts: p.reasonAccounts.length === 0 ? null : JSON.stringify(p.reasonAccounts) });
  return result.changes === 1 ? Number(result.lastInsertRowid) : null;
}

export function findPayment(db: Db, id: number): PaymentRow | undefined {
  return fromStored(stmt(db, `SELECT ${COLUMNS} FROM payments WHERE id = ?`).get(id) as StoredPayment | undefined);
}

export function paymentByIdentity(db: Db, identity: string): PaymentRow | undefined {
  return fromStored(stmt(db, `SELECT ${COLUMNS} FROM payments WHERE identity = ?`).get(identity) as StoredPayment | undefined);
}

/**
 * The n-th (from 1) payment of another format that is the same money (domain/statement.ts,
 * sameMoneyOf): the same operator's account, value date, amount and document number. Two equal
 * rows of one file are two transactions, so the n-th such row of a file is the n-th known one.
 */
export function sameMoneyElsewhere(db: Db, money: SameMoney, format: string, n: number): { id: number; file: string | null; format: string } | undefined {
  return stmt(
    db,
    `SELECT id, file, format FROM payments
      WHERE statement_account = @statementAccount AND value_date = @valueDate AND amount = @amount AND bank_ref = @bankRef AND format <> @format
      ORDER BY id LIMIT 1 OFFSET @skip`,
  ).get({ ...money, format, skip: n - 1 }) as { id: number; file: string | null; format: string } | undefined;
}

export function paymentsWithStatus(db: Db, status: PaymentStatus): PaymentRow[] {
  return (db.sqlite.prepare(`SELECT ${COLUMNS} FROM payments WHERE status = ? ORDER BY value_date, id`).all(status) as StoredPayment[]).map((r) => fromStored(r)!);
}

/** Payments of value dates from..to (optionally of one statement file, one account), by value date, file and line. */
export function paymentsBetween(db: Db, f: { from: IsoDate; to: IsoDate; file?: string | undefined; account?: string | undefined }): PaymentRow[] {
  const rows = db.sqlite
    .prepare(
      `SELECT ${COLUMNS} FROM payments
        WHERE value_date BETWEEN @from AND @to
          AND (@file IS NULL OR file = @file)
          AND (@account IS NULL OR account = @account)
        ORDER BY value_date, file, line, id`,
    )
    .all({ from: f.from, to: f.to, file: f.file ?? null, account: f.account ?? null }) as StoredPayment[];
  return rows.map((r) => fromStored(r)!);
}

/** Changes when a payment is added (ids only grow): whether another import came in since a check. */
export function paymentsStamp(db: Db): number {
  return (db.sqlite.prepare('SELECT coalesce(max(id), 0) FROM payments').pluck().get() as number) ?? 0;
}

export function markAssigned(db: Db, id: number, account: string, at: string): void {
  db.sqlite
    .prepare(`UPDATE payments SET status = 'applied', account = ?, matched_by = 'manual', assigned_at = ? WHERE id = ? AND status = 'suspense'`)
    .run(account, at, id);
}

/** The database behind matching: does an account exist, which accounts does an IIN hold. */
export function accountLookup(db: Db): AccountLookup {
  const exists = db.sqlite.prepare('SELECT 1 FROM accounts WHERE account = ?').pluck();
  return {
    exists: (account) => exists.get(account) !== undefined,
    accountsOfIin: (iin) => accountsOfIin(db, iin),
  };
}

/**
 * Scratch space for one statement import, in SQLite's temporary database (private to the
 * connection, on disk when large): what the validating pass learns about each row's identity, so
 * that memory does not grow with the file.
 */
export class StatementScratch {
  private readonly findBase;
  private readonly insertBase;
  private readonly bumpBase;
  private readonly insertRow;
  private readonly rowIdentity;
  private readonly bumpMoney;
  private readonly setKnown;
  private readonly knownFileAt;

  constructor(private readonly db: Db) {
    db.sqlite.exec(`
      DROP TABLE IF EXISTS temp.statement_bases;
      DROP TABLE IF EXISTS temp.statement_rows;
      DROP TABLE IF EXISTS temp.statement_money;
      CREATE TEMP TABLE statement_bases (base TEXT PRIMARY KEY, line INTEGER NOT NULL, n INTEGER NOT NULL,
        value_date TEXT NOT NULL, amount INTEGER NOT NULL, account TEXT, payer_iin TEXT, payer_name TEXT);
      CREATE TEMP TABLE statement_rows (line INTEGER PRIMARY KEY, identity TEXT, known_file TEXT);
      CREATE TEMP TABLE statement_money (statement_account TEXT NOT NULL, value_date TEXT NOT NULL, amount INTEGER NOT NULL,
        bank_ref TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (statement_account, value_date, amount, bank_ref));
    `);
    this.bumpMoney = db.sqlite.prepare(
      `INSERT INTO temp.statement_money (statement_account, value_date, amount, bank_ref, n) VALUES (@statementAccount, @valueDate, @amount, @bankRef, 1)
         ON CONFLICT DO UPDATE SET n = n + 1 RETURNING n`,
    ).pluck();
    this.setKnown = db.sqlite.prepare('UPDATE temp.statement_rows SET identity = NULL, known_file = ? WHERE line = ?');
    this.knownFileAt = db.sqlite.prepare('SELECT known_file FROM temp.statement_rows WHERE line = ?').pluck();
    this.findBase = db.sqlite.prepare(
      'SELECT line, n, value_date AS valueDate, amount, account, payer_iin AS payerIin, payer_name AS payerName FROM temp.statement_bases WHERE base = ?',
    );
    this.insertBase = db.sqlite.prepare(
      'INSERT INTO temp.statement_bases (base, line, n, value_date, amount, account, payer_iin, payer_name) VALUES (@base, @line, 1, @valueDate, @amount, @account, @payerIin, @payerName)',
    );
    this.bumpBase = db.sqlite.prepare('UPDATE temp.statement_bases SET n = n + 1 WHERE base = ?');
    this.insertRow = db.sqlite.prepare('INSERT OR REPLACE INTO temp.statement_rows (line, identity) VALUES (?, ?)');
    this.rowIdentity = db.sqlite.prepare('SELECT identity FROM temp.statement_rows WHERE line = ?').pluck();
  }

  /** The first earlier row of the file with the same identity base (its line and facts), and how many there were. */
  earlier(base: string): (TransactionFacts & { line: number; n: number }) | undefined {
    return this.findBase.get(base) as (TransactionFacts & { line: number; n: number }) | undefined;
  }

  /** Records a row's base (counting repeats) and its identity (null: a repeat of an earlier row). */
  record(line: number, base: string, facts: TransactionFacts, identity: string | null): void {
    if (this.earlier(base)) this.bumpBase.run(base);
    else this.insertBase.run({ base, line, valueDate: facts.valueDate, amount: facts.amount, account: facts.account ?? null, payerIin: facts.payerIin, payerName: facts.payerName });
    this.insertRow.run(line, identity);
  }

  /** How many rows of the file so far (this one included) are this same money. */
  sameMoneyCount(money: SameMoney): number {
    return this.bumpMoney.get(money) as number;
  }

  /** The row on this line is money already imported from another statement (`file`): nothing to add. */
  knownFrom(line: number, file: string): void {
    this.setKnown.run(file, line);
  }

  /** The file the row on this line was already imported from, when the validating pass found it there. */
  knownFileOf(line: number): string | null {
    return (this.knownFileAt.get(line) as string | null | undefined) ?? null;
  }

  /** The identity the validating pass gave the row on this line; null for a repeat; undefined if never seen. */
  identityAt(line: number): string | null | undefined {
    return this.rowIdentity.get(line) as string | null | undefined;
  }

  /** Runs a group of writes to the scratch tables in one transaction (fast). */
  inBatch(work: () => void): void {
    this.db.sqlite.transaction(work)();
  }

  drop(): void {
    this.db.sqlite.exec('DROP TABLE IF EXISTS temp.statement_bases; DROP TABLE IF EXISTS temp.statement_rows; DROP TABLE IF EXISTS temp.statement_money;');
  }
}

// «Undoing a mistake» (docs/payments.md): a payment moved to another account, returned to suspense,
// or reversed by the bank. The history of its moves is in payment_moves; `payments.account` and
// `status` follow the current state.

export type PaymentMoveBy = 'move' | 'unassign' | 'reverse';

export interface PaymentMoveRow {
  id: number;
  paymentId: number;
  /** The n-th move of the payment, from 1. */
  n: number;
  fromAccount: string;
  /** null: to suspense (unassign) or back to the bank (reverse). */
  toAccount: string | null;
  by: PaymentMoveBy;
  valueDate: IsoDate;
  onDate: IsoDate;
  reversalId: number | null;
  runId: number | null;
  createdAt: string;
}

const MOVE_COLUMNS = `id, payment_id AS paymentId, n, from_account AS fromAccount, to_account AS toAccount, by, value_date AS valueDate,
  on_date AS onDate, reversal_id AS reversalId, run_id AS runId, created_at AS createdAt`;

/** The moves of a payment, in order. */
export function paymentMovesOf(db: Db, paymentId: number): PaymentMoveRow[] {
  return stmt(db, `SELECT ${MOVE_COLUMNS} FROM payment_moves WHERE payment_id = ? ORDER BY n`).all(paymentId) as PaymentMoveRow[];
}

/** Every move, by payment and number (esep verify). */
export function allPaymentMoves(db: Db): PaymentMoveRow[] {
  return db.sqlite.prepare(`SELECT ${MOVE_COLUMNS} FROM payment_moves ORDER BY payment_id, n`).all() as PaymentMoveRow[];
}

export function insertPaymentMove(db: Db, m: Omit<PaymentMoveRow, 'id' | 'createdAt'>): void {
  stmt(
    db,
    `INSERT INTO payment_moves (payment_id, n, from_account, to_account, by, value_date, on_date, reversal_id, run_id)
     VALUES (@paymentId, @n, @fromAccount, @toAccount, @by, @valueDate, @onDate, @reversalId, @runId)`,
  ).run(m);
}

/** The payment now on `account` (moved there by hand). */
export function markMoved(db: Db, id: number, account: string, at: string): void {
  stmt(db, `UPDATE payments SET account = ?, matched_by = 'manual', assigned_at = ? WHERE id = ? AND status = 'applied'`).run(account, at, id);
}

/** The payment back in suspense, with the account it was taken off as the reason's account. */
export function markUnassigned(db: Db, id: number, from: string): void {
  stmt(
    db,
    `UPDATE payments SET status = 'suspense', account = NULL, matched_by = NULL, assigned_at = NULL, suspense_reason = 'unassigned', reason_accounts = ?
      WHERE id = ? AND status = 'applied'`,
  ).run(JSON.stringify([from]), id);
}

/** The payment reversed by the bank, and the reversal row linked to it. */
export function markReversed(db: Db, paymentId: number, reversalId: number): void {
  stmt(db, `UPDATE payments SET status = 'reversed' WHERE id = ? AND status IN ('applied', 'suspense')`).run(paymentId);
  stmt(db, `UPDATE payments SET reverses_payment_id = ? WHERE id = ? AND status = 'reversal' AND reverses_payment_id IS NULL`).run(paymentId, reversalId);
}

/** The payment a bank reversal is linked to, or null. */
export function reversedBy(db: Db, reversalId: number): number | null {
  return (stmt(db, 'SELECT reverses_payment_id FROM payments WHERE id = ?').pluck().get(reversalId) as number | null | undefined) ?? null;
}

/** The bank reversal linked to a payment, or undefined. */
export function reversalOf(db: Db, paymentId: number): PaymentRow | undefined {
  return fromStored(stmt(db, `SELECT ${COLUMNS} FROM payments WHERE reverses_payment_id = ?`).get(paymentId) as StoredPayment | undefined);
}

/** A payment's entries (kind payment) on the ledger, with what the corrections naming each took off it. */
export function paymentEntriesOf(db: Db, paymentId: number): { id: number; account: string; valueDate: IsoDate; amount: Tiyn; corrected: Tiyn; corrects: number | null }[] {
  return stmt(
    db,
    `SELECT l.id, l.account, l.value_date AS valueDate, l.amount, k.corrects_id AS corrects,
            COALESCE((SELECT SUM(c.amount) FROM ledger_links kc JOIN ledger c ON c.id = kc.entry_id WHERE kc.corrects_id = l.id), 0) AS corrected
       FROM ledger l LEFT JOIN ledger_links k ON k.entry_id = l.id
      WHERE l.payment_id = ? AND l.kind = 'payment' ORDER BY l.id`,
  ).all(paymentId) as { id: number; account: string; valueDate: IsoDate; amount: Tiyn; corrected: Tiyn; corrects: number | null }[];
}

/** Payments (not reversals) of a statement format under a bank reference: what a bank reversal with that reference may reverse. */
export function paymentsUnderRef(db: Db, format: string, bankRef: string): PaymentRow[] {
  return (stmt(db, `SELECT ${COLUMNS} FROM payments WHERE format = ? AND bank_ref = ? AND amount > 0 ORDER BY id`).all(format, bankRef) as StoredPayment[]).map(
    (r) => fromStored(r)!,
  );
}

/** Bank reversals not linked to the payment they take back yet: what the accountant still has to look at. */
export function unlinkedReversals(db: Db): PaymentRow[] {
  return (db.sqlite.prepare(`SELECT ${COLUMNS} FROM payments WHERE status = 'reversal' AND reverses_payment_id IS NULL ORDER BY value_date, id`).all() as StoredPayment[]).map(
    (r) => fromStored(r)!,
  );
}
