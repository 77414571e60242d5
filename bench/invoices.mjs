// Bench: month-end for N credit accounts (default 100 000; BENCH_INVOICES=5000 to override), from
// the built dist/ (`npm run build` first; `node bench/invoices.mjs` runs it alone). Each phase runs
// in its own child process so that its peak memory is its own:
//   issue  runInvoices with a renderer that writes nothing: month-end charges, numbers, figures
//   pool   runInvoices --reissue: every PDF through the piscina worker pool (one thread per core)
//   compare  the pool against a hand-written single-thread loop rendering the same invoices (the
//          first BENCH_COMPARE, default min(N, 4 000), built by hand from the database) with the same
//          renderer (render.ts, fonts parsed once) one after another on the main thread, in
//          BENCH_ROUNDS (8) alternating rounds so that other load on the machine hits both alike
// It prints invoices per second of the pool and of the loop, their ratio (goal ≥ 1.6 on 2 cores) and
// the peak RSS of each phase (goal < 500 MB).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPERATOR } from './operator.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const PERIOD = '2026-10';
const load = (p) => import(path.join(dist, ...p.split('/')));

const NAMES = ['Әбенов Қанат', 'Гауһар Нұрланқызы', 'Иванова Мария', 'Сейтқали Өмірзақ', 'Мұратқызы Қарлығаш', 'Бондаренко Павел'];

/** N credit accounts: most connected long ago, one in ten on 16 October (installation + a prorated fee), with September payments. */
async function makeDatabase(file, n) {
  const { openDatabase } = await load('db/connection.js');
  const { saveOperator } = await load('db/operator.js');
  const db = openDatabase(file, { create: true });
  const s = db.sqlite;
  saveOperator(db, OPERATOR);
  s.prepare(`INSERT INTO tariffs (code, name) VALUES ('HOME', 'Үй интернеті 100 / Домашний 100')`).run();
  s.prepare(`INSERT INTO tariff_prices (tariff_code, effective_from, monthly_fee, port_fee, installation_fee) VALUES ('HOME', '0001-01-01', 500000, 0, 1000000)`).run();
  const subscriber = s.prepare('INSERT INTO subscribers (iin, name) VALUES (?, ?)');
  const account = s.prepare(
    `INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address, balance)
     VALUES (?, ?, 'credit', 'HOME', ?, 1, 'г. Алматы, Абай даңғылы, 10', ?)`,
  );
  const payment = s.prepare(`INSERT INTO ledger (account, value_date, kind, amount, key) VALUES (?, '2026-09-20', 'payment', ?, ?)`);
  const insert = s.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const id = String(1_000_000 + i);
      const iin = String(100_000_000_000 + i); // the bench does not validate IINs
      subscriber.run(iin, NAMES[i % NAMES.length]);
      const paid = i % 4 === 0 ? 0 : 300_000;
      account.run(id, iin, i % 10 === 0 ? '2026-10-16' : '2026-01-01', paid);
      if (paid > 0) payment.run(id, paid, `seed:${id}`);
    }
  });
  for (let i = 0; i < n; i += 50_000) insert(i, Math.min(n, i + 50_000));
  db.close();
}

function child(mode, file, out) {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), mode, file, out], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const report = (extra) => console.log(JSON.stringify({ ...extra, maxRssMb: process.resourceUsage().maxRSS / 1024 }));

async function runIssue(file, out) {
  const { openDatabase } = await load('db/connection.js');
  const { runInvoices } = await load('jobs/invoices.js');
  const db = openDatabase(file);
  const nothing = { mode: 'in-process', threads: 0, render: async (task) => ({ file: task.file, bytes: 0 }), close: async () => {} };
  const t0 = performance.now();
  const r = await runInvoices(db, { period: PERIOD, outDir: out, renderer: nothing });
  const ms = performance.now() - t0;
  db.close();
  report({ ms, invoices: r.counts.invoices ?? 0, charges: r.counts.charges ?? 0 });
}

