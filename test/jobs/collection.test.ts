import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase, type Db } from '../../src/db/connection.js';
import { entriesOf } from '../../src/db/ledger.js';
import { penaltyRuleVersions, saveOperator } from '../../src/db/operator.js';
import { runSuspend, runTerminate } from '../../src/jobs/collection.js';
import { restoreAfterPayment, runDebit } from '../../src/jobs/debit.js';
import { runPenalties } from '../../src/jobs/penalties.js';
import { verify } from '../../src/jobs/verify.js';
import { addAccount, addTariff, postWithPayments } from '../helpers/db.js';
import { shippedCalendar, TEST_OPERATOR } from '../helpers/fixtures.js';

const calendar = shippedCalendar();
let db: Db;
let seq = 0;
let invoiceSeq = 0;

function invoice(account: string, period: string, dueOn: string, principal: number) {
  const seq = ++invoiceSeq;
  db.sqlite
    .prepare(
      `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
        penalties, closing_balance, principal, amount_due) VALUES (?, 'MT', ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, ?, ?)`,
    )
    .run(`MT-2026-${String(seq).padStart(6, '0')}`, 2026, seq, account, period, `${dueOn.slice(0, 7)}-01`, dueOn, principal, principal);
}
const post = (account: string, valueDate: string, kind: 'monthly_fee' | 'payment', amount: number) =>
  inTransaction(db, () => postWithPayments(db, [{ account, valueDate, kind, amount, key: `t:${++seq}:${account}` }]));
const penalties = (account: string) =>
  db.sqlite
    .prepare(`SELECT value_date AS day, SUM(amount) AS amount FROM ledger WHERE account = ? AND kind = 'penalty' GROUP BY value_date HAVING SUM(amount) <> 0 ORDER BY value_date`)
    .all(account) as { day: string; amount: number }[];
const status = (account: string) =>
  db.sqlite.prepare('SELECT status, suspend_reason AS reason, terminated_on AS terminatedOn, equipment_return_by AS returnBy FROM accounts WHERE account = ?').get(account);

const events = (account: string) =>
  db.sqlite.prepare('SELECT value_date AS day, event FROM access_events WHERE account = ? ORDER BY id').all(account) as { day: string; event: string }[];

/** A credit account billed 5 000 ₸ for October (due 25 Nov) and for November (due 25 Dec). */
function creditAccount(account: string) {
  addAccount(db, account, { method: 'credit', tariff: 'NET', connectedOn: '2026-09-01' });
  post(account, '2026-10-31', 'monthly_fee', -500_000);
  post(account, '2026-11-30', 'monthly_fee', -500_000);
  invoice(account, '2026-10', '2026-11-25', 500_000);
  invoice(account, '2026-11', '2026-12-25', 500_000);
}

beforeEach(() => {
  invoiceSeq = 0;
  db = openDatabase(':memory:');
  addTariff(db, 'NET', { monthly: 500_000, port: 30_000 });
});

