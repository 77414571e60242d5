// Bench: the month-end reports on N accounts (default 100 000; BENCH_REPORTS=5000 to override), from
// the built dist/ (`npm run build` first; `node bench/reports.mjs` runs it alone). Half the accounts
// are credit accounts connected in July (four monthly fees, three invoices, payments of habits: on
// time, half, never, so that October has penalties), half advance accounts connected on 1 October
// (a payment and 31 daily fees). The reports of October:
//   turnover   report turnover --period 2026-10 (turnoverReport)
//   aging      report aging --date 2026-10-31 (agingReport: every account owing is replayed)
//   baseline   a hand-written loop that reads the period's entries once (every ledger row dated in
//              October, summed by account) and applies no rule
// in BENCH_ROUNDS (default 3) rounds, each side once a round in turn; medians and the ratios to the
// baseline (goal: within a few times, ≤ 5).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPERATOR } from './operator.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const load = (p) => import(path.join(dist, ...p.split('/')));

const N = Number(process.env.BENCH_REPORTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FEE = 500_000; // 5 000,00 a month

/** round(M·d/n) − round(M·(d−1)/n) in integers (M·d/n ≥ 0, half up). */
const cumulative = (d, n) => Math.floor((FEE * d * 2 + n) / (2 * n));

async function makeDatabase(file) {
  const { openDatabase } = await load('db/connection.js');
  const { saveOperator } = await load('db/operator.js');
  const db = openDatabase(file, { create: true });
  const s = db.sqlite;
  saveOperator(db, OPERATOR);
  s.prepare(`INSERT INTO tariffs (code, name) VALUES ('HOME', 'Үй интернеті')`).run();
  s.prepare(`INSERT INTO tariff_prices (tariff_code, effective_from, monthly_fee, port_fee, installation_fee) VALUES ('HOME', '0001-01-01', ?, 0, 0)`).run(FEE);
  const subscriber = s.prepare('INSERT INTO subscribers (iin, name) VALUES (?, ?)');
  const account = s.prepare(`INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address) VALUES (?, ?, ?, 'HOME', ?, 1, 'г. Алматы')`);
  const entry = s.prepare(`INSERT INTO ledger (account, value_date, kind, amount, key, invoice_id) VALUES (?, ?, ?, ?, ?, ?)`);
  const invoice = s.prepare(
    `INSERT INTO invoices (number, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments, penalties, closing_balance, principal, amount_due)
     VALUES (?, 2026, ?, ?, ?, ?, ?, 0, ?, 0, 0, 0, 0, ?, ?)`,
  );
  let seq = 0;
  const months = [
    ['2026-07', '2026-07-31', '2026-08-01', '2026-08-25', '2026-08-10'],
    ['2026-08', '2026-08-31', '2026-09-01', '2026-09-25', '2026-09-10'],
    ['2026-09', '2026-09-30', '2026-10-01', '2026-10-25', '2026-10-10'],
  ];
  const insert = s.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const id = String(1_000_000 + i);
      const iin = String(100_000_000_000 + i);
      subscriber.run(iin, 'Әбенов Қанат');
      if (i % 2 === 0) {
        account.run(id, iin, 'credit', '2026-07-01');
        const habit = i % 10; // 0–6 on time, 7–8 half of September's, 9 never September's
        for (const [period, last, issued, due, paidOn] of months) {
          entry.run(id, last, 'monthly_fee', -FEE, `m:${id}:${period}`, null);
          const inv = Number(invoice.run(`MT-2026-${String(++seq).padStart(6, '0')}`, seq, id, period, issued, due, -FEE, FEE, FEE).lastInsertRowid);
          const paid = period === '2026-09' ? (habit <= 6 ? FEE : habit <= 8 ? FEE / 2 : 0) : FEE;
          if (paid > 0) entry.run(id, paidOn, 'payment', paid, `p:${id}:${period}`, null);
          if (period === '2026-09' && paid < FEE) {
            // cl. 23.7: 0,5% a day of the unpaid principal, 26–31 October
            for (let d = 26; d <= 31; d++) entry.run(id, `2026-10-${d}`, 'penalty', -Math.round((FEE - paid) * 0.005), `pen:${inv}:${d}`, inv);
          }
        }
        entry.run(id, '2026-10-31', 'monthly_fee', -FEE, `m:${id}:2026-10`, null);
      } else {
        account.run(id, iin, 'advance', '2026-10-01');
        entry.run(id, '2026-10-01', 'payment', 600_000, `p:${id}`, null);
        for (let d = 1; d <= 31; d++) entry.run(id, `2026-10-${String(d).padStart(2, '0')}`, 'daily_fee', -(cumulative(d, 31) - cumulative(d - 1, 31)), `day:${id}:${d}`, null);
      }
    }
  });
  for (let i = 0; i < N; i += 20_000) insert(i, Math.min(N, i + 20_000));
  s.prepare('UPDATE accounts SET balance = (SELECT COALESCE(SUM(l.amount), 0) FROM ledger l WHERE l.account = accounts.account)').run();
  const entries = s.prepare(`SELECT COUNT(*) AS n, SUM(value_date BETWEEN '2026-10-01' AND '2026-10-31') AS october FROM ledger`).get();
  db.close();
  return entries;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'esep-bench-reports-'));
  const file = path.join(dir, 'reports.db');
  try {
    const t0 = performance.now();
    const counts = await makeDatabase(file);
    console.log(`${N} accounts, ${counts.n} entries (${counts.october} in October), built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const { openDatabase } = await load('db/connection.js');
    const { turnoverReport, agingReport } = await load('jobs/reports.js');
    const db = openDatabase(file);
    const read = db.sqlite.prepare(`SELECT account, kind, amount, value_date FROM ledger WHERE value_date >= '2026-10-01' AND value_date <= '2026-10-31'`);
    const sides = {
      baseline: () => {
        const byAccount = new Map();
        for (const r of read.iterate()) byAccount.set(r.account, (byAccount.get(r.account) ?? 0) + r.amount);
        return byAccount.size;
      },
      turnover: () => turnoverReport(db, '2026-10').accounts.length,
      aging: () => agingReport(db, '2026-10-31').accounts.length,
    };
    const runs = { baseline: [], turnover: [], aging: [] };
    console.log(`${ROUNDS} rounds, each side once a round in turn; medians.`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, fn] of Object.entries(sides)) {
        globalThis.gc?.();
        const t = performance.now();
        const rows = fn();
        runs[name].push(performance.now() - t);
        if (round === 0) console.log(`  ${name}: ${rows} accounts`);
      }
    }
    db.close();
    const base = median(runs.baseline);
    const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`baseline, reading October's entries once: ${fmt(base)}`);
    for (const name of ['turnover', 'aging']) {
      const ms = median(runs[name]);
      console.log(`${name}: ${fmt(ms)}, ${((ms * 1000) / N).toFixed(1)} µs/account, ratio ${(ms / base).toFixed(2)} (goal ≤ 5)`);
    }
    console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
