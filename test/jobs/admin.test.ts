import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase, type Db } from '../../src/db/connection.js';
import { recordAccessEvent } from '../../src/db/access.js';
import { entriesOf, postEntries } from '../../src/db/ledger.js';
import { daysInMonth, firstDayOf, lastDayOf } from '../../src/domain/dates.js';
import { monthlyFeeKey } from '../../src/domain/keys.js';
import { InputError } from '../../src/domain/errors.js';
import { addEquipment, backbill, discontinue, recalc, reprice, returnEquipment, terminateBySubscriber } from '../../src/jobs/admin.js';
import { runDebit, TariffBook } from '../../src/jobs/debit.js';
import { runPenalties } from '../../src/jobs/penalties.js';
import { verify } from '../../src/jobs/verify.js';
import { addAccount, addTariff, postWithPayments } from '../helpers/db.js';
import { shippedCalendar } from '../helpers/fixtures.js';

const calendar = shippedCalendar();
let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
  addTariff(db, 'NET', { monthly: 500_000, port: 30_000 });
  addTariff(db, 'NEW', { monthly: 600_000, port: 30_000 });
});

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error('expected a refusal');
};
/** An invoice of the period (only the period matters here: it is charged). */
/** P invoiced for a credit account: its monthly fee of 5 000 ₸ for the whole month posted (with its days), and the invoice. */
const invoiced = (account: string, period: string) => {
  const n = daysInMonth(period);
  inTransaction(db, () =>
    postEntries(db, [
      {
        account,
        valueDate: lastDayOf(period),
        kind: 'monthly_fee',
        amount: -500_000,
        key: monthlyFeeKey(account, period),
        span: { from: firstDayOf(period), to: lastDayOf(period), days: n, periodDays: n },
      },
    ]),
  );
  db.sqlite
    .prepare(
      `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments, penalties,
        closing_balance, principal, amount_due) VALUES (?, 'MT', 2026, ?, ?, ?, '2026-12-01', '2026-12-25', 0, 0, 0, 0, 0, 0, 0, 0)`,
    )
    .run(`MT-${account}-${period}`, Number(period.slice(5)), account, period);
};
const row = (a: string) => db.sqlite.prepare('SELECT status, terminated_on AS terminatedOn, terminated_by AS terminatedBy, refund_due_on AS refundDueOn, termination_requested_on AS requested FROM accounts WHERE account = ?').get(a);

