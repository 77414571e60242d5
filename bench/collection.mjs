// Bench: one night of the credit-side jobs (penalties, suspend, terminate) after a year of history,
// from the built dist/ (`npm run build` first). N credit accounts billed 5 000 ₸ a month from
// October 2025 to September 2026: three in five pay before the due date, one in four on the 27th
// (two days after it), the rest every other month for two months at once; the year's penalties are posted by one
// catch-up run, then the night of 28 October 2026 is measured, each job in its own child process on
// its own copy of the database.
//
// The baseline is a hand-written better-sqlite3 loop that reads every candidate account's whole
// ledger and its invoices and applies no rule: what suspend and terminate read, and what the penalty
// job read before it learnt to read less (an account whose facts have not changed since the last
// run: its facts, its penalties as totals between facts and those of the days since). The ratio is
// what the rules and the writes cost on top of those reads; goal for the penalties ≤ 2 at 8 000
// accounts. Time per account should stay flat as N grows; it grows with the length of each
// account's history, which is what this bench keeps fixed.
// Each round runs the reads and every job once, in turn, on a fresh copy (BENCH_ROUNDS, default 3);
// the figures are the medians.
//   node bench/collection.mjs                 (N = 2 000, 8 000)
//   BENCH_CREDIT=1000,4000 node bench/collection.mjs
//   node bench/collection.mjs make FILE N; node --cpu-prof bench/collection.mjs job FILE penalties   (to profile one job)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { OPERATOR } from './operator.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const load = (p) => import(path.join(dist, ...p.split('/')));
const HISTORY_RUN = '2026-10-27';
const NIGHT = '2026-10-28';
const FEE = 500_000;


/** 'YYYY-MM' of October 2025 + k months. */
const periodOf = (k) => {
  const d = new Date(Date.UTC(2025, 9 + k, 1));
  return d.toISOString().slice(0, 7);
};
const lastDayOf = (period) => new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).toISOString().slice(0, 10);
const nextMonthDay = (period, day) => `${periodOf(12 * (Number(period.slice(0, 4)) - 2025) + Number(period.slice(5, 7)) - 10 + 1)}-${day}`;

async function makeDatabase(file, n) {
  const { openDatabase } = await load('db/connection.js');
  const { saveOperator } = await load('db/operator.js');
  const { runPenalties } = await load('jobs/penalties.js');
  const { runSuspend } = await load('jobs/collection.js');
  const db = openDatabase(file, { create: true });
  const s = db.sqlite;
  saveOperator(db, OPERATOR);
  s.prepare(`INSERT INTO tariffs (code, name) VALUES ('HOME', 'HOME')`).run();
  s.prepare(`INSERT INTO tariff_prices (tariff_code, effective_from, monthly_fee, port_fee, installation_fee) VALUES ('HOME', '0001-01-01', ?, 0, 0)`).run(FEE);
  s.prepare(`INSERT INTO subscribers (iin, name) VALUES ('900101300007', 'Bench')`).run();
  const account = s.prepare(
    `INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address) VALUES (?, '900101300007', 'credit', 'HOME', '2025-10-01', 1, 'x')`,
  );
  const entry = s.prepare(`INSERT INTO ledger (account, value_date, kind, amount, key) VALUES (?, ?, ?, ?, ?)`);
  const invoice = s.prepare(
    `INSERT INTO invoices (number, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
       penalties, closing_balance, principal, amount_due) VALUES (?, 2026, ?, ?, ?, ?, ?, 0, ?, 0, 0, 0, ?, ?, ?)`,
  );
  let seq = 0;
  const insert = s.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const id = String(1_000_000 + i);
      account.run(id);
      for (let k = 0; k < 12; k++) {
        const period = periodOf(k);
        entry.run(id, lastDayOf(period), 'monthly_fee', -FEE, `fee:${id}:${period}`);
        seq++;
        invoice.run(`MT-B-${seq}`, seq, id, period, nextMonthDay(period, '01'), nextMonthDay(period, '25'), -FEE, -FEE, FEE, FEE);
        const payer = i % 20 < 12 ? 'ontime' : i % 20 < 17 ? 'late' : 'alternate';
        if (payer === 'ontime') entry.run(id, nextMonthDay(period, '20'), 'payment', FEE, `pay:${id}:${period}`);
        else if (payer === 'late') entry.run(id, nextMonthDay(period, '27'), 'payment', FEE, `pay:${id}:${period}`);
        else if (k % 2 === 1) entry.run(id, nextMonthDay(period, '27'), 'payment', 2 * FEE, `pay:${id}:${period}`);
      }
    }
  });
  for (let i = 0; i < n; i += 10_000) insert(i, Math.min(n, i + 10_000));
  s.prepare(`UPDATE accounts SET balance = (SELECT COALESCE(SUM(amount), 0) FROM ledger l WHERE l.account = accounts.account)`).run();
  // the year's penalties and statuses, as the nightly runs would have left them
  await runPenalties(db, { date: HISTORY_RUN });
  await runSuspend(db, { date: HISTORY_RUN });
  db.close();
}

