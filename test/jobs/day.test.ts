// `run day` is one job (issue 13, item 10): one writer lock from its first job to its last, and a day
// once done is not done again.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase, type Db } from '../../src/db/connection.js';
import { acquireLock } from '../../src/db/journal.js';
import { BusyError } from '../../src/domain/errors.js';
import { runDay } from '../../src/jobs/day.js';
import { runPenalties } from '../../src/jobs/penalties.js';
import { holdWriterLock, runJob, type Progress } from '../../src/jobs/runner.js';
import { verify } from '../../src/jobs/verify.js';
import { addAccount, addTariff, postWithPayments } from '../helpers/db.js';
import { shippedCalendar } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const calendar = shippedCalendar();
const dir = tempDir();
let file: string;
let db: Db;
let files = 0;

beforeEach(() => {
  file = path.join(dir, `day-${++files}.db`);
  db = openDatabase(file, { create: true });
  addTariff(db, 'NET', { monthly: 500_000, port: 30_000 });
  // C: credit, October billed 5 000 ₸, invoice due 25 Nov; A: advance, 10 000 ₸ paid on 1 Nov
  addAccount(db, 'C', { method: 'credit', tariff: 'NET', connectedOn: '2026-09-01' });
  addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
  inTransaction(db, () =>
    postWithPayments(db, [
      { account: 'C', valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000, key: 'oct:C' },
      { account: 'A', valueDate: '2026-11-01', kind: 'payment', amount: 1_000_000, key: 'pay:A' },
    ]),
  );
  db.sqlite
    .prepare(
      `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
        penalties, closing_balance, principal, amount_due) VALUES ('MT-2026-000001', 'MT', 2026, 1, 'C', '2026-10', '2026-11-01', '2026-11-25',
        0, -500000, 0, 0, 0, -500000, 500000, 500000)`,
    )
    .run();
});
afterEach(() => db.close());

const lockRow = (on: Db) => on.sqlite.prepare(`SELECT job, pid, acquired_at AS acquiredAt FROM job_locks WHERE name = 'writer'`).get();
const ledger = () => db.sqlite.prepare('SELECT key, value_date, kind, amount FROM ledger ORDER BY key').all();
const runs = () => (db.sqlite.prepare('SELECT COUNT(*) AS n FROM job_runs').get() as { n: number }).n;
const penalties = () =>
  db.sqlite
    .prepare(`SELECT value_date AS day, SUM(amount) AS amount FROM ledger WHERE account = 'C' AND kind = 'penalty' GROUP BY value_date HAVING SUM(amount) <> 0 ORDER BY value_date`)
    .all();

