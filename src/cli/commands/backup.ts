import type { Command } from 'commander';
import { autoBackup, backupDatabase, restoreDatabase } from '../../jobs/backup.js';
import { configOf, dbPath, globals, print, printJson, withDb } from '../context.js';
import { formatTime } from '../../domain/dates.js';

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** `esep backup` and `esep restore` (src/jobs/backup.ts has the rules). */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the database with SQLite online backup (consistent while jobs run); without --to: an automatic backup into output.backups_dir')
    .option('--to <file>', 'the backup file')
    .option('--force', 'overwrite the --to file if it exists')
    .action(async (options: { to?: string; force?: boolean }, cmd: Command) => {
      await withDb(cmd, async (db) => {
        if (options.to !== undefined) {
          const result = await backupDatabase(db, options.to, { force: options.force });
          if (globals(cmd).json) printJson(result);
          else print(`backup: ${result.file} (${megabytes(result.bytes)})`);
          return;
        }
        const result = await autoBackup(db, configOf(cmd), 'manual');
        if (globals(cmd).json) printJson(result);
        else print(`backup: ${result.file} (${megabytes(result.bytes)})${result.pruned.length ? `; pruned ${result.pruned.length} old` : ''}`);
      });
    });
  program
    .command('restore')
    .argument('<file>', 'a backup made by `esep backup`')
    .description('replace the database with a backup; refuses a database newer than the backup without --force, and runs only when no job does')
    .option('--force', 'overwrite even a database that is newer than the backup')
    .action(async (file: string, options: { force?: boolean }, cmd: Command) => {
      const result = await restoreDatabase(file, dbPath(cmd), { force: options.force });
      if (globals(cmd).json) printJson(result);
      else {
        const b = result.backup;
        print(
          `restored ${result.to} from ${result.from} (ledger up to #${b.maxLedgerId}, last job ${b.lastRunAt === null ? 'none' : `${formatTime(b.lastRunAt)} Almaty time`})` +
            (result.damaged ? '; the database replaced was damaged (--force)' : result.forced ? '; the database replaced was newer (--force)' : ''),
        );
      }
    });
}
