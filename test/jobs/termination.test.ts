// What termination does to the money (issue "One money model"): the final period's fee is posted at
// termination (D-10), a termination dated inside a period already charged credits back its days
// from the termination date with a correction naming the fee (D-7), charges after termination reach
// an invoice (D-9), and penalties go on after termination (D-6). Every figure worked out by hand.
import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase, type Db } from '../../src/db/connection.js';
import { entriesOf, factsOf } from '../../src/db/ledger.js';
import { saveOperator } from '../../src/db/operator.js';
import { summarise } from '../../src/domain/allocation.js';
import { backbill, terminateBySubscriber } from '../../src/jobs/admin.js';
import { runInvoices } from '../../src/jobs/invoices.js';
import { runPenalties } from '../../src/jobs/penalties.js';
import { runTerminate } from '../../src/jobs/collection.js';
import { refundsDue } from '../../src/jobs/refunds.js';
import { verify } from '../../src/jobs/verify.js';
import { addAccount, addTariff, postWithPayments } from '../helpers/db.js';
import { shippedCalendar, TEST_OPERATOR } from '../helpers/fixtures.js';
import { noPdfRenderer } from '../helpers/world.js';

const calendar = shippedCalendar();
let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
  saveOperator(db, TEST_OPERATOR);
});

const pay = (account: string, valueDate: string, amount: number, key: string) =>
  inTransaction(db, () => postWithPayments(db, [{ account, valueDate, kind: 'payment', amount, key }]));
const invoice = (period: string) => runInvoices(db, { period, renderer: noPdfRenderer });
const fees = (account: string) =>
  entriesOf(db, account)
    .filter((e) => e.kind === 'monthly_fee')
    .map((e) => [e.valueDate, e.amount, e.corrects === null ? null : 'corrects']);
const state = (account: string) =>
  db.sqlite.prepare('SELECT status, terminated_on AS terminatedOn, refund_due_on AS refundDueOn FROM accounts WHERE account = ?').get(account);

