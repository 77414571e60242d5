// Accounts and subscribers: reads grouped by aggregate; no business decisions here.
import type { Db } from './connection.js';
import { factsOf } from './ledger.js';
import { overdueOn } from '../domain/collection.js';
import { invoicesOf } from './invoices.js';
import { getOperator } from './operator.js';
import type { AccountStatus, Method, SuspendReason } from '../domain/accounts.js';
import type { IsoDate } from '../domain/dates.js';
import type { Tiyn } from '../domain/money.js';

export interface AccountRow {
  account: string;
  iin: string;
  name: string;
  method: Method;
  tariffCode: string;
  status: AccountStatus;
  suspendReason: SuspendReason | null;
  connectedOn: IsoDate;
  terminatedOn: IsoDate | null;
  terminatedBy: 'operator' | 'subscriber' | null;
  premisesOwned: boolean;
  address: string;
  email: string | null;
  phone: string | null;
  balance: Tiyn;
  equipmentReturnBy: IsoDate | null;
  refundDueOn: IsoDate | null;
}

const COLUMNS = `a.account, a.iin, s.name, a.method, a.tariff_code AS tariffCode, a.status,
  a.suspend_reason AS suspendReason, a.connected_on AS connectedOn, a.terminated_on AS terminatedOn,
  a.terminated_by AS terminatedBy, a.premises_owned AS premisesOwned, a.address, a.email, a.phone,
  a.balance, a.equipment_return_by AS equipmentReturnBy, a.refund_due_on AS refundDueOn`;

function fromSql(row: AccountRow & { premisesOwned: number | boolean }): AccountRow {
  return { ...row, premisesOwned: Boolean(row.premisesOwned) };
}

export function findAccount(db: Db, account: string): AccountRow | undefined {
  const row = db.sqlite
    .prepare(`SELECT ${COLUMNS} FROM accounts a JOIN subscribers s ON s.iin = a.iin WHERE a.account = ?`)
    .get(account) as (AccountRow & { premisesOwned: number }) | undefined;
  return row && fromSql(row);
}

export function allAccounts(db: Db): AccountRow[] {
  return (
    db.sqlite.prepare(`SELECT ${COLUMNS} FROM accounts a JOIN subscribers s ON s.iin = a.iin ORDER BY a.account`).all() as (AccountRow & {
      premisesOwned: number;
    })[]
  ).map(fromSql);
}

export function accountsOfIin(db: Db, iin: string): string[] {
  return (db.sqlite.prepare('SELECT account FROM accounts WHERE iin = ? ORDER BY account').all(iin) as { account: string }[]).map(
    (r) => r.account,
  );
}

/** D-8: the account's overdue debt on a day (unpaid penalties and overdue principal, after the operator's grace days). */
export function overdueDebtOfAccount(db: Db, account: string, asOf: IsoDate): Tiyn {
  return overdueOn(factsOf(db, account), invoicesOf(db, account), asOf, getOperator(db)?.graceDays ?? 0).total;
}

/** cl. 6.4: unpaid overdue debt over all accounts of an IIN, by account (only accounts that owe). */
export function overdueDebtOfIin(db: Db, iin: string, asOf: IsoDate): Map<string, Tiyn> {
  const out = new Map<string, Tiyn>();
  for (const account of accountsOfIin(db, iin)) {
    const owed = overdueDebtOfAccount(db, account, asOf);
    if (owed > 0) out.set(account, owed);
  }
  return out;
}

/** What a database already holds: `init --demo` loads only into one that holds nothing. */
export function heldData(db: Db): { accounts: number; entries: number; payments: number; operator: string | null } {
  const count = (table: string) => (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const operator = db.sqlite.prepare('SELECT name FROM operator WHERE id = 1').get() as { name: string } | undefined;
  return { accounts: count('accounts'), entries: count('ledger'), payments: count('payments'), operator: operator?.name ?? null };
}
