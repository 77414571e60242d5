// A database esep must not use as it is (issue 14), through the built binary (`npm run build` first):
//   - a page of the file damaged: `restore` refuses it as a backup (exit 2, naming the file and the
//     integrity check), `verify` names SQLite's integrity check (exit 1); a damaged database is
//     replaced by a backup only with --force;
//   - a migration this esep does not know (a newer esep wrote the file): every command refuses it
//     (exit 2) and the file is left byte for byte as it was;
//   - a file without write permission: read and verified without migrating; a command that writes
//     is refused (exit 2) saying the database is read-only; one that still needs a migration is
//     refused. The tests run as root, whom permissions do not stop: a file with no write bit at all
//     (chmod 0444) is read-only to esep for root too (db/connection.ts).
import { chmodSync, copyFileSync, openSync, readFileSync, closeSync, writeSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { esep } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const BASE = path.join(dir, 'base.db');
const SLOW = 120_000;
const PAGE = 4096;

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function copy(name: string): string {
  const file = path.join(dir, name);
  copyFileSync(BASE, file);
  return file;
}

function withSqlite<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

beforeAll(() => {
  expect(esep(BASE, 'init', '--demo', '20', '--date', '2026-11-01').code).toBe(0);
  expect(withSqlite(BASE, (db) => db.pragma('page_size', { simple: true }))).toBe(PAGE);
  // no free page: whichever page is damaged, it is one SQLite reads (a free page's bytes are no one's)
  withSqlite(BASE, (db) => db.exec('VACUUM'));
  expect(withSqlite(BASE, (db) => db.pragma('freelist_count', { simple: true }))).toBe(0);
}, SLOW);

describe('a damaged file', () => {
  it('is refused by restore and named by verify; the database it would replace is untouched', () => {
    const damaged = copy('damaged.db');
    // one whole page in the middle of the file overwritten: a b-tree page no longer is one
    const pages = statSync(damaged).size / PAGE;
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(PAGE, 0xa5), 0, PAGE, Math.floor(pages / 2) * PAGE);
    closeSync(fd);

    const target = copy('target.db');
    const before = digest(target);
    const restore = esep(target, 'restore', damaged);
    expect(restore.code).toBe(2);
    expect(restore.stderr).toContain(`${damaged} is damaged: SQLite's integrity check fails`);
    expect(digest(target)).toBe(before);

    const verify = esep(damaged, 'verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/^database: SQLite's integrity check: .+$/m);
    expect(verify.stdout).not.toContain('all invariants hold');

    // the whole file passes both
    expect(esep(BASE, 'verify').stdout).toContain('verify: all invariants hold');
  }, SLOW);

  it('is replaced by a whole backup only with --force, and the result passes verify', () => {
    const damaged = copy('damaged-live.db');
    const backup = copy('whole-backup.db');
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(PAGE, 0xa5), 0, PAGE, Math.floor(statSync(damaged).size / PAGE / 2) * PAGE);
    closeSync(fd);
    const before = digest(damaged);
    const refused = esep(damaged, 'restore', backup);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`--db: ${damaged} is damaged (SQLite's integrity check: `);
    expect(refused.stderr).toContain('pass --force to replace it with the backup');
    expect(digest(damaged)).toBe(before);

    const forced = esep(damaged, 'restore', backup, '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('the database replaced was damaged (--force)');
    const verify = esep(damaged, 'verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('verify: all invariants hold');
  }, SLOW);
});

describe('a database written by a newer esep', () => {
  it('is refused by every command, exit 2, and left as it was', () => {
    const newer = copy('newer.db');
    // a migration of a later esep: an instant after this one's newest, a hash of its own
    withSqlite(newer, (db) => {
      const latest = Number((db.prepare('SELECT MAX(created_at) AS at FROM __drizzle_migrations').get() as { at: number }).at);
      db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('e'.repeat(64), latest + 86_400_000);
    });
    const before = digest(newer);
    for (const args of [['account', 'show', '100001'], ['run', 'day', '--date', '2026-11-02'], ['verify'], ['init'], ['outbox'], ['backup', '--to', path.join(dir, 'newer-copy.db')]]) {
      const r = esep(newer, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`${newer} was written by a newer esep: it has 1 migration(s) this one does not know`);
      expect(r.stderr).toContain('hash eeeeeeeeeeee');
    }
    const restore = esep(path.join(dir, 'fresh.db'), 'restore', newer);
    expect(restore.code).toBe(2);
    expect(restore.stderr).toContain('was written by a newer esep');
    expect(digest(newer)).toBe(before);
  }, SLOW);
});

describe('a read-only database', () => {
  it('is read and verified without migrating; a command that writes is refused, saying so', () => {
    const file = copy('readonly.db');
    chmodSync(file, 0o444);
    const before = digest(file);
    const verify = esep(file, 'verify');
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('verify: all invariants hold');
    const show = esep(file, '--json', 'account', 'show', '100001');
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ account: '100001' });

    const day = esep(file, 'run', 'day', '--date', '2026-11-02');
    expect(day.code).toBe(2);
    expect(day.stderr).toContain(`${file}: the database is read-only and this command writes to it`);
    expect(digest(file)).toBe(before);
  }, SLOW);

  it('that still needs a migration of this esep is refused, naming how to migrate it', () => {
    const file = copy('readonly-old.db');
    // as if the newest migration had not been applied yet
    withSqlite(file, (db) => db.prepare('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT MAX(created_at) FROM __drizzle_migrations)').run());
    chmodSync(file, 0o444);
    const before = digest(file);
    const r = esep(file, 'account', 'show', '100001');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} is read-only and this esep has 1 migration(s) to apply to it: make it writable and run \`esep init\` once`);
    expect(digest(file)).toBe(before);
  }, SLOW);
});