describe('the final period at termination (D-10)', () => {
  it('a credit account terminated by the subscriber mid-month is charged to the day before at once; the refund is the balance after it', async () => {
    addTariff(db, 'NET', { monthly: 400_000 }); // 4 000 ₸ a month
    addAccount(db, 'C', { method: 'credit', tariff: 'NET', connectedOn: '2026-11-01' });
    pay('C', '2026-11-01', 500_000, 'p'); // 5 000 ₸ paid ahead
    expect(terminateBySubscriber(db, 'C', '2026-11-16', calendar)).toEqual({ state: 'terminated', date: '2026-11-16' });
    // served 1–15 Nov: round(4 000 × 15/30) = 2 000,00, dated the 15th, posted now (not at month-end)
    expect(fees('C')).toEqual([['2026-11-15', -200_000, null]]);
    // 5 000 − 2 000 = 3 000 ₸ to refund, due 10 working days after 16 Nov (Mon): 17–20, 23–27, 30 Nov → 30 Nov
    expect(summarise(factsOf(db, 'C'))).toEqual({ balance: 300_000, debt: 0, penaltyDebt: 0, prepayment: 300_000 });
    expect(state('C')).toEqual({ status: 'terminated', terminatedOn: '2026-11-16', refundDueOn: '2026-11-30' });
    expect(refundsDue(db, '2026-11-16').map((r) => [r.account, r.amount, r.overdue])).toEqual([['C', 300_000, false]]);
    // month-end for November finds the fee posted: nothing new; the final invoice shows 2 000,00
    await invoice('2026-11');
    expect(fees('C')).toEqual([['2026-11-15', -200_000, null]]);
    expect(db.sqlite.prepare(`SELECT final, principal, closing_balance AS closing FROM invoices WHERE account = 'C'`).get()).toEqual({ final: 1, principal: 200_000, closing: 300_000 });
    expect(verify(db)).toEqual([]);
  });

  it('a termination dated inside a period already invoiced credits back the days from it, naming the fee (D-7)', async () => {
    addTariff(db, 'T15', { monthly: 150_000 }); // 1 500 ₸ a month
    addAccount(db, 'C', { method: 'credit', tariff: 'T15', connectedOn: '2026-10-01' });
    await invoice('2026-10'); // October charged 1 500,00 and invoiced on 1 Nov
    pay('C', '2026-11-05', 150_000, 'p');
    // the subscriber's request of 10 October, recorded on 6 November
    expect(terminateBySubscriber(db, 'C', '2026-10-10', calendar, { recordedOn: '2026-11-06' })).toEqual({ state: 'terminated', date: '2026-10-10' });
    // served 1–9 Oct: round(1 500 × 9/31) = round(435,48…) = 435,48; 1 500,00 − 435,48 = 1 064,52 credited back on the fee's own date
    expect(fees('C')).toEqual([
      ['2026-10-31', -150_000, null],
      ['2026-10-31', 106_452, 'corrects'],
    ]);
    // paid 1 500,00 for 435,48 of service: 1 064,52 to refund; the deadline counts from the day it was
    // recorded, 6 Nov (Fri): 9–13, 16–20 Nov → 20 Nov, never a date already past
    expect(summarise(factsOf(db, 'C'))).toEqual({ balance: 106_452, debt: 0, penaltyDebt: 0, prepayment: 106_452 });
    expect(state('C')).toEqual({ status: 'terminated', terminatedOn: '2026-10-10', refundDueOn: '2026-11-20' });
    // October's invoice now owes nothing of its principal; the rerun of October posts nothing
    await invoice('2026-10');
    expect(fees('C')).toHaveLength(2);
    expect(verify(db)).toEqual([]);
  });

  it('the operator\u2019s termination posts the final December fee; penalties go on to each invoice\u2019s cap (D-6, the SPEC example)', async () => {
    addTariff(db, 'T4', { monthly: 400_000 }); // 4 000 ₸ a month
    addAccount(db, 'C', { method: 'credit', tariff: 'T4', connectedOn: '2026-10-01' });
    await invoice('2026-10'); // 4 000,00 due 25 Nov
    await invoice('2026-11'); // 4 000,00 due 25 Dec
    await runTerminate(db, { date: '2026-12-26', calendar });
    expect(state('C')).toMatchObject({ status: 'terminated', terminatedOn: '2026-12-26' });
    // 1–25 Dec: round(4 000 × 25/31) = 3 225,81, posted at termination
    expect(fees('C')).toEqual([
      ['2026-10-31', -400_000, null],
      ['2026-11-30', -400_000, null],
      ['2026-12-25', -322_581, null],
    ]);
    await invoice('2026-12'); // the final invoice: 3 225,81 due 25 Jan 2027
    expect(db.sqlite.prepare(`SELECT final, principal, due_on AS dueOn FROM invoices WHERE account = 'C' AND period = '2026-12'`).get()).toEqual({
      final: 1,
      principal: 322_581,
      dueOn: '2027-01-25',
    });
    await runPenalties(db, { date: '2027-03-31' });
    // October 30 × 20,00 = 600,00; November 30 × 20,00 = 600,00 (26 Dec – 24 Jan, after termination);
    // December 30 × 16,13 = 483,90 (26 Jan – 24 Feb): 1 683,90 in all; debt 4 000 + 4 000 + 3 225,81 = 11 225,81
    expect(summarise(factsOf(db, 'C'))).toEqual({ balance: -1_290_971, debt: 1_122_581, penaltyDebt: 168_390, prepayment: 0 });
    expect(verify(db)).toEqual([]);
  });
});

describe('charges after termination reach a document (D-9)', () => {
  it('a back-billed charge a week after termination gets the next period\u2019s invoice, due on the 25th, with penalties', async () => {
    addTariff(db, 'T4', { monthly: 400_000 });
    addAccount(db, 'C', { method: 'credit', tariff: 'T4', connectedOn: '2026-10-01' });
    pay('C', '2026-10-01', 400_000, 'p');
    await invoice('2026-10'); // October paid
    expect(terminateBySubscriber(db, 'C', '2026-11-01', calendar)).toEqual({ state: 'terminated', date: '2026-11-01' });
    backbill(db, 'C', 120_000, 'не начислен трафик за октябрь', '2026-11-05'); // 1 200 ₸, within a month of termination (cl. 23.18)
    await invoice('2026-11');
    // terminated on 1 Nov, no service in November, but a charge dated in it: November's invoice, 1 200,00 due 25 Dec
    expect(db.sqlite.prepare(`SELECT principal, amount_due AS due, due_on AS dueOn FROM invoices WHERE account = 'C' AND period = '2026-11'`).get()).toEqual({
      principal: 120_000,
      due: 120_000,
      dueOn: '2026-12-25',
    });
    await runPenalties(db, { date: '2026-12-27' });
    // 26 and 27 Dec: 0,5% × 1 200 = 6,00 a day
    expect(entriesOf(db, 'C').filter((e) => e.kind === 'penalty').map((e) => [e.valueDate, e.amount])).toEqual([
      ['2026-12-26', -600],
      ['2026-12-27', -600],
    ]);
    expect(verify(db)).toEqual([]);
  });
});
