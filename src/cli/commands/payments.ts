import type { Command } from 'commander';
import { formatTenge, parseTenge, toTengeString, type Tiyn } from '../../domain/money.js';
import type { StatementTotals } from '../../domain/statement.js';
import { suspenseWords } from '../../domain/matching.js';
import type { PaymentRow } from '../../db/payments.js';
import { movePayment, reversePayment, unassignPayment, type CorrectionResult } from '../../jobs/payment-corrections.js';
import { assignPayment, importPayments, paymentRegister, reversalPayments, unmatchedPayments, type PaymentImportSummary, type RegisterTotal } from '../../jobs/payments.js';
import { listCsv } from '../../io/csv.js';
import { statementFormats } from '../../io/statements/index.js';
import { ALLOW_FUTURE, ALLOW_FUTURE_HELP, configOf, globals, jobDate, positiveInt, print, printJson, requiredDate, withDb } from '../context.js';
import { terminalProgress } from '../progress.js';
import { renderTable } from '../table.js';
import { column, type ListSpec } from '../../io/list.js';
import { writeXlsx, xlsxTarget } from '../../io/xlsx.js';

/** The suspense list for Excel (`payments unmatched --xlsx FILE`). */
export const UNMATCHED_LIST: ListSpec<PaymentRow> = {
  sheet: 'Анықталмаған - Невыясненные',
  columns: [
    column('id', 'Төлем №', 'Платёж №', 'int', (p) => p.id),
    column('value_date', 'Валюталау күні', 'Дата валютирования', 'date', (p) => p.valueDate),
    column('amount', 'Сома', 'Сумма', 'amount', (p) => p.amount),
    column('bank_ref', 'Банк анықтамасы', 'Референс банка', 'text', (p) => p.bankRef),
    column('payer_name', 'Төлеуші', 'Плательщик', 'text', (p) => p.payerName, 30),
    column('payer_iin', 'Төлеушінің ЖСН', 'ИИН плательщика', 'text', (p) => p.payerIin, 14),
    column('purpose', 'Төлем мақсаты', 'Назначение платежа', 'text', (p) => p.purpose, 40),
    column('file', 'Файл', 'Файл', 'text', (p) => p.file, 24),
    column('line', 'Жол', 'Строка', 'int', (p) => p.line),
    column('reason', 'Себеп коды', 'Код причины', 'text', (p) => p.suspenseReason),
    column('reason_text', 'Анықталмау себебі', 'Причина', 'text', (p) => reasonText(p), 36),
    column('account_hint', 'Шот бағанында', 'В графе «счёт»', 'text', (p) => p.accountHint, 16),
  ],
};

/** Why a payment waits in suspense, in words, from its stored code. */
function reasonText(p: PaymentRow): string {
  return suspenseWords(p.suspenseReason, { accounts: p.reasonAccounts, payerIin: p.payerIin });
}

/** The payments register (`payments list --xlsx FILE`, `--csv`): one row per payment, how it was matched, where from. */
export const REGISTER_LIST: ListSpec<PaymentRow> = {
  sheet: 'Төлемдер - Платежи',
  columns: [
    column('id', 'Төлем №', 'Платёж №', 'int', (p) => p.id),
    column('value_date', 'Валюталау күні', 'Дата валютирования', 'date', (p) => p.valueDate),
    column('amount', 'Сома', 'Сумма', 'amount', (p) => p.amount),
    column('status', 'Күйі', 'Состояние', 'text', (p) => p.status),
    column('account', 'Дербес шот', 'Лицевой счёт', 'text', (p) => p.account),
    column('matched_by', 'Қалай анықталды', 'Как сопоставлен', 'text', (p) => p.matchedBy),
    column('payer_name', 'Төлеуші', 'Плательщик', 'text', (p) => p.payerName, 30),
    column('payer_iin', 'Төлеушінің ЖСН', 'ИИН плательщика', 'text', (p) => p.payerIin, 14),
    column('bank_ref', 'Банк анықтамасы', 'Референс банка', 'text', (p) => p.bankRef),
    column('format', 'Формат', 'Формат', 'text', (p) => p.format),
    column('file', 'Файл', 'Файл', 'text', (p) => p.file, 24),
    column('line', 'Жол', 'Строка', 'int', (p) => p.line),
    column('purpose', 'Төлем мақсаты', 'Назначение платежа', 'text', (p) => p.purpose, 40),
  ],
};