async function runPool(file, out) {
  const { openDatabase } = await load('db/connection.js');
  const { runInvoices } = await load('jobs/invoices.js');
  const db = openDatabase(file);
  const t0 = performance.now();
  const r = await runInvoices(db, { period: PERIOD, outDir: out, reissue: true });
  const ms = performance.now() - t0;
  db.close();
  report({ ms, pdfs: r.counts.pdfs ?? 0, failures: r.counts.pdf_failures ?? 0, mode: r.renderMode, threads: r.threads });
}

/** The invoices of P as the renderer takes them, built by hand from the database (the first `limit`). */
async function documents(db, limit) {
  const { getOperator, paymentChannelsOf, vatSettings } = await load('db/operator.js');
  const { amountToPay, invoiceFigures } = await load('domain/invoice.js');
  const { vatByRate } = await load('domain/vat.js');
  const op = getOperator(db);
  const vat = vatSettings(db);
  const rows = db.sqlite.prepare(
    `SELECT i.number, i.account, i.period, i.issued_on AS issuedOn, i.due_on AS dueOn, i.ledger_through AS through, s.name, s.iin, a.address, t.name AS tariff
       FROM invoices i JOIN accounts a ON a.account = i.account JOIN subscribers s ON s.iin = a.iin JOIN tariffs t ON t.code = a.tariff_code
      WHERE i.period = ? ORDER BY i.id LIMIT ?`,
  );
  const entries = db.sqlite.prepare(`SELECT id, value_date AS valueDate, kind, amount, memo FROM ledger WHERE account = ? AND value_date <= ? AND id <= ? ORDER BY value_date, id`);
  const out = [];
  for (const r of rows.iterate(PERIOD, limit)) {
    const f = invoiceFigures({ period: PERIOD, method: 'credit', entries: entries.all(r.account, '2026-10-31', r.through), nextMonthCost: 0 });
    out.push({
      number: r.number, period: r.period, issuedOn: r.issuedOn, dueOn: r.dueOn, final: false, terminatedOn: null, method: 'credit',
      operator: { name: op.name, bin: op.bin, iban: op.iban, bank: op.bank, bic: op.bic, kbe: op.kbe, knp: op.knp, address: op.address, phone: op.phone, site: op.site, email: op.email },
      subscriber: { name: r.name, iin: r.iin }, account: r.account, address: r.address, tariff: r.tariff,
      openingBalance: f.openingBalance, closingBalance: f.closingBalance, principal: f.principal, payments: f.payments, penalties: f.penalties,
      amountDue: f.amountDue, advisedTopup: f.advisedTopup, nextMonthCost: 0, lines: f.lines, paymentLines: f.paymentLines, penaltyLines: f.penaltyLines,
      toPay: amountToPay(f, 'credit', false, r.dueOn, 0),
      state: { status: 'active', suspendReason: null, since: null, restoreWith: null, terminatedBy: null, refundDueOn: null, equipment: [], equipmentReturnBy: null },
      vat: vatByRate(entries.all(r.account, '2026-10-31', r.through).filter((e) => e.valueDate >= '2026-10-01'), vat),
      penaltyDetails: [], paymentChannels: paymentChannelsOf(op),
    });
  }
  return out;
}

/**
 * The pool against a hand-written single-thread loop over the same invoices, in rounds that
 * alternate (pool, loop, loop, pool, …): on a shared machine a burst of someone else's load then
 * hits both sides alike. Rates are summed over the rounds.
 */
