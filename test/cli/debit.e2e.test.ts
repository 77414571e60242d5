// Daily debits through the built binary: crash safety (SIGKILL inside and between batches),
// two runs at once, dry run, the access export.
import { postWithPayments } from '../helpers/db.js';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase } from '../../src/db/connection.js';
import { BIN, esep } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const base = path.join(dir, 'base.db');
const DAY = '2026-11-25';

function runWith(db: string, env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Everything the debit job writes, in a form two databases can be compared by. */
function state(file: string) {
  const db = openDatabase(file);
  try {
    return {
      ledger: db.sqlite.prepare('SELECT account, value_date, kind, amount, key FROM ledger ORDER BY key').all(),
      accounts: db.sqlite.prepare('SELECT account, status, suspend_reason, balance, debited_through FROM accounts ORDER BY account').all(),
      events: db.sqlite.prepare('SELECT account, value_date, event, reason FROM access_events ORDER BY account, value_date, event').all(),
    };
  } finally {
    db.close();
  }
}

beforeAll(() => {
  expect(esep(base, 'init', '--demo', '120', '--date', DAY).code).toBe(0);
  // some subscribers paid 2 000 ₸ on the 1st of each of the last three months
  const db = openDatabase(base);
  const accounts = db.sqlite.prepare(`SELECT account FROM accounts WHERE method = 'advance' ORDER BY account`).all() as { account: string }[];
  inTransaction(db, () =>
    postWithPayments(
      db,
      accounts.flatMap(({ account }, i) =>
        i % 3 === 0
          ? []
          : ['2026-09-01', '2026-10-01', '2026-11-01'].map((d) => ({ account, valueDate: d, kind: 'payment' as const, amount: 200_000, key: `seed:${account}:${d}` })),
      ),
    ),
  );
  db.close();
});

describe('run debit through the binary', () => {
  it('killed inside a batch and between batches, a rerun ends exactly where an uninterrupted run does', () => {
    const straight = path.join(dir, 'straight.db');
    const crashed = path.join(dir, 'crashed.db');
    copyFileSync(base, straight);
    copyFileSync(base, crashed);

    const ok = runWith(straight, { ESEP_BATCH_SIZE: '10' }, 'run', 'debit', '--date', DAY);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^debit 2026-11-25: \d+ accounts, \d+ account-days: \d+ daily fees/);

    const killedInside = runWith(crashed, { ESEP_BATCH_SIZE: '10', ESEP_FAILPOINT: 'in-batch:2' }, 'run', 'debit', '--date', DAY);
    expect(killedInside.signal).toBe('SIGKILL');
    const killedBetween = runWith(crashed, { ESEP_BATCH_SIZE: '10', ESEP_FAILPOINT: 'after-batch:3' }, 'run', 'debit', '--date', DAY);
    expect(killedBetween.signal).toBe('SIGKILL');
    const finished = runWith(crashed, { ESEP_BATCH_SIZE: '10' }, 'run', 'debit', '--date', DAY);
    expect(finished.code).toBe(0);

    expect(state(crashed)).toEqual(state(straight));
    expect(esep(crashed, 'verify').code).toBe(0);
    // the killed runs are journaled as interrupted, not left running
    const db = openDatabase(crashed);
    const runs = db.sqlite.prepare(`SELECT outcome FROM job_runs WHERE job = 'debit' ORDER BY id`).all();
    db.close();
    expect(runs).toEqual([{ outcome: 'interrupted' }, { outcome: 'interrupted' }, { outcome: 'ok' }]);
    // and a rerun posts nothing
    expect(runWith(straight, {}, 'run', 'debit', '--date', DAY).stdout).toContain(': 0 accounts, 0 account-days');
  });

  it('two runs at once: one works, the other waits or exits 75; nothing is doubled', async () => {
    const both = path.join(dir, 'both.db');
    copyFileSync(base, both);
    const start = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [BIN, '--db', both, 'run', 'debit', '--date', DAY], { env: { ...process.env, ESEP_BATCH_SIZE: '5' } });
        child.on('exit', (code) => resolve(code));
      });
    const codes = await Promise.all([start(), start()]);
    expect(codes.every((c) => c === 0 || c === 75)).toBe(true);
    expect(codes).toContain(0);
    expect(esep(both, 'verify').code).toBe(0);
    const straight = path.join(dir, 'straight2.db');
    copyFileSync(base, straight);
    runWith(straight, {}, 'run', 'debit', '--date', DAY);
    expect(state(both)).toEqual(state(straight));
  });

  it('a dry run prints the entries and writes nothing', () => {
    const dry = path.join(dir, 'dry.db');
    copyFileSync(base, dry);
    const before = state(dry);
    const r = runWith(dry, {}, 'run', 'debit', '--date', '2026-11-02', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\t2026-\d\d-\d\d\t(daily_fee|port_reservation|installation)\t-\d+\.\d\d$/m);
    expect(r.stdout).toContain('dry run, nothing written: debit 2026-11-02');
    expect(state(dry)).toEqual(before);
  });

  it('exports suspensions and restorations for the network team', () => {
    const db = path.join(dir, 'straight.db');
    const r = esep(db, 'access', '--since', '2026-11-01');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('id,account,date,at,event,reason,cause,address');
    expect(lines.length).toBeGreaterThan(1);
    // the time of recording in Almaty time with its offset; the cause as a code; the address
    for (const line of lines.slice(1)) expect(line).toMatch(/^\d+,\d+,2026-11-\d\d,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:00,(suspend|restore),"?funds: .*,funds,.+$/);
    expect(esep(db, 'access', '--since', 'yesterday').code).toBe(2);
  });
});
