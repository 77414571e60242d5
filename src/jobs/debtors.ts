// `esep debtors --date D`: accounts with overdue debt, what the accountant hands to the collection
// agency (cl. 23.9): days overdue, unpaid principal, unpaid penalties, contact, status.
import type { Db } from '../db/connection.js';
import { allAccounts } from '../db/accounts.js';
import { invoicesOf } from '../db/invoices.js';
import { factsOf } from '../db/ledger.js';
import { summarise } from '../domain/allocation.js';
import { overdueOn } from '../domain/collection.js';
import { getOperator } from '../db/operator.js';
import { daysBetween, type IsoDate } from '../domain/dates.js';
import type { Tiyn } from '../domain/money.js';
import { column, type ListSpec } from '../io/list.js';

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

/** The list, once for its CSV and its xlsx (the CSV's names are the ones scripts already read). */
export const DEBTORS_LIST: ListSpec<Debtor> = {
  sheet: 'Борышкерлер - Должники',
  columns: [
    column('account', 'Дербес шот', 'Лицевой счёт', 'text', (d) => d.account),
    column('name', 'Аты-жөні', 'ФИО', 'text', (d) => d.name, 30),
    column('iin', 'ЖСН', 'ИИН', 'text', (d) => d.iin, 14),
    column('status', 'Күйі', 'Статус', 'text', (d) => d.status, 18),
    column('method', 'Есеп айырысу тәсілі', 'Способ расчётов', 'text', (d) => d.method),
    column('oldest_due_on', 'Ең ерте төлеу мерзімі', 'Самый ранний срок оплаты', 'date', (d) => d.oldestDueOn),
    column('days_overdue', 'Мерзімі өткен күндер', 'Дней просрочки', 'int', (d) => d.daysOverdue),
    column('overdue_principal', 'Мерзімі өткен негізгі берешек', 'Просроченный основной долг', 'amount', (d) => d.overduePrincipal),
    column('penalty_debt', 'Өсімпұл бойынша берешек', 'Долг по пене', 'amount', (d) => d.penaltyDebt),
    column('total_debt', 'Барлық берешек', 'Общий долг', 'amount', (d) => d.totalDebt),
    column('email', 'Электрондық пошта', 'Электронная почта', 'text', (d) => d.email),
    column('phone', 'Телефон', 'Телефон', 'phone', (d) => d.phone),
    column('address', 'Мекенжай', 'Адрес', 'text', (d) => d.address, 40),
  ],
};

export function debtors(db: Db, date: IsoDate): Debtor[] {
  const out: Debtor[] = [];
  const grace = getOperator(db)?.graceDays ?? 0;
  const candidates = new Set(
    (db.sqlite.prepare('SELECT DISTINCT account FROM invoices WHERE due_on < ? AND principal > 0').all(date) as { account: string }[]).map((r) => r.account),
  );
  for (const a of allAccounts(db)) {
    if (!candidates.has(a.account)) continue;
    const entries = factsOf(db, a.account);
    const invoices = invoicesOf(db, a.account);
    const overdue = overdueOn(entries, invoices, date, grace);
    if (overdue.total === 0) continue;
    const summary = summarise(entries, date);
    // only penalties left: they run from the oldest invoice that fell due
    const oldest = overdue.invoices[0]?.invoice ?? invoices.find((i) => i.dueOn < date)!;
    out.push({
      account: a.account,
      name: a.name,
      iin: a.iin,
      status: a.status === 'suspended' ? `suspended (${a.suspendReason})` : a.status,
      method: a.method,
      oldestDueOn: oldest.dueOn,
      daysOverdue: daysBetween(oldest.dueOn, date),
      overduePrincipal: overdue.principal,
      penaltyDebt: summary.penaltyDebt,
      totalDebt: summary.debt + summary.penaltyDebt,
      email: a.email,
      phone: a.phone,
      address: a.address,
    });
  }
  return out.sort((x, y) => y.daysOverdue - x.daysOverdue || (x.account < y.account ? -1 : 1));
}
