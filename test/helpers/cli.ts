// Runs the built `esep` binary (bin/esep → dist/) as a separate process, as cron and scripts do.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARIFFS_CSV } from './fixtures.js';
import { writeText } from './tmp.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'esep');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The folder the binary runs in: a temporary one, so that what a command writes by default
 * (invoices/, notices/, backups/ under the working folder) never lands in the repository.
 */
let workdir: string | undefined;
function cwd(): string {
  workdir ??= mkdtempSync(path.join(tmpdir(), 'esep-cwd-'));
  return workdir;
}

/**
 * The binary on today's real date: ESEP_TODAY is cleared, so that a date after today is refused as
 * it is in production (D-12). A test whose dates are after the real today says so with esepWith.
 */
export function esep(db: string, ...args: string[]): Run {
  return esepWith({}, db, ...args);
}

/** The binary with extra environment, e.g. `{ ESEP_TODAY: '2026-12-31' }` for a test that plays ahead of the real today. */
export function esepWith(env: Record<string, string>, db: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], {
    encoding: 'utf8',
    cwd: cwd(),
    env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '', ESEP_TODAY: '', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function esepJson<T = unknown>(db: string, ...args: string[]): T {
  const r = esep(db, '--json', ...args);
  if (r.code !== 0) throw new Error(`esep ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/**
 * Through the binary, as an operator's admin sets up: `init`, the demo operator, TARIFFS_CSV and the
 * accounts CSV (`accounts`, its header line first) imported on `date`. Throws with the step's stderr.
 */
export function initWorld(db: string, dir: string, accounts: string, date: string): void {
  const steps: string[][] = [
    ['init'],
    ['import', 'operator', path.join(ROOT, 'fixtures', 'demo', 'operator.json')],
    ['import', 'tariffs', writeText(dir, 'tariffs.csv', TARIFFS_CSV)],
    ['import', 'accounts', writeText(dir, 'accounts.csv', accounts), '--date', date],
  ];
  for (const args of steps) {
    const r = esep(db, ...args);
    if (r.code !== 0) throw new Error(`esep ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  }
}
