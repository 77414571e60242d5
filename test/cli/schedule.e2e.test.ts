// esep schedule through the built binary: the start-up catch-up (--once), its log lines, the
// month-end backup before a missed `run invoices`, busy retries, and SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { BIN, esep } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const base = path.join(dir, 'base.db');
// 25 November 2026, 01:30 in Almaty: the daily run of the 25th (01:00) is due
const NOW = '2026-11-25T01:30:00+05:00';

function copyOf(name: string): string {
  const file = path.join(dir, name);
  copyFileSync(base, file);
  return file;
}

function schedule(db: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--db', db, 'schedule', ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter((l) => l !== '') };
}

function journal(db: string, job: string) {
  const h = openDatabase(db);
  try {
    return h.sqlite.prepare('SELECT scope, outcome FROM job_runs WHERE job = ? ORDER BY id').all(job) as { scope: string; outcome: string }[];
  } finally {
    h.close();
  }
}

/** Starts the daemon; resolves its exit code; `waitFor` resolves when a line matches. */
function daemon(db: string, ...args: string[]) {
  const child = spawn(process.execPath, [BIN, '--db', db, 'schedule', ...args], { cwd: dir, env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '' } });
  let out = '';
  const watchers: { re: RegExp; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    out += s;
    for (const w of watchers.splice(0)) (w.re.test(out) ? w.resolve : () => watchers.push(w))();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => out,
    waitFor: (re: RegExp) => new Promise<void>((resolve) => (re.test(out) ? resolve() : watchers.push({ re, resolve }))),
  };
}

beforeAll(() => {
  expect(esep(base, 'init', '--demo', '20', '--date', '2026-11-20').code).toBe(0);
});

describe('esep schedule --once', () => {
  it('catches up the missed day, logs one line, and finds nothing to do the second time', () => {
    const db = copyOf('once.db');
    const r = schedule(db, '--once', '--now', NOW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    // "2026-11-25T09:41:07+05:00 day 2026-11-25 ok 3.1s: …" (the daily jobs: `run day`, or `run debit` before it existed)
    expect(r.lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:00 (day|debit) 2026-11-25 ok \d+\.\ds: /);
    expect(journal(db, 'debit').map((j) => j.outcome)).toEqual(['ok']);
    expect(journal(db, 'debit')[0]!.scope).toBe('2026-11-25');
    expect(esep(db, 'verify').code).toBe(0);

    const again = schedule(db, '--once', '--now', NOW);
    expect(again.code).toBe(0);
    expect(again.lines).toEqual([]);
  }, 120_000);

  it('JSON log lines; the day is Almaty\'s, not UTC\'s', () => {
    const db = copyOf('json.db');
    // 20:30 UTC on the 24th is 01:30 on the 25th in Almaty
    const r = schedule(db, '--once', '--now', '2026-11-24T20:30:00Z', '--log-format', 'json');
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    const line = JSON.parse(r.lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ scope: '2026-11-25', exit: 0, attempt: 1 });
    expect(['day', 'debit']).toContain(line.job);
    expect(typeof line.seconds).toBe('number');
    expect(line.time).toMatch(/\+05:00$/);
    expect(line.summary).toContain('2026-11-25');
  }, 120_000);

  it('before daily_at the latest due day is yesterday', () => {
    const db = copyOf('early.db');
    const r = schedule(db, '--once', '--now', '2026-11-25T00:30:00+05:00');
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatch(/ (day|debit) 2026-11-24 ok /);
  }, 120_000);

  it('a missed month-end: the invoicing day, a backup, run invoices for the period, then today; oldest first', () => {
    const db = copyOf('month-end.db');
    const h = openDatabase(db);
    // October was never invoiced; September was
    h.sqlite
      .prepare(`INSERT INTO job_runs (job, scope, started_at, finished_at, outcome) VALUES ('invoices', '2026-09', '2026-10-01T00:00:00Z', '2026-10-01T00:01:00Z', 'ok')`)
      .run();
    h.close();
    const config = path.join(dir, 'month-end.config.json');
    writeFileSync(config, JSON.stringify({ output: { backups_dir: 'month-end-backups', invoices_dir: 'month-end-invoices' } }));
    const r = schedule(db, '--config', config, '--once', '--now', NOW);
    // what `run invoices` itself makes of the period is its own business; the order and the backup are the scheduler's
    expect(r.lines.map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual([
      expect.stringMatching(/^(day|debit) 2026-11-01$/),
      'invoices 2026-10',
      expect.stringMatching(/^(day|debit) 2026-11-25$/),
    ]);
    const backups = readdirSync(path.join(dir, 'month-end-backups'));
    expect(backups).toEqual([expect.stringMatching(/^esep-\d{8}-\d{6}-invoices-2026-10\.db$/)]);
  }, 180_000);

  it('a busy database (exit 75) is retried, then reported as busy', () => {
    const db = copyOf('busy.db');
    const h = openDatabase(db);
    h.sqlite
      .prepare(`INSERT INTO job_locks (name, pid, host, job, acquired_at) VALUES ('writer', ?, ?, 'debit', '2026-11-25T00:00:00Z')`)
      .run(process.pid, hostname());
    h.close();
    const r = schedule(db, '--once', '--now', NOW, '--busy-retries', '1', '--retry-delay', '0');
    expect(r.code).toBe(75);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]).toMatch(/ 2026-11-25 busy \(exit 75\) .*busy/);
    expect(r.lines[1]).toMatch(/ 2026-11-25 busy \(exit 75\) \d+\.\ds attempt 2/);
  }, 120_000);

  it('a bad --now or --log-format is exit 2', () => {
    expect(schedule(base, '--once', '--now', '2026-11-25').code).toBe(2);
    expect(schedule(base, '--once', '--log-format', 'xml').code).toBe(2);
  }, 60_000);
});

describe('esep schedule (the daemon)', () => {
  it('stops on SIGTERM when idle, exit 0', async () => {
    const db = copyOf('idle.db');
    expect(schedule(db, '--once', '--now', NOW).code).toBe(0);
    const d = daemon(db, '--now', NOW);
    await d.waitFor(/schedule started/);
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(d.output()).toMatch(/schedule stopping: SIGTERM/);
    expect(d.output()).toMatch(/schedule stopped/);
  }, 120_000);

  it('on SIGTERM during a job, lets the job finish, then exits 0', async () => {
    const db = copyOf('busy-stop.db');
    const d = daemon(db, '--now', NOW);
    await d.waitFor(/schedule started/);
    // the catch-up's job is already running (it is started before the signal can be handled)
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(d.output()).toMatch(/ (day|debit) 2026-11-25 ok /);
    expect(d.output()).toMatch(/schedule stopped/);
    expect(journal(db, 'debit')).toEqual([{ scope: '2026-11-25', outcome: 'ok' }]);
    expect(existsSync(db)).toBe(true);
  }, 120_000);
});
