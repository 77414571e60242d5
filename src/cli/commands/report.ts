// `esep report …`: the month-end reports; each as a table, --json, --csv (to stdout) or --xlsx FILE.
import type { Command } from 'commander';
import { agingReport, monthReport, paymentsReport, revenueReport, turnoverReport, type AgingReport, type PaymentsReport, type RevenueReport, type TurnoverReport } from '../../jobs/reports.js';
import { ratePercent } from '../../domain/vat.js';
import { toTengeString, type Tiyn } from '../../domain/money.js';
import { AGE_BUCKETS } from '../../domain/reports/aging.js';
import { CHARGE_KINDS } from '../../domain/reports/turnover.js';
import { InputError } from '../../domain/errors.js';
import { sheetCsv, sheetTable, writeSheetsXlsx, type Sheet, type SheetColumn } from '../../io/report-sheets.js';
import { dateOption, globals, periodOption, print, printJson, requiredDate, today, withDb } from '../context.js';
import { getOperator } from '../../db/operator.js';
import { statementTotalsJson } from './payments.js';
import { writeMonthPdf } from '../../io/pdf/month-report.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

interface OutputOptions {
  csv?: boolean;
  xlsx?: string;
}

const money = (key: string): SheetColumn => ({ key, type: 'amount' });
const text = (key: string): SheetColumn => ({ key, type: 'text' });
const int = (key: string): SheetColumn => ({ key, type: 'int' });
const date = (key: string): SheetColumn => ({ key, type: 'date' });
const tenge = (v: Tiyn) => toTengeString(v);

/** Prints a report: JSON, CSV of its first sheet, an xlsx of all its sheets, or the tables. */
async function output(cmd: Command, options: OutputOptions, json: unknown, sheets: readonly Sheet[], title: string): Promise<void> {
  if (options.xlsx) {
    await writeSheetsXlsx(options.xlsx, sheets);
    print(`${title}: ${options.xlsx}`);
    return;
  }
  if (globals(cmd).json) {
    printJson(json);
    return;
  }
  if (options.csv) {
    process.stdout.write(sheetCsv(sheets[0]!));
    return;
  }
  print(title);
  for (const s of sheets) {
    if (sheets.length > 1) print(`\n${s.name}`);
    process.stdout.write(sheetTable(s));
  }
}

export function turnoverSheets(r: TurnoverReport): Sheet[] {
  const kinds = CHARGE_KINDS.filter((k) => r.accounts.some((a) => a.chargesByKind[k]));
  const columns: SheetColumn[] = [
    text('account'), money('opening_debit'), money('opening_credit'), ...kinds.map((k) => money(k)), money('charges'), money('penalties'),
    money('payments'), money('other_credits'), money('other_debits'), money('closing_debit'), money('closing_credit'),
  ];
  const row = (account: string, l: TurnoverReport['accounts'][number], debit: [Tiyn, Tiyn], credit: [Tiyn, Tiyn]) => ({
    account, opening_debit: debit[0], opening_credit: credit[0], ...Object.fromEntries(kinds.map((k) => [k, l.chargesByKind[k] ?? 0])),
    charges: l.charges, penalties: l.penalties, payments: l.payments, other_credits: l.otherCredits, other_debits: l.otherDebits,
    closing_debit: debit[1], closing_credit: credit[1],
  });
  const rows = r.accounts.map((l) => row(l.account, l, [Math.max(0, -l.opening), Math.max(0, -l.closing)], [Math.max(0, l.opening), Math.max(0, l.closing)]));
  const t = r.totals;
  rows.push(row('total', { ...t, account: 'total' }, [t.openingDebit, t.closingDebit], [t.openingCredit, t.closingCredit]));
  return [{ name: `turnover ${r.period}`, columns, rows }];
}

export function turnoverJson(r: TurnoverReport) {
  const figures = (l: Omit<TurnoverReport['accounts'][number], 'account'>) => ({
    opening: tenge(l.opening),
    charges: tenge(l.charges),
    charges_by_kind: Object.fromEntries(CHARGE_KINDS.filter((k) => l.chargesByKind[k]).map((k) => [k, tenge(l.chargesByKind[k]!)])),
    penalties: tenge(l.penalties),
    payments: tenge(l.payments),
    other_credits: tenge(l.otherCredits),
    other_debits: tenge(l.otherDebits),
    closing: tenge(l.closing),
  });
  const t = r.totals;
  return {
    period: r.period,
    accounts: r.accounts.map((l) => ({ account: l.account, ...figures(l) })),
    totals: {
      ...figures(t),
      opening_debit: tenge(t.openingDebit), opening_credit: tenge(t.openingCredit), closing_debit: tenge(t.closingDebit), closing_credit: tenge(t.closingCredit),
    },
  };
}