function totalJson(t: RegisterTotal) {
  return { payments: t.payments, received: toTengeString(t.received), applied: toTengeString(t.applied), suspense: toTengeString(t.suspense), reversals: toTengeString(t.reversals) };
}

function totalsTable(title: string, rows: readonly RegisterTotal[]): string {
  return renderTable(rows, [
    { title, value: (t) => t.key },
    { title: 'payments', value: (t) => String(t.payments), align: 'right' },
    { title: 'received', value: (t) => formatTenge(t.received), align: 'right' },
    { title: 'applied', value: (t) => formatTenge(t.applied), align: 'right' },
    { title: 'in suspense', value: (t) => formatTenge(t.suspense), align: 'right' },
    { title: 'reversals', value: (t) => formatTenge(t.reversals), align: 'right' },
  ]);
}

/** A statement section's own totals beside the rows read, for --json (the import's summary, report payments). */
export function statementTotalsJson(t: StatementTotals) {
  const tenge = (v: Tiyn | null) => (v === null ? null : toTengeString(v));
  return {
    section: t.section,
    line: t.line,
    account: t.account,
    from: t.from,
    to: t.to,
    opening: tenge(t.opening),
    stated_in: tenge(t.statedIn),
    stated_out: tenge(t.statedOut),
    closing: tenge(t.closing),
    read_in: tenge(t.readIn),
    read_out: tenge(t.readOut),
  };
}

function summaryJson(s: PaymentImportSummary) {
  return {
    file: s.file,
    format: s.format,
    encoding: s.encoding,
    dry_run: s.dryRun,
    run_id: s.runId,
    rows: s.rows,
    rows_amount: toTengeString(s.rowsAmount),
    applied: s.applied,
    applied_amount: toTengeString(s.appliedAmount),
    matched_by: { account: s.byAccount, purpose: s.byPurpose, iin: s.byIin },
    suspense: s.suspense,
    suspense_amount: toTengeString(s.suspenseAmount),
    reversals: s.reversals,
    reversal_amount: toTengeString(s.reversalAmount),
    duplicates: s.duplicates,
    duplicate_amount: toTengeString(s.duplicateAmount),
    known_from: s.knownFrom.map((k) => ({ file: k.file, rows: k.rows, amount: toTengeString(k.amount) })),
    money_in: s.moneyIn,
    money_in_amount: toTengeString(s.moneyInAmount),
    reversal_rows: s.reversalRows,
    reversal_rows_amount: toTengeString(s.reversalRowsAmount),
    statement_totals: s.statementTotals.map(statementTotalsJson),
    ignored: s.ignored,
    restored: s.restored,
  };
}

/** The import's summary for people: money in and the bank's reversals apart, then where each row went. */
export function summaryText(s: PaymentImportSummary): string {
  const from = s.knownFrom.length === 0 ? '' : ` (from ${s.knownFrom.map((k) => `${k.file}: ${k.rows}`).join(', ')})`;
  const lines = [
    `${s.dryRun ? 'dry run, nothing written: ' : ''}${s.file} (${s.format}${s.encoding ? `, ${s.encoding}` : ''})`,
    `  money in          ${s.moneyIn}, ${formatTenge(s.moneyInAmount)}`,
    `  bank reversals    ${s.reversalRows}, ${formatTenge(s.reversalRowsAmount)}`,
    `  applied           ${s.applied}, ${formatTenge(s.appliedAmount)} (by account ${s.byAccount}, by purpose ${s.byPurpose}, by IIN ${s.byIin})`,
    `  suspense          ${s.suspense}, ${formatTenge(s.suspenseAmount)}${s.suspense > 0 ? ' (esep payments unmatched)' : ''}`,
    `  reversals         ${s.reversals}, ${formatTenge(s.reversalAmount)}${s.reversals > 0 ? ' (not applied: esep payments reversals)' : ''}`,
    `  already imported  ${s.duplicates}, ${formatTenge(s.duplicateAmount)}${from}`,
    `  not money in      ${s.ignored} (money out, totals, own transfers)`,
  ];
  // the statement's own totals beside what was read: they agree (a file where they do not is refused)
  if (s.statementTotals.length === 0) lines.push('  statement totals  none: the file states no totals of its own');
  for (const t of s.statementTotals) {
    const stated = (v: number | null, read: number) => (v === null ? `${formatTenge(read)} read (not stated)` : formatTenge(v));
    const parts = [
      t.opening === null ? null : `opening ${formatTenge(t.opening)}`,
      `in ${stated(t.statedIn, t.readIn)}`,
      `out ${stated(t.statedOut, t.readOut)}`,
      t.closing === null ? null : `closing ${formatTenge(t.closing)}`,
    ].filter((p) => p !== null);
    lines.push(`  statement totals  ${t.section}: ${parts.join(', ')}; the rows read agree`);
  }
  if (s.restored > 0) lines.push(`  restored          ${s.restored} account(s)`);
  return lines.join('\n');
}

