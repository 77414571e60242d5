// Backups in-process: consistent while another connection writes, automatic backups named and
// pruned, the month-end backup taken once, the "newer" rule of restore.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inTransaction, openDatabase, type Db } from '../../src/db/connection.js';
import {
  autoBackup,
  backupDatabase,
  isNewer,
  listAutoBackups,
  monthEndBackup,
  MONTH_END_BACKUP_ENV,
  restoreDatabase,
} from '../../src/jobs/backup.js';
import { verify } from '../../src/jobs/verify.js';
import { InputError } from '../../src/domain/errors.js';
import { addAccount, addTariff, postWithPayments } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

function fileDb(name: string, accounts = 20): Db {
  const db = openDatabase(path.join(dir, name), { create: true });
  addTariff(db, 'T', { monthly: 300_000 });
  for (let i = 0; i < accounts; i++) addAccount(db, `A${String(i).padStart(3, '0')}`, { tariff: 'T', connectedOn: '2026-01-01' });
  return db;
}

let paid = 0;
function pay(db: Db, accounts: number): void {
  inTransaction(db, () =>
    postWithPayments(
      db,
      Array.from({ length: accounts }, (_, i) => ({
        account: `A${String(i).padStart(3, '0')}`,
        valueDate: '2026-11-25',
        kind: 'payment' as const,
        amount: 100_00,
        key: `test-pay:${paid++}`,
      })),
    ),
  );
}