describe('run penalties', () => {
  it('accrues 0.5% a day from the day after the due date, once per day however often it runs', async () => {
    creditAccount('C');
    expect((await runPenalties(db, { date: '2026-11-25' })).counts.penalties ?? 0).toBe(0);
    await runPenalties(db, { date: '2026-11-27' });
    await runPenalties(db, { date: '2026-11-27' });
    // 26 and 27 Nov: 0.5% × 5 000 ₸ = 25 ₸ each
    expect(penalties('C')).toEqual([
      { day: '2026-11-26', amount: -2_500 },
      { day: '2026-11-27', amount: -2_500 },
    ]);
  });

  it('a run for an earlier day than one already run posts nothing and reverses no later day', async () => {
    creditAccount('C');
    await runPenalties(db, { date: '2026-11-30' });
    // 26–30 Nov: five days of 0.5% × 5 000 ₸ = 25 ₸
    expect(penalties('C')).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'].map((day) => ({ day, amount: -2_500 })));
    const replay = await runPenalties(db, { date: '2026-11-27' });
    expect([replay.counts.penalties ?? 0, replay.counts.corrections ?? 0]).toEqual([0, 0]);
    expect(penalties('C')).toHaveLength(5);
    // a payment with value date 27 Nov, then the earlier day again: it corrects its own days only
    // (none: a payment counts from the start of the next day), and the next run the later ones
    post('C', '2026-11-27', 'payment', 505_000);
    await runPenalties(db, { date: '2026-11-27' });
    expect(penalties('C')).toHaveLength(5);
    await runPenalties(db, { date: '2026-11-30' });
    // 5 050 ₸ on 27 Nov meets that day's penalty (a day's charges come first), pays the penalties of
    // 26 and 27 Nov (50 ₸) and the 5 000 ₸: nothing from the 28th, the three later days reversed
    expect(penalties('C')).toEqual([
      { day: '2026-11-26', amount: -2_500 },
      { day: '2026-11-27', amount: -2_500 },
    ]);
    expect(verify(db)).toEqual([]);
  });

  it('a change of the rate or cap applies from the first day not yet run: days already run keep theirs, even recomputed', async () => {
    creditAccount('C');
    await runPenalties(db, { date: '2026-11-27' });
    // no operator yet: the contract's 0.5% and 30 days. Then 0.3% and a cap of 3 days.
    saveOperator(db, { ...TEST_OPERATOR, penaltyRate: '0.003', penaltyCapDays: 3 });
    expect(penaltyRuleVersions(db)).toEqual([
      { effectiveFrom: '0001-01-01', rate: '0.005', capDays: 30 },
      { effectiveFrom: '2026-11-28', rate: '0.003', capDays: 3 },
    ]);
    await runPenalties(db, { date: '2026-11-29' });
    // 26, 27 Nov: 0.5% × 5 000 ₸ = 25 ₸; 28, 29 Nov: 0.3% × 5 000 ₸ = 15 ₸. October's invoice was
    // first overdue on 26 Nov, under the cap of 30: its fourth day is charged.
    expect(penalties('C')).toEqual([
      { day: '2026-11-26', amount: -2_500 },
      { day: '2026-11-27', amount: -2_500 },
      { day: '2026-11-28', amount: -1_500 },
      { day: '2026-11-29', amount: -1_500 },
    ]);
    // a payment of 2 000 ₸ dated 26 Nov, imported now: it counts from the 27th, pays 26 Nov's 25 ₸
    // first and 1 975 ₸ of principal, leaving 3 025 ₸. 27 Nov at that day's 0.5%: 15.125 → 15.13 ₸;
    // 28 and 29 Nov at 0.3%: 9.075 → 9.08 ₸
    post('C', '2026-11-26', 'payment', 200_000);
    await runPenalties(db, { date: '2026-11-29' });
    expect(penalties('C')).toEqual([
      { day: '2026-11-26', amount: -2_500 },
      { day: '2026-11-27', amount: -1_513 },
      { day: '2026-11-28', amount: -908 },
      { day: '2026-11-29', amount: -908 },
    ]);
    // saving the same settings again adds no version
    saveOperator(db, { ...TEST_OPERATOR, penaltyRate: '0.003', penaltyCapDays: 3 });
    expect(penaltyRuleVersions(db)).toHaveLength(2);
    expect(verify(db)).toEqual([]);
  });

  it('a payment imported a week late ends in the same state as one imported on time (D-4)', async () => {
    creditAccount('LATE');
    creditAccount('ONTIME');
    // ONTIME's 3 000 ₸ (value date 28 Nov) is on the ledger before the runs
    post('ONTIME', '2026-11-28', 'payment', 300_000);
    for (const day of ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05']) {
      await runPenalties(db, { date: day });
    }
    // LATE's payment with the same value date arrives on 5 Dec, after ten nights of 25 ₸
    expect(penalties('LATE')).toHaveLength(10);
    post('LATE', '2026-11-28', 'payment', 300_000);
    await runPenalties(db, { date: '2026-12-05' });
    const onTime = penalties('ONTIME');
    // 26–28 Nov 25 ₸; from 29 Nov 0.5% × (5 000 − 2 925) = 10.375 → 10.38 ₸
    expect(onTime.map((p) => p.amount)).toEqual([-2_500, -2_500, -2_500, -1_038, -1_038, -1_038, -1_038, -1_038, -1_038, -1_038]);
    expect(penalties('LATE')).toEqual(onTime);
    const balance = (a: string) => entriesOf(db, a).reduce((s, e) => s + e.amount, 0);
    expect(balance('LATE')).toBe(balance('ONTIME'));
    expect(verify(db)).toEqual([]);
  });

  it('a payment dated after the last run\u2019s day does not hide the first overdue day\u2019s penalty', async () => {
    addAccount(db, 'Q', { method: 'credit', tariff: 'NET', connectedOn: '2026-09-01' });
    post('Q', '2026-10-31', 'monthly_fee', -500_000);
    invoice('Q', '2026-10', '2026-11-27', 500_000);
    // 5 025 ₸ with value date 28 Nov (imported that day), but the penalty job then runs for the 27th
    post('Q', '2026-11-28', 'payment', 502_500);
    await runPenalties(db, { date: '2026-11-27' });
    expect(penalties('Q')).toEqual([]);
    // 28 Nov is overdue and the payment does not count at the start of its own value date:
    // 0.5% × 5 000 = 25 ₸
    await runPenalties(db, { date: '2026-11-28' });
    expect(penalties('Q')).toEqual([{ day: '2026-11-28', amount: -2_500 }]);
    // the payment pays that 25 ₸ penalty first, then the 5 000 ₸: paid from the 29th, nothing more
    await runPenalties(db, { date: '2026-12-10' });
    expect(penalties('Q')).toEqual([{ day: '2026-11-28', amount: -2_500 }]);
  });

  it('leaves out accounts that owe nothing and changed nothing, without missing a backdated charge', async () => {
    creditAccount('C');
    post('C', '2026-11-20', 'payment', 1_100_000); // 11 000 ₸: both months and 1 000 ₸ more, before any due date
    await runPenalties(db, { date: '2026-11-26' });
    expect(penalties('C')).toEqual([]);
    // a 1 000 ₸ charge found later, dated in October (an invoiced period): the account is replayed,
    // and the prepaid 1 000 ₸ covers it, so still no penalty
    inTransaction(db, () => postWithPayments(db, [{ account: 'C', valueDate: '2026-10-15', kind: 'backbill', amount: -100_000, key: 'bb' }]));
    const r = await runPenalties(db, { date: '2026-11-27' });
    expect(r.counts.accounts).toBe(1);
    expect(penalties('C')).toEqual([]);
    // nothing new: the account is left out
    expect((await runPenalties(db, { date: '2026-11-28' })).counts.accounts ?? 0).toBe(0);
  });

  it('never more than 30 penalty days per invoice', async () => {
    creditAccount('C');
    await runPenalties(db, { date: '2027-02-28' });
    const oct = db.sqlite.prepare(`SELECT COUNT(DISTINCT value_date) AS n FROM ledger l JOIN invoices i ON i.id = l.invoice_id WHERE i.period = '2026-10'`).get();
    expect(oct).toEqual({ n: 30 });
    expect(verify(db)).toEqual([]);
  });
});

