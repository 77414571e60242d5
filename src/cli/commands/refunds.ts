import type { Command } from 'commander';
import { InputError } from '../../domain/errors.js';
import { formatTime } from '../../domain/dates.js';
import { formatTenge, MoneyError, parseTenge, toTengeString, type Tiyn } from '../../domain/money.js';
import { payRefund, refundsDue, transfer, type RefundDue } from '../../jobs/refunds.js';
import { ALLOW_FUTURE, ALLOW_FUTURE_HELP, dateOption, globals, jobDate, print, printJson, withDb } from '../context.js';
import { renderTable } from '../table.js';
import { column, type ListSpec } from '../../io/list.js';
import { writeXlsx, xlsxTarget } from '../../io/xlsx.js';

/** The refunds list for Excel (`refunds --xlsx FILE`). */
export const REFUNDS_LIST: ListSpec<RefundDue> = {
  sheet: 'Қайтарулар - Возвраты',
  columns: [
    column('account', 'Дербес шот', 'Лицевой счёт', 'text', (r) => r.account),
    column('name', 'Аты-жөні', 'ФИО', 'text', (r) => r.name, 30),
    column('iin', 'ЖСН', 'ИИН', 'text', (r) => r.iin, 14),
    column('terminated_on', 'Шарт бұзылған күн', 'Дата расторжения', 'date', (r) => r.terminatedOn),
    column('refund_due_on', 'Қайтару мерзімі', 'Вернуть до', 'date', (r) => r.refundDueOn),
    column('amount', 'Сома', 'Сумма', 'amount', (r) => r.amount),
    column('overdue', 'Мерзімі өткен', 'Просрочен', 'text', (r) => (r.overdue ? 'yes' : 'no'), 10),
  ],
};

function amountArg(text: string, field: string): Tiyn {
  try {
    const amount = parseTenge(text);
    if (amount <= 0) throw new MoneyError('must be more than zero');
    return amount;
  } catch (error) {
    if (error instanceof MoneyError) throw new InputError([{ field, message: error.message }]);
    throw error;
  }
}

export function registerRefunds(program: Command): void {
  const refunds = program
    .command('refunds')
    .description('cl. 17.4: positive balances of accounts terminated by the subscriber, with the date they are due')
    .option('--due-by <date>', 'only refunds due on or before this date')
    .option('--date <date>', 'today, to mark overdue refunds')
    .option('--xlsx <file>', 'write the list as an Excel workbook (typed cells, header in Kazakh and Russian)')
    .action(async (options: { dueBy?: string; date?: string; xlsx?: string }, cmd: Command) => {
      const today = dateOption(options.date);
      const dueBy = options.dueBy === undefined ? undefined : dateOption(options.dueBy, '--due-by');
      const xlsx = options.xlsx === undefined ? undefined : xlsxTarget(options.xlsx);
      await withDb(cmd, async (db) => {
        const rows = refundsDue(db, today, dueBy);
        if (xlsx !== undefined) await writeXlsx(xlsx, REFUNDS_LIST, rows);
        if (globals(cmd).json) {
          printJson(
            rows.map((r) => ({
              account: r.account,
              name: r.name,
              iin: r.iin,
              terminated_on: r.terminatedOn,
              refund_due_on: r.refundDueOn,
              amount: toTengeString(r.amount),
              overdue: r.overdue,
            })),
          );
          return;
        }
        if (rows.length === 0) {
          print(`no refunds due${xlsx === undefined ? '' : ` (an empty list written: ${xlsx})`}`);
          return;
        }
        print(
          renderTable(rows, [
            { title: 'account', value: (r) => r.account },
            { title: 'subscriber', value: (r) => `${r.name} (${r.iin})` },
            { title: 'terminated', value: (r) => r.terminatedOn ?? '' },
            { title: 'due', value: (r) => r.refundDueOn ?? '' },
            { title: 'amount', value: (r) => formatTenge(r.amount), align: 'right' },
            { title: '', value: (r) => (r.overdue ? 'overdue' : '') },
          ]),
        );
        print(`${rows.length} refund(s), ${formatTenge(rows.reduce((s, r) => s + r.amount, 0))}${xlsx === undefined ? '' : `: ${xlsx}`}`);
      });
    });
  refunds
    .command('pay')
    .argument('<account>')
    .option('--date <date>', 'the day the money was paid out')
    .option('--amount <tenge>', 'part of the balance (default: all of it)')
    .option('--ref <reference>', "the payout's payment order number (makes a retry safe whatever the amount)")
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .description('record the payout of a positive balance (a refund entry)')
    .action(async (account: string, options: { date?: string; amount?: string; ref?: string; allowFuture?: boolean }, cmd: Command) => {
      // `refunds` has a --date of its own (today, for the list): after `pay` commander hands it to the parent
      const date = jobDate(options.date ?? (cmd.parent?.opts() as { date?: string } | undefined)?.date, options);
      const amount = options.amount === undefined ? undefined : amountArg(options.amount, '--amount');
      await withDb(cmd, async (db) => {
        const r = await payRefund(db, account, date, amount, options.ref);
        if (globals(cmd).json) printJson({ account, amount: toTengeString(r.amount), date, recorded: r.recorded, balance: toTengeString(r.balance) });
        else if (!r.recorded) print(`refund of ${formatTenge(r.amount)} to account ${account} on ${date} was recorded before: nothing new`);
        else print(`refund of ${formatTenge(r.amount)} from account ${account} on ${date} recorded; balance ${formatTenge(r.balance)}`);
      });
    });

  program
    .command('transfer')
    .argument('<from>', 'the account the money leaves (its positive balance)')
    .argument('<to>', 'the account the money goes to')
    .argument('<amount>', 'tenge, e.g. "2 500,50"')
    .option('--date <date>', 'value date of the move')
    .option('--ref <reference>', "the request's reference: a retry under it records nothing new; needed for a second transfer of the same amount between the same accounts on one day")
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .description('move money between accounts (cl. 17.4), e.g. a refund to another account or a payment put right')
    .action(async (from: string, to: string, amountText: string, options: { date?: string; ref?: string; allowFuture?: boolean }, cmd: Command) => {
      const date = jobDate(options.date, options);
      const amount = amountArg(amountText, 'AMOUNT');
      await withDb(cmd, async (db) => {
        const r = await transfer(db, from, to, amount, date, options.ref);
        if (globals(cmd).json) printJson({ from, to, amount: toTengeString(amount), date, recorded: r.recorded, restored: r.restored, previous: r.previous ?? null });
        // a retry under the same --ref (the same transfer without one is refused, exit 2, by the job)
        else if (!r.recorded) print(`transfer ${options.ref} of ${formatTenge(amount)} from ${from} to ${to} on ${date} was recorded before${r.previous ? ` (entry ${r.previous.id}, ${formatTime(r.previous.at)})` : ''}: nothing new`);
        else print(`moved ${formatTenge(amount)} from account ${from} to account ${to} on ${date}${r.restored ? `; account ${to} restored` : ''}`);
      });
    });
}