const report = (extra) => console.log(JSON.stringify({ ...extra, maxRssMb: process.resourceUsage().maxRSS / 1024 }));

async function runJobs(file, which) {
  const { openDatabase } = await load('db/connection.js');
  const { runPenalties } = await load('jobs/penalties.js');
  const { runSuspend, runTerminate } = await load('jobs/collection.js');
  const { loadCalendar } = await load('io/calendar.js');
  const db = openDatabase(file);
  const calendar = loadCalendar();
  const job = { penalties: () => runPenalties(db, { date: NIGHT }), suspend: () => runSuspend(db, { date: NIGHT }), terminate: () => runTerminate(db, { date: NIGHT, calendar }) }[which];
  const t0 = performance.now();
  const r = await job();
  const ms = performance.now() - t0;
  db.close();
  report({ ms, counts: r.counts });
}

/** The reads, by hand: every candidate's ledger and invoices, through statements prepared once. */
function runBaseline(file) {
  const s = new Database(file);
  const t0 = performance.now();
  const candidates = s.prepare(`SELECT DISTINCT account FROM invoices WHERE due_on < ? AND principal > 0 ORDER BY account`).pluck().all(NIGHT);
  const ledger = s.prepare(`SELECT id, value_date AS valueDate, kind, amount, invoice_id AS invoiceId FROM ledger WHERE account = ? ORDER BY value_date, id`);
  const invoices = s.prepare(`SELECT id, period, due_on AS dueOn, principal FROM invoices WHERE account = ? ORDER BY period`);
  let touched = 0;
  for (const account of candidates) {
    for (const e of ledger.all(account)) touched += e.amount;
    for (const i of invoices.all(account)) touched += i.principal;
  }
  const ms = performance.now() - t0;
  s.close();
  report({ ms, accounts: candidates.length, touched });
}

function child(mode, file, which = '') {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), mode, file, which], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} ${which} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function main() {
  const [mode, file, which] = process.argv.slice(2);
  if (mode === 'make') return makeDatabase(file, Number(which));
  if (mode === 'job') return runJobs(file, which);
  if (mode === 'baseline') return runBaseline(file);
  const sizes = (process.env.BENCH_CREDIT ?? '2000,8000').split(',').map(Number);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  console.log(`credit-side night of ${NIGHT} after a year of monthly invoices: each job against a hand-written loop that only reads`);
  console.log('what the jobs read (every candidate account\'s whole ledger and its invoices); ratio = job / reads.');
  console.log(`${rounds} rounds, each side once a round in turn, so that other load on the machine hits all alike; medians.`);
  console.log('Goal: penalties ≤ 2.0 × reads at 8 000 accounts. The penalty job reads less than that loop for accounts whose facts');
  console.log('have not changed since the last run: their facts, and their penalties as totals between facts (jobs/penalties.ts).');
  console.log('accounts  entries   reads s   job         s    ratio (goal)  µs/account  accounts done  peak MB');
  const sides = ['reads', 'penalties', 'suspend', 'terminate'];
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const work = mkdtempSync(path.join(tmpdir(), 'esep-bench-'));
  try {
    for (const n of sizes) {
      const seed = path.join(work, `seed-${n}.db`);
      await makeDatabase(seed, n);
      const entries = new Database(seed, { readonly: true }).prepare('SELECT COUNT(*) FROM ledger').pluck().get();
      const runs = Object.fromEntries(sides.map((side) => [side, []]));
      for (let round = 0; round < rounds; round++) {
        for (const side of sides.map((_, i) => sides[(i + round) % sides.length])) {
          const f = path.join(work, `${side}-${n}.db`);
          copyFileSync(seed, f);
          runs[side].push(side === 'reads' ? child('baseline', f) : child('job', f, side));
          for (const suffix of ['', '-wal', '-shm']) rmSync(`${f}${suffix}`, { force: true });
        }
      }
      const ms = (side) => median(runs[side].map((r) => r.ms));
      const reads = ms('reads');
      for (const which of ['penalties', 'suspend', 'terminate']) {
        const r = runs[which][0];
        const ratio = ms(which) / reads;
        console.log(
          [
            String(n).padStart(8),
            String(entries).padStart(8),
            (reads / 1000).toFixed(2).padStart(9),
            which.padEnd(10).padStart(13),
            (ms(which) / 1000).toFixed(2).padStart(6),
            `${ratio.toFixed(2)} ${which === 'penalties' ? (ratio <= 2 ? '(≤ 2.0)' : '(over 2.0)') : '       '}`.padStart(14),
            ((ms(which) * 1000) / n).toFixed(0).padStart(11),
            String(r.counts.accounts ?? runs.reads[0].accounts).padStart(14),
            Math.max(...runs[which].map((x) => x.maxRssMb)).toFixed(0).padStart(8),
          ].join(' '),
        );
      }
      console.log(`          penalties ÷ reads by round: ${runs.penalties.map((r, i) => (r.ms / runs.reads[i].ms).toFixed(2)).join(', ')}`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${seed}${suffix}`, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
