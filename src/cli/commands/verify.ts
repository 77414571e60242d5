import type { Command } from 'commander';
import { fileIntegrityProblems, INTEGRITY, verify, type Violation } from '../../jobs/verify.js';
import { dbPath, globals, print, printJson, withDb } from '../context.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description("SQLite's integrity check of the file, then the invariants of SPEC section 6; exit 1 naming each account that breaks one")
    .action((_options: unknown, cmd: Command) => {
      let violations: Violation[];
      try {
        violations = withDb(cmd, (db) => verify(db));
      } catch (error) {
        // too damaged to be opened and read at all: SQLite's integrity check of the file says where
        const code = (error as { code?: unknown }).code;
        if (code !== 'SQLITE_CORRUPT' && code !== 'SQLITE_NOTADB') throw error;
        const damage = fileIntegrityProblems(dbPath(cmd));
        violations = (damage.length > 0 ? damage : [(error as Error).message]).map((detail) => ({ invariant: INTEGRITY, account: null, detail }));
      }
      if (globals(cmd).json) printJson({ ok: violations.length === 0, violations });
      else if (violations.length === 0) print('verify: all invariants hold');
      else {
        for (const v of violations) print(`${v.account ? `account ${v.account}` : 'database'}: ${v.invariant}: ${v.detail}`);
        print(`verify: ${violations.length} violation(s)`);
      }
      if (violations.length > 0) process.exitCode = 1;
    });
}
