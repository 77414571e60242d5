// Seeing where things stand, through the built binary (run `npm run build` first): `esep status`
// with its exit codes for monitoring, `esep account find`, `esep tariffs`, `account show` as it
// stands and looking back, and the busy message in Almaty time. "Today" is ESEP_TODAY in every call.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B, IIN_C, TARIFFS_CSV } from '../helpers/fixtures.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { writeStatement } from '../helpers/world.js';

const dir = tempDir();
const TODAY = '2026-11-20';
// every step is a process of its own; on a busy two-core machine a few of them take a while
const SLOW = 240_000;

interface World {
  db: string;
  cwd: string;
}

function run(w: World, today: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, '--db', w.db, ...args], {
    cwd: w.cwd,
    encoding: 'utf8',
    env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '', ESEP_TODAY: today, ...env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function ok(w: World, today: string, ...args: string[]): string {
  const r = run(w, today, args);
  if (r.code !== 0) throw new Error(`esep ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

function json<T>(w: World, today: string, ...args: string[]): T {
  return JSON.parse(ok(w, today, '--json', ...args)) as T;
}

const ACCOUNTS = [
  ACCOUNT_HEADER,
  `1001,${IIN_A},Әбенов Қанат,"г. Алматы, пр. Абая, 1",,+7 701 111 22 33,credit,HOME100,2026-10-16,yes`,
  // ө written as ӛ, as some 1C bases and keyboards have it
  `1002,${IIN_B},Ӛмірзақ Айгүл,"г. Астана, ул. Кенесары, 5",,8 (702) 555-66-77,advance,HOME300,2026-11-01,no`,
  `1003,${IIN_C},Өмірзақов Ерлан,"г. Шымкент, ул. Байтурсынова, 9",,,advance,TEL,2026-11-01,yes`,
].join('\n');

function world(name: string): World {
  const cwd = path.join(dir, name);
  mkdirSync(cwd, { recursive: true });
  const w = { db: path.join(cwd, 'esep.db'), cwd };
  ok(w, TODAY, 'init');
  ok(w, TODAY, 'import', 'operator', path.join(ROOT, 'fixtures', 'demo', 'operator.json'));
  ok(w, TODAY, 'import', 'tariffs', writeText(cwd, 'tariffs.csv', TARIFFS_CSV));
  ok(w, TODAY, 'import', 'accounts', writeText(cwd, 'accounts.csv', ACCOUNTS), '--date', '2026-11-01');
  return w;
}

interface StatusJson {
  state: string;
  exit_code: number;
  daily: { due: string; jobs: { job: string; last_completed: string | null; behind: boolean }[]; day: string | null };
  month_end: { due: string; last_completed: string | null; behind: boolean };
  running: { job: string; since: string }[];
  failed_runs: { job: string; scope: string; outcome: string }[];
  suspense: { count: number; amount: string; oldest_age_days: number | null; threshold_days: number; over_threshold: number };
  calendar: { last_date: string; ends_soon: boolean };
  problems: { level: string; message: string }[];
}

function status(w: World, today: string, ...args: string[]): { code: number | null; body: StatusJson } {
  const r = run(w, today, ['--json', 'status', ...args]);
  expect(r.stderr).toBe('');
  return { code: r.code, body: JSON.parse(r.stdout) as StatusJson };
}

describe('esep account find', { timeout: SLOW }, () => {
  let w: World;
  beforeAll(() => {
    w = world('find');
  }, SLOW);
  const found = (text: string) => json<{ account: string; matched: string[] }[]>(w, TODAY, 'account', 'find', text);

  it('a name with ө finds the one written with ӛ, and the other way round, in any case', () => {
    expect(found('өмірзақ')).toEqual([
      expect.objectContaining({ account: '1002', matched: ['name'] }),
      expect.objectContaining({ account: '1003', matched: ['name'] }),
    ]);
    expect(found('ӚМІРЗАҚ').map((f) => f.account)).toEqual(['1002', '1003']);
    expect(found('айгүл ӛмірзақ').map((f) => f.account)).toEqual(['1002']);
  });

  it('a phone by its digits: +7 701 111 22 33 = 87011112233; 8 (702) 555-66-77 = +77025556677', () => {
    expect(found('87011112233')).toEqual([expect.objectContaining({ account: '1001', matched: ['phone'] })]);
    expect(found('+7 702 555 66 77')).toEqual([expect.objectContaining({ account: '1002', matched: ['phone'] })]);
  });

  it('an IIN and an account number', () => {
    expect(found(IIN_A)).toEqual([expect.objectContaining({ account: '1001', matched: ['iin'] })]);
    expect(found('1003')[0]).toEqual(expect.objectContaining({ account: '1003', matched: ['account'] }));
  });

  it('a table for people; nothing found is said, exit 0', () => {
    const table = run(w, TODAY, ['account', 'find', 'ӘБЕНОВ']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Әбенов Қанат');
    expect(table.stdout).toContain('+7 701 111 22 33');
    const none = run(w, TODAY, ['account', 'find', 'Сидоров']);
    expect(none).toMatchObject({ code: 0, stdout: 'no account matches "Сидоров"\n' });
    expect(found('Сидоров')).toEqual([]);
  });

  it('an empty text is bad usage: exit 2', () => {
    const r = run(w, TODAY, ['account', 'find', '  ']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TEXT: is empty');
  });
});

describe('esep tariffs', { timeout: SLOW }, () => {
  let w: World;
  beforeAll(() => {
    w = world('tariffs');
    // announced today: 5 500 from 1 January (42 days ahead); TEL discontinued from 21 December (31 days), to HOME300
    ok(w, TODAY, 'tariff', 'reprice', 'HOME100', '--fee', '5500', '--effective', '2027-01-01', '--announced', TODAY);
    ok(w, TODAY, 'tariff', 'discontinue', 'TEL', '--successor', 'HOME300', '--effective', '2026-12-21', '--announced', TODAY);
  }, SLOW);
  type TariffsJson = { date: string; tariffs: { code: string; price: { monthly_fee: string; port_fee: string; installation_fee: string; effective_from: string } | null; next_price: { monthly_fee: string; effective_from: string } | null; discontinued_on: string | null; successor: string | null; charged_as: string | null }[] };

  it('today: the prices in force, the next one announced, a discontinuation coming', () => {
    const t = json<TariffsJson>(w, TODAY, 'tariffs');
    expect(t.date).toBe(TODAY);
    expect(t.tariffs.map((x) => x.code)).toEqual(['HOME100', 'HOME300', 'TEL']);
    expect(t.tariffs[0]).toMatchObject({
      price: { monthly_fee: '5000.00', port_fee: '300.00', installation_fee: '10000.00' },
      next_price: { monthly_fee: '5500.00', effective_from: '2027-01-01' },
      discontinued_on: null,
    });
    expect(t.tariffs[1]).toMatchObject({ price: { monthly_fee: '7990.00', port_fee: '0.00' }, next_price: null });
    expect(t.tariffs[2]).toMatchObject({ price: { monthly_fee: '1500.00', installation_fee: '2500.50' }, discontinued_on: '2026-12-21', successor: 'HOME300', charged_as: null });
    const text = ok(w, TODAY, 'tariffs');
    expect(text).toContain('Tariffs in force on 20.11.2026');
    expect(text).toContain('from 01.01.2027: 5 500,00 ₸ a month');
    expect(text).toContain('to be discontinued 21.12.2026, successor HOME300');
  });

  it('--date: the new price in force, the discontinued tariff charged as its successor', () => {
    const t = json<TariffsJson>(w, TODAY, 'tariffs', '--date', '2027-01-01');
    expect(t.tariffs[0]).toMatchObject({ price: { monthly_fee: '5500.00', effective_from: '2027-01-01' }, next_price: null });
    expect(t.tariffs[2]).toMatchObject({ charged_as: 'HOME300' });
    expect(ok(w, TODAY, 'tariffs', '--date', '2027-01-01')).toContain('discontinued 21.12.2026, accounts moved to HOME300');
  });

  it('a bad --date is exit 2', () => {
    expect(run(w, TODAY, ['tariffs', '--date', '2026-13-01']).code).toBe(2);
  });
});

describe('account show: as it stands, or looking back', { timeout: SLOW }, () => {
  let w: World;
  type Shown = { status: string; balance: string; debt: string; prepayment: string; as_of: string | null; last_entry_on: string | null; terminated_on: string | null; terminated_by: string | null };
  beforeAll(() => {
    w = world('show');
    // 1002 (advance, 7 990 a month) pays 10 000 value-dated 1 November; the debit is run ahead to 22 November
    ok(w, TODAY, 'payments', 'import', writeStatement(path.join(w.cwd, 'p1.csv'), [{ bankRef: 'B1', valueDate: '2026-11-01', amount: 1_000_000, account: '1002' }]));
    ok(w, TODAY, 'run', 'debit', '--date', '2026-11-22', '--allow-future');
    // then a payment of 2 000 imported late, value-dated 5 November
    ok(w, TODAY, 'payments', 'import', writeStatement(path.join(w.cwd, 'p2.csv'), [{ bankRef: 'B2', valueDate: '2026-11-05', amount: 200_000, account: '1002' }]));
  }, SLOW);

  it('without --date every entry counts, those value-dated after today too: the balance is the sum of the entries', () => {
    // fees 1–22 Nov: round(7 990 × 22/30) = round(5 859.333) = 5 859,33; 10 000 + 2 000 − 5 859,33 = 6 140,67
    const now = json<Shown>(w, TODAY, 'account', 'show', '1002');
    expect(now).toMatchObject({ balance: '6140.67', prepayment: '6140.67', debt: '0.00', as_of: null, last_entry_on: '2026-11-22' });
    const db = new Database(w.db, { readonly: true });
    const sum = db.prepare(`SELECT SUM(amount) AS s FROM ledger WHERE account = '1002'`).get() as { s: number };
    db.close();
    expect(sum.s).toBe(614_067);
    expect(ok(w, TODAY, 'account', 'show', '1002')).toContain('as of       now, every entry counted (entries value-dated to 22.11.2026)');
  });

  it('--date looks back: entries to that day, the backdated payment included', () => {
    // to 10 Nov: 10 000 + 2 000 − round(7 990 × 10/30) = 12 000 − 2 663,33 = 9 336,67
    expect(json<Shown>(w, TODAY, 'account', 'show', '1002', '--date', '2026-11-10')).toMatchObject({ balance: '9336.67', as_of: '2026-11-10' });
    // to 20 Nov (today): 12 000 − round(7 990 × 20/30) = 12 000 − 5 326,67 = 6 673,33
    expect(json<Shown>(w, TODAY, 'account', 'show', '1002', '--date', TODAY)).toMatchObject({ balance: '6673.33' });
    // to 4 Nov: the 2 000 of 5 Nov not yet: 10 000 − round(7 990 × 4/30) = 10 000 − 1 065,33 = 8 934,67
    expect(json<Shown>(w, TODAY, 'account', 'show', '1002', '--date', '2026-11-04')).toMatchObject({ balance: '8934.67' });
  });

  it('a terminated account looked at before its termination is what it was then', () => {
    // 1001 (credit, 5 000 a month) ends on 20 November at the subscriber's request, owing the installation
    ok(w, TODAY, 'account', 'terminate', '1001', '--by', 'subscriber', '--date', TODAY, '--despite-debt');
    // installation 10 000 (16 Oct) + the final fee 1–19 Nov round(5 000 × 19/30) = 3 166,67: −13 166,67
    expect(json<Shown>(w, TODAY, 'account', 'show', '1001')).toMatchObject({ status: 'terminated', terminated_on: TODAY, terminated_by: 'subscriber', balance: '-13166.67' });
    expect(json<Shown>(w, TODAY, 'account', 'show', '1001', '--date', '2026-11-19')).toMatchObject({
      status: 'active',
      terminated_on: null,
      terminated_by: null,
      balance: '-13166.67',
      debt: '13166.67',
    });
    const text = ok(w, TODAY, 'account', 'show', '1001', '--date', '2026-11-19');
    expect(text).toContain('status      active');
    expect(text).toContain('as of       the end of 19.11.2026; now terminated');
  });
});

describe('esep status', { timeout: SLOW }, () => {
  let w: World;
  beforeAll(() => {
    w = world('status');
  }, SLOW);

  it('a database whose jobs never ran: attention, exit 4', () => {
    const { code, body } = status(w, TODAY);
    expect(code).toBe(4);
    expect(body.state).toBe('attention');
    expect(body.daily.jobs.map((j) => j.last_completed)).toEqual([null, null, null, null]);
    expect(body.problems.map((p) => p.message)).toContain('never completed: debit, penalties, suspend, terminate (run `esep run day`)');
  });

  it('the daily jobs done for yesterday only: behind, exit 1 (the night run for D runs at 01:00 on D)', () => {
    ok(w, TODAY, 'run', 'day', '--date', '2026-11-19');
    const { code, body } = status(w, TODAY);
    expect(code).toBe(1);
    expect(body.state).toBe('behind');
    expect(body.daily.due).toBe(TODAY);
    expect(body.daily.jobs).toEqual(['debit', 'penalties', 'suspend', 'terminate'].map((job) => ({ job, last_completed: '2026-11-19', behind: true })));
    expect(body.problems[0]).toEqual({ level: 'behind', message: 'daily jobs behind: debit, penalties, suspend, terminate last completed 19.11.2026, 20.11.2026 is due (`esep run day`)' });
    const text = run(w, TODAY, ['status']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('debit       19.11.2026  BEHIND');
    expect(text.stdout).toContain('state: behind (exit 1)');
    // at 02:00 on the 20th its night run still has time: the 19th is what is due
    const early = status(w, TODAY, '--now', '2026-11-20T02:00:00+05:00');
    expect(early.body.daily.due).toBe('2026-11-19');
    expect(early.code).toBe(4);
  });

  it('everything done: exit 0; a payment in suspense for 4 days: exit 4, unless the setting allows 5', () => {
    ok(w, TODAY, 'run', 'day');
    ok(w, TODAY, 'run', 'invoices', '--period', '2026-10');
    const done = status(w, TODAY);
    expect(done.body.problems).toEqual([]);
    expect(done.code).toBe(0);
    expect(done.body.month_end).toEqual({ due: '2026-10', last_completed: '2026-10', behind: false });

    ok(w, TODAY, 'payments', 'import', writeStatement(path.join(w.cwd, 'unknown.csv'), [{ bankRef: 'S1', valueDate: '2026-11-16', amount: 50_000, payerName: 'Белгісіз', purpose: 'оплата' }]));
    // 16 → 20 November: 4 days in suspense, the default threshold is 3
    const waiting = status(w, TODAY);
    expect(waiting.code).toBe(4);
    expect(waiting.body.suspense).toMatchObject({ count: 1, amount: '500.00', oldest_age_days: 4, threshold_days: 3, over_threshold: 1 });
    const config = path.join(w.cwd, 'esep.config.json');
    writeFileSync(config, JSON.stringify({ status: { suspense_days: 5 } }));
    const allowed = status(w, TODAY, '--config', config);
    expect(allowed.code).toBe(0);
    expect(allowed.body.suspense).toMatchObject({ threshold_days: 5, over_threshold: 0 });
    const bad = path.join(w.cwd, 'bad.config.json');
    writeFileSync(bad, JSON.stringify({ status: { suspense_days: 0 } }));
    const refused = run(w, TODAY, ['status', '--config', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('status.suspense_days');
  });

  it('a night run killed: its job is reported interrupted (exit 3 once the day is not yet late), and a rerun clears it', () => {
    const config = path.join(w.cwd, 'quiet.config.json');
    writeFileSync(config, JSON.stringify({ status: { suspense_days: 10 } }));
    const killed = run(w, '2026-11-21', ['run', 'day'], { ESEP_FAILPOINT: 'in-batch:1' });
    expect(killed.signal).toBe('SIGKILL');
    // at the end of the 21st its day is late: behind wins
    const late = status(w, '2026-11-21', '--config', config);
    expect(late.code).toBe(1);
    expect(late.body.failed_runs).toEqual([{ id: expect.any(Number), job: 'debit', scope: '2026-11-21', outcome: 'interrupted', started_at: expect.any(String), finished_at: null, message: null }]);
    expect(late.body.running).toEqual([]);
    // at 02:00 on the 21st the day is not late yet, but a night job died: exit 3
    const early = status(w, '2026-11-21', '--config', config, '--now', '2026-11-21T02:00:00+05:00');
    expect(early.code).toBe(3);
    expect(early.body.problems).toEqual([{ level: 'failed', message: 'debit 2026-11-21: interrupted, not completed since' }]);
    ok(w, '2026-11-21', 'run', 'day');
    const after = status(w, '2026-11-21', '--config', config);
    expect(after.body.failed_runs).toEqual([]);
    expect(after.code).toBe(0);
  });

  it('a job running: status names it, and another job is busy, both in Almaty time', () => {
    // the test process holds the writer lock as "day", taken at 20:00:03 UTC = 01:00:03 in Almaty on the 22nd
    const db = new Database(w.db);
    db.prepare('INSERT INTO job_locks (name, pid, host, job, acquired_at) VALUES (?, ?, ?, ?, ?)').run('writer', process.pid, hostname(), 'day', '2026-11-21T20:00:03.000Z');
    db.close();
    try {
      const busy = run(w, '2026-11-22', ['run', 'debit']);
      expect(busy.code).toBe(75);
      expect(busy.stderr).toBe(`esep: busy: day is running (pid ${process.pid} on ${hostname()} since 22.11.2026 01:00:03 Almaty time); try later\n`);
      const { body } = status(w, '2026-11-22', '--now', '2026-11-22T01:30:00+05:00');
      expect(body.running).toEqual([{ lock: 'writer', job: 'day', pid: process.pid, host: hostname(), since: '2026-11-22T01:00:03+05:00' }]);
      expect(run(w, '2026-11-22', ['status', '--now', '2026-11-22T01:30:00+05:00']).stdout).toContain(`running       day since 22.11.2026 01:00:03 (pid ${process.pid} on ${hostname()})`);
    } finally {
      const release = new Database(w.db);
      release.prepare(`DELETE FROM job_locks WHERE name = 'writer'`).run();
      release.close();
    }
  });

  it('a bad --now is exit 2', () => {
    const r = run(w, TODAY, ['status', '--now', 'tomorrow']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--now');
  });
});
