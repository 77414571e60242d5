import type { Command } from 'commander';
import { accountStatement, accountView, currentAccountView, findAccounts, type AccountView, type FoundAccount, type SettledItem } from '../../jobs/account-view.js';
import { formatDay } from '../../domain/dates.js';
import { formatTenge, toTengeString } from '../../domain/money.js';
import { listCsv } from '../../io/csv.js';
import { column, type ListSpec } from '../../io/list.js';
import { writeXlsx, xlsxTarget } from '../../io/xlsx.js';
import { firstDayOf, periodOf, type IsoDate } from '../../domain/dates.js';
import type { Tiyn } from '../../domain/money.js';
import type { Statement } from '../../jobs/account-view.js';
import { dateOption, globals, lookBackDate, print, printJson, today, warnIfDailyJobsBehind, withDb } from '../context.js';
import { renderTable } from '../table.js';

/** A line of the statement as a list: the opening balance, each entry, the closing balance. */
interface StatementListRow {
  valueDate: IsoDate;
  kind: string;
  amount: Tiyn | null;
  balance: Tiyn;
  memo: string | null;
}

export const STATEMENT_LIST: ListSpec<StatementListRow> = {
  sheet: 'Шот үзіндісі - Выписка',
  columns: [
    column('value_date', 'Күні', 'Дата', 'date', (r) => r.valueDate),
    column('kind', 'Түрі', 'Вид', 'text', (r) => r.kind, 18),
    column('amount', 'Сома', 'Сумма', 'amount', (r) => r.amount),
    column('balance', 'Сальдо', 'Сальдо', 'amount', (r) => r.balance),
    column('memo', 'Түсініктеме', 'Комментарий', 'text', (r) => r.memo, 50),
  ],
};

function statementRows(s: Statement): StatementListRow[] {
  return [
    { valueDate: s.from, kind: 'opening', amount: null, balance: s.opening, memo: null },
    ...s.lines.map(({ entry, running }) => ({ valueDate: entry.valueDate, kind: entry.kind, amount: entry.amount, balance: running, memo: entry.memo })),
    { valueDate: s.to, kind: 'closing', amount: null, balance: s.closing, memo: null },
  ];
}

function settledJson(i: SettledItem) {
  return { entry_id: i.entryId, kind: i.kind, value_date: i.valueDate, amount: toTengeString(i.amount) };
}

function settledText(items: readonly SettledItem[]): string {
  return items.map((i) => `${i.kind} ${i.valueDate} ${formatTenge(i.amount)}`).join('; ');
}

export function accountJson(v: AccountView) {
  const a = v.account;
  const s = v.state;
  return {
    account: a.account,
    status: s.status,
    suspend_reason: s.suspendReason,
    method: a.method,
    balance: toTengeString(v.balance),
    debt: toTengeString(v.debt),
    penalty_debt: toTengeString(v.penaltyDebt),
    prepayment: toTengeString(v.prepayment),
    overdue_debt: toTengeString(v.overdueDebt),
    refund_due_on: s.refundDueOn,
    equipment_return_by: s.equipmentReturnBy,
    as_of: v.asOf,
    today: v.today,
    last_entry_on: v.lastEntryOn,
    iin: a.iin,
    name: a.name,
    tariff: a.tariffCode,
    connected_on: a.connectedOn,
    terminated_on: s.terminatedOn,
    terminated_by: s.terminatedBy,
    premises_owned: a.premisesOwned,
    address: a.address,
    email: a.email,
    phone: a.phone,
    open_invoices: v.openInvoices.map((i) => ({
      number: i.number,
      period: i.period,
      issued_on: i.issuedOn,
      due_on: i.dueOn,
      principal: toTengeString(i.principal),
      unpaid_principal: toTengeString(i.unpaidPrincipal),
      overdue: i.overdue,
    })),
    payments: v.credits.map((c) => ({
      entry_id: c.entry.id,
      kind: c.entry.kind,
      value_date: c.entry.valueDate,
      amount: toTengeString(c.entry.amount),
      memo: c.entry.memo,
      settled: c.settled.map(settledJson),
      unallocated: toTengeString(c.unallocated),
    })),
    equipment: v.equipment.map((e) => ({
      serial: e.serial,
      model: e.model,
      cost: toTengeString(e.cost),
      handed_out_on: e.handedOutOn,
      returned_on: e.returnedOn,
    })),
  };
}

