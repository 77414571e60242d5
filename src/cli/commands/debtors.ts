import type { Command } from 'commander';
import { debtors } from '../../jobs/debtors.js';
import { toTengeString } from '../../domain/money.js';
import { toExcelCsv } from '../../io/csv.js';
import { dateOption, globals, printJson, withDb } from '../context.js';

export function registerDebtors(program: Command): void {
  program
    .command('debtors')
    .description('accounts with overdue debt, for the collection agency (cl. 23.9): CSV for Excel')
    .option('--date <date>', 'as of this day, default today')
    .action((options: { date?: string }, cmd: Command) => {
      const date = dateOption(options.date);
      const list = withDb(cmd, (db) => debtors(db, date));
      const rows = list.map((d) => ({
        account: d.account,
        name: d.name,
        iin: d.iin,
        status: d.status,
        method: d.method,
        oldest_due_on: d.oldestDueOn,
        days_overdue: d.daysOverdue,
        overdue_principal: toTengeString(d.overduePrincipal),
        penalty_debt: toTengeString(d.penaltyDebt),
        total_debt: toTengeString(d.totalDebt),
        email: d.email ?? '',
        phone: d.phone ?? '',
        address: d.address,
      }));
      if (globals(cmd).json) {
        printJson(rows);
        return;
      }
      const header = ['account', 'name', 'iin', 'status', 'method', 'oldest_due_on', 'days_overdue', 'overdue_principal', 'penalty_debt', 'total_debt', 'email', 'phone', 'address'];
      process.stdout.write(toExcelCsv(header, rows.map((r) => header.map((h) => r[h as keyof typeof r])), { delimiter: ';' }));
    });
}
