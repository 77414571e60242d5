// Crash safety of every job through the built binary (issue 7, item 3). Run `npm run build` first.
//
// For each job a copy of one starting database is run without interruption ("straight"); other
// copies are run with SIGKILL at points chosen by fast-check (fixed seed, so a failure reproduces):
// ESEP_FAILPOINT=in-batch:N kills inside the N-th batch's transaction before it commits,
// after-batch:N right after the N-th commit (src/jobs/runner.ts; the counter is per job run, so in
// `run day` a point lands in the first job of the first day that has N batches). ESEP_BATCH_SIZE=5
// gives many batches. Each copy is killed once or more, then run to the end; then `esep verify`
// passes and every figure equals the straight run's: ledger rows by key, accounts (status, balance,
// termination), invoices with their numbers, payments, allocations, access events, notices.
//
// The starting database is built in-process (faster than the binary): 60 demo accounts of both
// methods connected in September 2026, advance subscribers who prepaid for two months or hardly at
// all, credit subscribers who pay on time, late, not at all, or September only; every job run up
// to 2026-11-24 and the invoices of September and October issued. On it, for 2026-11-25..30, the
// debit, penalties, suspension and termination jobs all have work in several batches.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { loadCalendar } from '../../src/io/calendar.js';
import { runDay } from '../../src/jobs/day.js';
import { runInvoices } from '../../src/jobs/invoices.js';
import { loadDemo } from '../../src/jobs/demo.js';
import { importPayments } from '../../src/jobs/payments.js';
import { verify } from '../../src/jobs/verify.js';
import { BIN } from '../helpers/cli.js';
import { pdfText } from '../helpers/pdf.js';
import { tempDir } from '../helpers/tmp.js';
import { noPdfRenderer, snapshotFile, writeStatement, type StatementLine } from '../helpers/world.js';

const dir = tempDir();
const BASE = path.join(dir, 'base.db');
/** BASE with the days through 2026-11-30 done: ready for November's month-end run. */
const MONTH_END = path.join(dir, 'month-end.db');
const NOVEMBER = path.join(dir, 'statement-2026-11.csv');
const DAY = '2026-11-30';
const BATCH = '5';
const SLOW = 240_000;

const calendar = loadCalendar();

interface Subscriber {
  account: string;
  iin: string;
  name: string;
  method: 'advance' | 'credit';
  connectedOn: string;
  fee: number;
  install: number;
}

let ref = 0;
const line = (s: Subscriber, valueDate: string, amount: number, purpose = `Оплата за связь, лицевой счет ${s.account}`): StatementLine => ({
  bankRef: `CR-${++ref}`,
  valueDate,
  amount,
  account: s.account,
  payerIin: s.iin,
  payerName: s.name,
  purpose,
});

function invoiced(db: Db, period: string): Map<string, number> {
  const rows = db.sqlite.prepare('SELECT account, amount_due AS due FROM invoices WHERE period = ?').all(period) as { account: string; due: number }[];
  return new Map(rows.map((r) => [r.account, r.due]));
}

