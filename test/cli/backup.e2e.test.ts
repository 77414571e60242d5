// esep backup / esep restore through the built binary: a backup taken while a job runs in another
// process, restore's refusals (newer database, not an esep file, busy) and its round trip.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { BIN, esep } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const base = path.join(dir, 'base.db');
const DAY = '2026-11-25';

function ledgerOf(file: string) {
  const db = openDatabase(file);
  try {
    return db.sqlite.prepare('SELECT id, account, value_date, kind, amount, key FROM ledger ORDER BY id').all();
  } finally {
    db.close();
  }
}

beforeAll(() => {
  expect(esep(base, 'init', '--demo', '60', '--date', '2026-11-01').code).toBe(0);
});

describe('esep backup', () => {
  it('taken while a job writes in another process, the copy passes verify', async () => {
    const live = path.join(dir, 'live.db');
    copyFileSync(base, live);
    const job = spawn(process.execPath, [BIN, '--db', live, 'run', 'debit', '--date', DAY], {
      env: { ...process.env, ESEP_BATCH_SIZE: '5' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => job.on('exit', (code) => resolve(code)));
    const copy = path.join(dir, 'live-copy.db');
    const r = esep(live, 'backup', '--to', copy);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`backup: ${copy}`);
    expect(await exited).toBe(0);
    expect(esep(copy, 'verify').code).toBe(0);
    // an existing file is not overwritten without --force
    expect(esep(live, 'backup', '--to', copy).code).toBe(2);
    expect(esep(live, 'backup', '--to', copy, '--force').code).toBe(0);
  }, 120_000);

  it('without --to: an automatic backup into output.backups_dir', () => {
    const config = path.join(dir, 'backup.config.json');
    writeFileSync(config, JSON.stringify({ output: { backups_dir: 'auto-backups' }, backup: { keep: 2 } }));
    for (let i = 0; i < 3; i++) expect(esep(base, '--config', config, 'backup').code).toBe(0);
    const files = readdirSync(path.join(dir, 'auto-backups'));
    expect(files.length).toBeLessThanOrEqual(2);
    expect(files.every((f) => /^esep-\d{8}-\d{6}-manual(-\d+)?\.db$/.test(f))).toBe(true);
  }, 60_000);
});

describe('esep restore', () => {
  it('refuses a newer database without --force; restores with it; the round trip gives the backup back', () => {
    const db = path.join(dir, 'work.db');
    copyFileSync(base, db);
    const backup = path.join(dir, 'work-before.db');
    expect(esep(db, 'backup', '--to', backup).code).toBe(0);
    const before = ledgerOf(db);
    expect(esep(db, 'run', 'debit', '--date', DAY).code).toBe(0);
    expect(ledgerOf(db).length).toBeGreaterThan(before.length);

    const refused = esep(db, 'restore', backup);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is newer than the backup');
    expect(refused.stderr).toContain('--force');
    expect(ledgerOf(db).length).toBeGreaterThan(before.length);

    const forced = esep(db, 'restore', backup, '--force');
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('newer (--force)');
    expect(ledgerOf(db)).toEqual(before);
    expect(esep(db, 'verify').code).toBe(0);
    // the day can be run again on the restored database
    expect(esep(db, 'run', 'debit', '--date', DAY).code).toBe(0);

    // into a new file, no --force needed
    const fresh = path.join(dir, 'fresh.db');
    expect(esep(fresh, 'restore', backup).code).toBe(0);
    expect(ledgerOf(fresh)).toEqual(before);
  }, 120_000);

  it('refuses a file that is not an esep database', () => {
    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'this is not a database\n'.repeat(100));
    const other = path.join(dir, 'other.sqlite');
    const foreign = new Database(other);
    foreign.exec('CREATE TABLE t (x INTEGER)');
    foreign.close();
    for (const file of [text, other, path.join(dir, 'missing.db')]) {
      const r = esep(base, 'restore', file);
      expect(r.code).toBe(2);
    }
    expect(esep(base, 'restore', other).stderr).toContain('is not an esep database (no table');
  }, 60_000);

  it('exits 75 while a job holds the writer lock', () => {
    const db = path.join(dir, 'busy.db');
    copyFileSync(base, db);
    const backup = path.join(dir, 'busy-backup.db');
    expect(esep(db, 'backup', '--to', backup).code).toBe(0);
    const handle = openDatabase(db);
    // a live process on this host (the test runner) holds the lock
    handle.sqlite
      .prepare(`INSERT INTO job_locks (name, pid, host, job, acquired_at) VALUES ('writer', ?, ?, 'debit', '2026-11-25T00:00:00Z')`)
      .run(process.pid, hostname());
    handle.close();
    const r = spawnSync(process.execPath, [BIN, '--db', db, 'restore', backup, '--force'], { encoding: 'utf8' });
    expect(r.status).toBe(75);
    expect(r.stderr).toContain('busy');
  });
});