describe('recalc (cl. 21.5, 24.3)', () => {
  it('credits back an advance account\u2019s daily fees of the outage days, once', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
    inTransaction(db, () => postWithPayments(db, [{ account: 'A', valueDate: '2026-11-01', kind: 'payment', amount: 1_000_000, key: 'p' }]));
    await runDebit(db, { date: '2026-11-10' });
    // 3 and 4 Nov: 166.67 ₸ each (round(50000) − round(33333.33) = 16667; round(66666.67) − 50000 = 16667)
    expect(recalc(db, 'A', '2026-11-03', '2026-11-04', 'авария на линии')).toEqual({ days: 2, credited: 33_334, skippedSuspendedForDebt: 0 });
    expect(recalc(db, 'A', '2026-11-03', '2026-11-04', 'авария на линии')).toEqual({ days: 0, credited: 0, skippedSuspendedForDebt: 0 });
    expect(entriesOf(db, 'A').filter((e) => e.kind === 'recalc').map((e) => [e.valueDate, e.amount, e.memo])).toEqual([
      ['2026-11-03', 16_667, 'авария на линии'],
      ['2026-11-04', 16_667, 'авария на линии'],
    ]);
  });

  it('never credits days a credit account was suspended for debt', () => {
    addAccount(db, 'C', { method: 'credit', tariff: 'NET', connectedOn: '2026-09-01' });
    invoiced('C', '2026-11');
    recordAccessEvent(db, { account: 'C', at: '2026-11-26T01:00:00Z', valueDate: '2026-11-26', event: 'suspend', cause: 'debt', reason: 'debt: invoice overdue', runId: null });
    // 24 and 25 Nov: the day's share of 5 000 ₸: round(500000·24/30) − round(500000·23/30) = 400000 − 383333 = 16667,
    // round(416666.67) − 400000 = 16667; 26 and 27 Nov suspended for debt: nothing
    expect(recalc(db, 'C', '2026-11-24', '2026-11-27', 'outage')).toEqual({ days: 2, credited: 33_334, skippedSuspendedForDebt: 2 });
  });

  it('refuses days an advance account\u2019s daily debit has not decided yet, naming the first, and posts nothing', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
    expect(message(() => recalc(db, 'A', '2026-11-03', '2026-11-04', 'outage'))).toBe(
      '--from: 2026-11-03 is not charged yet (no daily debit of account A has run): a recalculation credits back only fees already charged (cl. 21.5, 24.3)',
    );
    inTransaction(db, () => postWithPayments(db, [{ account: 'A', valueDate: '2026-11-01', kind: 'payment', amount: 1_000_000, key: 'p' }]));
    await runDebit(db, { date: '2026-11-10' });
    // a year from 9 Nov (it used to credit every day's fee to come): refused at 11 Nov, the first day not debited
    expect(message(() => recalc(db, 'A', '2026-11-09', '2027-11-08', 'outage'))).toBe(
      '--to: 2026-11-11 is not charged yet (the daily debits of account A are done through 2026-11-10): a recalculation credits back only fees already charged (cl. 21.5, 24.3)',
    );
    expect(entriesOf(db, 'A').filter((e) => e.kind === 'recalc')).toEqual([]);
    // 9 and 10 Nov were charged: round(500000·9/30) − round(500000·8/30) = 150000 − 133333 = 16667, round(166666.67) − 150000 = 16667
    expect(recalc(db, 'A', '2026-11-09', '2026-11-10', 'outage')).toEqual({ days: 2, credited: 33_334, skippedSuspendedForDebt: 0 });
  });

  it('refuses days of a credit account\u2019s period whose monthly fee is not charged yet, naming the first', () => {
    addAccount(db, 'C', { method: 'credit', tariff: 'NET', connectedOn: '2026-10-16' });
    expect(message(() => recalc(db, 'C', '2026-10-20', '2026-10-21', 'outage'))).toBe(
      '--from: 2026-10-20 is not charged yet (account C has no monthly fee for 2026-10 yet: it is charged at month-end): a recalculation credits back only fees already charged (cl. 21.5, 24.3)',
    );
    invoiced('C', '2026-10');
    // October invoiced, November not: a year from 30 Oct is refused at 1 Nov
    expect(message(() => recalc(db, 'C', '2026-10-30', '2027-10-29', 'outage'))).toContain(
      '--to: 2026-11-01 is not charged yet (account C has no monthly fee for 2026-11 yet: it is charged at month-end)',
    );
    expect(entriesOf(db, 'C').filter((e) => e.kind === 'recalc')).toEqual([]);
    // days before the connection are no days of service: not refused
    expect(() => recalc(db, 'C', '2026-10-01', '2026-10-17', 'outage')).not.toThrow();
    // November's fee posted without its invoice yet (at termination, D-10): charged
    inTransaction(db, () => postWithPayments(db, [{ account: 'C', valueDate: '2026-11-19', kind: 'monthly_fee', amount: -316_667, key: 'final:C' }]));
    expect(() => recalc(db, 'C', '2026-11-01', '2026-11-02', 'outage')).not.toThrow();
    expect(message(() => recalc(db, 'C', '2026-11-30', '2026-12-01', 'outage'))).toContain('--to: 2026-12-01 is not charged yet');
  });

  it('refuses an empty reason and a reversed range', () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
    expect(message(() => recalc(db, 'A', '2026-11-04', '2026-11-03', 'x'))).toContain('--from: 2026-11-04 is after --to 2026-11-03');
    expect(message(() => recalc(db, 'A', '2026-11-03', '2026-11-04', ' '))).toContain('--reason: is required');
    expect(message(() => recalc(db, 'NOPE', '2026-11-03', '2026-11-04', 'x'))).toContain('no account "NOPE"');
  });
});

describe('backbill (cl. 23.18)', () => {
  it('charges within a month of termination and refuses later', () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-01-01', terminatedOn: '2026-11-10' });
    expect(backbill(db, 'A', 120_000, 'не начислен трафик', '2026-12-10')).toEqual({ posted: true });
    expect(backbill(db, 'A', 120_000, 'не начислен трафик', '2026-12-10')).toEqual({ posted: false });
    expect(message(() => backbill(db, 'A', 120_000, 'x', '2026-12-11'))).toContain(
      'account A was terminated on 2026-11-10; back-billing is allowed only until 2026-12-10 (cl. 23.18)',
    );
    expect(entriesOf(db, 'A').map((e) => [e.kind, e.amount])).toEqual([['backbill', -120_000]]);
  });
});

