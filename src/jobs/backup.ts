// Backups and restores with SQLite's online backup API (better-sqlite3's `db.backup`).
//
// A backup copies every page in one step, that is inside one read transaction: in WAL mode the
// writers of other processes go on, and the copy is the database as of one commit, whatever jobs
// are running. It is written next to its destination and renamed into place, so a file with the
// final name is always a whole backup.
//
// Automatic backups (before each month-end run) go to output.backups_dir as
// esep-YYYYMMDD-HHMMSS-<label>.db (Almaty time) and are pruned to backup.keep files; only files
// named so are ever pruned.
//
// A restore refuses:
//   - a file that is not an esep database (not SQLite, or lacking esep's tables), one that fails
//     SQLite's integrity check (damaged pages), or one written by a newer esep (a migration this
//     program does not know);
//   - to overwrite a database that fails SQLite's integrity check, unless --force (then its file is
//     replaced whole by the prepared copy);
//   - to overwrite a database that is newer than the backup, unless --force. "Newer" means: its
//     ledger has an entry with a higher id than any in the backup, or its journal has a job started
//     later than any in the backup (restores themselves not counted). Ledger ids only grow and the
//     ledger is append-only, so a database that went on working after the backup was taken always
//     counts as newer;
//   - to run while a job holds the writer lock, or a send its `send` lock (a send writes its
//     messages' outcomes while it holds only that one): it takes both itself (busy: exit 75).
// The restored database has the restore journaled (job 'restore'), runs the backup had in progress
// marked interrupted, and no lock but the restore's own, released at the end.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { migrationState, newerDatabaseMessage, openDatabase, type Db } from '../db/connection.js';
import { acquireLock, journalRun, nowIso } from '../db/journal.js';
import type { Config } from '../config/config.js';
import { InputError } from '../domain/errors.js';
import { almatyMoment } from '../domain/schedule.js';
import type { Period } from '../domain/dates.js';
import { fileIntegrityProblems, integrityProblems } from './verify.js';

/** The tables that make a SQLite file an esep database. */
export const ESEP_TABLES = ['__drizzle_migrations', 'operator', 'accounts', 'ledger', 'job_runs', 'job_locks'] as const;

export const AUTO_BACKUP_NAME = /^esep-\d{8}-\d{6}-[A-Za-z0-9_.-]+\.db$/;

/** Set by the scheduler in the environment of the `run invoices` it starts: the month-end backup is already taken. */
export const MONTH_END_BACKUP_ENV = 'ESEP_MONTH_END_BACKUP';

/** Transfer every page in one step: one read transaction, one consistent copy. */
const ALL_AT_ONCE = () => 0x7fffffff;

export interface BackupResult {
  file: string;
  bytes: number;
}

async function copyDatabase(source: Database.Database, file: string): Promise<void> {
  const part = `${file}.part-${process.pid}`;
  rmSync(part, { force: true });
  try {
    await source.backup(part, { progress: ALL_AT_ONCE });
    renameSync(part, file);
  } finally {
    rmSync(part, { force: true });
  }
}

/** `esep backup --to FILE`: refuses to overwrite an existing file unless `force`. */
export async function backupDatabase(db: Db, file: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  const target = path.resolve(file);
  if (!existsSync(path.dirname(target))) throw new InputError([{ field: '--to', message: `no such folder: ${path.dirname(target)}` }]);
  if (existsSync(target) && !options.force) {
    throw new InputError([{ field: '--to', message: `${target} exists; pass --force to overwrite it` }]);
  }
  if (path.resolve(db.path) === target) throw new InputError([{ field: '--to', message: 'is the database itself' }]);
  await copyDatabase(db.sqlite, target);
  return { file: target, bytes: statSync(target).size };
}

/** The automatic backups in a folder, newest first. */
export function listAutoBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => AUTO_BACKUP_NAME.test(name))
    .sort()
    .reverse()
    .map((name) => path.join(dir, name));
}

/** Deletes the oldest automatic backups beyond `keep`; returns the files deleted. */
export function pruneBackups(dir: string, keep: number): string[] {
  const old = listAutoBackups(dir).slice(keep);
  for (const file of old) rmSync(file, { force: true });
  return old;
}

