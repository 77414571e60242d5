// `esep explain ACCOUNT [--from D1] [--to D2] [--pdf FILE]`: the reconciliation statement (акт сверки).
import type { Command } from 'commander';
import { explainAccount } from '../../jobs/explain.js';
import { toTengeString } from '../../domain/money.js';
import { ruleText } from '../../domain/reports/explain-text.js';
import { writeReconciliationPdf } from '../../io/pdf/reconciliation.js';
import { sheetCsv, sheetTable, type Sheet } from '../../io/report-sheets.js';
import { dateOption, globals, print, printJson, today, withDb } from '../context.js';

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('акт сверки: the opening balance, every entry with its running balance and the rule and clause that made it, the closing balance')
    .argument('<account>', 'personal account number')
    .option('--from <date>', 'first day (default: the connection date)')
    .option('--to <date>', 'last day (default: today)')
    .option('--pdf <file>', 'the statement as a PDF in Kazakh and Russian, to sign')
    .option('--csv', 'the lines as CSV for Excel')
    .action(async (account: string, options: { from?: string; to?: string; pdf?: string; csv?: boolean }, cmd: Command) => {
      const from = options.from === undefined ? undefined : dateOption(options.from, '--from');
      const to = options.to === undefined ? undefined : dateOption(options.to, '--to');
      const doc = withDb(cmd, (db) => explainAccount(db, account, { from, to, today: today() }));
      const s = doc.statement;
      if (options.pdf) {
        await writeReconciliationPdf(options.pdf, doc);
        if (!globals(cmd).json) print(`акт сверки ${account} ${s.from} – ${s.to}: ${options.pdf}`);
      }
      const lines = s.lines.map((l) => ({
        date: l.date,
        to: l.to,
        kind: l.kind,
        amount: toTengeString(l.amount),
        balance: toTengeString(l.balance),
        rule: ruleText(l, 'en'),
        clause: l.why.clause,
        entries: l.entries,
        why: l.why,
        ...(l.settled ? { settled: l.settled } : {}),
      }));
      if (globals(cmd).json) {
        printJson({
          account: s.account,
          from: s.from,
          to: s.to,
          opening: toTengeString(s.opening),
          closing: toTengeString(s.closing),
          debt: toTengeString(s.debt),
          penalty_debt: toTengeString(s.penaltyDebt),
          prepayment: toTengeString(s.prepayment),
          lines,
        });
        return;
      }
      if (options.pdf) return;
      const sheet: Sheet = {
        name: `explain ${account}`,
        columns: [
          { key: 'date', type: 'date' },
          { key: 'to', type: 'date' },
          { key: 'kind', type: 'text' },
          { key: 'amount', type: 'amount' },
          { key: 'balance', type: 'amount' },
          { key: 'clause', type: 'text' },
          { key: 'rule', type: 'text' },
        ],
        rows: s.lines.map((l) => ({ date: l.date, to: l.to, kind: l.kind, amount: l.amount, balance: l.balance, clause: l.why.clause, rule: ruleText(l, 'en') })),
      };
      if (options.csv) {
        process.stdout.write(sheetCsv(sheet));
        return;
      }
      print(`Reconciliation statement of ${account}, ${s.from} – ${s.to}`);
      print(`opening balance ${toTengeString(s.opening)}`);
      process.stdout.write(sheetTable(sheet));
      print(`closing balance ${toTengeString(s.closing)} (debt ${toTengeString(s.debt)}, penalties ${toTengeString(s.penaltyDebt)}, prepayment ${toTengeString(s.prepayment)})`);
    });
}
