// `esep debtors --date D`: accounts with overdue debt, what the accountant hands to the collection
// agency (cl. 23.9): days overdue, unpaid principal, unpaid penalties, contact, status.
import type { Db } from '../db/connection.js';
import { allAccounts } from '../db/accounts.js';
import { invoicesOf } from '../db/invoices.js';
import { factsOf } from '../db/ledger.js';
import { summarise } from '../domain/allocation.js';
import { unpaidAtEndOf } from '../domain/collection.js';
import { daysBetween, type IsoDate } from '../domain/dates.js';
import type { Tiyn } from '../domain/money.js';

export interface Debtor {
  account: string;
  name: string;
  iin: string;
  status: string;
  method: string;
  oldestDueOn: IsoDate;
  daysOverdue: number;
  overduePrincipal: Tiyn;
  penaltyDebt: Tiyn;
  totalDebt: Tiyn;
  email: string | null;
  phone: string | null;
  address: string;
}

export function debtors(db: Db, date: IsoDate): Debtor[] {
  const out: Debtor[] = [];
  const candidates = new Set(
    (db.sqlite.prepare('SELECT DISTINCT account FROM invoices WHERE due_on < ? AND principal > 0').all(date) as { account: string }[]).map((r) => r.account),
  );
  for (const a of allAccounts(db)) {
    if (!candidates.has(a.account)) continue;
    const entries = factsOf(db, a.account);
    const invoices = invoicesOf(db, a.account).filter((i) => i.dueOn < date);
    const unpaid = unpaidAtEndOf(entries, invoices, date);
    const owing = invoices.filter((i) => (unpaid.get(i.id) ?? 0) > 0);
    if (owing.length === 0) continue;
    const summary = summarise(entries, date);
    const oldest = owing[0]!;
    out.push({
      account: a.account,
      name: a.name,
      iin: a.iin,
      status: a.status === 'suspended' ? `suspended (${a.suspendReason})` : a.status,
      method: a.method,
      oldestDueOn: oldest.dueOn,
      daysOverdue: daysBetween(oldest.dueOn, date),
      overduePrincipal: owing.reduce((s, i) => s + (unpaid.get(i.id) ?? 0), 0),
      penaltyDebt: summary.penaltyDebt,
      totalDebt: summary.debt + summary.penaltyDebt,
      email: a.email,
      phone: a.phone,
      address: a.address,
    });
  }
  return out.sort((x, y) => y.daysOverdue - x.daysOverdue || (x.account < y.account ? -1 : 1));
}
