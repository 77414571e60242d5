// The statements the jobs run per page or per account must stay cheap as the database grows:
//   - a keyset pager (`account > @after ... ORDER BY ... LIMIT`) that sorts its candidates in a
//     temporary B-tree reads every candidate once per page, quadratic over a run (seen at 1M
//     accounts: the debit job's time per account grew fourfold until its pager had an index in
//     account order);
//   - a statement run once per account or per entry must find its rows through an index, never by
//     scanning a table that grows with the accounts.
// Every statement prepared during two months of the jobs (daily runs, month-end, a statement import,
// sending, termination notices, the debtors list, verify) is collected with its plan and the number
// of times it ran, and checked here.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Statement } from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { hasDaysToDecideSql } from '../../src/domain/daily-fee.js';
import { loadCalendar } from '../../src/io/calendar.js';
import type { MailTransport } from '../../src/io/mail.js';
import type { Renderer } from '../../src/io/pdf/pool.js';
import { runDay } from '../../src/jobs/day.js';
import { debtors } from '../../src/jobs/debtors.js';
import { loadDemo } from '../../src/jobs/demo.js';
import { runInvoices } from '../../src/jobs/invoices.js';
import { writeTerminationNotices } from '../../src/jobs/notices.js';
import { importPayments } from '../../src/jobs/payments.js';
import { runSend } from '../../src/jobs/send.js';
import { verify } from '../../src/jobs/verify.js';
import { tempDir } from '../helpers/tmp.js';
import { writeStatement } from '../helpers/world.js';

interface Seen {
  sql: string;
  plan: string[];
  runs: number;
}

/** Tables whose size does not grow with the accounts: scanning them is fine. */
const SMALL = new Set(['operator', 'tariffs', 'tariff_prices', 'job_locks']);

function planOf(prepare: (sql: string) => Statement, sql: string): string[] {
  const names = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!))];
  const positional = (sql.match(/\?/g) ?? []).length;
  const params: unknown[] = Array.from({ length: positional }, () => null);
  if (names.length > 0) params.unshift(Object.fromEntries(names.map((n) => [n, null])));
  return (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

/** Records every statement prepared on db from now on, its plan (taken when prepared) and its runs. */
function watch(db: Db): { seen: Map<string, Seen>; stop: () => void } {
  const seen = new Map<string, Seen>();
  const original = db.sqlite.prepare;
  const prepare = original.bind(db.sqlite);
  db.sqlite.prepare = ((...args: Parameters<typeof prepare>) => {
    const stmt = prepare(...args);
    // better-sqlite3 prepares its own BEGIN/COMMIT with extra arguments: leave those alone
    if (args.length !== 1) return stmt;
    const sql = args[0].replace(/\s+/g, ' ').trim();
    let entry = seen.get(sql);
    if (!entry) seen.set(sql, (entry = { sql, plan: planOf(prepare, args[0]), runs: 0 }));
    const counted = entry;
    return new Proxy(stmt, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        if (key === 'run' || key === 'get' || key === 'all' || key === 'iterate') {
          return (...a: unknown[]) => {
            counted.runs++;
            return (value as (...x: unknown[]) => unknown).apply(target, a);
          };
        }
        return (value as (...x: unknown[]) => unknown).bind(target);
      },
    }) as Statement;
  }) as typeof db.sqlite.prepare;
  return { seen, stop: () => void (db.sqlite.prepare = original) };
}

/** Writes a few bytes where each PDF goes, so that the invoices can be emailed. */
const stubPdfRenderer: Renderer = {
  mode: 'in-process',
  threads: 1,
  render: async (task) => {
    mkdirSync(path.dirname(task.file), { recursive: true });
    writeFileSync(task.file, '%PDF-1.4\n');
    return { file: task.file, bytes: 9 };
  },
  close: async () => {},
};

describe('query plans of the jobs', () => {
  let db: Db;
  let seen: Map<string, Seen>;
  let jobRuns = 0;
  beforeAll(async () => {
    const dir = tempDir();
    db = openDatabase(path.join(dir, 'plans.db'), { create: true });
    const watcher = watch(db);
    seen = watcher.seen;
    await loadDemo(db, 60, { today: '2026-10-01', monthsBack: 1 });
    const calendar = loadCalendar();
    await runDay(db, { date: '2026-10-31', calendar });
    await runInvoices(db, { period: '2026-10', outDir: path.join(dir, 'invoices'), renderer: stubPdfRenderer });
    const account = (db.sqlite.prepare(`SELECT account FROM accounts WHERE method = 'advance' ORDER BY account LIMIT 1`).get() as { account: string }).account;
    const statement = writeStatement(path.join(dir, 'st.csv'), [{ bankRef: 'R1', valueDate: '2026-11-03', amount: 500_000, account }]);
    await importPayments(db, { file: statement, date: '2026-11-04' });
    await runDay(db, { date: '2026-11-30', calendar });
    await runInvoices(db, { period: '2026-11', outDir: path.join(dir, 'invoices'), renderer: stubPdfRenderer });
    const transport: MailTransport = { send: async () => ({ reply: '250 queued' }), close() {} };
    const smtp = { url: null, from: null, ratePerSecond: 1000, maxAttempts: 3 };
    await runSend(db, { scope: { kind: 'invoice', period: '2026-11', through: '2026-12-01' }, smtp, transport });
    await writeTerminationNotices(db, path.join(dir, 'notices'), '2026-10-01');
    await runSend(db, { scope: { kind: 'notice', through: '2026-12-01' }, smtp, transport });
    debtors(db, '2026-11-30');
    expect(verify(db)).toEqual([]);
    watcher.stop();
    jobRuns = (db.sqlite.prepare('SELECT COUNT(*) AS n FROM job_runs').get() as { n: number }).n;
  }, 120_000);

  it('sees the pagers of debit, suspend, terminate and invoices, and statements run per account', () => {
    const pagers = [...seen.values()].filter((s) => s.sql.includes('@after'));
    // the debit's pager: the domain's condition for an account with a day to decide (domain/daily-fee.ts)
    expect(pagers.map((s) => s.sql).join('\n')).toContain(hasDaysToDecideSql('a', '@date').replace(/\s+/g, ' '));
    expect(pagers.length).toBeGreaterThanOrEqual(4);
    expect([...seen.values()].filter((s) => s.runs > 3 * jobRuns).length).toBeGreaterThanOrEqual(5);
  });

  it('pages in index order, without sorting the candidates of every page', () => {
    const sorted = [...seen.values()].filter((s) => s.sql.includes('@after') && s.plan.some((d) => d.includes('TEMP B-TREE')));
    expect(sorted).toEqual([]);
  });

  it('runs no statement per account or per entry that scans a growing table', () => {
    // a table-valued function over a bound parameter (`json_each(@ranges)`) scans the parameter's rows, not a table's
    const growing = (d: string) => /^SCAN (\w+)/.test(d) && !/^SCAN \w+ VIRTUAL TABLE/.test(d) && !SMALL.has(/^SCAN (\w+)/.exec(d)![1]!);
    const scans = [...seen.values()].filter((s) => s.runs > 3 * jobRuns && s.plan.some(growing));
    expect(scans).toEqual([]);
  });
});
