// The `esep` command: commander wiring only. Exit codes (SPEC section 6): 0 done, 1 failed,
// 2 bad usage or input, 75 busy.
import { statSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DatabaseRefusedError, NoDatabaseError } from '../db/connection.js';
import { BusyError, describeProblem, InputError } from '../domain/errors.js';
import { registerAccount } from './commands/account.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerVerify } from './commands/verify.js';
import { registerPayments } from './commands/payments.js';
import { registerRefunds } from './commands/refunds.js';
import { registerNotices, registerRunCollection, registerRunDebit } from './commands/run.js';
import { registerRunInvoices } from './commands/invoices.js';
import { registerAccess } from './commands/access.js';
import { registerBackup } from './commands/backup.js';
import { registerConfig } from './commands/config.js';
import { registerSchedule } from './commands/schedule.js';
import { registerDebtors } from './commands/debtors.js';
import { registerAdmin } from './commands/admin.js';
import { registerSend } from './commands/send.js';
import { registerOutbox } from './commands/outbox.js';
import { registerStatus } from './commands/status.js';
import { registerTariffs } from './commands/tariffs.js';
import { registerReport } from './commands/report.js';
import { registerExplain } from './commands/explain.js';

const isFolder = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

export const EXIT = { ok: 0, failed: 1, input: 2, busy: 75 } as const;

export function buildProgram(): Command {
  const program = new Command('esep')
    .description('esep: billing runner of the operator (public offer to individuals)')
    .option('--db <path>', 'SQLite database (default: $ESEP_DB, else ./esep.db)')
    .option('--json', 'machine-readable output')
    .option('--verbose', 'show stack traces of unexpected errors')
    .option('--config <path>', 'configuration file (default: $ESEP_CONFIG, else ./esep.config.json if it exists)')
    .showHelpAfterError()
    .exitOverride();
  registerInit(program);
  registerImport(program);
  const account = registerAccount(program);
  registerVerify(program);
  registerPayments(program);
  registerRefunds(program);
  // the billing jobs: each job registers its subcommand of `esep run`
  const run = program.command('run').description('the billing jobs (cron runs them every night)');
  registerRunDebit(run);
  registerRunCollection(run);
  registerRunInvoices(run);
  registerAccess(program);
  registerConfig(program);
  registerBackup(program);
  registerSchedule(program);
  registerDebtors(program);
  registerNotices(program);
  registerAdmin(program, account);
  registerSend(program);
  registerOutbox(program);
  registerStatus(program);
  registerTariffs(program);
  registerReport(program);
  registerExplain(program);
  for (const cmd of program.commands) applyExitOverride(cmd);
  return program;
}

function applyExitOverride(cmd: Command): void {
  cmd.exitOverride();
  for (const sub of cmd.commands) applyExitOverride(sub);
}

export async function main(argv: string[]): Promise<number> {
  // `esep outbox | head`: the reader went away; stop quietly, as a Unix tool does
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.input;
    }
    if (error instanceof InputError) {
      process.stderr.write(`esep: refused, nothing was changed:\n${error.problems.map((p) => `  ${describeProblem(p)}`).join('\n')}\n`);
      return EXIT.input;
    }
    if (error instanceof NoDatabaseError || error instanceof DatabaseRefusedError) {
      process.stderr.write(`esep: ${error.message}\n`);
      return EXIT.input;
    }
    if (error instanceof BusyError) {
      process.stderr.write(`esep: ${error.message}\n`);
      return EXIT.busy;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') {
      // a folder given where a file was expected is bad usage, never a failure
      const folder = (error as NodeJS.ErrnoException).path ?? argv.slice(2).find((a) => isFolder(a)) ?? 'FILE';
      process.stderr.write(`esep: refused, nothing was changed:\n  ${folder}: is a folder, a file was expected\n`);
      return EXIT.input;
    }
    if ((code === 'ENOTDIR' || (code === 'EEXIST' && (error as NodeJS.ErrnoException).syscall === 'mkdir')) && (error as NodeJS.ErrnoException).path) {
      // a file given where a folder was expected (--out FILE, --dry-run FILE): bad usage as well
      process.stderr.write(`esep: refused:\n  ${(error as NodeJS.ErrnoException).path}: a file is in the way of a folder, a folder was expected\n`);
      return EXIT.input;
    }
    const dbFile = program.opts<{ db?: string }>().db ?? process.env.ESEP_DB ?? 'esep.db';
    if (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) {
      // db/connection.ts opens a database file that may not be written read-only
      process.stderr.write(`esep: refused, nothing was changed:\n  ${dbFile}: the database is read-only and this command writes to it (commands that only read, such as \`account show\` and \`verify\`, work)\n`);
      return EXIT.input;
    }
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
      process.stderr.write(`esep: failed: ${dbFile} is damaged (${(error as Error).message}): \`esep verify\` runs SQLite's integrity check; \`esep restore BACKUP\` replaces it\n`);
      return EXIT.failed;
    }
    const verbose = program.opts<{ verbose?: boolean }>().verbose || process.argv.includes('--verbose');
    process.stderr.write(`esep: failed: ${(error as Error).message ?? String(error)}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return EXIT.failed;
  }
}