export interface AutoBackupResult extends BackupResult {
  pruned: string[];
}

/**
 * An automatic backup: output.backups_dir/esep-YYYYMMDD-HHMMSS-<label>.db (Almaty time), then the
 * folder pruned to backup.keep automatic backups.
 */
export async function autoBackup(
  db: Db,
  config: Pick<Config, 'output' | 'backup'>,
  label: string,
  now: Date = new Date(),
): Promise<AutoBackupResult> {
  const dir = config.output.backups_dir;
  mkdirSync(dir, { recursive: true });
  const local = almatyMoment(now);
  const stamp = `${local.date.replaceAll('-', '')}-${local.time.replaceAll(':', '')}`;
  const clean = label.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'auto';
  let file = path.join(dir, `esep-${stamp}-${clean}.db`);
  for (let n = 2; existsSync(file); n++) file = path.join(dir, `esep-${stamp}-${clean}-${n}.db`);
  const result = await backupDatabase(db, file);
  return { ...result, pruned: pruneBackups(dir, config.backup.keep) };
}

/**
 * The backup before a month-end run (backup.before_month_end): null when switched off. When the
 * scheduler has already taken it for this run (MONTH_END_BACKUP_ENV), that file is returned and no
 * second one is taken.
 */
export async function monthEndBackup(
  db: Db,
  config: Pick<Config, 'output' | 'backup'>,
  period: Period,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ file: string; taken: boolean } | null> {
  if (!config.backup.before_month_end) return null;
  const already = env[MONTH_END_BACKUP_ENV];
  if (already) return { file: already, taken: false };
  return { file: (await autoBackup(db, config, `invoices-${period}`)).file, taken: true };
}

// ---------------------------------------------------------------------------------------------
// Restore

export interface DatabaseFacts {
  /** The highest ledger id (0 when empty). */
  maxLedgerId: number;
  /** The latest job start in the journal, restores not counted (null when none). */
  lastRunAt: string | null;
}

export function databaseFacts(sqlite: Database.Database): DatabaseFacts {
  const ledger = sqlite.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM ledger').get() as { n: number };
  const run = sqlite.prepare(`SELECT MAX(started_at) AS at FROM job_runs WHERE job <> 'restore'`).get() as { at: string | null };
  return { maxLedgerId: ledger.n, lastRunAt: run.at };
}

/** True when `a` holds work that `b` does not (see the rule at the top of this file). */
export function isNewer(a: DatabaseFacts, b: DatabaseFacts): boolean {
  return a.maxLedgerId > b.maxLedgerId || (a.lastRunAt ?? '') > (b.lastRunAt ?? '');
}

/**
 * Opens a file read-only and checks that it is an esep database this program can use; returns its
 * facts. With `integrity` (the backup to restore), SQLite's integrity check must pass too.
 */
export function inspectEsepDatabase(file: string, field: string, options: { integrity?: boolean } = {}): DatabaseFacts {
  if (!existsSync(file)) throw new InputError([{ field, message: `no such file: ${file}` }]);
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    const tables = new Set(
      (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name),
    );
    const missing = ESEP_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) throw new InputError([{ field, message: `${file} is not an esep database (no table ${missing.join(', ')})` }]);
    const damage = options.integrity ? integrityProblems(sqlite) : [];
    if (damage.length > 0) {
      throw new InputError([{ field, message: `${file} is damaged: SQLite's integrity check fails: ${damage.slice(0, 3).join('; ')}` }]);
    }
    const migrations = migrationState(sqlite);
    if (migrations.unknown.length > 0) throw new InputError([{ field, message: newerDatabaseMessage(file, migrations.unknown) }]);
    return databaseFacts(sqlite);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError([{ field, message: `${file} is not an esep database (${(error as Error).message})` }]);
  } finally {
    sqlite?.close();
  }
}

export interface RestoreResult {
  from: string;
  to: string;
  replaced: boolean;
  /** The database replaced was newer than the backup (only with force). */
  forced: boolean;
  /** The database replaced failed SQLite's integrity check (only with force). */
  damaged: boolean;
  backup: DatabaseFacts;
  previous: DatabaseFacts | null;
}

