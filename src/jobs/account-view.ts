// What `esep account show` and `esep account statement` print: derived from the ledger each time.
import type { Db } from '../db/connection.js';
import { findAccount, type AccountRow } from '../db/accounts.js';
import { asEntries, entriesOf, type LedgerRow } from '../db/ledger.js';
import { allocate, summarise } from '../domain/allocation.js';
import type { IsoDate } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import type { Tiyn } from '../domain/money.js';

export interface OpenInvoice {
  number: string;
  period: string;
  issuedOn: IsoDate;
  dueOn: IsoDate;
  principal: Tiyn;
  unpaidPrincipal: Tiyn;
  overdue: boolean;
}

export interface AccountView {
  account: AccountRow;
  asOf: IsoDate;
  balance: Tiyn;
  debt: Tiyn;
  penaltyDebt: Tiyn;
  prepayment: Tiyn;
  openInvoices: OpenInvoice[];
  equipment: { serial: string; model: string | null; cost: Tiyn; handedOutOn: IsoDate; returnedOn: IsoDate | null }[];
}

export function requireAccount(db: Db, account: string): AccountRow {
  const row = findAccount(db, account);
  if (!row) throw new InputError([{ field: 'ACCOUNT', message: `no account "${account}"` }]);
  return row;
}

export function accountView(db: Db, account: string, asOf: IsoDate): AccountView {
  const row = requireAccount(db, account);
  const rows = entriesOf(db, account);
  const entries = asEntries(rows);
  const summary = summarise(entries, asOf);
  const { unpaid } = allocate(entries, asOf);
  const unpaidByPeriod = new Map<string, Tiyn>();
  for (const r of rows) {
    const left = unpaid.get(r.id);
    if (left !== undefined && r.kind !== 'penalty') {
      const period = r.valueDate.slice(0, 7);
      unpaidByPeriod.set(period, (unpaidByPeriod.get(period) ?? 0) + left);
    }
  }
  const invoices = db.sqlite
    .prepare(
      `SELECT number, period, issued_on AS issuedOn, due_on AS dueOn, principal FROM invoices
       WHERE account = ? AND issued_on <= ? ORDER BY period`,
    )
    .all(account, asOf) as Omit<OpenInvoice, 'unpaidPrincipal' | 'overdue'>[];
  const openInvoices = invoices
    .map((inv) => ({
      ...inv,
      unpaidPrincipal: Math.min(Math.max(inv.principal, 0), unpaidByPeriod.get(inv.period) ?? 0),
      overdue: inv.dueOn < asOf,
    }))
    .filter((inv) => inv.unpaidPrincipal > 0);
  const equipment = db.sqlite
    .prepare(
      `SELECT serial, model, cost, handed_out_on AS handedOutOn, returned_on AS returnedOn FROM equipment WHERE account = ? ORDER BY serial`,
    )
    .all(account) as AccountView['equipment'];
  return { account: row, asOf, ...summary, openInvoices, equipment };
}

export interface StatementLine {
  entry: LedgerRow;
  running: Tiyn;
}

export interface Statement {
  account: AccountRow;
  from: IsoDate;
  to: IsoDate;
  opening: Tiyn;
  lines: StatementLine[];
  closing: Tiyn;
}

/** Every entry with value date in [from, to], with the running balance from the opening balance. */
export function accountStatement(db: Db, account: string, from: IsoDate, to: IsoDate): Statement {
  const row = requireAccount(db, account);
  if (from > to) throw new InputError([{ field: '--from', message: `${from} is after --to ${to}` }]);
  let running = 0;
  let opening = 0;
  const lines: StatementLine[] = [];
  for (const entry of entriesOf(db, account)) {
    if (entry.valueDate < from) {
      opening += entry.amount;
      running = opening;
      continue;
    }
    if (entry.valueDate > to) break;
    running += entry.amount;
    lines.push({ entry, running });
  }
  return { account: row, from, to, opening, lines, closing: running };
}