function paymentJson(p: PaymentRow) {
  return {
    id: p.id,
    bank_ref: p.bankRef,
    value_date: p.valueDate,
    amount: toTengeString(p.amount),
    payer_name: p.payerName,
    purpose: p.purpose,
    payer_iin: p.payerIin,
    account: p.account,
    format: p.format,
    file: p.file,
    line: p.line,
  };
}

function unmatchedJson(p: PaymentRow) {
  return { ...paymentJson(p), reason: p.suspenseReason, reason_text: reasonText(p), reason_accounts: p.reasonAccounts, account_hint: p.accountHint };
}

function paymentTable(rows: readonly PaymentRow[], withAccount: boolean): string {
  return renderTable(rows, [
    { title: 'id', value: (p) => String(p.id), align: 'right' },
    { title: 'value date', value: (p) => p.valueDate },
    { title: 'amount', value: (p) => formatTenge(p.amount), align: 'right' },
    { title: 'bank ref', value: (p) => p.bankRef },
    { title: 'payer', value: (p) => [p.payerName, p.payerIin].filter(Boolean).join(', ') },
    ...(withAccount ? [{ title: 'account?', value: (p: PaymentRow) => p.account ?? '' }] : []),
    ...(withAccount ? [] : [{ title: 'why', value: (p: PaymentRow) => reasonText(p) }, { title: 'account column', value: (p: PaymentRow) => p.accountHint ?? '' }]),
    { title: 'purpose', value: (p) => p.purpose ?? '' },
    { title: 'from', value: (p) => `${p.file ?? ''}:${p.line ?? ''}` },
  ]);
}

