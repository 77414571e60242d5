// `run day` through the built binary is one job (issue 13, item 10). Run `npm run build` first.
//
// A world of 30 demo accounts connected in January 2026, the advance ones prepaid for the year, and
// `run day` done for 1 February; then one `run day --date 2026-11-30` catches up 302 days, four
// jobs a day, each with several batches (ESEP_BATCH_SIZE=5). While it runs, a payments import and a
// single job are started in other processes: they must exit 75, naming `day` as the job that holds
// the lock, and change nothing. Killed with SIGKILL, the lock it held is taken over by the next run.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { snapshotFile, writeStatement } from '../helpers/world.js';

const dir = tempDir();
const BASE = path.join(dir, 'base.db');
const DAY = '2026-11-30';
const SLOW = 120_000;
const ENV = { ESEP_DB: '', ESEP_CONFIG: '', ESEP_PDF_THREADS: '1', ESEP_BATCH_SIZE: '5', ESEP_TODAY: DAY };

function copy(name: string): { db: string; cwd: string } {
  const cwd = path.join(dir, name);
  mkdirSync(cwd, { recursive: true });
  const db = path.join(cwd, 'esep.db');
  copyFileSync(BASE, db);
  return { db, cwd };
}

function run(w: { db: string; cwd: string }, args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, '--db', w.db, ...args], { cwd: w.cwd, encoding: 'utf8', env: { ...process.env, ...ENV, ...env } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function start(w: { db: string; cwd: string }, args: readonly string[]) {
  const child = spawn(process.execPath, [BIN, '--db', w.db, ...args], { cwd: w.cwd, env: { ...process.env, ...ENV } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr, at: Date.now() })),
  );
  return { child, done };
}

/** Reads a database another process is writing (WAL: readers never wait for the writer). */
function peek<T>(file: string, sql: string): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
}