export function agingSheets(r: AgingReport): Sheet[] {
  const buckets = AGE_BUCKETS.map((b) => money(b));
  const summary: Sheet = {
    name: `aging ${r.date}`,
    columns: [text('method'), text('tariff'), int('accounts'), ...buckets, money('debt'), money('penalties')],
    rows: [
      ...r.groups.map((g) => ({ method: g.method, tariff: g.tariff, accounts: g.accounts, ...g.buckets, debt: g.debt, penalties: g.penalties })),
      { method: 'total', tariff: '', accounts: r.totals.accounts, ...r.totals.buckets, debt: r.totals.debt, penalties: r.totals.penalties },
    ],
  };
  const accounts: Sheet = {
    name: 'aging accounts',
    columns: [text('account'), text('method'), text('tariff'), date('oldest_due_on'), int('days_overdue'), ...buckets, money('debt'), money('penalties')],
    rows: r.accounts.map((a) => ({ account: a.account, method: a.method, tariff: a.tariff, oldest_due_on: a.oldestDueOn, days_overdue: a.daysOverdue, ...a.buckets, debt: a.debt, penalties: a.penalties })),
  };
  return [summary, accounts];
}

export function agingJson(r: AgingReport) {
  const b = (x: Record<string, Tiyn>) => Object.fromEntries(AGE_BUCKETS.map((k) => [k, tenge(x[k]!)]));
  return {
    date: r.date,
    grace_days: r.graceDays,
    groups: r.groups.map((g) => ({ method: g.method, tariff: g.tariff, accounts: g.accounts, buckets: b(g.buckets), debt: tenge(g.debt), penalties: tenge(g.penalties) })),
    totals: { accounts: r.totals.accounts, buckets: b(r.totals.buckets), debt: tenge(r.totals.debt), penalties: tenge(r.totals.penalties) },
    accounts: r.accounts.map((a) => ({ account: a.account, method: a.method, tariff: a.tariff, oldest_due_on: a.oldestDueOn, days_overdue: a.daysOverdue, buckets: b(a.buckets), debt: tenge(a.debt), penalties: tenge(a.penalties) })),
  };
}

export function paymentsSheets(r: PaymentsReport): Sheet[] {
  const cols: SheetColumn[] = [
    date('day'), text('format'), text('file'), int('applied_count'), money('applied'), int('suspense_count'), money('suspense'), int('reversal_count'), money('reversal'),
  ];
  const row = (day: string | null, format: string, file: string, x: Omit<PaymentsReport['rows'][number], 'day' | 'format' | 'file'>) => ({
    day, format, file, applied_count: x.applied.count, applied: x.applied.amount, suspense_count: x.suspense.count, suspense: x.suspense.amount,
    reversal_count: x.reversal.count, reversal: x.reversal.amount,
  });
  // the statements' own totals beside: what each section states, and how much of its money in esep holds as subscribers' payments
  const statementCols: SheetColumn[] = [
    text('file'), text('format'), text('section'), text('statement_account'), date('from'), date('to'),
    money('opening'), money('stated_in'), money('stated_out'), money('closing'), money('esep_payments'), money('other_in'),
  ];
  const statementRows = r.statements.map((s) => ({
    file: s.file, format: s.format, section: s.section, statement_account: s.account, from: s.from, to: s.to, opening: s.opening,
    stated_in: s.statedIn ?? s.readIn, stated_out: s.statedOut ?? s.readOut, closing: s.closing, esep_payments: s.payments,
    other_in: s.payments === null ? null : (s.statedIn ?? s.readIn) - s.payments,
  }));
  return [
    { name: `payments ${r.from} ${r.to}`, columns: cols, rows: [...r.rows.map((x) => row(x.day, x.format, x.file, x)), row(null, 'total', '', r.totals)] },
    { name: 'statement totals', columns: statementCols, rows: statementRows },
  ];
}

export function paymentsJson(r: PaymentsReport) {
  const c = (x: { count: number; amount: Tiyn }) => ({ count: x.count, amount: tenge(x.amount) });
  return {
    from: r.from,
    to: r.to,
    days: r.rows.map((x) => ({ day: x.day, format: x.format, file: x.file, applied: c(x.applied), suspense: c(x.suspense), reversal: c(x.reversal) })),
    totals: { applied: c(r.totals.applied), suspense: c(r.totals.suspense), reversal: c(r.totals.reversal) },
    on_ledger: tenge(r.onLedger),
    statements: r.statements.map((s) => ({ file: s.file, format: s.format, ...statementTotalsJson(s), payments: s.payments === null ? null : tenge(s.payments) })),
  };
}

export function revenueSheets(r: RevenueReport): Sheet[] {
  const rows: Sheet = {
    name: `revenue ${r.period}`,
    columns: [text('period'), text('section'), text('tariff'), text('kind'), text('vat_rate'), money('turnover'), money('vat'), money('net')],
    rows: r.rows.map((x) => ({ period: r.period, section: x.section, tariff: x.tariff, kind: x.kind, vat_rate: x.rate === null ? '' : ratePercent(x.rate), turnover: x.turnover, vat: x.vat, net: x.turnover - x.vat })),
  };
  const vat: Sheet = {
    name: `vat ${r.period}`,
    columns: [text('period'), text('vat_rate'), money('turnover'), money('vat')],
    rows: [
      ...r.vatByRate.map((v) => ({ period: r.period, vat_rate: ratePercent(v.rate), turnover: v.turnover, vat: v.vat })),
      { period: r.period, vat_rate: 'invoices', turnover: null, vat: r.invoicesVat },
    ],
  };
  return [rows, vat];
}

