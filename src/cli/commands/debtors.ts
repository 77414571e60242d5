import type { Command } from 'commander';
import { debtors, DEBTORS_LIST } from '../../jobs/debtors.js';
import { formatTenge, sumTiyn, toTengeString } from '../../domain/money.js';
import { listCsv } from '../../io/csv.js';
import { writeXlsx, xlsxTarget } from '../../io/xlsx.js';
import { globals, lookBackDate, print, printJson, warnIfDailyJobsBehind, withDb } from '../context.js';

export function registerDebtors(program: Command): void {
  program
    .command('debtors')
    .description('accounts with overdue debt, for the collection agency (cl. 23.9): CSV for scripts, --xlsx for Excel')
    .option('--date <date>', 'as of this day, default today')
    .option('--xlsx <file>', 'write the list as an Excel workbook (typed cells, header in Kazakh and Russian)')
    .action(async (options: { date?: string; xlsx?: string }, cmd: Command) => {
      const date = lookBackDate(options.date);
      const xlsx = options.xlsx === undefined ? undefined : xlsxTarget(options.xlsx);
      const list = withDb(cmd, (db) => (warnIfDailyJobsBehind(db, date), debtors(db, date)));
      if (xlsx !== undefined) await writeXlsx(xlsx, DEBTORS_LIST, list);
      if (globals(cmd).json) {
        printJson(
          list.map((d) => ({
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
          })),
        );
        return;
      }
      if (xlsx !== undefined) {
        print(`${list.length} debtor(s) as of ${date}, ${formatTenge(sumTiyn(list.map((d) => d.totalDebt)))} owed: ${xlsx}`);
        return;
      }
      process.stdout.write(listCsv(DEBTORS_LIST, list));
    });
}