const lock = (file: string) => peek<{ job: string; pid: number } | undefined>(file, `SELECT job, pid FROM job_locks WHERE name = 'writer'`);
const outcomes = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries((db.prepare('SELECT outcome, COUNT(*) AS n FROM job_runs GROUP BY outcome').all() as { outcome: string; n: number }[]).map((r) => [r.outcome, r.n]));
  } finally {
    db.close();
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let statement = '';

beforeAll(() => {
  mkdirSync(path.join(dir, 'base'), { recursive: true });
  const base = { db: BASE, cwd: path.join(dir, 'base') };
  expect(run(base, ['init', '--demo', '30', '--date', '2026-02-01', '--demo-months', '1']).code).toBe(0);
  const reader = new Database(BASE, { readonly: true });
  const advance = reader.prepare(`SELECT account FROM accounts WHERE method = 'advance' ORDER BY account`).all() as { account: string }[];
  reader.close();
  expect(advance.length).toBeGreaterThan(5);
  // a year's prepayment for every advance account, so that each is debited every day
  const prepaid = writeStatement(
    path.join(dir, 'prepaid.csv'),
    advance.map((a, i) => ({ bankRef: `PRE-${i}`, valueDate: '2026-01-31', amount: 50_000_000, account: a.account, purpose: `л/с ${a.account}` })),
  );
  expect(run(base, ['payments', 'import', prepaid, '--date', '2026-02-01']).code).toBe(0);
  expect(run(base, ['run', 'day', '--date', '2026-02-01']).code).toBe(0);
  // the statement the import during the run tries: 1 000 ₸ to the first advance account
  statement = writeStatement(path.join(dir, 'during.csv'), [{ bankRef: 'DURING-1', valueDate: '2026-06-01', amount: 100_000, account: advance[0]!.account }]);
}, SLOW);

describe('run day through the binary holds the writer lock for its whole run', () => {
  it(
    'a payments import and a single job during it exit 75 naming `day`; a second run day for the day done posts nothing',
    async () => {
      const w = copy('concurrent');
      const straight = copy('straight');
      expect(run(straight, ['run', 'day', '--date', DAY]).code).toBe(0);

      const day = start(w, ['run', 'day', '--date', DAY]);
      // wait until the run is past its first inner jobs: between two of them the lock stays `day`'s
      for (;;) {
        const debits = peek<{ n: number }>(w.db, `SELECT COUNT(*) AS n FROM job_runs WHERE job = 'debit' AND outcome = 'ok' AND scope > '2026-02-02'`).n;
        if (debits > 0) break;
        await sleep(5);
      }
      expect(lock(w.db)).toEqual({ job: 'day', pid: day.child.pid });
      const [imported, penalties] = await Promise.all([
        start(w, ['payments', 'import', statement, '--date', '2026-06-01']).done,
        start(w, ['run', 'penalties', '--date', '2026-06-01']).done,
      ]);
      const finished = await day.done;
      // the two ran while run day did: the test proves something only then
      expect(Math.max(imported.at, penalties.at)).toBeLessThan(finished.at);
      for (const r of [imported, penalties]) {
        expect(r.code, r.stderr).toBe(75);
        expect(r.stderr).toMatch(/^esep: busy: day is running \(pid \d+ on .+ since .+\); try later\n$/);
      }
      expect(finished.stderr).toBe('');
      expect(finished.code).toBe(0);
      expect(finished.stdout).toMatch(/^day 2026-02-02\.\.2026-11-30 \(302 days\): debit: /m);
      // nothing of the refused import, nothing of the refused job: the same as a run day alone
      expect(snapshotFile(w.db)).toEqual(snapshotFile(straight.db));
      expect(peek(w.db, `SELECT COUNT(*) AS n FROM payments WHERE bank_ref = 'DURING-1'`)).toEqual({ n: 0 });
      expect(lock(w.db)).toBeUndefined();

      // the same day again: nothing run, nothing posted, nothing journaled
      const journal = peek<{ n: number }>(w.db, 'SELECT COUNT(*) AS n FROM job_runs').n;
      const before = snapshotFile(w.db);
      const again = run(w, ['run', 'day', '--date', DAY]);
      expect(again).toMatchObject({ code: 0, stderr: '' });
      expect(again.stdout).toBe('day 2026-11-30: already done (run day has done every day through 2026-11-30); nothing posted\n');
      const json = run(w, ['--json', 'run', 'day', '--date', '2026-11-20']);
      expect(JSON.parse(json.stdout)).toEqual({ job: 'day', scope: '2026-11-20', dry_run: false, days: [], already_done: true, done_through: DAY, counts: {} });
      expect(snapshotFile(w.db)).toEqual(before);
      expect(peek<{ n: number }>(w.db, 'SELECT COUNT(*) AS n FROM job_runs').n).toBe(journal);

      // once run day is over, the import goes through
      expect(run(w, ['payments', 'import', statement, '--date', DAY]).code).toBe(0);
      expect(peek(w.db, `SELECT COUNT(*) AS n FROM payments WHERE bank_ref = 'DURING-1'`)).toEqual({ n: 1 });
      expect(run(w, ['verify']).code).toBe(0);
    },
    SLOW,
  );

  it(
    'killed with SIGKILL, its lock is taken over by the next run, which finishes where an uninterrupted run does',
    () => {
      const straight = copy('kill-straight');
      expect(run(straight, ['run', 'day', '--date', DAY]).code).toBe(0);
      const w = copy('killed');
      // inside the 3rd batch of the first job with three (the debit of 2 February)
      const killed = run(w, ['run', 'day', '--date', DAY], { ESEP_FAILPOINT: 'in-batch:3' });
      expect(killed.signal).toBe('SIGKILL');
      expect(lock(w.db)).toMatchObject({ job: 'day' });
      expect(outcomes(w.db).running).toBe(1);
      const rerun = run(w, ['run', 'day', '--date', DAY]);
      expect(rerun.stderr).toBe('');
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toMatch(/^day 2026-02-02\.\.2026-11-30 \(302 days\)/m);
      expect(lock(w.db)).toBeUndefined();
      // the killed debit run marked interrupted by the takeover, none left running
      expect(outcomes(w.db)).toMatchObject({ interrupted: 1 });
      expect(outcomes(w.db).running).toBeUndefined();
      expect(snapshotFile(w.db)).toEqual(snapshotFile(straight.db));
      expect(run(w, ['verify']).code).toBe(0);
    },
    SLOW,
  );
});