function foundJson(f: FoundAccount) {
  const a = f.account;
  return {
    account: a.account,
    name: a.name,
    iin: a.iin,
    phone: a.phone,
    email: a.email,
    address: a.address,
    status: a.status,
    suspend_reason: a.suspendReason,
    method: a.method,
    tariff: a.tariffCode,
    balance: toTengeString(a.balance),
    matched: f.matched,
  };
}

function accountText(v: AccountView): string {
  const a = v.account;
  const s = v.state;
  const status = s.status === 'suspended' ? `suspended (${s.suspendReason})` : s.status;
  const asOf =
    v.asOf === null
      ? `now, every entry counted${v.lastEntryOn !== null && v.lastEntryOn > v.today ? ` (entries value-dated to ${formatDay(v.lastEntryOn)})` : ''}`
      : `the end of ${formatDay(v.asOf)}${v.lastEntryOn !== null && v.lastEntryOn > v.asOf ? ' (later entries not counted)' : ''}${a.status !== s.status ? `; now ${a.status}` : ''}`;
  const lines = [
    `Account ${a.account}: ${a.name} (IIN ${a.iin})`,
    `  status      ${status}`,
    `  method      ${a.method}, tariff ${a.tariffCode}`,
    `  connected   ${a.connectedOn}${s.terminatedOn ? `, terminated ${s.terminatedOn} by ${s.terminatedBy}` : ''}`,
    `  address     ${a.address}${a.premisesOwned ? '' : ' (premises not owned)'}`,
    `  contact     ${[a.email, a.phone].filter(Boolean).join(', ') || '—'}`,
    `  as of       ${asOf}`,
    `  balance     ${formatTenge(v.balance)}`,
    `  debt        ${formatTenge(v.debt)}`,
    `  penalties   ${formatTenge(v.penaltyDebt)}`,
    `  prepayment  ${formatTenge(v.prepayment)}`,
    `  overdue     ${formatTenge(v.overdueDebt)} (penalties and invoices past due, D-8)`,
  ];
  if (s.refundDueOn) lines.push(`  refund due  ${s.refundDueOn}`);
  if (s.equipmentReturnBy) lines.push(`  equipment back by ${s.equipmentReturnBy}`);
  if (v.openInvoices.length > 0) {
    lines.push('', 'Open invoices:');
    lines.push(
      renderTable(v.openInvoices, [
        { title: 'number', value: (i) => i.number },
        { title: 'period', value: (i) => i.period },
        { title: 'due', value: (i) => i.dueOn },
        { title: 'principal', value: (i) => formatTenge(i.principal), align: 'right' },
        { title: 'unpaid', value: (i) => formatTenge(i.unpaidPrincipal), align: 'right' },
        { title: '', value: (i) => (i.overdue ? 'overdue' : '') },
      ]),
    );
  }
  if (v.credits.length > 0) {
    lines.push('', 'Payments and what they settled (cl. 16):');
    for (const c of v.credits) {
      lines.push(`  ${c.entry.valueDate} ${c.entry.kind} ${formatTenge(c.entry.amount)}${c.entry.memo ? ` (${c.entry.memo})` : ''}`);
      if (c.settled.length > 0) lines.push(`    settled: ${settledText(c.settled)}`);
      if (c.unallocated > 0) lines.push(`    prepayment left: ${formatTenge(c.unallocated)}`);
    }
  }
  if (v.equipment.length > 0) {
    lines.push('', 'Equipment:');
    for (const e of v.equipment) {
      lines.push(`  ${e.serial} ${e.model ?? ''} ${formatTenge(e.cost)} out ${e.handedOutOn}${e.returnedOn ? `, back ${e.returnedOn}` : ''}`);
    }
  }
  return lines.join('\n');
}