async function runCompare(file, out, limit, rounds) {
  const { openDatabase } = await load('db/connection.js');
  const { renderInvoiceFile } = await load('io/pdf/render.js');
  const { createRenderer } = await load('io/pdf/pool.js');
  const db = openDatabase(file);
  const docs = await documents(db, limit);
  db.close();
  const pool = createRenderer();
  const target = (side, d) => path.join(out, side, `${d.number}.pdf`);
  // warm up both: module loading and font parsing are once per thread, not per invoice
  await Promise.all(docs.slice(0, pool.threads * 2).map((d) => pool.render({ invoice: d, file: target('pool', d) })));
  for (const d of docs.slice(0, 2)) await renderInvoiceFile({ invoice: d, file: target('loop', d) });
  const size = Math.max(1, Math.floor(docs.length / rounds));
  const time = { pool: 0, loop: 0 };
  const count = { pool: 0, loop: 0 };
  const ratios = [];
  for (let r = 0; r < rounds; r++) {
    const chunk = docs.slice(r * size, (r + 1) * size);
    const rate = {};
    for (const side of r % 2 === 0 ? ['pool', 'loop'] : ['loop', 'pool']) {
      const t0 = performance.now();
      if (side === 'pool') await Promise.all(chunk.map((d) => pool.render({ invoice: d, file: target('pool', d) })));
      else for (const d of chunk) await renderInvoiceFile({ invoice: d, file: target('loop', d) });
      const ms = performance.now() - t0;
      time[side] += ms;
      count[side] += chunk.length;
      rate[side] = (chunk.length * 1000) / ms;
    }
    ratios.push(rate.pool / rate.loop);
  }
  await pool.close();
  ratios.sort((a, b) => a - b);
  report({
    threads: pool.threads,
    mode: pool.mode,
    poolRate: (count.pool * 1000) / time.pool,
    loopRate: (count.loop * 1000) / time.loop,
    perRound: size,
    medianRatio: ratios[Math.floor(ratios.length / 2)],
    minRatio: ratios[0],
    maxRatio: ratios[ratios.length - 1],
  });
}

async function main() {
  const [mode, file, out] = process.argv.slice(2);
  const n = Number(process.env.BENCH_INVOICES ?? 100_000);
  const compare = Number(process.env.BENCH_COMPARE ?? Math.min(n, 4_000));
  const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
  if (mode === 'issue') return runIssue(file, out);
  if (mode === 'pool') return runPool(file, out);
  if (mode === 'compare') return runCompare(file, out, compare, rounds);

  console.log(`month-end invoices: ${n} credit accounts, ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)}`);
  const work = mkdtempSync(path.join(tmpdir(), 'esep-bench-invoices-'));
  try {
    const db = path.join(work, 'bench.db');
    const out = path.join(work, 'out');
    const t0 = performance.now();
    await makeDatabase(db, n);
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const issue = child('issue', db, out);
    console.log(`issue:  ${issue.invoices} invoices, ${issue.charges} charges in ${(issue.ms / 1000).toFixed(1)} s (${((issue.invoices * 1000) / issue.ms).toFixed(0)}/s), peak RSS ${issue.maxRssMb.toFixed(0)} MB`);
    const pool = child('pool', db, out);
    const poolRate = (pool.pdfs * 1000) / pool.ms;
    console.log(`pool:   ${pool.pdfs} PDFs (${pool.failures} failed) in ${(pool.ms / 1000).toFixed(1)} s with ${pool.threads} ${pool.mode} threads: ${poolRate.toFixed(1)} invoices/s, peak RSS ${pool.maxRssMb.toFixed(0)} MB`);
    const cmp = child('compare', db, out);
    console.log(
      `compare (${rounds} alternating rounds of ${cmp.perRound}, same invoices): pool ${cmp.poolRate.toFixed(1)} invoices/s with ${cmp.threads} ${cmp.mode} threads, ` +
        `single-thread loop ${cmp.loopRate.toFixed(1)} invoices/s, peak RSS ${cmp.maxRssMb.toFixed(0)} MB`,
    );
    console.log(
      `ratio pool/loop: ${(cmp.poolRate / cmp.loopRate).toFixed(2)}× overall, median round ${cmp.medianRatio.toFixed(2)}× (${cmp.minRatio.toFixed(2)}–${cmp.maxRatio.toFixed(2)}); goal ≥ 1.6 on 2 cores`,
    );
    console.log(`month-end peak RSS ${Math.max(issue.maxRssMb, pool.maxRssMb).toFixed(0)} MB (goal < 500 MB); load average now ${loadavg()[0].toFixed(1)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