describe('tariffs (cl. 23.14, 28)', () => {
  /** The day the tariff commands run on: the day the changes below are announced. */
  const TODAY = '2026-11-01';

  it('takes a price change announced 30 days ahead, refuses one announced later', () => {
    // announced 1 Nov: 1 Nov + 30 days = 1 Dec
    expect(message(() => reprice(db, 'NET', { monthlyFee: 550_000 }, '2026-11-30', '2026-11-01', TODAY))).toContain(
      '--effective: a price change announced on 2026-11-01 takes effect no earlier than 2026-12-01 (30 days, cl. 23.14)',
    );
    reprice(db, 'NET', { monthlyFee: 550_000 }, '2026-12-01', '2026-11-01', TODAY);
    const book = TariffBook.load(db);
    expect(book.priceOn('NET', '2026-11-30').monthlyFee).toBe(500_000);
    expect(book.priceOn('NET', '2026-12-01')).toMatchObject({ monthlyFee: 550_000, portFee: 30_000 });
  });

  it('refuses a price change or a discontinuation from a day before today, besides 30 days\u2019 notice; nothing changes', () => {
    // announced 1 Oct, effective 1 Dec: notice given (1 Oct + 30 days = 31 Oct), but on 2 Dec the 1st has passed
    const past = '--effective: 2026-12-01 is before today (2026-12-02): a price change applies from today or later, never to days already passed (cl. 23.14)';
    expect(message(() => reprice(db, 'NET', { monthlyFee: 550_000 }, '2026-12-01', '2026-10-01', '2026-12-02'))).toBe(past);
    // announced 15 Nov: no earlier than 15 Dec, and past: both said
    expect(message(() => reprice(db, 'NET', { monthlyFee: 550_000 }, '2026-12-01', '2026-11-15', '2026-12-02'))).toBe(
      ['--effective: a price change announced on 2026-11-15 takes effect no earlier than 2026-12-15 (30 days, cl. 23.14)', past].join('\n'),
    );
    expect(message(() => discontinue(db, 'NET', 'NEW', '2026-12-01', '2026-10-01', '2026-12-02'))).toBe(
      '--effective: 2026-12-01 is before today (2026-12-02): a discontinuation applies from today or later, never to days already passed (cl. 23.14, 28)',
    );
    expect(TariffBook.load(db).priceOn('NET', '2026-12-31').monthlyFee).toBe(500_000);
    expect(db.sqlite.prepare(`SELECT discontinued_on AS d FROM tariffs WHERE code = 'NET'`).get()).toEqual({ d: null });
    // from today itself: taken
    reprice(db, 'NET', { monthlyFee: 550_000 }, '2026-12-02', '2026-10-01', '2026-12-02');
    expect(TariffBook.load(db).priceOn('NET', '2026-12-02').monthlyFee).toBe(550_000);
    expect(discontinue(db, 'NEW', 'NET', '2026-12-02', '2026-10-01', '2026-12-02')).toBe(0);
  });

  it('refuses a discontinuation without a successor that can take the accounts', () => {
    expect(message(() => discontinue(db, 'NET', 'NET', '2026-12-01', '2026-11-01', TODAY))).toContain('--successor: must be another tariff');
    expect(message(() => discontinue(db, 'NET', 'GONE', '2026-12-01', '2026-11-01', TODAY))).toContain('--successor: no tariff "GONE"');
    expect(message(() => discontinue(db, 'NOPE', 'NEW', '2026-12-01', '2026-11-01', TODAY))).toContain('CODE: no tariff "NOPE"');
    discontinue(db, 'NEW', 'NET', '2026-12-01', '2026-11-01', TODAY);
    expect(message(() => discontinue(db, 'NET', 'NEW', '2027-01-01', '2026-11-01', TODAY))).toContain('tariff NEW is itself discontinued from 2026-12-01');
    expect(message(() => reprice(db, 'NEW', { monthlyFee: 1 }, '2027-01-01', '2026-11-01', TODAY))).toContain('tariff NEW is discontinued from 2026-12-01');
    reprice(db, 'NET', { monthlyFee: 550_000 }, '2027-01-01', '2026-11-01', TODAY);
    expect(message(() => reprice(db, 'NET', { monthlyFee: 1 }, '2026-12-15', '2026-11-01', TODAY))).toContain('tariff NET already has a price from 2027-01-01');
  });

  it('moves a discontinued tariff\u2019s accounts to the successor from the effective date', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
    expect(message(() => discontinue(db, 'NET', 'NEW', '2026-11-20', '2026-11-01', TODAY))).toContain('no earlier than 2026-12-01');
    expect(discontinue(db, 'NET', 'NEW', '2026-12-01', '2026-11-01', TODAY)).toBe(1);
    inTransaction(db, () => postWithPayments(db, [{ account: 'A', valueDate: '2026-11-01', kind: 'payment', amount: 10_000_000, key: 'p' }]));
    await runDebit(db, { date: '2026-12-01' });
    const fees = entriesOf(db, 'A').filter((e) => e.kind === 'daily_fee');
    // 30 Nov on NET: 500000 − round(483333.33) = 16667; 1 Dec on NEW: round(600000/31 = 19354.84) = 19355
    expect(fees.at(-2)?.amount).toBe(-16_667);
    expect(fees.at(-1)?.amount).toBe(-19_355);
  });
});