export function registerAccount(program: Command): Command {
  const account = program.command('account').description('look at one personal account');
  account
    .command('show')
    .argument('<account>')
    .option('--date <date>', 'look back: the account at the end of this day (default: as it stands, every entry counted)')
    .description('balance, status, debt, penalty debt, open invoices')
    .action((id: string, options: { date?: string }, cmd: Command) => {
      const asOf = options.date === undefined ? null : lookBackDate(options.date);
      const now = today();
      withDb(cmd, (db) => {
        warnIfDailyJobsBehind(db, asOf ?? now);
        const view = asOf === null ? currentAccountView(db, id, now) : accountView(db, id, asOf);
        if (globals(cmd).json) printJson(accountJson(view));
        else print(accountText(view));
      });
    });
  account
    .command('find')
    .argument('<text>', 'an account number, an IIN, a name or part of it, a phone number')
    .description('find accounts by number, IIN, subscriber name (any case; ө and ӛ alike) or phone (digits only: +7 701 123 45 67 = 87011234567)')
    .action((text: string, _options: unknown, cmd: Command) => {
      withDb(cmd, (db) => {
        const found = findAccounts(db, text);
        if (globals(cmd).json) {
          printJson(found.map(foundJson));
          return;
        }
        if (found.length === 0) {
          print(`no account matches "${text}"`);
          return;
        }
        print(
          renderTable(found, [
            { title: 'account', value: (f) => f.account.account },
            { title: 'name', value: (f) => f.account.name },
            { title: 'iin', value: (f) => f.account.iin },
            { title: 'phone', value: (f) => f.account.phone ?? '' },
            { title: 'status', value: (f) => (f.account.status === 'suspended' ? `suspended (${f.account.suspendReason})` : f.account.status) },
            { title: 'balance', value: (f) => formatTenge(f.account.balance), align: 'right' },
            { title: 'address', value: (f) => f.account.address },
            { title: 'matched', value: (f) => f.matched.join(', ') },
          ]),
        );
      });
    });
  account
    .command('statement')
    .argument('<account>')
    .option('--from <date>', 'first value date (default: the first day of the month of --to)')
    .option('--to <date>', 'last value date (default: today)')
    .option('--csv', 'CSV for scripts instead of a table')
    .option('--xlsx <file>', 'write the statement as an Excel workbook (typed cells, header in Kazakh and Russian)')
    .description('every ledger entry of the period (default: this month to today) with a running balance')
    .action(async (id: string, options: { from?: string; to?: string; csv?: boolean; xlsx?: string }, cmd: Command) => {
      const to = options.to === undefined ? today() : dateOption(options.to, '--to');
      const from = options.from === undefined ? firstDayOf(periodOf(to)) : dateOption(options.from, '--from');
      const xlsx = options.xlsx === undefined ? undefined : xlsxTarget(options.xlsx);
      await withDb(cmd, async (db) => {
        const s = accountStatement(db, id, from, to);
        if (xlsx !== undefined) await writeXlsx(xlsx, STATEMENT_LIST, statementRows(s));
        if (globals(cmd).json) {
          printJson({
            account: s.account.account,
            from: s.from,
            to: s.to,
            opening: toTengeString(s.opening),
            closing: toTengeString(s.closing),
            entries: s.lines.map(({ entry, running, settled }) => ({
              id: entry.id,
              value_date: entry.valueDate,
              kind: entry.kind,
              amount: toTengeString(entry.amount),
              balance: toTengeString(running),
              memo: entry.memo,
              ...(settled ? { settled: settled.map(settledJson) } : {}),
            })),
          });
        } else if (options.csv) {
          process.stdout.write(listCsv(STATEMENT_LIST, statementRows(s)));
        } else {
          print(`Statement of account ${s.account.account} (${s.account.name}), ${s.from} to ${s.to}`);
          print(`Opening balance ${formatTenge(s.opening)}`);
          print(
            renderTable(s.lines, [
              { title: 'date', value: (l) => l.entry.valueDate },
              { title: 'kind', value: (l) => l.entry.kind },
              { title: 'amount', value: (l) => formatTenge(l.entry.amount), align: 'right' },
              { title: 'balance', value: (l) => formatTenge(l.running), align: 'right' },
              { title: 'memo', value: (l) => l.entry.memo ?? '' },
            ]),
          );
          const paid = s.lines.filter((l) => l.settled && l.settled.length > 0);
          if (paid.length > 0) {
            print('Payments settled (cl. 16):');
            for (const l of paid) print(`  ${l.entry.valueDate} ${l.entry.kind} ${formatTenge(l.entry.amount)}: ${settledText(l.settled!)}`);
          }
          print(`Closing balance ${formatTenge(s.closing)}`);
          if (xlsx !== undefined) print(`written: ${xlsx}`);
        }
      });
    });
  return account;
}