/**
 * `esep restore FILE`: replaces the database at `target` with the backup `file`, through the online
 * backup API (readers of the target see the old or the new database, never a mix).
 */
export async function restoreDatabase(file: string, target: string, options: { force?: boolean } = {}): Promise<RestoreResult> {
  const from = path.resolve(file);
  const to = path.resolve(target);
  if (from === to) throw new InputError([{ field: 'FILE', message: 'is the database itself' }]);
  const backup = inspectEsepDatabase(from, 'FILE', { integrity: true });
  const replaced = existsSync(to);
  if (!replaced && !existsSync(path.dirname(to))) throw new InputError([{ field: '--db', message: `no such folder: ${path.dirname(to)}` }]);

  // a damaged database is replaced only with --force, and then whole: no facts can be read from it,
  // and its file is swapped for the prepared copy rather than written page by page
  const damage = replaced ? fileIntegrityProblems(to) : [];
  if (damage.length > 0 && !options.force) {
    throw new InputError([
      { field: '--db', message: `${to} is damaged (SQLite's integrity check: ${damage.slice(0, 3).join('; ')}); pass --force to replace it with the backup` },
    ]);
  }
  const damaged = damage.length > 0;
  if (replaced && !damaged) inspectEsepDatabase(to, '--db');
  const db = replaced && !damaged ? openDatabase(to) : null;
  let release = () => {};
  const temp = `${to}.restore-${process.pid}`;
  try {
    if (db) {
      const releaseWriter = acquireLock(db, 'restore');
      try {
        const releaseSend = acquireLock(db, 'restore', 'send');
        release = () => {
          releaseSend();
          releaseWriter();
        };
      } catch (error) {
        releaseWriter();
        throw error;
      }
    }
    // read again under the lock: a job may have finished between the first look and the lock
    const current = db ? databaseFacts(db.sqlite) : null;
    const forced = damaged || (current !== null && isNewer(current, backup));
    if (current !== null && forced && !options.force) {
      throw new InputError([
        {
          field: '--db',
          message:
            `${to} is newer than the backup (ledger up to #${current.maxLedgerId}, last job ${current.lastRunAt ?? 'none'}; ` +
            `backup: ledger up to #${backup.maxLedgerId}, last job ${backup.lastRunAt ?? 'none'}); pass --force to overwrite it`,
        },
      ]);
    }

    // Prepare a copy of the backup (the backup file itself is never written to): migrated to this
    // version, its unfinished runs marked interrupted, its locks replaced by the restore's own.
    const source = new Database(from, { readonly: true });
    try {
      await copyDatabase(source, temp);
    } finally {
      source.close();
    }
    const prepared = openDatabase(temp);
    try {
      const startedAt = nowIso();
      prepared.sqlite
        .transaction(() => {
          prepared.sqlite.prepare('DELETE FROM job_locks').run();
          if (db) {
            prepared.sqlite
              .prepare(`INSERT INTO job_locks (name, pid, host, job, acquired_at) VALUES ('writer', ?, ?, 'restore', ?)`)
              .run(process.pid, hostname(), startedAt);
          }
          prepared.sqlite
            .prepare(`UPDATE job_runs SET outcome = 'interrupted', finished_at = ?, message = 'interrupted: restored from a backup taken while it ran' WHERE outcome = 'running'`)
            .run(startedAt);
          journalRun(
            prepared,
            'restore',
            path.basename(from),
            startedAt,
            { ledger_through: backup.maxLedgerId },
            `restored from ${from}${damaged ? ' over a damaged database (--force)' : forced ? ' over a newer database (--force)' : ''}`,
          );
        })
        .immediate();
    } finally {
      prepared.close();
    }
    if (damaged) {
      for (const suffix of ['-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
      renameSync(temp, to);
    } else {
      const ready = new Database(temp, { readonly: true });
      try {
        await ready.backup(to, { progress: ALL_AT_ONCE });
      } finally {
        ready.close();
      }
    }
    return { from, to, replaced, forced, damaged, backup, previous: current };
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${temp}${suffix}`, { force: true });
    if (db) {
      release();
      db.close();
    }
  }
}