describe('termination at the subscriber\u2019s request (cl. 10, 35, 17.4)', () => {
  it('is refused while debt is owed on its date, naming it in tenge; a payment of that day counts (D-11)', async () => {
    // C: October billed 5 000 ₸, invoice due 25 Nov, unpaid: penalties of 26, 27, 28 Nov, 0.5% × 5 000 = 25 ₸ each
    addAccount(db, 'C', { method: 'credit', tariff: 'NET', connectedOn: '2026-09-01' });
    inTransaction(db, () => postWithPayments(db, [{ account: 'C', valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000, key: 'oct' }]));
    db.sqlite
      .prepare(
        `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments, penalties,
          closing_balance, principal, amount_due) VALUES ('MT-2026-000001', 'MT', 2026, 1, 'C', '2026-10', '2026-11-01', '2026-11-25', 0, -500000, 0, 0, 0, -500000, 500000, 500000)`,
      )
      .run();
    await runPenalties(db, { date: '2026-11-28' });
    // terminated on 28 Nov, the final period's fee is charged to the 27th (D-10): round(5 000 × 27/30) = 4 500,00;
    // 5 000,00 + 4 500,00 = 9 500,00 of charges and 3 × 25,00 = 75,00 of penalties: 9 575,00
    const owes = (day: string, total: string, charges: string) =>
      `ACCOUNT: account C owes ${total} ₸ on ${day} (unpaid charges ${charges} ₸, penalties 75,00 ₸): the subscriber may terminate once the debt to that date is paid (cl. 10, 22.15, D-11); --despite-debt records the termination anyway`;
    expect(message(() => terminateBySubscriber(db, 'C', '2026-11-28', calendar))).toBe(owes('2026-11-28', '9 575,00', '9 500,00'));
    // 9 741,67 ₸ paid on the 29th: not there on the 28th
    inTransaction(db, () => postWithPayments(db, [{ account: 'C', valueDate: '2026-11-29', kind: 'payment', amount: 974_167, key: 'pay' }]));
    expect(message(() => terminateBySubscriber(db, 'C', '2026-11-28', calendar))).toBe(owes('2026-11-28', '9 575,00', '9 500,00'));
    expect(row('C')).toMatchObject({ status: 'active', terminatedOn: null, requested: null });
    // the refusal wrote nothing, not even the final fee it counted
    expect(entriesOf(db, 'C').map((e) => e.kind)).toEqual(['monthly_fee', 'penalty', 'penalty', 'penalty', 'payment']);
    expect(db.sqlite.prepare(`SELECT COUNT(*) AS n FROM job_runs WHERE job = 'terminate-by-subscriber'`).get()).toEqual({ n: 0 });
    // on the 29th (a day's payment counts that day): 1–28 Nov round(5 000 × 28/30) = 4 666,67;
    // 5 000,00 + 4 666,67 + 75,00 = 9 741,67, all paid
    expect(terminateBySubscriber(db, 'C', '2026-11-29', calendar)).toEqual({ state: 'terminated', date: '2026-11-29' });
  });

  it('with --despite-debt the termination is recorded, with the debt it was recorded despite', () => {
    // D: an undercharge of 1 200 ₸ back-billed on 10 Nov, unpaid
    addAccount(db, 'D', { tariff: 'NET', connectedOn: '2026-11-01' });
    backbill(db, 'D', 120_000, 'не начислен трафик', '2026-11-10');
    expect(message(() => terminateBySubscriber(db, 'D', '2026-11-20', calendar))).toBe(
      'ACCOUNT: account D owes 1 200,00 ₸ on 2026-11-20 (unpaid charges 1 200,00 ₸, penalties 0,00 ₸): the subscriber may terminate once the debt to that date is paid (cl. 10, 22.15, D-11); --despite-debt records the termination anyway',
    );
    expect(terminateBySubscriber(db, 'D', '2026-11-20', calendar, { despiteDebt: true })).toEqual({ state: 'terminated', date: '2026-11-20', despiteDebt: 120_000 });
    expect(row('D')).toMatchObject({ status: 'terminated', terminatedOn: '2026-11-20', terminatedBy: 'subscriber' });
    // with rented equipment out the request waits for it, the same way
    addAccount(db, 'E', { tariff: 'NET', connectedOn: '2026-11-01' });
    backbill(db, 'E', 50_000, 'x', '2026-11-10');
    addEquipment(db, 'E', 'ONT-9', 2_500_000, '2026-11-01', null, true);
    expect(message(() => terminateBySubscriber(db, 'E', '2026-11-20', calendar))).toContain('account E owes 500,00 ₸ on 2026-11-20');
    expect(terminateBySubscriber(db, 'E', '2026-11-20', calendar, { despiteDebt: true })).toEqual({ state: 'waiting-for-equipment', serials: ['ONT-9'], despiteDebt: 50_000 });
  });

  it('terminates at once without rented equipment; the refund is due in 10 working days', () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-01-01' });
    expect(terminateBySubscriber(db, 'A', '2026-12-18', calendar)).toEqual({ state: 'terminated', date: '2026-12-18' });
    // 10 working days after Fri 18 Dec: 21, 22, 23, 24, 25, 28, 29, 30, 31 Dec (9); 1 Jan holiday,
    // 4 Jan (2 Jan's move), so the 10th is Tue 5 Jan 2027
    expect(row('A')).toEqual({ status: 'terminated', terminatedOn: '2026-12-18', terminatedBy: 'subscriber', refundDueOn: '2027-01-05', requested: null });
    expect(message(() => terminateBySubscriber(db, 'A', '2026-12-19', calendar))).toContain('was terminated on 2026-12-18');
  });

  it('counts the refund deadline across Nauryz', () => {
    addAccount(db, 'N', { tariff: 'NET', connectedOn: '2026-01-01' });
    terminateBySubscriber(db, 'N', '2026-03-19', calendar);
    // after Thu 19 Mar 2026: Fri 20 (1); 23 Mar (Nauryz, a Monday) and 24, 25 Mar (21 and 22 Mar moved
    // off the weekend) are days off; 26 (2), 27 (3), 30 (4), 31 (5), 1 Apr (6), 2 (7), 3 (8), 6 (9), 7 (10)
    expect(row('N')).toMatchObject({ refundDueOn: '2026-04-07' });
  });

  it('with rented equipment out, charges run to its hand-over', async () => {
    addAccount(db, 'A', { tariff: 'NET', connectedOn: '2026-11-01' });
    addEquipment(db, 'A', 'ONT-77', 2_500_000, '2026-11-01', 'Huawei HG8245', true);
    inTransaction(db, () => postWithPayments(db, [{ account: 'A', valueDate: '2026-11-01', kind: 'payment', amount: 10_000_000, key: 'p' }]));
    expect(terminateBySubscriber(db, 'A', '2026-12-18', calendar)).toEqual({ state: 'waiting-for-equipment', serials: ['ONT-77'] });
    expect(row('A')).toMatchObject({ status: 'active', requested: '2026-12-18' });
    await runDebit(db, { date: '2026-12-21' });
    expect(returnEquipment(db, 'A', 'ONT-77', '2026-12-22', calendar)).toEqual({ terminated: true });
    // charged to 21 Dec; 22 Dec (the hand-over) is the first day without charges; refund: 23, 24, 25, 28, 29, 30, 31 Dec,
    // 5, 6 Jan, (7 Jan Christmas), 8 Jan → Fri 8 Jan 2027
    expect(row('A')).toEqual({ status: 'terminated', terminatedOn: '2026-12-22', terminatedBy: 'subscriber', refundDueOn: '2027-01-08', requested: null });
    await runDebit(db, { date: '2026-12-31' });
    const days = entriesOf(db, 'A').filter((e) => e.kind === 'daily_fee').map((e) => e.valueDate);
    expect(days.at(-1)).toBe('2026-12-21');
    expect(verify(db)).toEqual([]);
  });
});