async function buildBase(): Promise<void> {
  const db = openDatabase(BASE, { create: true });
  try {
    await loadDemo(db, 60, { seed: 7, today: '2026-10-01', monthsBack: 1 });
    const subscribers = db.sqlite
      .prepare(
        `SELECT a.account, a.iin, s.name, a.method, a.connected_on AS connectedOn, p.monthly_fee AS fee, p.installation_fee AS install
           FROM accounts a JOIN subscribers s ON s.iin = a.iin JOIN tariff_prices p ON p.tariff_code = a.tariff_code ORDER BY a.account`,
      )
      .all() as Subscriber[];
    const advance = subscribers.filter((s) => s.method === 'advance');
    const credit = subscribers.filter((s) => s.method === 'credit');
    const importing = (name: string, lines: StatementLine[], date: string) =>
      importPayments(db, { file: writeStatement(path.join(dir, name), lines), date });

    // advance: two in three prepay the installation and two months (run out in November), one in
    // three hardly anything (suspended for funds in September, terminated two months later)
    await importing(
      'statement-2026-09.csv',
      advance.map((s, i) => line(s, s.connectedOn, i % 3 === 2 ? s.install + Math.floor(s.fee / 3) : s.install + 2 * s.fee)),
      '2026-10-01',
    );
    await runDay(db, { date: '2026-09-30', calendar });
    await runInvoices(db, { period: '2026-09', outDir: path.join(dir, 'base-invoices'), renderer: noPdfRenderer });

    // credit, by i % 4: 0 pays on time; 1 never; 2 pays September only; 3 pays September late
    const september = invoiced(db, '2026-09');
    await runDay(db, { date: '2026-10-20', calendar });
    await importing(
      'statement-2026-10.csv',
      credit.flatMap((s, i) => (i % 4 === 0 || i % 4 === 2) && (september.get(s.account) ?? 0) > 0 ? [line(s, '2026-10-20', september.get(s.account)!)] : []),
      '2026-10-20',
    );
    await runDay(db, { date: '2026-10-31', calendar });
    await runInvoices(db, { period: '2026-10', outDir: path.join(dir, 'base-invoices'), renderer: noPdfRenderer });
    await runDay(db, { date: '2026-11-02', calendar });
    await importing(
      'statement-2026-11-02.csv',
      credit.flatMap((s, i) => (i % 4 === 3 && (september.get(s.account) ?? 0) > 0 ? [line(s, '2026-10-28', september.get(s.account)!)] : [])),
      '2026-11-02',
    );
    await runDay(db, { date: '2026-11-24', calendar });

    // the statement the payments crash test imports on 2026-11-24: October's invoices paid by
    // groups 0 and 3 (one of them partly), top-ups that restore suspended advance accounts, a row
    // repeated in the file, two that match nothing, a reversal
    const october = invoiced(db, '2026-10');
    const lines: StatementLine[] = [];
    credit.forEach((s, i) => {
      const due = october.get(s.account) ?? 0;
      if (due > 0 && i % 4 === 0) lines.push(line(s, '2026-11-20', due));
      if (due > 0 && i % 4 === 3) lines.push(line(s, '2026-11-22', i % 8 === 3 ? Math.ceil(due / 2) : due));
    });
    advance.forEach((s, i) => {
      if (i % 2 === 0) lines.push(line(s, '2026-11-23', 2 * s.fee, `Пополнение, л/с ${s.account}`));
    });
    lines.push({ ...lines[3]! });
    lines.push({ bankRef: 'CR-X1', valueDate: '2026-11-21', amount: 500_000, payerName: 'Неизвестный плательщик', purpose: 'Оплата за интернет' });
    lines.push({ bankRef: 'CR-X2', valueDate: '2026-11-22', amount: 123_456, purpose: 'Оплата' });
    lines.push({ bankRef: 'CR-R1', valueDate: '2026-11-23', amount: -100_000, purpose: 'Возврат ошибочного платежа' });
    writeStatement(NOVEMBER, lines);
    expect(verify(db)).toEqual([]);
  } finally {
    db.close();
  }
  copyFileSync(BASE, MONTH_END);
  const me = openDatabase(MONTH_END);
  try {
    await runDay(me, { date: DAY, calendar });
    expect(verify(me)).toEqual([]);
  } finally {
    me.close();
  }
}

beforeAll(buildBase, SLOW);

/** A copy of the starting database in its own folder, with its own configuration (notices, backups). */
function world(from: string, name: string): { db: string; cwd: string; config: string } {
  const cwd = path.join(dir, name);
  mkdirSync(cwd, { recursive: true });
  const db = path.join(cwd, 'esep.db');
  copyFileSync(from, db);
  const config = path.join(cwd, 'esep.config.json');
  writeFileSync(config, JSON.stringify({ output: { invoices_dir: 'invoices', notices_dir: 'notices', backups_dir: 'backups' }, backup: { keep: 2 } }));
  return { db, cwd, config };
}

type World = ReturnType<typeof world>;

