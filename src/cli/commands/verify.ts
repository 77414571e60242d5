import type { Command } from 'commander';
import { verify } from '../../jobs/verify.js';
import { globals, print, printJson, withDb } from '../context.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check the invariants of SPEC section 6; exit 1 naming each account that breaks one')
    .action((_options: unknown, cmd: Command) => {
      const violations = withDb(cmd, (db) => verify(db));
      if (globals(cmd).json) printJson({ ok: violations.length === 0, violations });
      else if (violations.length === 0) print('verify: all invariants hold');
      else {
        for (const v of violations) print(`${v.account ? `account ${v.account}` : 'database'}: ${v.invariant}: ${v.detail}`);
        print(`verify: ${violations.length} violation(s)`);
      }
      if (violations.length > 0) process.exitCode = 1;
    });
}
