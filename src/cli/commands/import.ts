import type { Command } from 'commander';
import { importAccounts } from '../../jobs/import-accounts.js';
import { importOperator } from '../../jobs/import-operator.js';
import { importTariffs, type ImportSummary } from '../../jobs/import-tariffs.js';
import { dateOption, globals, print, printJson, withDb } from '../context.js';

function report(cmd: Command, what: string, summary: ImportSummary): void {
  if (globals(cmd).json) printJson(summary);
  else print(`${what}: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged`);
}

export function registerImport(program: Command): void {
  const imp = program.command('import').description('load reference data from files (a file with any bad row is refused whole)');
  imp
    .command('tariffs')
    .argument('<file>', 'CSV: code,name,monthly_fee,port_fee,installation_fee')
    .description('import tariffs (UTF-8 or Windows-1251, comma or semicolon separated)')
    .action(async (file: string, _options: unknown, cmd: Command) => {
      await withDb(cmd, async (db) => report(cmd, 'tariffs', await importTariffs(db, file)));
    });
  imp
    .command('accounts')
    .argument('<file>', 'CSV: account,iin,name,address,email,phone,method,tariff,connected_on,premises_owned')
    .option('--date <date>', 'today, for the overdue-debt check of cl. 6.4')
    .description('import subscribers and their accounts')
    .action(async (file: string, options: { date?: string }, cmd: Command) => {
      const today = dateOption(options.date);
      await withDb(cmd, async (db) => report(cmd, 'accounts', await importAccounts(db, file, today)));
    });
  imp
    .command('operator')
    .argument('<file>', 'JSON with the operator requisites and settings')
    .description("import the operator's requisites (BIN, IBAN, BIC checked) and rule settings")
    .action(async (file: string, _options: unknown, cmd: Command) => {
      await withDb(cmd, async (db) => {
        const op = await importOperator(db, file);
        if (globals(cmd).json) printJson(op);
        else print(`operator: ${op.name}, BIN ${op.bin}, invoices ${op.invoicePrefix}-YYYY-NNNNNN`);
      });
    });
}