describe('run suspend', () => {
  it('suspends a credit account on the first overdue day and restores it when the debt and penalties are paid', async () => {
    creditAccount('C');
    await runSuspend(db, { date: '2026-11-25' });
    expect(status('C')).toMatchObject({ status: 'active' });
    await runSuspend(db, { date: '2026-11-26' });
    expect(status('C')).toMatchObject({ status: 'suspended', reason: 'debt' });
    await runPenalties(db, { date: '2026-11-27' });
    // 5 000 ₸ pays the two 25 ₸ penalties first (cl. 16): 50 ₸ of principal still overdue
    inTransaction(db, () => {
      postWithPayments(db, [{ account: 'C', valueDate: '2026-11-27', kind: 'payment', amount: 500_000, key: 'pay1' }]);
      expect(restoreAfterPayment(db, 'C', '2026-11-27', null)).toBe('unchanged');
    });
    inTransaction(db, () => {
      postWithPayments(db, [{ account: 'C', valueDate: '2026-11-27', kind: 'payment', amount: 5_000, key: 'pay2' }]);
      expect(restoreAfterPayment(db, 'C', '2026-11-27', null)).toBe('restored');
    });
    expect(status('C')).toMatchObject({ status: 'active', reason: null });
  });

  it('judging a past day again neither suspends nor terminates an account that has paid since', async () => {
    creditAccount('C');
    await runSuspend(db, { date: '2026-11-26' });
    expect(status('C')).toMatchObject({ status: 'suspended', reason: 'debt' });
    // 5 000 ₸ dated 28 Nov pays October (no penalty run here): restored at once
    post('C', '2026-11-28', 'payment', 500_000);
    expect(inTransaction(db, () => restoreAfterPayment(db, 'C', '2026-11-28', null))).toBe('restored');
    // 27 Nov judged again: October was unpaid at the end of that day, but is paid now
    await runSuspend(db, { date: '2026-11-27' });
    expect(status('C')).toMatchObject({ status: 'active', reason: null });
    // 26 Dec: November is overdue, October paid: not two consecutive invoices, no termination
    await runTerminate(db, { date: '2026-12-26', calendar });
    expect(status('C')).toMatchObject({ status: 'active', terminatedOn: null });
    expect(events('C')).toEqual([
      { day: '2026-11-26', event: 'suspend' },
      { day: '2026-11-28', event: 'restore' },
    ]);
  });

  it('a termination judged on a past day spares an account that paid both invoices since', async () => {
    creditAccount('C');
    // 26 Dec: October and November both overdue and unpaid; 10 000 ₸ dated 27 Dec pays both
    post('C', '2026-12-27', 'payment', 1_000_000);
    await runTerminate(db, { date: '2026-12-26', calendar });
    expect(status('C')).toMatchObject({ status: 'active', terminatedOn: null });
    // without the payment the same day terminates (cl. 23.6, D-5)
    creditAccount('D');
    await runTerminate(db, { date: '2026-12-26', calendar });
    expect(status('D')).toMatchObject({ status: 'terminated' });
  });

  it('charges equipment not returned by its deadline at its cost, once', async () => {
    creditAccount('C');
    db.sqlite.prepare(`INSERT INTO equipment (account, serial, cost, handed_out_on) VALUES ('C', 'ONT-1', 2500000, '2026-09-01')`).run();
    db.sqlite.prepare(`UPDATE accounts SET status = 'terminated', terminated_on = '2026-12-26', equipment_return_by = '2027-01-05' WHERE account = 'C'`).run();
    await runSuspend(db, { date: '2027-01-05' });
    expect(entriesOf(db, 'C').filter((e) => e.kind === 'equipment')).toHaveLength(0);
    await runSuspend(db, { date: '2027-01-06' });
    await runSuspend(db, { date: '2027-01-07' });
    expect(entriesOf(db, 'C').filter((e) => e.kind === 'equipment').map((e) => [e.valueDate, e.amount])).toEqual([['2027-01-06', -2_500_000]]);
  });
});

