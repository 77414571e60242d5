// What `esep account show` and `esep account statement` print: derived from the ledger each time.
import type { Db } from '../db/connection.js';
import { allAccounts, findAccount, type AccountRow } from '../db/accounts.js';
import { lookupMatches, lookupQuery, type LookupField } from '../domain/lookup.js';
import { asEntries, entriesOf, type LedgerRow } from '../db/ledger.js';
import { allocate, summarise } from '../domain/allocation.js';
import { overdueOn, unpaidAtEndOf } from '../domain/collection.js';
import { stateOn, type AccountState, type Transition } from '../domain/accounts.js';
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
  /** The account's row as it stands now. */
  account: AccountRow;
  /** The day looked back at, or null: the account as it stands, every entry counted. */
  asOf: IsoDate | null;
  /** The day overdue is judged on (asOf when looking back). */
  today: IsoDate;
  /** The latest value date of any of its entries (null: none); after `today` for an entry value-dated ahead. */
  lastEntryOn: IsoDate | null;
  /** Status and termination as of the view's day. */
  state: AccountStateView;
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

/** The account's status on the view's day, and the facts of its termination that held by then. */
export interface AccountStateView extends AccountState {
  terminatedOn: IsoDate | null;
  terminatedBy: AccountRow['terminatedBy'];
  refundDueOn: IsoDate | null;
  equipmentReturnBy: IsoDate | null;
}

/** An account's access events in the order they happened (stateOn replays them). */
function accessTransitionsOf(db: Db, account: string): (Transition & { valueDate: IsoDate })[] {
  return db.sqlite
    .prepare(`SELECT event, cause, value_date AS valueDate FROM access_events WHERE account = ? AND cause IS NOT NULL ORDER BY value_date, id`)
    .all(account) as (Transition & { valueDate: IsoDate })[];
}

/** The row's status as it stands, or the status at the end of `asOf` with what was known of its termination then. */
function stateAsOf(db: Db, row: AccountRow, asOf: IsoDate | null): AccountStateView {
  const terminatedBy = asOf === null || (row.terminatedOn !== null && row.terminatedOn <= asOf);
  const state = asOf === null ? { status: row.status, suspendReason: row.suspendReason } : stateOn(accessTransitionsOf(db, row.account), asOf);
  return {
    ...state,
    terminatedOn: terminatedBy ? row.terminatedOn : null,
    terminatedBy: terminatedBy ? row.terminatedBy : null,
    refundDueOn: terminatedBy ? row.refundDueOn : null,
    equipmentReturnBy: terminatedBy ? row.equipmentReturnBy : null,
  };
}

/**
 * The account as it stands (asOf null): every entry counted, whatever its value date, so its balance
 * is the sum of its entries; what is overdue is judged on `today`. With a day (asOf), the account as
 * it was at the end of that day: entries dated after it not counted, invoices issued after it not
 * shown, the status it had then.
 */
function view(db: Db, account: string, asOf: IsoDate | null, today: IsoDate): AccountView {
  const row = requireAccount(db, account);
  const rows = entriesOf(db, account);
  const entries = asEntries(rows);
  const lastDated = rows.reduce((d, r) => (r.valueDate > d ? r.valueDate : d), today);
  const through = asOf ?? lastDated;
  const summary = summarise(entries, through);
  const counted = asOf === null ? entries : entries.filter((e) => e.valueDate <= asOf);
  const issued = invoicesOf(db, account).filter((i) => asOf === null || i.issuedOn <= asOf);
  const unpaid = unpaidAtEndOf(counted, issued, through);
  const overdue = overdueOn(counted, issued, asOf ?? today, getOperator(db)?.graceDays ?? 0);
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
  const equipment = (
    db.sqlite
      .prepare(
        `SELECT serial, model, cost, handed_out_on AS handedOutOn, returned_on AS returnedOn FROM equipment WHERE account = ? ORDER BY serial`,
      )
      .all(account) as AccountView['equipment']
  )
    .filter((e) => asOf === null || e.handedOutOn <= asOf)
    .map((e) => (asOf !== null && e.returnedOn !== null && e.returnedOn > asOf ? { ...e, returnedOn: null } : e));
  const credits = [...creditAllocations(rows, through).values()];
  return {
    account: row,
    asOf,
    today,
    lastEntryOn: rows.reduce<IsoDate | null>((d, r) => (d === null || r.valueDate > d ? r.valueDate : d), null),
    state: stateAsOf(db, row, asOf),
    ...summary,
    overdueDebt: overdue.total,
    openInvoices,
    credits,
    equipment,
  };
}

/** The account at the end of `asOf` (looking back: `account show --date D`). */
export function accountView(db: Db, account: string, asOf: IsoDate): AccountView {
  return view(db, account, asOf, asOf);
}

/** The account as it stands, every entry counted (`account show` without --date); overdue judged on `today`. */
export function currentAccountView(db: Db, account: string, today: IsoDate): AccountView {
  return view(db, account, null, today);
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

export interface FoundAccount {
  account: AccountRow;
  /** The fields the text matched, best first. */
  matched: LookupField[];
}

const FIELD_RANK: Record<LookupField, number> = { account: 0, iin: 1, phone: 2, name: 3 };

/**
 * `esep account find TEXT`: the accounts whose number, IIN, phone or subscriber's name match
 * (domain/lookup.ts), best match first, then by account number.
 */
export function findAccounts(db: Db, text: string): FoundAccount[] {
  const query = lookupQuery(text);
  if (query.text === '') throw new InputError([{ field: 'TEXT', message: 'is empty: give an account number, an IIN, a name or a phone' }]);
  const found: FoundAccount[] = [];
  for (const account of allAccounts(db)) {
    const matched = lookupMatches(query, account);
    if (matched.length > 0) found.push({ account, matched });
  }
  const rank = (f: FoundAccount) => FIELD_RANK[f.matched[0]!];
  return found.sort((a, b) => rank(a) - rank(b) || (a.account.account < b.account.account ? -1 : a.account.account > b.account.account ? 1 : 0));
}