describe('run day holds the writer lock for its whole run', () => {
  it('from the first job of the first day to the last of the last: another writer meanwhile is busy with "day is running"', async () => {
    await runDay(db, { date: '2026-11-24', calendar });
    // a second connection to the same file, as a payments import or another job would open
    const other = openDatabase(file);
    try {
      const seen: unknown[] = [];
      const refusals: string[] = [];
      const jobs: Promise<unknown>[] = [];
      const probe = () => {
        seen.push(lockRow(other));
        try {
          acquireLock(other, 'payments-import')();
          refusals.push('lock taken');
        } catch (error) {
          refusals.push(error instanceof BusyError ? error.message : String(error));
        }
        // a job's lock is taken before its first await, so a refusal is already settled here
        jobs.push(runPenalties(other, { date: '2026-11-26' }).then(() => 'ran', (error: Error) => error));
      };
      // the jobs call progress at their start (debit), per batch (debit) and at their end (all four,
      // outside any transaction): after the end of one job and before the start of the next one
      const progress: Progress = { visible: true, start: probe, increment: probe, stop: probe };
      const r = await runDay(db, { date: '2026-11-28', calendar, progress });
      expect(r.days).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
      // four days × four jobs end, and debit starts and counts on each day
      expect(seen.length).toBeGreaterThanOrEqual(16);
      // one lock, taken once by `day` (the same moment of acquisition throughout), never the inner job's own
      expect(new Set(seen.map((s) => JSON.stringify(s))).size).toBe(1);
      expect(seen[0]).toMatchObject({ job: 'day', pid: process.pid });
      for (const m of refusals) expect(m).toMatch(/^busy: day is running \(pid \d+ on .+ since .+\); try later$/);
      for (const j of await Promise.all(jobs)) {
        expect(j).toBeInstanceOf(BusyError);
        expect((j as BusyError).message).toMatch(/^busy: day is running/);
      }
      // released at the end
      expect(lockRow(other)).toBeUndefined();
      // each inner job still journals its own run, and each day its `day` row
      const journal = db.sqlite.prepare(`SELECT job, COUNT(*) AS n FROM job_runs WHERE scope >= '2026-11-25' AND outcome = 'ok' GROUP BY job ORDER BY job`).all();
      expect(journal).toEqual([
        { job: 'day', n: 4 },
        { job: 'debit', n: 4 },
        { job: 'penalties', n: 4 },
        { job: 'suspend', n: 4 },
        { job: 'terminate', n: 4 },
      ]);
      expect(db.sqlite.prepare(`SELECT COUNT(*) AS n FROM job_runs WHERE outcome <> 'ok'`).get()).toEqual({ n: 0 });
    } finally {
      other.close();
    }
  });

  it('is released when a job fails, and a run day that finds the lock taken is busy and runs nothing', async () => {
    const other = openDatabase(file);
    try {
      const release = acquireLock(other, 'payments-import');
      await expect(runDay(db, { date: '2026-11-24', calendar })).rejects.toThrow(/^busy: payments-import is running/);
      release();
      expect(runs()).toBe(0);
      await expect(holdWriterLock(db, 'day', () => runJob(db, { job: 'debit', scope: 'x' }, () => {
        throw new Error('disk full');
      }))).rejects.toThrow('disk full');
      expect(lockRow(other)).toBeUndefined();
      expect(db.sqlite.prepare(`SELECT job, outcome, message FROM job_runs`).all()).toEqual([{ job: 'debit', outcome: 'failed', message: 'disk full' }]);
    } finally {
      other.close();
    }
  });

  it('a dry run takes no lock and writes nothing, as every dry run', async () => {
    const other = openDatabase(file);
    try {
      const release = acquireLock(other, 'payments-import');
      const r = await runDay(db, { date: '2026-11-24', calendar, dryRun: true });
      release();
      expect(r).toMatchObject({ days: ['2026-11-24'], alreadyDone: false, doneThrough: null });
      expect(runs()).toBe(0);
    } finally {
      other.close();
    }
  });
});

describe('a day once done is not done again', () => {
  it('a second run day for a day done posts nothing, even after a late payment; the next day corrects', async () => {
    const first = await runDay(db, { date: '2026-11-27', calendar });
    // a new database: the day itself; penalties of 26 and 27 Nov: 0.5% × 5 000 ₸ = 25 ₸ each
    expect(first).toMatchObject({ days: ['2026-11-27'], alreadyDone: false, doneThrough: '2026-11-27' });
    expect(penalties()).toEqual([
      { day: '2026-11-26', amount: -2_500 },
      { day: '2026-11-27', amount: -2_500 },
    ]);
    // a payment dated 26 Nov arrives late: 5 025 ₸ = the penalty of the 26th (25 ₸, a day's charges
    // come first) and the principal (5 000 ₸), so the penalty of the 27th is no longer owed (D-4)
    inTransaction(db, () => postWithPayments(db, [{ account: 'C', valueDate: '2026-11-26', kind: 'payment', amount: 502_500, key: 'late:C' }]));
    const before = { ledger: ledger(), runs: runs() };
    for (const date of ['2026-11-27', '2026-11-25']) {
      const again = await runDay(db, { date, calendar });
      expect(again).toEqual({ days: [], counts: {}, doneThrough: '2026-11-27', alreadyDone: true });
    }
    expect({ ledger: ledger(), runs: runs() }).toEqual(before);
    // the next day's run posts the correction of the 27th: +25 ₸
    const next = await runDay(db, { date: '2026-11-28', calendar });
    expect(next).toMatchObject({ days: ['2026-11-28'], alreadyDone: false, doneThrough: '2026-11-28' });
    expect(next.counts.penalties).toMatchObject({ penalties: 0, corrections: 1, correction_tiyn: 2_500 });
    expect(penalties()).toEqual([{ day: '2026-11-26', amount: -2_500 }]);
    expect(verify(db)).toEqual([]);
  });
});