export function registerPayments(program: Command): void {
  const payments = program.command('payments').description('bank statements: import, suspense, assignment (SPEC section 5)');
  payments
    .command('import')
    .argument('<file>', 'bank statement: generic CSV, a bank export (xlsx or CSV) or a 1C ClientBankExchange file')
    .option('--format <format>', `one of ${statementFormats().join(', ')} (default: detected)`)
    .option('--date <date>', 'today: no value date may be later; restorations happen as of this day')
    .option('--dry-run', 'check and count everything, write nothing')
    .option('--any-account', "import a statement of an account that is not one of the operator's (the operator file's accounts)")
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .description('import a bank statement: match each payment to an account or to suspense (a bad file is refused whole)')
    .action(async (file: string, options: { format?: string; date?: string; dryRun?: boolean; anyAccount?: boolean; allowFuture?: boolean }, cmd: Command) => {
      const date = jobDate(options.date, options);
      await withDb(cmd, async (db) => {
        const config = configOf(cmd);
        const valueDateDaysBack = config.imports.value_date_days_back;
        // payments.max_amount is whole tenge
        const maxAmount = parseTenge(String(config.payments.max_amount));
        const summary = await importPayments(db, {
          file,
          format: options.format,
          date,
          valueDateDaysBack,
          maxAmount,
          anyAccount: options.anyAccount ?? false,
          dryRun: options.dryRun ?? false,
          progress: terminalProgress(),
        });
        if (globals(cmd).json) printJson(summaryJson(summary));
        else print(summaryText(summary));
      });
    });
  payments
    .command('unmatched')
    .description('payments waiting in suspense for an accountant to assign them')
    .option('--xlsx <file>', 'write the list as an Excel workbook (typed cells, header in Kazakh and Russian)')
    .action(async (options: { xlsx?: string }, cmd: Command) => {
      const xlsx = options.xlsx === undefined ? undefined : xlsxTarget(options.xlsx);
      await withDb(cmd, async (db) => {
        const rows = unmatchedPayments(db);
        if (xlsx !== undefined) await writeXlsx(xlsx, UNMATCHED_LIST, rows);
        if (globals(cmd).json) {
          printJson(rows.map(unmatchedJson));
          return;
        }
        if (rows.length === 0) print('no payments in suspense');
        else {
          print(paymentTable(rows, false));
          const total = rows.reduce((s, p) => s + p.amount, 0);
          print(`${rows.length} payment(s) in suspense, ${formatTenge(total)}: esep payments assign PAYMENT_ID ACCOUNT`);
        }
        const reversals = reversalPayments(db).length;
        if (reversals > 0) print(`${reversals} bank reversal(s) not applied: esep payments reversals`);
        if (xlsx !== undefined) print(`written: ${xlsx}`);
      });
    });
  payments
    .command('list')
    .description('the register of payments received: who paid, how much, which file and line, matched how; totals per day and per file')
    .requiredOption('--from <date>', 'first value date')
    .requiredOption('--to <date>', 'last value date')
    .option('--file <name>', 'only the payments of this statement file (its name as imported)')
    .option('--account <account>', 'only the payments applied to this account')
    .option('--csv', 'the register as CSV for scripts instead of a table')
    .option('--xlsx <file>', 'write the register as an Excel workbook (typed cells, header in Kazakh and Russian)')
    .action(async (options: { from: string; to: string; file?: string; account?: string; csv?: boolean; xlsx?: string }, cmd: Command) => {
      const from = requiredDate(options.from, '--from');
      const to = requiredDate(options.to, '--to');
      const xlsx = options.xlsx === undefined ? undefined : xlsxTarget(options.xlsx);
      const r = withDb(cmd, (db) => paymentRegister(db, { from, to, file: options.file, account: options.account }));
      if (xlsx !== undefined) await writeXlsx(xlsx, REGISTER_LIST, r.payments);
      if (globals(cmd).json) {
        printJson({
          from: r.from,
          to: r.to,
          file: r.file,
          account: r.account,
          payments: r.payments.map((p) => ({ ...paymentJson(p), status: p.status, matched_by: p.matchedBy })),
          by_day: r.byDay.map((t) => ({ value_date: t.key, ...totalJson(t) })),
          by_file: r.byFile.map((t) => ({ file: t.key, ...totalJson(t) })),
          total: totalJson(r.total),
        });
        return;
      }
      if (options.csv) {
        process.stdout.write(listCsv(REGISTER_LIST, r.payments));
        return;
      }
      if (r.payments.length === 0) print(`no payments with value dates ${from} to ${to}`);
      else {
        print(
          renderTable(r.payments, [
            { title: 'id', value: (p) => String(p.id), align: 'right' },
            { title: 'value date', value: (p) => p.valueDate },
            { title: 'amount', value: (p) => formatTenge(p.amount), align: 'right' },
            { title: 'status', value: (p) => p.status },
            { title: 'account', value: (p) => p.account ?? '' },
            { title: 'matched by', value: (p) => p.matchedBy ?? '' },
            { title: 'payer', value: (p) => [p.payerName, p.payerIin].filter(Boolean).join(', ') },
            { title: 'from', value: (p) => `${p.file ?? ''}:${p.line ?? ''}` },
          ]),
        );
        print('');
        print(totalsTable('value date', r.byDay));
        print('');
        print(totalsTable('file', r.byFile));
        print(`${r.total.payments} payment(s): received ${formatTenge(r.total.received)} (applied ${formatTenge(r.total.applied)}, in suspense ${formatTenge(r.total.suspense)}), reversals ${formatTenge(r.total.reversals)}`);
      }
      if (xlsx !== undefined) print(`written: ${xlsx}`);
    });
  payments
    .command('reversals')
    .description('negative statement rows (bank reversals): listed for the accountant, never applied')
    .action((_options: unknown, cmd: Command) => {
      withDb(cmd, (db) => {
        const rows = reversalPayments(db);
        if (globals(cmd).json) printJson(rows.map(paymentJson));
        else if (rows.length === 0) print('no bank reversals');
        else {
          print(paymentTable(rows, true));
          print(`${rows.length} reversal(s), ${formatTenge(rows.reduce((s, p) => s + p.amount, 0))}: not applied to any account`);
        }
      });
    });
  payments
    .command('assign')
    .argument('<payment_id>', 'the id shown by esep payments unmatched')
    .argument('<account>', 'the personal account the payment is for')
    .option('--date <date>', 'today, for the restoration the payment may trigger')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .description('apply a payment from suspense to an account, as of its value date')
    .action(async (paymentId: string, account: string, options: { date?: string; allowFuture?: boolean }, cmd: Command) => {
      const id = positiveInt(paymentId, 'PAYMENT_ID');
      const date = jobDate(options.date, options);
      await withDb(cmd, async (db) => {
        const r = await assignPayment(db, id, account, date);
        if (globals(cmd).json) printJson({ ...paymentJson(r.payment), account: r.account, restored: r.restored });
        else print(`payment ${id} of ${formatTenge(r.payment.amount)} (${r.payment.valueDate}) applied to account ${r.account}${r.restored ? '; account restored' : ''}`);
      });
    });
  payments
    .command('move')
    .argument('<payment_id>', 'the payment applied to the wrong account (esep payments list)')
    .argument('<account>', 'the account it is for')
    .option('--date <date>', 'today, for the restorations and suspensions that follow')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .description('move a payment to the right account: taken off the wrong one and applied to the right one as of its value date (D-7)')
    .action(async (paymentId: string, account: string, options: { date?: string; allowFuture?: boolean }, cmd: Command) => {
      const id = positiveInt(paymentId, 'PAYMENT_ID');
      const date = jobDate(options.date, options);
      await withDb(cmd, async (db) => printCorrection(cmd, await movePayment(db, id, account, date)));
    });
  payments
    .command('unassign')
    .argument('<payment_id>', 'the payment applied to the wrong account')
    .option('--date <date>', 'today, for the suspensions that follow')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .description('return a payment to suspense: taken off its account as of its value date (D-7)')
    .action(async (paymentId: string, options: { date?: string; allowFuture?: boolean }, cmd: Command) => {
      const id = positiveInt(paymentId, 'PAYMENT_ID');
      const date = jobDate(options.date, options);
      await withDb(cmd, async (db) => printCorrection(cmd, await unassignPayment(db, id, date)));
    });
  payments
    .command('reverse')
    .argument('<reversal_id>', 'the bank reversal (esep payments reversals)')
    .argument('<payment_id>', 'the payment it takes back')
    .option('--date <date>', 'today, for the suspensions that follow')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .description("link a bank reversal to the payment it takes back: the payment is reversed on its account from the reversal's value date")
    .action(async (reversalId: string, paymentId: string, options: { date?: string; allowFuture?: boolean }, cmd: Command) => {
      const rid = positiveInt(reversalId, 'REVERSAL_ID');
      const id = positiveInt(paymentId, 'PAYMENT_ID');
      const date = jobDate(options.date, options);
      await withDb(cmd, async (db) => printCorrection(cmd, await reversePayment(db, rid, id, date)));
    });
}

/** What `payments move`, `unassign` and `reverse` did. */
function printCorrection(cmd: Command, r: CorrectionResult): void {
  if (globals(cmd).json) {
    printJson({
      ...paymentJson(r.payment),
      status: r.payment.status,
      by: r.by,
      from: r.from,
      to: r.to,
      taken_off_as_of: r.valueDate,
      reversal_id: r.reversalId,
      from_suspended: r.fromEffect === 'suspended',
      restored: r.restored,
    });
    return;
  }
  const what = `payment ${r.payment.id} of ${formatTenge(r.payment.amount)} (${r.payment.valueDate})`;
  const off = r.from === null ? '' : ` taken off account ${r.from} as of ${r.valueDate}${r.fromEffect === 'suspended' ? ' (suspended)' : ''}`;
  if (r.by === 'move') print(`${what}${off}, applied to account ${r.to}${r.restored ? '; account restored' : ''}`);
  else if (r.by === 'unassign') print(`${what}${off}, back in suspense`);
  else print(`${what} reversed by the bank (reversal ${r.reversalId}),${r.from === null ? ' in suspense: on no account' : off}`);
}
