// Exit codes of ordinary slips (issue 14), through the built binary (`npm run build` first): a
// folder given as a file, a file given as a folder (`run invoices --out FILE`, `send --dry-run
// FILE`) and a folder that cannot be made (under /proc, where Node's own recursive mkdir never
// returns) are bad usage, exit 2, with the database byte for byte as it was; output into a closed
// pipe (`esep outbox | head`) ends quietly.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, esep, initWorld } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const db = path.join(dir, 'esep.db');
const FILE = path.join(dir, 'a-file.txt');
const SLOW = 120_000;

const digest = () => createHash('sha256').update(readFileSync(db)).digest('hex');

beforeAll(() => {
  initWorld(db, dir, [ACCOUNT_HEADER, `1001,${IIN_A},Гауһар Әбенқызы,"г. Алматы, пр. Абая, 1",gauhar@example.kz,,credit,HOME100,2026-10-16,yes`].join('\n'), '2026-10-01');
  expect(esep(db, 'run', 'debit', '--date', '2026-10-31').code).toBe(0);
  writeFileSync(FILE, 'not a folder\n');
}, SLOW);

describe('bad usage: exit 2, nothing changed', () => {
  const cases: [string, string[], string][] = [
    ['run invoices --out FILE', ['run', 'invoices', '--period', '2026-10', '--out', FILE], `--out: ${FILE} is a file, a folder was expected`],
    ['run invoices --out under /proc', ['run', 'invoices', '--period', '2026-10', '--out', '/proc/esep-test/invoices'], '--out: cannot make the folder /proc/esep-test (ENOENT)'],
    ['send --dry-run FILE', ['send', 'invoices', '--period', '2026-10', '--dry-run', FILE], `--dry-run: ${FILE} is a file, a folder was expected`],
    ['send --dry-run under /proc', ['send', 'notices', '--dry-run', '/proc/esep-test'], '--dry-run: cannot make the folder /proc/esep-test (ENOENT)'],
    ['a folder as the file to import', ['import', 'accounts', dir], `${dir}: is a folder, a file was expected`],
    ['a folder as the operator file', ['import', 'operator', dir], `${path.basename(dir)}: is a folder, a file was expected`],
    ['a folder as the configuration', ['--config', dir, 'account', 'show', '1001'], `${dir}: is a folder, a file was expected`],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const before = digest();
      const r = esep(db, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('refused, nothing was changed');
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(digest()).toBe(before);
    }, SLOW);
  }
});

describe('a reader that went away', () => {
  it('`esep outbox | head`: the pipe closed before esep writes, it exits 0 with nothing on stderr', async () => {
    const child = spawn(process.execPath, [BIN, '--db', db, 'outbox'], { cwd: dir, env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '' } });
    // the reading end closed at once, as `head` does once it has its lines
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, SLOW);
});
