import type { Command } from 'commander';
import { InputError } from '../../domain/errors.js';
import { loadDemo } from '../../jobs/demo.js';
import { heldData } from '../../db/accounts.js';
import { dateOption, dbPath, positiveInt, print, printJson, globals, withDb } from '../context.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create or migrate the database; --demo N also loads a demo operator, tariffs and N accounts')
    .option('--demo <n>', 'load the demo operator, tariffs and N subscribers from fixtures/')
    .option('--seed <n>', 'seed of the demo generator', '1')
    .option('--demo-months <n>', 'spread the demo connection dates over this many months before --date', '12')
    .option('--date <date>', 'today (YYYY-MM-DD), default today in Asia/Almaty')
    .action(async (options: { demo?: string; seed: string; demoMonths: string; date?: string }, cmd: Command) => {
      const n = options.demo === undefined ? undefined : positiveInt(options.demo, '--demo');
      const monthsBack = positiveInt(options.demoMonths, '--demo-months');
      if (monthsBack < 1) throw new InputError([{ field: '--demo-months', message: 'must be at least 1' }]);
      const seed = positiveInt(options.seed, '--seed');
      const today = dateOption(options.date);
      await withDb(
        cmd,
        async (db) => {
          if (n !== undefined) {
            // the demo's operator and fake subscribers must never mix into real data
            const held = heldData(db);
            if (held.accounts + held.entries + held.payments > 0 || held.operator !== null) {
              const what = [`${held.accounts} account(s)`, `${held.entries} ledger entries`, `${held.payments} payment(s)`, held.operator ? `the operator «${held.operator}»` : 'no operator'];
              throw new InputError([
                { field: '--demo', message: `the database ${dbPath(cmd)} already holds data (${what.join(', ')}): the demo loads only into a new, empty database (another --db)` },
              ]);
            }
          }
          const loaded = n === undefined ? undefined : await loadDemo(db, n, { seed, today, monthsBack });
          if (globals(cmd).json) printJson({ db: dbPath(cmd), demo: loaded ?? null });
          else {
            print(`database ready: ${dbPath(cmd)}`);
            if (loaded) print(`demo: ${loaded.tariffs} tariffs, ${loaded.accounts} accounts`);
          }
        },
        { create: true },
      );
    });
}