describe('backupDatabase', () => {
  it('is a consistent copy while another connection writes', async () => {
    const db = fileDb('live.db');
    pay(db, 20);
    const writer = openDatabase(db.path);
    let writing = true;
    let batches = 0;
    // another connection commits a batch of payments on every turn of the event loop
    const loop = (async () => {
      while (writing) {
        pay(writer, 20);
        batches++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const copies: string[] = [];
    for (let i = 0; i < 5; i++) {
      const file = path.join(dir, `live-copy-${i}.db`);
      await backupDatabase(db, file);
      copies.push(file);
    }
    writing = false;
    await loop;
    writer.close();
    expect(batches).toBeGreaterThan(0);
    for (const file of copies) {
      const copy = openDatabase(file);
      // balances equal the sum of entries, and whole batches only: entries come in twenties
      expect(verify(copy)).toEqual([]);
      const { n } = copy.sqlite.prepare('SELECT COUNT(*) AS n FROM ledger').get() as { n: number };
      expect(n % 20).toBe(0);
      copy.close();
    }
    db.close();
  });

  it('refuses to overwrite a file without force, and the database itself', async () => {
    const db = fileDb('small.db', 1);
    const file = path.join(dir, 'exists.db');
    writeFileSync(file, 'x');
    await expect(backupDatabase(db, file)).rejects.toThrow(InputError);
    await backupDatabase(db, file, { force: true });
    await expect(backupDatabase(db, db.path, { force: true })).rejects.toThrow('is the database itself');
    await expect(backupDatabase(db, path.join(dir, 'no', 'such', 'x.db'))).rejects.toThrow('no such folder');
    db.close();
  });
});

describe('autoBackup', () => {
  it('names backups esep-YYYYMMDD-HHMMSS-<label>.db in Almaty time and keeps the newest `keep`', async () => {
    const db = fileDb('auto.db', 1);
    const backups = path.join(dir, 'backups');
    const config = { output: { invoices_dir: '', notices_dir: '', backups_dir: backups }, backup: { keep: 3, before_month_end: true } };
    // 20:00:03Z is 01:00:03 the next day in Almaty
    const first = await autoBackup(db, config, 'invoices-2026-10', new Date('2026-10-31T20:00:03Z'));
    expect(path.basename(first.file)).toBe('esep-20261101-010003-invoices-2026-10.db');
    writeFileSync(path.join(backups, 'keep-me.db'), 'not an automatic backup');
    for (const [i, at] of ['2026-11-30T20:00:00Z', '2026-12-31T20:00:00Z', '2027-01-31T20:00:00Z', '2027-02-28T20:00:00Z'].entries()) {
      const r = await autoBackup(db, config, `run ${i}/x`, new Date(at));
      expect(r.pruned.length).toBe(i >= 2 ? 1 : 0);
    }
    expect(listAutoBackups(backups).map((f) => path.basename(f))).toEqual([
      'esep-20270301-010000-run-3-x.db',
      'esep-20270201-010000-run-2-x.db',
      'esep-20270101-010000-run-1-x.db',
    ]);
    expect(existsSync(path.join(backups, 'keep-me.db'))).toBe(true);
    // the same second and label twice: a second file, not an overwrite
    const a = await autoBackup(db, config, 'same', new Date('2027-03-31T20:00:00Z'));
    const b = await autoBackup(db, config, 'same', new Date('2027-03-31T20:00:00Z'));
    expect(a.file).not.toBe(b.file);
    db.close();
  });

  it('monthEndBackup: off with before_month_end false; once when the scheduler took it', async () => {
    const db = fileDb('month-end.db', 1);
    const backups = path.join(dir, 'month-end-backups');
    const config = { output: { invoices_dir: '', notices_dir: '', backups_dir: backups }, backup: { keep: 12, before_month_end: true } };
    expect(await monthEndBackup(db, { ...config, backup: { keep: 12, before_month_end: false } }, '2026-11', {})).toBeNull();
    const taken = await monthEndBackup(db, config, '2026-11', {});
    expect(taken?.taken).toBe(true);
    expect(path.basename(taken!.file)).toMatch(/^esep-\d{8}-\d{6}-invoices-2026-11\.db$/);
    expect(await monthEndBackup(db, config, '2026-11', { [MONTH_END_BACKUP_ENV]: taken!.file })).toEqual({ file: taken!.file, taken: false });
    expect(readdirSync(backups)).toHaveLength(1);
    db.close();
  });
});

describe('restoreDatabase', () => {
  it('"newer" means a higher ledger id or a later job start', () => {
    expect(isNewer({ maxLedgerId: 10, lastRunAt: null }, { maxLedgerId: 9, lastRunAt: null })).toBe(true);
    expect(isNewer({ maxLedgerId: 9, lastRunAt: '2026-11-25T00:00:00Z' }, { maxLedgerId: 9, lastRunAt: '2026-11-24T00:00:00Z' })).toBe(true);
    expect(isNewer({ maxLedgerId: 9, lastRunAt: '2026-11-24T00:00:00Z' }, { maxLedgerId: 9, lastRunAt: '2026-11-24T00:00:00Z' })).toBe(false);
    expect(isNewer({ maxLedgerId: 8, lastRunAt: null }, { maxLedgerId: 9, lastRunAt: '2026-11-24T00:00:00Z' })).toBe(false);
  });

  it('round trip into a new file; an older backup over a newer database only with force', async () => {
    const db = fileDb('origin.db', 5);
    pay(db, 5);
    const backup = path.join(dir, 'origin-backup.db');
    await backupDatabase(db, backup);
    pay(db, 5);

    const fresh = path.join(dir, 'fresh.db');
    const r = await restoreDatabase(backup, fresh);
    expect(r).toMatchObject({ replaced: false, forced: false, backup: { maxLedgerId: 5 } });
    const restored = openDatabase(fresh);
    expect((restored.sqlite.prepare('SELECT COUNT(*) AS n FROM ledger').get() as { n: number }).n).toBe(5);
    expect(restored.sqlite.prepare(`SELECT job, outcome FROM job_runs WHERE job = 'restore'`).all()).toEqual([{ job: 'restore', outcome: 'ok' }]);
    expect(restored.sqlite.prepare('SELECT COUNT(*) AS n FROM job_locks').get()).toEqual({ n: 0 });
    restored.close();

    db.close();
    await expect(restoreDatabase(backup, path.join(dir, 'origin.db'))).rejects.toThrow(/is newer than the backup/);
    const forced = await restoreDatabase(backup, path.join(dir, 'origin.db'), { force: true });
    expect(forced).toMatchObject({ replaced: true, forced: true, previous: { maxLedgerId: 10 } });
    const back = openDatabase(path.join(dir, 'origin.db'));
    expect((back.sqlite.prepare('SELECT MAX(id) AS n FROM ledger').get() as { n: number }).n).toBe(5);
    expect(verify(back)).toEqual([]);
    expect(back.sqlite.prepare('SELECT COUNT(*) AS n FROM job_locks').get()).toEqual({ n: 0 });
    back.close();
    // the restore itself does not make the database newer than its backup: restoring again needs no force
    await expect(restoreDatabase(backup, path.join(dir, 'origin.db'))).resolves.toMatchObject({ forced: false });
  });

  it('refuses (busy) while a send holds its lock: a send writes its outcomes without the writer lock', async () => {
    const db = fileDb('sending.db', 2);
    const backup = path.join(dir, 'sending-backup.db');
    await backupDatabase(db, backup);
    // a live process (this one's parent) is sending
    db.sqlite
      .prepare(`INSERT INTO job_locks (name, pid, host, job, acquired_at) VALUES ('send', ?, ?, 'send-invoices', '2026-11-25T00:00:00Z')`)
      .run(process.ppid, hostname());
    await expect(restoreDatabase(backup, path.join(dir, 'sending.db'))).rejects.toThrow(/busy: send-invoices is running/);
    // the writer lock the restore took first was given back
    expect(db.sqlite.prepare('SELECT name FROM job_locks').all()).toEqual([{ name: 'send' }]);
    db.close();
  });
});
