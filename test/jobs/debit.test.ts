import { hostname } from 'node:os';
import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inTransaction, openDatabase, type Db } from '../../src/db/connection.js';
import { entriesOf } from '../../src/db/ledger.js';
import { balanceAtStartOfSql, countsAtStartOf, firstUndecidedDaySql } from '../../src/domain/daily-fee.js';
import { addDays } from '../../src/domain/dates.js';
import { BusyError } from '../../src/domain/errors.js';
import { restoreAfterPayment, runDebit } from '../../src/jobs/debit.js';
import { verify } from '../../src/jobs/verify.js';
import { addAccount, addTariff, postWithPayments } from '../helpers/db.js';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
  // 5 000 ₸ a month, port reservation 300 ₸ a day
  addTariff(db, 'NET', { monthly: 500_000, port: 30_000 });
});

let payments = 0;
function pay(account: string, valueDate: string, amount: number, today = valueDate) {
  return inTransaction(db, () => {
    postWithPayments(db, [{ account, valueDate, kind: 'payment', amount, key: `test-payment:${++payments}` }]);
    return restoreAfterPayment(db, account, today, null);
  });
}
const account = (a: string) =>
  db.sqlite.prepare('SELECT status, suspend_reason AS reason, balance, debited_through AS through FROM accounts WHERE account = ?').get(a) as {
    status: string;
    reason: string | null;
    balance: number;
    through: string | null;
  };
const charges = (a: string) => entriesOf(db, a).filter((e) => e.kind !== 'payment').map((e) => [e.valueDate, e.kind, e.amount]);
const events = (a: string) =>
  db.sqlite.prepare('SELECT value_date AS day, event FROM access_events WHERE account = ? ORDER BY id').all(a) as { day: string; event: string }[];

