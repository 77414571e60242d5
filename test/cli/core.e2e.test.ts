// The CLI end to end: the built binary, a temporary database, real files.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, esep, esepJson } from '../helpers/cli.js';
import { openDatabase } from '../../src/db/connection.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B, TARIFFS_CSV } from '../helpers/fixtures.js';
import { tempDir, writeText } from '../helpers/tmp.js';

const dir = tempDir();

describe('esep core commands', () => {
  const db = path.join(dir, 'core.db');

  it('init creates the database', () => {
    const r = esep(db, 'init');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(db)).toBe(true);
    // again: still fine (migrations are applied once)
    expect(esep(db, 'init').code).toBe(0);
  });

  it('imports tariffs and accounts and shows an account', () => {
    expect(esep(db, 'import', 'tariffs', writeText(dir, 'tariffs.csv', TARIFFS_CSV)).stdout).toContain('tariffs: 3 added, 0 updated, 0 unchanged');
    const accounts = [
      ACCOUNT_HEADER,
      `1001,${IIN_A},Әбенов Қанат,"г. Алматы, пр. Абая, 1",kanat@example.kz,+7 701 111 22 33,credit,HOME100,2026-10-16,yes`,
      `1002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",,,advance,HOME300,2026-11-01,no`,
    ].join('\n');
    const r = esep(db, 'import', 'accounts', writeText(dir, 'accounts.csv', accounts), '--date', '2026-11-25');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('accounts: 2 added');

    const shown = esepJson<Record<string, unknown>>(db, 'account', 'show', '1001', '--date', '2026-11-25');
    expect(shown).toMatchObject({
      account: '1001',
      status: 'active',
      suspend_reason: null,
      method: 'credit',
      balance: '0.00',
      debt: '0.00',
      penalty_debt: '0.00',
      refund_due_on: null,
      equipment_return_by: null,
      name: 'Әбенов Қанат',
      iin: IIN_A,
      tariff: 'HOME100',
    });
    const text = esep(db, 'account', 'show', '1002');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Иванова Мария');
    expect(text.stdout).toContain('premises not owned');
  });

  it('prints a statement as a table, as CSV and as JSON', () => {
    const r = esep(db, 'account', 'statement', '1001', '--from', '2026-11-01', '--to', '2026-11-30');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Opening balance 0,00 ₸');
    const csv = esep(db, 'account', 'statement', '1001', '--from', '2026-11-01', '--to', '2026-11-30', '--csv');
    expect(csv.stdout.startsWith('value_date,kind,amount,balance,memo\r\n2026-11-01,opening,,0.00,')).toBe(true);
    const json = esepJson<{ opening: string; closing: string; entries: unknown[] }>(db, 'account', 'statement', '1001', '--from', '2026-11-01', '--to', '2026-11-30');
    expect(json).toMatchObject({ opening: '0.00', closing: '0.00', entries: [] });
  });

  it('verify passes on a consistent database', () => {
    const r = esep(db, 'verify');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('all invariants hold');
  });

  it('refuses a bad file with exit 2, naming file, line and field, and changes nothing', () => {
    const bad = [ACCOUNT_HEADER, `1003,${IIN_A.slice(0, 11)}0,X,addr,,,credit,HOME100,2026-11-01,yes`, `1004,${IIN_B},Y,addr,,,credit,HOME100,2026-11-01,no`].join('\n');
    const file = writeText(dir, 'bad-accounts.csv', bad);
    const r = esep(db, 'import', 'accounts', file, '--date', '2026-11-25');
    const name = path.basename(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refused, nothing was changed');
    if (IIN_A.slice(0, 11) + '0' !== IIN_A) expect(r.stderr).toContain(`${name}, line 2, iin: IIN check digit is wrong`);
    expect(r.stderr).toContain(`${name}, line 3, method: premises not owned by the subscriber: only the advance method is allowed (cl. 7)`);
    expect(esepJson<Record<string, unknown>>(db, 'account', 'show', '1002')).toMatchObject({ account: '1002' });
    expect(esep(db, 'account', 'show', '1004').code).toBe(2);
  });

  it('answers bad usage with exit 2 and help with exit 0', () => {
    expect(esep(db, 'account', 'show', 'NOPE').code).toBe(2);
    expect(esep(db, 'account', 'statement', '1001', '--from', '2026-13-01', '--to', '2026-11-30').code).toBe(2);
    expect(esep(db, 'no-such-command').code).toBe(2);
    expect(esep(db, 'import', 'tariffs', path.join(dir, 'missing.csv'))).toMatchObject({ code: 2, stderr: expect.stringContaining('missing.csv: no such file') });
    const help = esep(db, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('import');
    expect(esep(path.join(dir, 'nowhere.db'), 'verify')).toMatchObject({ code: 2, stderr: expect.stringContaining('run `esep init` first') });
    // a folder where a file is expected is bad usage (exit 2, named), never EISDIR exit 1
    for (const args of [['import', 'tariffs', dir], ['import', 'accounts', dir], ['payments', 'import', dir]]) {
      expect(esep(db, ...args)).toEqual({ code: 2, stdout: '', stderr: `esep: refused, nothing was changed:\n  ${dir}: is a folder, a file was expected\n` });
    }
  });

  it('stops quietly when the reader of its output goes away (esep … | head)', () => {
    // the statement is longer than what `head -1` reads; the shell reports esep's own exit code
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" --db "${db}" account statement 1001 --from 2026-01-01 --to 2026-12-31 | head -c 1 > /dev/null`], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('verify exits 1 and names the account when an invariant breaks', async () => {
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(db);
    raw.prepare(`UPDATE accounts SET balance = 1 WHERE account = '1001'`).run();
    raw.close();
    const r = esep(db, 'verify');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('account 1001: balance = sum of entries: balance 0,01 ₸ but entries sum to 0,00 ₸');
  });
});

describe('esep init --demo', () => {
  it('loads the demo operator, tariffs and N accounts', () => {
    const db = path.join(dir, 'demo.db');
    const r = esepJson<{ demo: { accounts: number; tariffs: number } }>(db, 'init', '--demo', '25', '--date', '2026-11-25');
    expect(r.demo.accounts).toBe(25);
    expect(esep(db, 'verify').code).toBe(0);
  });

  it('refuses to load the demo into a database that holds data, and changes nothing', () => {
    const db = path.join(dir, 'demo-twice.db');
    expect(esep(db, 'init', '--demo', '3', '--date', '2026-11-25').code).toBe(0);
    const count = () => {
      const d = openDatabase(db);
      try {
        return d.sqlite.prepare('SELECT (SELECT COUNT(*) FROM accounts) AS accounts, (SELECT COUNT(*) FROM job_runs) AS runs').get();
      } finally {
        d.close();
      }
    };
    const before = count();
    const again = esep(db, 'init', '--demo', '3', '--date', '2026-11-25', '--seed', '2');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`--demo: the database ${db} already holds data (3 account(s), 0 ledger entries, 0 payment(s), the operator «`);
    expect(again.stderr).toContain('the demo loads only into a new, empty database (another --db)');
    expect(count()).toEqual(before);
    // a plain init still opens (and migrates) it
    expect(esep(db, 'init').code).toBe(0);
    expect(count()).toEqual(before);
  });
});
