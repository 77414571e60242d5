// What `esep account show` and `esep account statement` print: derived from the ledger each time.
import type { Db } from '../db/connection.js';
import { findAccount, type AccountRow } from '../db/accounts.js';
import { asEntries, entriesOf, type LedgerRow } from '../db/ledger.js';
import { allocate, summarise } from '../domain/allocation.js';
import { overdueOn, unpaidAtEndOf } from '../domain/collection.js';
import { MONEY_KINDS } from '../domain/entries.js';
import { invoicesOf } from '../db/invoices.js';
import { getOperator } from '../db/operator.js';
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
  /** D-8: unpaid penalties and the unpaid principal of invoices overdue after the grace days. */
  overdueDebt: Tiyn;
  openInvoices: OpenInvoice[];
  /** Money brought to the account (payments, transfers in) and what each settled (cl. 16). */
  credits: CreditAllocation[];
  equipment: { serial: string; model: string | null; cost: Tiyn; handedOutOn: IsoDate; returnedOn: IsoDate | null }[];
}

/** One charge (or part of it) a credit settled. */
export interface SettledItem {
  entryId: number;
  kind: LedgerRow['kind'];
  valueDate: IsoDate;
  amount: Tiyn;
}

export interface CreditAllocation {
  entry: LedgerRow;
  settled: SettledItem[];
  /** What is left of it: prepayment for later charges. */
  unallocated: Tiyn;
}

/** The allocation of cl. 16 (a replay of the ledger as of `asOf`) told per credit of money brought in (payments, transfers in). */
export function creditAllocations(rows: readonly LedgerRow[], asOf: IsoDate): Map<number, CreditAllocation> {
  const state = allocate(asEntries(rows), asOf);
  const byId = new Map(rows.map((r) => [r.id, r] as const));
  const out = new Map<number, CreditAllocation>();
  for (const r of rows) {
    if (r.amount > 0 && r.valueDate <= asOf && MONEY_KINDS.has(r.kind)) out.set(r.id, { entry: r, settled: [], unallocated: state.unallocated.get(r.id) ?? 0 });
  }
  for (const a of state.allocations) {
    const credit = out.get(a.creditId);
    const debit = byId.get(a.debitId);
    if (credit && debit) credit.settled.push({ entryId: debit.id, kind: debit.kind, valueDate: debit.valueDate, amount: a.amount });
  }
  return out;
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
  const upToDay = entries.filter((e) => e.valueDate <= asOf);
  const issued = invoicesOf(db, account).filter((i) => i.issuedOn <= asOf);
  const unpaid = unpaidAtEndOf(upToDay, issued, asOf);
  const overdue = overdueOn(upToDay, issued, asOf, getOperator(db)?.graceDays ?? 0);
  const overdueIds = new Set(overdue.invoices.map((o) => o.invoice.id));
  const openInvoices = issued
    .map((inv) => ({
      number: inv.number,
      period: inv.period,
      issuedOn: inv.issuedOn,
      dueOn: inv.dueOn,
      principal: inv.principal,
      unpaidPrincipal: unpaid.get(inv.id) ?? 0,
      overdue: overdueIds.has(inv.id),
    }))
    .filter((inv) => inv.unpaidPrincipal > 0);
  const equipment = db.sqlite
    .prepare(
      `SELECT serial, model, cost, handed_out_on AS handedOutOn, returned_on AS returnedOn FROM equipment WHERE account = ? ORDER BY serial`,
    )
    .all(account) as AccountView['equipment'];
  const credits = [...creditAllocations(rows, asOf).values()];
  return { account: row, asOf, ...summary, overdueDebt: overdue.total, openInvoices, credits, equipment };
}

export interface StatementLine {
  entry: LedgerRow;
  running: Tiyn;
  /** For money brought in: what it settled by the statement's last day. */
  settled?: SettledItem[];
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
  const rows = entriesOf(db, account);
  const credits = creditAllocations(rows, to);
  for (const entry of rows) {
    if (entry.valueDate < from) {
      opening += entry.amount;
      running = opening;
      continue;
    }
    if (entry.valueDate > to) break;
    running += entry.amount;
    const settled = credits.get(entry.id)?.settled;
    lines.push(settled ? { entry, running, settled } : { entry, running });
  }
  return { account: row, from, to, opening, lines, closing: running };
}