function run(w: World, env: Record<string, string>, args: readonly string[]) {
  const r = spawnSync(process.execPath, [BIN, '--db', w.db, '--config', w.config, ...args], {
    cwd: w.cwd,
    encoding: 'utf8',
    env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '', ESEP_MONTH_END_BACKUP: '', ESEP_PDF_THREADS: '1', ESEP_BATCH_SIZE: BATCH, ...env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function verifyClean(w: World): void {
  const r = run(w, {}, ['verify']);
  expect(r.stderr + r.stdout).not.toMatch(/violation/i);
  expect(r.code).toBe(0);
}

function verifyInProcess(file: string): void {
  const db = openDatabase(file);
  try {
    expect(verify(db)).toEqual([]);
  } finally {
    db.close();
  }
}

interface Point {
  where: 'in-batch' | 'after-batch';
  n: number;
}
const show = (p: Point) => `${p.where}:${p.n}`;

const pointArb = (max: number) => fc.record({ where: fc.constantFrom<'in-batch' | 'after-batch'>('in-batch', 'after-batch'), n: fc.integer({ min: 1, max }) });
/** One to three kills per copy; the first early enough that it certainly lands. */
const killsArb = (first: number, max: number) => fc.tuple(pointArb(first), fc.array(pointArb(max), { maxLength: 2 })).map(([a, rest]) => [a, ...rest]);

/**
 * Kills a copy at each point in turn (a point past the run's last batch lets the run finish, which
 * ends the sequence), then runs it to the end. Returns the kills that landed.
 */
function crashAndFinish(w: World, args: readonly string[], points: readonly Point[]): string[] {
  const landed: string[] = [];
  for (const p of points) {
    const r = run(w, { ESEP_FAILPOINT: show(p) }, args);
    if (r.signal === 'SIGKILL') {
      landed.push(show(p));
      continue;
    }
    expect(r.stderr, `${args.join(' ')} with ${show(p)}`).toBe('');
    expect(r.code).toBe(0);
    return landed;
  }
  const done = run(w, {}, args);
  expect(done.stderr, `${args.join(' ')} after ${landed.join(', ')}`).toBe('');
  expect(done.code).toBe(0);
  return landed;
}

/** The journal: every killed run is marked interrupted by the next one, none left running. */
function journalOutcomes(file: string): Record<string, number> {
  const db = openDatabase(file);
  try {
    const rows = db.sqlite.prepare('SELECT outcome, COUNT(*) AS n FROM job_runs GROUP BY outcome').all() as { outcome: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
  } finally {
    db.close();
  }
}

interface JobCase {
  name: string;
  from: () => string;
  args: readonly string[];
  /** fast-check runs (copies killed); each is 2–4 processes. */
  runs: number;
  /** Batch numbers drawn from 1..max (the first kill from 1..first). */
  first: number;
  max: number;
}

const JOBS: JobCase[] = [
  { name: 'run debit', from: () => BASE, args: ['run', 'debit', '--date', DAY], runs: 1, first: 6, max: 14 },
  { name: 'run penalties', from: () => BASE, args: ['run', 'penalties', '--date', DAY], runs: 1, first: 3, max: 6 },
  { name: 'run suspend', from: () => BASE, args: ['run', 'suspend', '--date', DAY], runs: 1, first: 3, max: 6 },
  { name: 'run terminate', from: () => BASE, args: ['run', 'terminate', '--date', DAY], runs: 1, first: 3, max: 6 },
  { name: 'run day', from: () => BASE, args: ['run', 'day', '--date', DAY], runs: 1, first: 5, max: 10 },
  { name: 'payments import', from: () => BASE, args: ['payments', 'import', NOVEMBER, '--date', '2026-11-24'], runs: 1, first: 6, max: 12 },
];

describe('killed with SIGKILL at random points, a rerun ends exactly where an uninterrupted run does', () => {
  JOBS.forEach((job, index) => {
    it(
      job.name,
      () => {
        const straight = world(job.from(), `${index}-straight`);
        const ok = run(straight, {}, job.args);
        expect(ok.stderr).toBe('');
        expect(ok.code).toBe(0);
        const expected = snapshotFile(straight.db);
        verifyClean(straight);

        let copy = 0;
        const landedAll: string[] = [];
        fc.assert(
          fc.property(killsArb(job.first, job.max), (points) => {
            const w = world(job.from(), `${index}-crashed-${copy++}`);
            const landed = crashAndFinish(w, job.args, points);
            landedAll.push(...landed);
            expect(snapshotFile(w.db), `killed at ${landed.join(', ')}`).toEqual(expected);
            verifyInProcess(w.db);
            expect(journalOutcomes(w.db).running ?? 0).toBe(0);
            if (copy === 1) verifyClean(w);
          }),
          { numRuns: job.runs, seed: 20261130 + index, endOnFailure: true },
        );
        // the kills did land: this is a crash test, not a rerun test
        expect(landedAll.length).toBeGreaterThan(0);
      },
      SLOW,
    );
  });
});

describe('run invoices killed while issuing, between issuing and PDFs, and after the PDFs', () => {
  it(
    'a rerun issues the rest with gapless numbers and writes every missing PDF',
    async () => {
      const args = ['run', 'invoices', '--period', '2026-11', '--date', '2026-12-01', '--out', 'invoices'];
      const straight = world(MONTH_END, 'inv-straight');
      const ok = run(straight, {}, ['--json', ...args]);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      const counts = (JSON.parse(ok.stdout) as { counts: Record<string, number> }).counts;
      const issued = counts.invoices ?? 0;
      expect(issued).toBeGreaterThan(15);
      expect(counts.pdfs).toBe(issued);
      const expected = snapshotFile(straight.db);
      verifyClean(straight);

      // batches 1..I issue (I = ⌈issued / 5⌉); batch I + 1 records the PDFs of the one render page
      const I = Math.ceil(issued / Number(BATCH));
      const fixed: Point[][] = [
        [{ where: 'after-batch', n: I }], // every invoice issued, no PDF yet
        [{ where: 'in-batch', n: I + 1 }], // PDFs on disk, their recording rolled back
        [{ where: 'after-batch', n: I + 1 }], // PDFs recorded, no registry
      ];
      const random = fc.sample(killsArb(I, I + 1), { numRuns: 1, seed: 20261201 });
      let copy = 0;
      for (const points of [...fixed, ...random]) {
        const w = world(MONTH_END, `inv-crashed-${copy++}`);
        const landed = crashAndFinish(w, args, points);
        expect(landed.length, `points ${points.map(show).join(', ')}`).toBeGreaterThan(0);
        expect(snapshotFile(w.db), `killed at ${landed.join(', ')}`).toEqual(expected);
        verifyInProcess(w.db);
        const out = path.join(w.cwd, 'invoices', '2026-11');
        const files = readdirSync(out).sort();
        expect(files).toEqual(readdirSync(path.join(straight.cwd, 'invoices', '2026-11')).sort());
        expect(files.filter((f) => f.endsWith('.pdf'))).toHaveLength(issued);
        // nothing half-written is left behind
        expect(files.every((f) => /^(MT-2026-\d{6}\.pdf|registry-2026-11\.csv)$/.test(f))).toBe(true);
        // every PDF parses and is the invoice it is named for (a few checked in full for time)
        for (const f of [files[0]!, files[Math.floor(issued / 2)]!, files[issued - 1]!]) {
          expect(await pdfText(path.join(out, f))).toContain(f.replace('.pdf', ''));
        }
        // each run that started took its month-end backup; the folder is pruned to backup.keep = 2
        expect(readdirSync(path.join(w.cwd, 'backups')).filter((f) => f.endsWith('.db')).length).toBeLessThanOrEqual(2);
      }
      verifyClean(world(MONTH_END, 'inv-unused'));
    },
    SLOW,
  );
});

describe('two processes at once', () => {
  const start = (w: World, args: readonly string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, '--db', w.db, '--config', w.config, ...args], {
        cwd: w.cwd,
        env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '', ESEP_MONTH_END_BACKUP: '', ESEP_PDF_THREADS: '1', ESEP_BATCH_SIZE: '2' },
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      child.on('exit', (code) => resolve({ code, stderr }));
    });

  it(
    'payments import twice at once: one imports, the other exits 75 or finds every row imported; nothing doubled',
    async () => {
      const both = world(BASE, 'both-payments');
      const args = ['payments', 'import', NOVEMBER, '--date', '2026-11-24'];
      const results = await Promise.all([start(both, args), start(both, args)]);
      for (const r of results) expect([0, 75], r.stderr).toContain(r.code);
      expect(results.map((r) => r.code)).toContain(0);
      for (const r of results.filter((x) => x.code === 75)) expect(r.stderr).toMatch(/busy/);
      const straight = world(BASE, 'both-payments-straight');
      expect(run(straight, {}, args).code).toBe(0);
      expect(snapshotFile(both.db)).toEqual(snapshotFile(straight.db));
      verifyInProcess(both.db);
    },
    SLOW,
  );

  it(
    'run invoices twice at once: one issues, the other exits 75 (or finds nothing left); numbers are not doubled',
    async () => {
      const both = world(MONTH_END, 'both-invoices');
      const args = ['run', 'invoices', '--period', '2026-11', '--date', '2026-12-01', '--out', 'invoices'];
      const results = await Promise.all([start(both, args), start(both, args)]);
      for (const r of results) expect([0, 75], r.stderr).toContain(r.code);
      expect(results.map((r) => r.code)).toContain(0);
      const straight = world(MONTH_END, 'both-invoices-straight');
      expect(run(straight, {}, args).code).toBe(0);
      expect(snapshotFile(both.db)).toEqual(snapshotFile(straight.db));
      verifyInProcess(both.db);
      // the backups are whole databases; a process that found the lock taken took none (one that got
      // the lock for its backup in the moment between the other's backup and run may have taken one)
      const backups = readdirSync(path.join(both.cwd, 'backups')).filter((f) => f.endsWith('.db'));
      expect(backups.length).toBeGreaterThanOrEqual(1);
      expect(backups.length).toBeLessThanOrEqual(2);
    },
    SLOW,
  );
});

describe('the month-end backup of run invoices (backup.before_month_end)', () => {
  it(
    'takes one into output.backups_dir, pruned to backup.keep; none on a dry run, with --reissue, or when the scheduler took it',
    () => {
      const w = world(MONTH_END, 'backup');
      const backups = () => (existsSync(path.join(w.cwd, 'backups')) ? readdirSync(path.join(w.cwd, 'backups')).sort() : []);
      const args = ['run', 'invoices', '--period', '2026-11', '--date', '2026-12-01', '--out', 'invoices'];

      expect(run(w, {}, [...args, '--dry-run']).code).toBe(0);
      expect(backups()).toEqual([]);

      // by hand (or from cron): taken before the run, so it holds none of the invoices the run issued
      const first = run(w, { ESEP_BATCH_SIZE: '500' }, args);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^backup: .*esep-\d{8}-\d{6}-invoices-2026-11\.db$/m);
      const [taken] = backups();
      expect(backups()).toHaveLength(1);
      expect(taken).toMatch(/^esep-\d{8}-\d{6}-invoices-2026-11\.db$/);
      expect(invoicesOf(path.join(w.cwd, 'backups', taken!))).toBe(0);
      expect(invoicesOf(w.db)).toBeGreaterThan(0);

      // the scheduler took it already and says so in the environment: no second one
      const scheduled = run(w, { ESEP_MONTH_END_BACKUP: path.join(w.cwd, 'elsewhere.db') }, ['--json', ...args]);
      expect(scheduled.code).toBe(0);
      expect((JSON.parse(scheduled.stdout) as { backup: unknown }).backup).toEqual({ file: path.join(w.cwd, 'elsewhere.db'), taken: false });
      expect(backups()).toHaveLength(1);

      // --reissue issues nothing: no backup
      expect(run(w, {}, [...args, '--reissue']).code).toBe(0);
      expect(backups()).toHaveLength(1);

      // two more runs: three taken, backup.keep = 2 kept
      expect(run(w, {}, args).code).toBe(0);
      expect(run(w, {}, args).code).toBe(0);
      const left = backups();
      expect(left).toHaveLength(2);

      // switched off
      writeFileSync(w.config, JSON.stringify({ output: { backups_dir: 'backups' }, backup: { keep: 2, before_month_end: false } }));
      expect(run(w, {}, args).code).toBe(0);
      expect(backups()).toEqual(left);
    },
    SLOW,
  );
});

/** The invoices of 2026-11 in a database. */
function invoicesOf(file: string): number {
  const db = openDatabase(file);
  try {
    return (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM invoices WHERE period = '2026-11'`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('termination notices after a killed run day', () => {
  // `run day` writes the notices of its terminations after its last day. Killed on a later day, the
  // rerun starts after the days already done; it must still write the notices of the terminations
  // those days committed (it looks back 30 days for terminations without a notice).
  it(
    'the rerun writes the notices of terminations the killed run committed on an earlier day',
    async () => {
      const w = world(BASE, 'notices-gap');
      // what `run day --date 2026-11-30` killed on 2026-11-28 leaves: 25..27 done and journaled,
      // the terminations of the 26th committed, no notice written yet
      const db = openDatabase(w.db);
      try {
        await runDay(db, { date: '2026-11-27', calendar });
      } finally {
        db.close();
      }
      const r = run(w, {}, ['run', 'day', '--date', DAY]);
      expect(r.code).toBe(0);
      const after = snapshotFile(w.db);
      const terminated = after.access.filter((e) => (e as { event: string; value_date: string }).event === 'terminate' && (e as { value_date: string }).value_date >= '2026-11-25');
      expect(terminated.length).toBeGreaterThan(1);
      const noticed = new Set(after.notices.map((n) => `${(n as { account: string }).account} ${(n as { issued_on: string }).issued_on}`));
      for (const e of terminated as { account: string; value_date: string }[]) expect(noticed).toContain(`${e.account} ${e.value_date}`);
    },
    SLOW,
  );
});
