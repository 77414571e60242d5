// Bench: one day of daily debits over N advance accounts, esep's job against hand-written
// better-sqlite3 loops, each in its own child process on its own copy of the same database:
//   - "loop": the same reads and writes as the job (the same rows, row for row: "same result");
//   - "bare": one indexed ledger row and one balance per account, in one transaction, nothing read
//     but the accounts' list: the least any debit can write. It writes into the same schema as the
//     job; since migration 0014 the ledger's inserts fire no trigger (its sign rule is a CHECK), so
//     it is the untriggered loop: the goal, job ≤ 3 × bare at 300 000 accounts, is measured against it.
//     Two variants for comparison, not goals: committing every 2 000 accounts as the job does (at
//     300 000 accounts one transaction outgrows SQLite's page cache and is the slower), and on a
//     copy with migration 0010's two insert triggers put back (what they cost, and the baseline the
//     goal was first measured against).
// Each round runs every side once, in turn, on a fresh copy (BENCH_ROUNDS, default 3); prints the
// median times, their ratios, µs per account and peak memory.
//   node bench/debit.mjs                  (N = 10 000 and 300 000)
//   BENCH_ACCOUNTS=10000,1000000 BENCH_ROUNDS=1 node bench/debit.mjs
//   node bench/debit.mjs make FILE N; node --cpu-prof bench/debit.mjs job FILE   (to profile one side)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const DAY = '2026-11-25';
const BATCH = 2000;
const SUSPEND_REASON = 'funds: the balance is short of the daily fee (cl. 17.2)';
const RESTORE_REASON = 'funds: the balance covers the daily fee (cl. 17.3)';

async function openMigrated(file) {
  const { openDatabase } = await import(path.join(dist, 'db', 'connection.js'));
  return openDatabase(file, { create: true });
}

/** N advance accounts decided through yesterday; two in three have money, the rest get suspended. */
async function makeDatabase(file, n) {
  const db = await openMigrated(file);
  const s = db.sqlite;
  s.prepare(`INSERT INTO tariffs (code, name) VALUES ('NET', 'NET')`).run();
  s.prepare(`INSERT INTO tariff_prices (tariff_code, effective_from, monthly_fee, port_fee, installation_fee) VALUES ('NET', '0001-01-01', 500000, 30000, 0)`).run();
  s.prepare(`INSERT INTO subscribers (iin, name) VALUES ('900101300007', 'Bench')`).run();
  const account = s.prepare(
    `INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address, balance, debited_through)
     VALUES (?, '900101300007', 'advance', 'NET', '2026-10-01', 1, 'x', ?, '2026-11-24')`,
  );
  const entry = s.prepare(`INSERT INTO ledger (account, value_date, kind, amount, key) VALUES (?, '2026-11-01', 'payment', ?, ?)`);
  const insert = s.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const id = String(1_000_000 + i);
      const money = i % 3 === 0 ? 0 : 500_000;
      account.run(id, money);
      if (money > 0) entry.run(id, money, `seed:${id}`);
    }
  });
  for (let i = 0; i < n; i += 50_000) insert(i, Math.min(n, i + 50_000));
  db.close();
}

function child(mode, file) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), mode, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** A digest of every row either side writes (no ids, run ids or times), so that "same result" means row for row. */
function digest(file) {
  const s = new Database(file, { readonly: true });
  const hash = createHash('sha256');
  for (const sql of [
    'SELECT key, account, value_date, kind, amount, memo FROM ledger ORDER BY key',
    'SELECT account, balance, status, suspend_reason, debited_through FROM accounts ORDER BY account',
    'SELECT key, account, value_date, event, reason FROM access_events ORDER BY key',
  ]) {
    for (const row of s.prepare(sql).raw().iterate()) hash.update(`${row.join('\t')}\n`);
  }
  const day = s.prepare(`SELECT COUNT(*) AS n, SUM(amount) AS total FROM ledger WHERE value_date = ?`).get(DAY);
  s.close();
  return { digest: hash.digest('hex'), text: `${day.n} entries, ${day.total} tiyn on ${DAY}` };
}