export function revenueJson(r: RevenueReport) {
  return {
    period: r.period,
    rows: r.rows.map((x) => ({ section: x.section, tariff: x.tariff, kind: x.kind, vat_rate: x.rate, turnover: tenge(x.turnover), vat: tenge(x.vat), net: tenge(x.turnover - x.vat) })),
    vat_by_rate: r.vatByRate.map((v) => ({ rate: v.rate, turnover: tenge(v.turnover), vat: tenge(v.vat) })),
    invoices_vat: r.invoicesVat === null ? null : tenge(r.invoicesVat),
  };
}

export function registerReport(program: Command): Command {
  const report = program.command('report').description('month-end reports: turnover, aging, payments (table, --json, --csv, --xlsx FILE)');
  const common = (c: Command) => c.option('--csv', 'CSV for Excel to stdout').option('--xlsx <file>', 'an xlsx workbook with typed cells');

  common(report.command('turnover').description('оборотно-сальдовая ведомость: opening, charges by kind, penalties, payments, other credits, closing per account').requiredOption('--period <YYYY-MM>', 'the period')).action(
    async (options: OutputOptions & { period?: string }, cmd: Command) => {
      const period = periodOption(options.period);
      const r = withDb(cmd, (db) => turnoverReport(db, period));
      await output(cmd, options, turnoverJson(r), turnoverSheets(r), `Turnover sheet ${period}: ${r.accounts.length} accounts`);
    },
  );

  common(report.command('aging').description('debt by age (not due, 1–30, 31–60, 61–90, over 90 days overdue) by method and tariff, penalties apart').option('--date <date>', 'as of the end of this day, default today')).action(
    async (options: OutputOptions & { date?: string }, cmd: Command) => {
      const day = dateOption(options.date);
      const r = withDb(cmd, (db) => agingReport(db, day));
      await output(cmd, options, agingJson(r), agingSheets(r), `Debt aging at the end of ${day}: ${r.accounts.length} accounts owe`);
    },
  );

  common(report.command('revenue').description('service charges by kind and tariff with the VAT they include per rate (D-13), corrections and penalties apart; --csv is the export for 1C').requiredOption('--period <YYYY-MM>', 'the period')).action(
    async (options: OutputOptions & { period?: string }, cmd: Command) => {
      const period = periodOption(options.period);
      const r = withDb(cmd, (db) => revenueReport(db, period));
      await output(cmd, options, revenueJson(r), revenueSheets(r), `Revenue ${period}`);
    },
  );

  common(report.command('payments').description('money received by day, statement format and file: applied, in suspense, reversed').option('--from <date>', 'first value date').option('--to <date>', 'last value date')).action(
    async (options: OutputOptions & { from?: string; to?: string }, cmd: Command) => {
      const from = requiredDate(options.from, '--from');
      const to = requiredDate(options.to, '--to');
      if (to < from) throw new InputError([{ field: '--to', message: `${to} is before --from ${from}` }]);
      const r = withDb(cmd, (db) => paymentsReport(db, from, to));
      await output(cmd, options, paymentsJson(r), paymentsSheets(r), `Payments received ${from} – ${to}`);
    },
  );
  report
    .command('month')
    .description('the month on one or two A4 pages (PDF with charts) and every report as a sheet of one xlsx')
    .requiredOption('--period <YYYY-MM>', 'the period')
    .option('--out <dir>', 'the folder for month-P.pdf and month-P.xlsx', '.')
    .action(async (options: { period?: string; out: string }, cmd: Command) => {
      const period = periodOption(options.period);
      const { r, operatorName } = withDb(cmd, (db) => ({ r: monthReport(db, period), operatorName: getOperator(db)?.name ?? '' }));
      await mkdir(options.out, { recursive: true });
      const pdf = path.join(options.out, `month-${period}.pdf`);
      const xlsx = path.join(options.out, `month-${period}.xlsx`);
      await writeSheetsXlsx(xlsx, [...turnoverSheets(r.turnover), ...revenueSheets(r.revenue), ...paymentsSheets(r.payments), ...agingSheets(r.aging)]);
      await writeMonthPdf(pdf, { report: r, operatorName, today: today() });
      if (globals(cmd).json) {
        printJson({ period, pdf, xlsx, turnover: turnoverJson(r.turnover).totals, revenue: revenueJson(r.revenue), payments: paymentsJson(r.payments).totals, aging: agingJson(r.aging).totals });
        return;
      }
      print(`Month ${period}: ${pdf}, ${xlsx}`);
    });
  return report;
}
