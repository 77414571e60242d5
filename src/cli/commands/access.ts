import type { Command } from 'commander';
import { accessEventsSince } from '../../db/access.js';
import { toExcelCsv } from '../../io/csv.js';
import { globals, printJson, requiredDate, withDb } from '../context.js';

export function registerAccess(program: Command): void {
  program
    .command('access')
    .description('suspend, restore and terminate events for the network team, as CSV')
    .requiredOption('--since <date>', 'events of this day and later')
    .action((options: { since: string }, cmd: Command) => {
      const since = requiredDate(options.since, '--since');
      const rows = withDb(cmd, (db) => accessEventsSince(db, since));
      if (globals(cmd).json) {
        printJson(rows.map((r) => ({ id: r.id, account: r.account, date: r.valueDate, at: r.at, event: r.event, reason: r.reason })));
        return;
      }
      process.stdout.write(
        toExcelCsv(
          ['id', 'account', 'date', 'at', 'event', 'reason'],
          rows.map((r) => [r.id, r.account, r.valueDate, r.at, r.event, r.reason]),
          { bom: false },
        ),
      );
    });
}