describe('run debit', () => {
  it('catches up from the connection date, then suspends for funds with a port reservation', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
    pay('A', '2026-11-01', 50_000); // 500 ₸
    const first = await runDebit(db, { date: '2026-11-03' });
    // three days: 166.67 + 166.66 + 166.67 = 500.00 ₸, balance 0
    expect(first.counts).toMatchObject({ accounts: 1, days: 3, fees: 3, fee_tiyn: 50_000 });
    expect(charges('A')).toEqual([
      ['2026-11-01', 'daily_fee', -16_667],
      ['2026-11-02', 'daily_fee', -16_666],
      ['2026-11-03', 'daily_fee', -16_667],
    ]);
    expect(account('A')).toEqual({ status: 'active', reason: null, balance: 0, through: '2026-11-03' });

    // 4 Nov: 0 < 166.67 → port reservation 300 ₸, suspended; the port fee takes the balance below zero
    await runDebit(db, { date: '2026-11-04' });
    expect(account('A')).toEqual({ status: 'suspended', reason: 'funds', balance: -30_000, through: '2026-11-04' });
    expect(events('A')).toEqual([{ day: '2026-11-04', event: 'suspend' }]);
    expect(verify(db)).toEqual([]);
  });

  it('a rerun posts nothing, and a run for an earlier day posts nothing', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
    pay('A', '2026-11-01', 1_000_000);
    await runDebit(db, { date: '2026-11-10' });
    const before = entriesOf(db, 'A').length;
    expect((await runDebit(db, { date: '2026-11-10' })).counts).toEqual({});
    expect((await runDebit(db, { date: '2026-11-05' })).counts).toEqual({});
    expect(entriesOf(db, 'A')).toHaveLength(before);
  });

  it('counts a payment for a day from its value date during catch-up', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
    // nothing on 1–2 Nov; 1 000 ₸ arrives with value date 3 Nov; the server was down until the 4th
    inTransaction(db, () => postWithPayments(db, [{ account: 'A', valueDate: '2026-11-03', kind: 'payment', amount: 100_000, key: 'p3' }]));
    await runDebit(db, { date: '2026-11-04' });
    // 1 and 2 Nov: port 300 ₸ each (−600 ₸); 3 Nov: −600 + 1000 = 400 ≥ 166.67 → fee; 4 Nov: 233.33 ≥ 166.67 → fee
    expect(charges('A')).toEqual([
      ['2026-11-01', 'port_reservation', -30_000],
      ['2026-11-02', 'port_reservation', -30_000],
      ['2026-11-03', 'daily_fee', -16_667],
      ['2026-11-04', 'daily_fee', -16_667],
    ]);
    expect(events('A')).toEqual([
      { day: '2026-11-01', event: 'suspend' },
      { day: '2026-11-03', event: 'restore' },
    ]);
    // 1000 − 600 − 166.67 − 166.67 = 66.66 ₸
    expect(account('A')).toMatchObject({ status: 'active', balance: 6_666 });
  });

  it('restores at once on a payment after the day\u2019s run, ending where a payment before the run ends', async () => {
    for (const a of ['LATE', 'EARLY']) {
      addAccount(db, a, { tariff: 'NET', connectedOn: '2026-11-04' });
    }
    // both suspended on 4 Nov: port 300 ₸
    await runDebit(db, { date: '2026-11-04' });
    // EARLY pays 1 000 ₸ on 5 Nov before the run, LATE after it. Before the run 5 Nov is not decided:
    // the payment leaves it to the run, which restores EARLY when it decides the day
    expect(pay('EARLY', '2026-11-05', 100_000, '2026-11-05')).toBe('unchanged');
    expect(account('EARLY')).toMatchObject({ status: 'suspended', through: '2026-11-04' });
    await runDebit(db, { date: '2026-11-05' });
    expect(account('LATE')).toMatchObject({ status: 'suspended', balance: -60_000 });
    expect(pay('LATE', '2026-11-05', 100_000, '2026-11-05')).toBe('restored');
    // fee(5 Nov) = round(500000·5/30 = 83333.33) − round(66666.67) = 83333 − 66667 = 16666
    // LATE: −300 −300 +1000 (+300 port reversed) −166.66 = 533.34 ₸; EARLY: −300 +1000 −166.66 = 533.34 ₸
    expect(account('LATE')).toEqual({ status: 'active', reason: null, balance: 53_334, through: '2026-11-05' });
    expect(account('EARLY')).toEqual({ status: 'active', reason: null, balance: 53_334, through: '2026-11-05' });
    expect(charges('LATE')).toEqual([
      ['2026-11-04', 'port_reservation', -30_000],
      ['2026-11-05', 'port_reservation', -30_000],
      ['2026-11-05', 'port_reservation', 30_000],
      ['2026-11-05', 'daily_fee', -16_666],
    ]);
    expect(events('LATE')).toEqual([
      { day: '2026-11-04', event: 'suspend' },
      { day: '2026-11-05', event: 'restore' },
    ]);
    // paying twice restores once
    expect(pay('LATE', '2026-11-05', 100, '2026-11-05')).toBe('unchanged');
    expect(verify(db)).toEqual([]);
  });

  it('a payment short of the day\u2019s fee restores nothing', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-04' });
    await runDebit(db, { date: '2026-11-05' });
    // suspended on 4 and 5 Nov: −300 −300 = −600 ₸. 400 ₸ paid on 5 Nov: the start of 5 Nov, as if
    // its port fee had not been charged, is −300 + 400 = 100 ₸ < fee(5 Nov) 166.66 ₸: not restored
    expect(pay('A', '2026-11-05', 40_000)).toBe('unchanged');
    expect(account('A')).toMatchObject({ status: 'suspended', reason: 'funds', balance: -20_000 });
  });

  it('charges the installation fee on the connection date before the first daily fee (cl. 18)', async () => {
    addTariff(db, 'INST', { monthly: 500_000, port: 30_000, install: 1_000_000 });
    addAccount(db, 'A', { tariff: 'INST', connectedOn: '2026-11-10' });
    pay('A', '2026-11-10', 1_500_000, '2026-11-09'); // 15 000 ₸, paid before the connection day's run
    await runDebit(db, { date: '2026-11-10' });
    // 15 000 − 10 000 = 5 000 ≥ fee(10) = round(166666.67) − round(150000) = 166667 − 150000 = 16667
    expect(charges('A')).toEqual([
      ['2026-11-10', 'installation', -1_000_000],
      ['2026-11-10', 'daily_fee', -16_667],
    ]);
  });

  it('applies a tariff price change from its effective date', async () => {
    addTariff(db, 'UP', { monthly: 500_000 }, { monthly: 600_000, from: '2026-11-16' });
    addAccount(db, 'A', { tariff: 'UP', connectedOn: '2026-11-01' });
    pay('A', '2026-11-01', 10_000_000);
    await runDebit(db, { date: '2026-11-30' });
    const fees = charges('A').map(([, , amount]) => -(amount as number));
    // 1–15 Nov at 5 000 ₸: round(500000·15/30) = 250000; 16–30 Nov at 6 000 ₸: 600000 − round(600000·15/30) = 300000
    expect(fees.slice(0, 15).reduce((a, b) => a + b, 0)).toBe(250_000);
    expect(fees.slice(15).reduce((a, b) => a + b, 0)).toBe(300_000);
    // 16 Nov: round(600000·16/30) − round(600000·15/30) = 320000 − 300000 = 20000
    expect(fees[15]).toBe(20_000);
  });

  it('a full February sums to the monthly fee', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-02-01' });
    pay('A', '2026-02-01', 10_000_000);
    await runDebit(db, { date: '2026-02-28' });
    expect(charges('A').reduce((s, [, , amount]) => s + (amount as number), 0)).toBe(-500_000);
    expect(charges('A')).toHaveLength(28);
  });

  it('stops charging from the termination date', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01', terminatedOn: '2026-11-04' });
    pay('A', '2026-11-01', 1_000_000);
    await runDebit(db, { date: '2026-11-10' });
    expect(charges('A').map(([d]) => d)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect((await runDebit(db, { date: '2026-11-11' })).counts).toEqual({});
  });

  it('a dry run reports what a real run posts, and writes nothing', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
    addAccount(db, 'B', { tariff: 'NET', connectedOn: '2026-11-02' });
    pay('A', '2026-11-01', 20_000);
    const posted: string[] = [];
    const dry = await runDebit(db, { date: '2026-11-03', dryRun: true, onPost: (e) => posted.push(`${e.account} ${e.valueDate} ${e.kind} ${e.amount}`) });
    expect(account('A').through).toBeNull();
    expect(db.sqlite.prepare(`SELECT COUNT(*) AS n FROM job_runs WHERE job = 'debit'`).get()).toEqual({ n: 0 });
    const real = await runDebit(db, { date: '2026-11-03' });
    expect(dry.counts).toEqual(real.counts);
    // A: 200 ₸ covers 1 Nov (166.67); then 33.33 < 166.66, so 300 ₸ port reservations on 2 and 3 Nov.
    // B, connected 2 Nov with nothing paid: port reservations on 2 and 3 Nov.
    expect(posted).toEqual([
      'A 2026-11-01 daily_fee -16667',
      'A 2026-11-02 port_reservation -30000',
      'A 2026-11-03 port_reservation -30000',
      'B 2026-11-02 port_reservation -30000',
      'B 2026-11-03 port_reservation -30000',
    ]);
  });

  it('exits busy while another live process holds the lock, and takes over a dead one\u2019s lock', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
    const lock = db.sqlite.prepare(`INSERT INTO job_locks (name, pid, host, job, acquired_at) VALUES ('writer', ?, ?, 'debit', '2026-11-25T00:00:00Z')`);
    lock.run(process.ppid, hostname());
    await expect(runDebit(db, { date: '2026-11-01' })).rejects.toBeInstanceOf(BusyError);
    db.sqlite.prepare('DELETE FROM job_locks').run();
    // a pid that cannot be alive
    lock.run(2 ** 22 + 12345, hostname());
    expect((await runDebit(db, { date: '2026-11-01' })).counts).toMatchObject({ days: 1 });
    expect(db.sqlite.prepare('SELECT COUNT(*) AS n FROM job_locks').get()).toEqual({ n: 0 });
  });

  it('property: the start-of-day balance the job reads equals the domain rule over the entries', async () => {
    const kinds = ['payment', 'daily_fee', 'penalty', 'installation', 'recalc', 'port_reservation'] as const;
    const entries = fc.array(
      fc.record({ day: fc.integer({ min: 1, max: 9 }), kind: fc.constantFrom(...kinds), amount: fc.integer({ min: 1, max: 100_000 }) }),
      { maxLength: 25 },
    );
    // the job's two statements: the balance at the start of a given day (restoration, catch-up), and
    // the pager's, at the start of the account's first undecided day
    const sql = `SELECT ${balanceAtStartOfSql('a.account', 'a.balance', '@day')} AS atDay,
        ${balanceAtStartOfSql('a.account', 'a.balance', firstUndecidedDaySql('a'))} AS paged
      FROM accounts a WHERE a.account = 'A'`;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(entries, fc.integer({ min: 1, max: 9 }), fc.boolean(), async (list, probe, firstDay) => {
        const d = openDatabase(':memory:');
        addTariff(d, 'NET', { monthly: 500_000 });
        const day = `2026-11-0${probe}`;
        // the first undecided day is `day`: the connection date, or the day after the last decided one
        addAccount(d, 'A', { tariff: 'NET', connectedOn: firstDay ? day : '2026-10-01' });
        if (!firstDay) d.sqlite.prepare(`UPDATE accounts SET debited_through = ? WHERE account = 'A'`).run(addDays(day, -1));
        const rows = list.map((e) => ({
          account: 'A',
          valueDate: `2026-11-0${e.day}`,
          kind: e.kind,
          amount: e.kind === 'payment' || e.kind === 'recalc' ? e.amount : -e.amount,
          key: `k${n++}`,
        }));
        inTransaction(d, () => postWithPayments(d, rows));
        const expected = rows.filter((r) => countsAtStartOf(r, day)).reduce((s, r) => s + r.amount, 0);
        expect(d.sqlite.prepare(sql).get({ day })).toEqual({ atDay: expected, paged: expected });
        d.close();
      }),
      { numRuns: 80 },
    );
  });
});
