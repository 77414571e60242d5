import type { Command } from 'commander';
import { accountStatement, accountView, type AccountView, type SettledItem } from '../../jobs/account-view.js';
import { formatTenge, toTengeString } from '../../domain/money.js';
import { toExcelCsv } from '../../io/csv.js';
import { dateOption, globals, print, printJson, requiredDate, withDb } from '../context.js';
import { renderTable } from '../table.js';

function settledJson(i: SettledItem) {
  return { entry_id: i.entryId, kind: i.kind, value_date: i.valueDate, amount: toTengeString(i.amount) };
}

function settledText(items: readonly SettledItem[]): string {
  return items.map((i) => `${i.kind} ${i.valueDate} ${formatTenge(i.amount)}`).join('; ');
}

export function accountJson(v: AccountView) {
  const a = v.account;
  return {
    account: a.account,
    status: a.status,
    suspend_reason: a.suspendReason,
    method: a.method,
    balance: toTengeString(v.balance),
    debt: toTengeString(v.debt),
    penalty_debt: toTengeString(v.penaltyDebt),
    prepayment: toTengeString(v.prepayment),
    overdue_debt: toTengeString(v.overdueDebt),
    refund_due_on: a.refundDueOn,
    equipment_return_by: a.equipmentReturnBy,
    as_of: v.asOf,
    iin: a.iin,
    name: a.name,
    tariff: a.tariffCode,
    connected_on: a.connectedOn,
    terminated_on: a.terminatedOn,
    terminated_by: a.terminatedBy,
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

function accountText(v: AccountView): string {
  const a = v.account;
  const status = a.status === 'suspended' ? `suspended (${a.suspendReason})` : a.status;
  const lines = [
    `Account ${a.account}: ${a.name} (IIN ${a.iin})`,
    `  status      ${status}`,
    `  method      ${a.method}, tariff ${a.tariffCode}`,
    `  connected   ${a.connectedOn}${a.terminatedOn ? `, terminated ${a.terminatedOn} by ${a.terminatedBy}` : ''}`,
    `  address     ${a.address}${a.premisesOwned ? '' : ' (premises not owned)'}`,
    `  contact     ${[a.email, a.phone].filter(Boolean).join(', ') || '—'}`,
    `  as of       ${v.asOf}`,
    `  balance     ${formatTenge(v.balance)}`,
    `  debt        ${formatTenge(v.debt)}`,
    `  penalties   ${formatTenge(v.penaltyDebt)}`,
    `  prepayment  ${formatTenge(v.prepayment)}`,
    `  overdue     ${formatTenge(v.overdueDebt)} (penalties and invoices past due, D-8)`,
  ];
  if (a.refundDueOn) lines.push(`  refund due  ${a.refundDueOn}`);
  if (a.equipmentReturnBy) lines.push(`  equipment back by ${a.equipmentReturnBy}`);
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
    .option('--date <date>', 'as of this day, default today')
    .description('balance, status, debt, penalty debt, open invoices')
    .action((id: string, options: { date?: string }, cmd: Command) => {
      const asOf = dateOption(options.date);
      withDb(cmd, (db) => {
        const view = accountView(db, id, asOf);
        if (globals(cmd).json) printJson(accountJson(view));
        else print(accountText(view));
      });
    });
  account
    .command('statement')
    .argument('<account>')
    .requiredOption('--from <date>', 'first value date')
    .requiredOption('--to <date>', 'last value date')
    .option('--csv', 'CSV for Excel instead of a table')
    .description('every ledger entry of the period with a running balance')
    .action((id: string, options: { from: string; to: string; csv?: boolean }, cmd: Command) => {
      const from = requiredDate(options.from, '--from');
      const to = requiredDate(options.to, '--to');
      withDb(cmd, (db) => {
        const s = accountStatement(db, id, from, to);
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
          process.stdout.write(
            toExcelCsv(
              ['value_date', 'kind', 'amount', 'balance', 'memo'],
              [
                [s.from, 'opening', '', toTengeString(s.opening), ''],
                ...s.lines.map(({ entry, running }) => [entry.valueDate, entry.kind, toTengeString(entry.amount), toTengeString(running), entry.memo ?? '']),
                [s.to, 'closing', '', toTengeString(s.closing), ''],
              ],
            ),
          );
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
        }
      });
    });
  return account;
}
