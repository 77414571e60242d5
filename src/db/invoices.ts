// Invoices as the rules see them: principal and due date by period.
import type { Db } from './connection.js';
import type { PenaltyInvoice } from '../domain/penalty.js';

export interface AccountInvoice extends PenaltyInvoice {
  number: string;
  issuedOn: string;
}

export function invoicesOf(db: Db, account: string): AccountInvoice[] {
  return db.sqlite
    .prepare('SELECT id, number, period, issued_on AS issuedOn, due_on AS dueOn, principal FROM invoices WHERE account = ? ORDER BY period')
    .all(account) as AccountInvoice[];
}

/** Accounts with an invoice due before `date` whose principal was positive: the only ones penalties and suspension look at. */
export function accountsWithDueInvoices(db: Db, date: string, after: string, limit: number): string[] {
  return (
    db.sqlite
      .prepare(
        `SELECT DISTINCT account FROM invoices WHERE due_on < @date AND principal > 0 AND account > @after ORDER BY account LIMIT @limit`,
      )
      .all({ date, after, limit }) as { account: string }[]
  ).map((r) => r.account);
}

/** How far P's month-end got: its invoices issued (numbered), and how many of them have no PDF yet. */
export function monthEndProgress(db: Db, period: string): { issued: number; withoutPdf: number } {
  const row = db.sqlite.prepare('SELECT COUNT(*) AS issued, COALESCE(SUM(file IS NULL), 0) AS withoutPdf FROM invoices WHERE period = ?').get(period) as {
    issued: number;
    withoutPdf: number;
  };
  return row;
}