async function runJob(file) {
  const { openDatabase } = await import(path.join(dist, 'db', 'connection.js'));
  const { runDebit } = await import(path.join(dist, 'jobs', 'debit.js'));
  const db = openDatabase(file);
  const t0 = process.hrtime.bigint();
  await runDebit(db, { date: DAY });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  db.close();
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

/** The same reads and writes, written by hand: no journal object, no domain modules, no lock table. */
function openLikeTheJob(file) {
  const s = new Database(file);
  s.pragma('journal_mode = WAL');
  s.pragma('synchronous = FULL');
  s.pragma('foreign_keys = ON');
  s.pragma('recursive_triggers = ON');
  return s;
}

/** Migration 0010's two insert triggers, which 0014 replaced by a CHECK and the delete trigger (the 'triggered' variant puts them back). */
const TRIGGERS_0010 = `
CREATE TRIGGER ledger_no_replace BEFORE INSERT ON ledger
WHEN EXISTS (SELECT 1 FROM ledger WHERE id = NEW.id) OR EXISTS (SELECT 1 FROM ledger WHERE key = NEW.key)
BEGIN SELECT RAISE(ABORT, 'ledger entry exists: an entry is never replaced'); END;
CREATE TRIGGER ledger_kind_sign BEFORE INSERT ON ledger
WHEN (NEW.kind IN ('installation', 'equipment', 'backbill', 'refund') AND NEW.amount > 0) OR (NEW.kind IN ('adjustment') AND NEW.amount < 0)
BEGIN SELECT RAISE(ABORT, 'ledger: this kind of entry cannot have this sign'); END;`;

/**
 * The least a day of debits writes: per account one ledger row (its key indexed) and its balance,
 * all in one transaction ('bare'), or a transaction per 2 000 accounts ('batched'), or in one
 * transaction on a copy with 0010's insert triggers ('triggered').
 */
function runBare(file, variant) {
  const s = openLikeTheJob(file);
  const inserting = s.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger' AND sql LIKE '%BEFORE INSERT%'`).pluck();
  if (inserting.get() !== 0) throw new Error('the ledger has an insert trigger: "bare" would not be the untriggered loop');
  if (variant === 'triggered') s.exec(TRIGGERS_0010);
  const t0 = process.hrtime.bigint();
  const accounts = s.prepare(`SELECT account FROM accounts WHERE method = 'advance' ORDER BY account`).pluck().all();
  const insert = s.prepare(`INSERT INTO ledger (account, value_date, kind, amount, key, memo) VALUES (?, ?, 'daily_fee', ?, ?, 'NET')`);
  const bump = s.prepare('UPDATE accounts SET balance = balance + ? WHERE account = ?');
  const fee = 16_667;
  const write = s.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const account = accounts[i];
      insert.run(account, DAY, -fee, `day:${account}:${DAY}`);
      bump.run(-fee, account);
    }
  });
  const step = variant === 'batched' ? BATCH : accounts.length;
  for (let i = 0; i < accounts.length; i += step) write(i, Math.min(accounts.length, i + step));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  s.close();
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function runBaseline(file) {
  const s = openLikeTheJob(file);
  const t0 = process.hrtime.bigint();
  const price = s.prepare(`SELECT monthly_fee AS m, port_fee AS p FROM tariff_prices WHERE tariff_code = 'NET'`).get();
  const page = s.prepare(
    `SELECT account, status, suspend_reason AS reason, debited_through AS through FROM accounts
      WHERE method = 'advance' AND connected_on <= @day AND (debited_through IS NULL OR debited_through < @day) AND account > @after
      ORDER BY account LIMIT ${BATCH}`,
  );
  const start = s.prepare(
    `SELECT a.balance - COALESCE((SELECT SUM(l.amount) FROM ledger l WHERE l.account = a.account
        AND (l.value_date > @day OR (l.value_date = @day AND l.amount < 0 AND l.kind <> 'installation'))), 0) AS b
       FROM accounts a WHERE a.account = @account`,
  );
  const insert = s.prepare(
    `INSERT INTO ledger (account, value_date, kind, amount, key, run_id, memo) VALUES (?, ?, ?, ?, ?, ?, 'NET') ON CONFLICT (key) DO NOTHING`,
  );
  const bump = s.prepare('UPDATE accounts SET balance = balance + ? WHERE account = ?');
  const mark = s.prepare('UPDATE accounts SET debited_through = ?, status = ?, suspend_reason = ? WHERE account = ?');
  const event = s.prepare(
    `INSERT INTO access_events (account, at, value_date, event, reason, key, run_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
  );
  const journal = s.prepare(`INSERT INTO job_runs (job, scope, started_at, outcome) VALUES ('debit', ?, ?, 'running')`);
  const counts = s.prepare('UPDATE job_runs SET counts = ? WHERE id = ?');
  const runId = journal.run(DAY, new Date().toISOString()).lastInsertRowid;
  // cumulative rounding, half up, in integers: round(M·d/n) = floor((2·M·d + n) / (2·n))
  const n = 30;
  const d = 25;
  const fee = Math.floor((2 * price.m * d + n) / (2 * n)) - Math.floor((2 * price.m * (d - 1) + n) / (2 * n));
  const at = new Date().toISOString();
  let after = '';
  let total = 0;
  for (;;) {
    const rows = page.all({ day: DAY, after });
    if (rows.length === 0) break;
    s.transaction(() => {
      for (const r of rows) {
        const b = start.get({ day: DAY, account: r.account }).b;
        let status = r.status;
        let reason = r.reason;
        const kind = b >= fee ? 'daily_fee' : 'port_reservation';
        const amount = kind === 'daily_fee' ? fee : price.p;
        if (amount > 0 && insert.run(r.account, DAY, kind, -amount, `day:${r.account}:${DAY}`, runId).changes === 1) bump.run(-amount, r.account);
        if (kind === 'daily_fee' && status === 'suspended' && reason === 'funds') {
          event.run(r.account, at, DAY, 'restore', RESTORE_REASON, `restore:${r.account}:${DAY}`, runId);
          status = 'active';
          reason = null;
        } else if (kind === 'port_reservation' && status === 'active') {
          event.run(r.account, at, DAY, 'suspend', SUSPEND_REASON, `suspend:${r.account}:${DAY}`, runId);
          status = 'suspended';
          reason = 'funds';
        }
        mark.run(DAY, status, reason, r.account);
      }
      total += rows.length;
      counts.run(JSON.stringify({ accounts: total }), runId);
    })();
    after = rows[rows.length - 1].account;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  s.close();
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function main() {
  const [mode, file, n] = process.argv.slice(2);
  if (mode === 'make') return makeDatabase(file, Number(n));
  if (mode === 'job') return runJob(file);
  if (mode === 'baseline') return runBaseline(file);
  if (mode === 'bare' || mode === 'batched' || mode === 'triggered') return runBare(file, mode);
  const sizes = (process.env.BENCH_ACCOUNTS ?? '10000,300000').split(',').map(Number);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  console.log('daily debit, one day: esep job vs hand-written better-sqlite3 loops on copies of the same database,');
  console.log(`${rounds} rounds, each side once a round in turn, so that other load on the machine hits all alike; medians`);
  console.log('goal: job ≤ 3.0 × bare (one ledger row and one balance per account in one transaction, same schema: no insert trigger) at 300 000 accounts');
  const modes = ['job', 'baseline', 'bare', 'batched', 'triggered'];
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const work = mkdtempSync(path.join(tmpdir(), 'esep-bench-'));
  try {
    for (const n of sizes) {
      const seed = path.join(work, `seed-${n}.db`);
      await makeDatabase(seed, n);
      const runs = Object.fromEntries(modes.map((m) => [m, []]));
      let same = true;
      let differs = '';
      for (let round = 0; round < rounds; round++) {
        const order = modes.map((_, i) => modes[(i + round) % modes.length]);
        const files = {};
        for (const mode of order) {
          files[mode] = path.join(work, `${mode}-${n}.db`);
          copyFileSync(seed, files[mode]);
          runs[mode].push(child(mode, files[mode]));
        }
        const [da, db] = [digest(files.job), digest(files.baseline)];
        if (da.digest !== db.digest) [same, differs] = [false, `${da.text} vs ${db.text}`];
        for (const f of Object.values(files)) for (const suffix of ['', '-wal', '-shm']) rmSync(`${f}${suffix}`, { force: true });
      }
      const ms = (mode) => median(runs[mode].map((r) => r.ms));
      const peak = (mode) => Math.max(...runs[mode].map((r) => r.maxRssMb)).toFixed(0);
      const job = ms('job');
      const line = (what, mode, extra) =>
        console.log(`  ${what.padEnd(51)} ${(ms(mode) / 1000).toFixed(2).padStart(7)} s   job ÷ it ${(job / ms(mode)).toFixed(2).padStart(5)}   ${extra}`);
      console.log(`${n} accounts: job ${(job / 1000).toFixed(2)} s, ${((job * 1000) / n).toFixed(1)} µs/account, peak ${peak('job')} MB`);
      line('loop, the same reads and writes', 'baseline', `same result: ${same ? 'yes' : `NO: ${differs}`}; peak ${peak('baseline')} MB`);
      const perRound = runs.job.map((r, i) => r.ms / runs.bare[i].ms);
      const goal = n === 300_000 ? `goal ≤ 3.0: ${job / ms('bare') <= 3 ? 'met' : 'NOT met'}` : '(goal at 300 000)';
      line('bare, one transaction, untriggered (the goal)', 'bare', `${goal}; rounds ${perRound.map((x) => x.toFixed(2)).join(', ')}`);
      line('bare, a transaction per 2 000 accounts', 'batched', 'not a goal');
      line('bare, one transaction, with 0010\'s insert triggers', 'triggered', `not a goal: what those triggers cost (bare ÷ it ${(ms('bare') / ms('triggered')).toFixed(2)})`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${seed}${suffix}`, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