describe('run terminate', () => {
  it('terminates a credit account on the first day two consecutive invoices are overdue', async () => {
    creditAccount('C');
    db.sqlite.prepare(`INSERT INTO equipment (account, serial, cost, handed_out_on) VALUES ('C', 'ONT-1', 2500000, '2026-09-01')`).run();
    const terminated: string[] = [];
    await runTerminate(db, { date: '2026-12-25', calendar, onTerminated: (t) => terminated.push(t.account) });
    expect(status('C')).toMatchObject({ status: 'active' });
    await runTerminate(db, { date: '2026-12-26', calendar, onTerminated: (t) => terminated.push(t.account) });
    // equipment back within 5 working days: 28, 29, 30, 31 Dec; 1 Jan (Fri) holiday, 2 Jan (Sat) moves to
    // Mon 4 Jan, 7 Jan … so the 5th working day is Tue 5 Jan 2027
    expect(status('C')).toEqual({ status: 'terminated', reason: null, terminatedOn: '2026-12-26', returnBy: '2027-01-05' });
    expect(terminated).toEqual(['C']);
    // a rerun terminates nothing again
    await runTerminate(db, { date: '2026-12-27', calendar, onTerminated: (t) => terminated.push(t.account) });
    expect(terminated).toEqual(['C']);
  });

  it('does not terminate when one of the two is paid', async () => {
    creditAccount('C');
    post('C', '2026-12-20', 'payment', 500_000); // pays October (oldest first)
    await runTerminate(db, { date: '2026-12-26', calendar });
    expect(status('C')).toMatchObject({ status: 'active' });
  });

  it('terminates an advance account two months after its suspension for funds, the same day of month', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-09-10' });
    await runDebit(db, { date: '2026-11-10' }); // suspended on 10 Sep, never paid
    await runTerminate(db, { date: '2026-11-09', calendar });
    expect(status('A')).toMatchObject({ status: 'suspended' });
    await runTerminate(db, { date: '2026-11-10', calendar });
    expect(status('A')).toMatchObject({ status: 'terminated', terminatedOn: '2026-11-10', returnBy: null });
    // charges stop from the termination date: the day's port fee, charged by that morning's debit, is reversed
    await runDebit(db, { date: '2026-11-20' });
    expect(entriesOf(db, 'A').filter((e) => e.valueDate >= '2026-11-10').map((e) => [e.valueDate, e.kind, e.amount])).toEqual([
      ['2026-11-10', 'port_reservation', -30_000],
      ['2026-11-10', 'port_reservation', 30_000],
    ]);
    expect(verify(db)).toEqual([]);
  });
});
