import type { Command } from 'commander';
import { importAccounts } from '../../jobs/import-accounts.js';
import { importOperatorReport } from '../../jobs/import-operator.js';
import type { FieldChange, ImportAddition, ImportReport } from '../../jobs/import-report.js';
import { importTariffsReport } from '../../jobs/import-tariffs.js';
import { configOf, dateOption, globals, print, printJson, withDb } from '../context.js';

function shown(value: string | null): string {
  return value === null || value === '' ? 'empty' : `"${value}"`;
}

function changeText(f: FieldChange): string {
  return `${f.field} ${shown(f.from)} → ${shown(f.to)}`;
}

function countsText(report: ImportReport): string {
  const fields = Object.entries(report.changedFields).map(([field, n]) => `${field} ${n}`);
  return `${report.added} added, ${report.updated} updated${fields.length > 0 ? ` (${fields.join(', ')})` : ''}, ${report.unchanged} unchanged`;
}

export function reportJson(report: ImportReport) {
  return {
    file: report.file,
    dry_run: report.dryRun,
    added: report.added,
    updated: report.updated,
    unchanged: report.unchanged,
    changed_fields: report.changedFields,
    additions: report.additions.map((a) => ({ line: a.line, key: a.key, values: a.values })),
    changes: report.changes.map((c) => ({ line: c.line, key: c.key, fields: c.fields })),
  };
}

/**
 * The report of an import: the counts with the changed fields, every change field by field, and in a
 * dry run every record that would be added.
 */
export function reportText(what: string, report: ImportReport, describe: (a: ImportAddition) => string): string {
  const lines = [`${report.dryRun ? 'dry run, nothing written: ' : ''}${what}: ${countsText(report)} (${report.file})`];
  if (report.dryRun) for (const a of report.additions) lines.push(`  add     ${a.key} (line ${a.line}): ${describe(a)}`);
  for (const c of report.changes) lines.push(`  change  ${c.key} (line ${c.line}): ${c.fields.map(changeText).join('; ')}`);
  return lines.join('\n');
}

function output(cmd: Command, what: string, report: ImportReport, describe: (a: ImportAddition) => string): void {
  if (globals(cmd).json) printJson(reportJson(report));
  else print(reportText(what, report, describe));
}

const describeAccount = (a: ImportAddition) =>
  [a.values.name, a.values.method, a.values.tariff, `connected ${a.values.connected_on}`, a.values.email ?? 'no email'].join(', ');
const describeTariff = (a: ImportAddition) =>
  `${a.values.name}, monthly ${a.values.monthly_fee}, port ${a.values.port_fee}, installation ${a.values.installation_fee}`;

export function registerImport(program: Command): void {
  const imp = program.command('import').description('load reference data from files (a file with any bad row is refused whole)');
  imp
    .command('tariffs')
    .argument('<file>', 'CSV: code,name,monthly_fee,port_fee,installation_fee')
    .option('--dry-run', 'write nothing: list what would be added and, field by field, what would change')
    .description('import tariffs (UTF-8 or Windows-1251, comma or semicolon separated)')
    .action(async (file: string, options: { dryRun?: boolean }, cmd: Command) => {
      await withDb(cmd, async (db) => output(cmd, 'tariffs', await importTariffsReport(db, file, { dryRun: options.dryRun }), describeTariff));
    });
  imp
    .command('accounts')
    .argument('<file>', 'CSV: account,iin,name,address,email,phone,method,tariff,connected_on,premises_owned')
    .option('--date <date>', 'today, for the overdue-debt check of cl. 6.4 and the window of connection dates')
    .option('--dry-run', 'write nothing: list what would be added and, field by field, what would change')
    .description('import subscribers and their accounts')
    .action(async (file: string, options: { date?: string; dryRun?: boolean }, cmd: Command) => {
      const today = dateOption(options.date);
      const { imports } = configOf(cmd);
      const window = { daysBack: imports.connected_on_days_back, daysAhead: imports.connected_on_days_ahead };
      await withDb(cmd, async (db) =>
        output(cmd, 'accounts', await importAccounts(db, file, today, { window, dryRun: options.dryRun }), describeAccount),
      );
    });
  imp
    .command('operator')
    .argument('<file>', 'JSON with the operator requisites and settings')
    .option('--dry-run', 'write nothing: list, field by field, what would change')
    .description("import the operator's requisites (BIN, IBAN, BIC checked) and rule settings")
    .action(async (file: string, options: { dryRun?: boolean }, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const { operator: op, changes, replaces, dryRun } = await importOperatorReport(db, file, { dryRun: options.dryRun });
        if (globals(cmd).json) {
          printJson(dryRun ? { dry_run: true, operator: op, changes } : op);
          return;
        }
        const lines = [`${dryRun ? 'dry run, nothing written: ' : ''}operator: ${op.name}, BIN ${op.bin}, invoices ${op.invoicePrefix}-YYYY-NNNNNN`];
        if (replaces || dryRun) lines.push(...changes.map((c) => `  change  ${changeText(c)}`));
        if (changes.length === 0) lines.push('  nothing changes');
        print(lines.join('\n'));
      });
    });
}
