// Building blocks of the long-running tests (crash safety, simulation): generic CSV statements, a
// renderer that writes no PDF, and a snapshot of every figure the jobs write, in a form two
// databases can be compared by (no ids that depend on timing, no timestamps, no run ids, no paths).
import { writeFileSync } from 'node:fs';
import { openDatabase, type Db } from '../../src/db/connection.js';
import type { Renderer } from '../../src/io/pdf/pool.js';

export const STATEMENT_HEADER = 'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose';

export interface StatementLine {
  bankRef: string;
  valueDate: string;
  /** tiyn; negative for a bank reversal */
  amount: number;
  account?: string;
  payerIin?: string;
  payerName?: string;
  purpose?: string;
}

/** 123456 tiyn → "1234.56" (the generic format's amounts). */
export function tengeText(tiyn: number): string {
  const sign = tiyn < 0 ? '-' : '';
  const abs = Math.abs(tiyn);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes a statement in the generic CSV format (SPEC section 7); returns the file. */
export function writeStatement(file: string, lines: readonly StatementLine[]): string {
  const rows = lines.map((l) =>
    [l.bankRef, l.valueDate, tengeText(l.amount), l.account ?? '', l.payerIin ?? '', l.payerName ?? '', l.purpose ?? ''].map(quote).join(','),
  );
  writeFileSync(file, `${[STATEMENT_HEADER, ...rows].join('\n')}\n`);
  return file;
}

/** A renderer that writes nothing and says it did: for in-process month-end runs where the PDFs are not the point. */
export const noPdfRenderer: Renderer = {
  mode: 'in-process',
  threads: 1,
  render: async (task) => ({ file: task.file, bytes: 0 }),
  close: async () => {},
};

/** Every figure the jobs write, keyed by what identifies it. */
export function snapshotOf(db: Db) {
  const all = (sql: string) => db.sqlite.prepare(sql).all();
  return {
    ledger: all('SELECT key, account, value_date, kind, amount, invoice_id, payment_id, memo FROM ledger ORDER BY key'),
    accounts: all(
      `SELECT account, status, suspend_reason, balance, debited_through, terminated_on, terminated_by, termination_requested_on,
              equipment_return_by, refund_due_on FROM accounts ORDER BY account`,
    ),
    invoices: all(
      `SELECT number, year, seq, account, period, final, issued_on, due_on, opening_balance, charges, credits, payments, penalties,
              closing_balance, principal, amount_due, advised_topup, file IS NOT NULL AS has_file FROM invoices ORDER BY year, seq`,
    ),
    payments: all(
      'SELECT id, identity, format, bank_ref, value_date, amount, account, status, matched_by, payer_iin, purpose, line FROM payments ORDER BY id',
    ),
    links: all(`SELECT c.key AS entry, t.key AS corrects FROM ledger_links k JOIN ledger c ON c.id = k.entry_id JOIN ledger t ON t.id = k.corrects_id ORDER BY entry`),
    access: all('SELECT account, value_date, event, reason, key FROM access_events ORDER BY account, value_date, key'),
    notices: all('SELECT account, kind, issued_on, debt, penalty_debt, equipment_return_by FROM notices ORDER BY account, kind, issued_on'),
  };
}

export function snapshotFile(file: string) {
  const db = openDatabase(file);
  try {
    return snapshotOf(db);
  } finally {
    db.close();
  }
}
