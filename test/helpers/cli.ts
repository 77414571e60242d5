// Runs the built `esep` binary (bin/esep → dist/) as a separate process, as cron and scripts do.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'esep');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function esep(db: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8', env: { ...process.env, ESEP_DB: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function esepJson<T = unknown>(db: string, ...args: string[]): T {
  const r = esep(db, '--json', ...args);
  if (r.code !== 0) throw new Error(`esep ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
