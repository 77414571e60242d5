// «Undoing a mistake» (docs/payments.md): payments move, unassign and reverse, with their effects on
// both accounts worked out by hand. Tariffs: CR (credit) 5 000 ₸ a month, no port fee; AD (advance)
// 3 000 ₸ a month (November: 3 000 × d/30 cumulative = 100 ₸ a day), port reservation 30 ₸.
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { postEntries } from '../../src/db/ledger.js';
import { findPayment, insertPayment, paymentMovesOf, unlinkedReversals } from '../../src/db/payments.js';
import { suspenseWords } from '../../src/domain/matching.js';
import { addDays, type IsoDate } from '../../src/domain/dates.js';
import { InputError } from '../../src/domain/errors.js';
import { loadCalendar } from '../../src/io/calendar.js';
import { accountView } from '../../src/jobs/account-view.js';
import { terminateBySubscriber } from '../../src/jobs/admin.js';
import { runDay } from '../../src/jobs/day.js';
import { importOperator } from '../../src/jobs/import-operator.js';
import { runInvoices } from '../../src/jobs/invoices.js';
import { movePayment, reverseAtImport, reversePayment, unassignPayment } from '../../src/jobs/payment-corrections.js';
import { assignPayment, importPayments, reversalPayments } from '../../src/jobs/payments.js';
import { runPenalties } from '../../src/jobs/penalties.js';
import { payRefund } from '../../src/jobs/refunds.js';
import { verify } from '../../src/jobs/verify.js';
import { addAccount, addTariff } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { noPdfRenderer, writeStatement, type StatementLine } from '../helpers/world.js';
import { OPERATOR_JSON } from './payments-world.js';

const dir = tempDir();
const calendar = loadCalendar();
let db: Db;
let files = 0;

beforeEach(async () => {
  db = openDatabase(':memory:', { create: true });
  await importOperator(db, OPERATOR_JSON);
  addTariff(db, 'CR', { monthly: 500_000 });
  addTariff(db, 'AD', { monthly: 300_000, port: 3_000 });
});

const line = (bankRef: string, valueDate: IsoDate, amount: number, account: string): StatementLine => ({
  bankRef,
  valueDate,
  amount,
  account,
  payerName: 'Плательщик',
  purpose: `Оплата, л/с ${account}`,
});

async function pay(lines: StatementLine[], today: IsoDate) {
  const file = writeStatement(path.join(dir, `s${++files}.csv`), lines);
  return importPayments(db, { file, date: today });
}

async function days(from: IsoDate, to: IsoDate) {
  for (let d = from; d <= to; d = addDays(d, 1)) {
    await runDay(db, { date: d, calendar });
    if (d.endsWith('-01') && d > '2026-10-01') await runInvoices(db, { period: '2026-10', issuedOn: d, outDir: path.join(dir, 'inv'), renderer: noPdfRenderer });
  }
}

const show = (account: string) => {
  const v = accountView(db, account, '2026-12-31');
  return { status: v.account.status, reason: v.account.suspendReason, balance: v.balance, debt: v.debt, penaltyDebt: v.penaltyDebt, prepayment: v.prepayment };
};

const refused = async (work: Promise<unknown>, field: string, message: string | RegExp) => {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  const problems = (err as InputError).problems;
  expect(problems).toHaveLength(1);
  expect(problems[0]!.field).toBe(field);
  if (typeof message === 'string') expect(problems[0]!.message).toBe(message);
  else expect(problems[0]!.message).toMatch(message);
};

/** 3001 and 3002, credit, connected 1 October; the October invoices (5 000 ₸, due 25 November) issued on 1 November. */
async function creditWorld() {
  addAccount(db, '3001', { method: 'credit', tariff: 'CR', connectedOn: '2026-10-01' });
  addAccount(db, '3002', { method: 'credit', tariff: 'CR', connectedOn: '2026-10-01' });
  await days('2026-10-01', '2026-11-19');
  // 5 000 ₸ paid on 20 November for 3002, the payer wrote 3001
  const s = await pay([line('P-1', '2026-11-20', 500_000, '3001')], '2026-11-20');
  expect(s.applied).toBe(1);
  await days('2026-11-20', '2026-11-30');
  return findPayment(db, 1)!;
}

describe('payments move: credit accounts (D-4, D-7, D-8)', () => {
  it('the wrong account owes again from the value date and is suspended; the right one is paid from it and restored', async () => {
    const p = await creditWorld();
    // before: 3001 paid its October invoice on the 20th; 3002 is suspended since the 26th with 25 ₸ a
    // day of penalty (0.5% × 5 000) for 26–30 November: 125 ₸
    expect(show('3001')).toEqual({ status: 'active', reason: null, balance: 0, debt: 0, penaltyDebt: 0, prepayment: 0 });
    expect(show('3002')).toEqual({ status: 'suspended', reason: 'debt', balance: -512_500, debt: 500_000, penaltyDebt: 12_500, prepayment: 0 });

    const r = await movePayment(db, p.id, '3002', '2026-11-30');
    expect(r).toMatchObject({ by: 'move', from: '3001', to: '3002', valueDate: '2026-11-20', fromEffect: 'suspended', restored: true });
    expect(r.payment).toMatchObject({ status: 'applied', account: '3002', matchedBy: 'manual' });
    // 3002: the payment counts from the 20th, before the due date: no penalty is owed; its five are
    // corrected at once (+25 ₸ each), overdue debt 0: restored. Balance −5 000 + 5 000 = 0
    expect(show('3002')).toEqual({ status: 'active', reason: null, balance: 0, debt: 0, penaltyDebt: 0, prepayment: 0 });
    // 3001: October is owed again from the 20th, overdue since the 26th: suspended at once; its
    // penalties are the penalty job's (D-4)
    expect(show('3001')).toEqual({ status: 'suspended', reason: 'debt', balance: -500_000, debt: 500_000, penaltyDebt: 0, prepayment: 0 });
    expect(verify(db)).toEqual([]);

    // the penalty run for the 30th again: the correction dated the 20th makes it recompute 3001 from
    // the 21st: 25 ₸ on 26, 27, 28, 29 and 30 November = 125 ₸
    await runPenalties(db, { date: '2026-11-30' });
    expect(show('3001')).toEqual({ status: 'suspended', reason: 'debt', balance: -512_500, debt: 500_000, penaltyDebt: 12_500, prepayment: 0 });
    // and the next day's run charges the 1st: 150 ₸; 3002 nothing
    await runPenalties(db, { date: '2026-12-01' });
    expect(show('3001').penaltyDebt).toBe(15_000);
    expect(show('3002').penaltyDebt).toBe(0);
    expect(paymentMovesOf(db, p.id)).toMatchObject([{ n: 1, fromAccount: '3001', toAccount: '3002', by: 'move', valueDate: '2026-11-20', onDate: '2026-11-30' }]);
    expect(verify(db)).toEqual([]);
  });

  it('moved A → B → A: each move has keys of its own; it ends where it began', async () => {
    const p = await creditWorld();
    await movePayment(db, p.id, '3002', '2026-11-30');
    await movePayment(db, p.id, '3001', '2026-11-30');
    await runPenalties(db, { date: '2026-11-30' });
    // back as before the first move: 3001 paid (suspended by the first move, restored at once by the
    // second), 3002 suspended again, owing October and 125 ₸ of penalties (its corrections of the
    // first move charged again by the run)
    expect(show('3001')).toEqual({ status: 'active', reason: null, balance: 0, debt: 0, penaltyDebt: 0, prepayment: 0 });
    expect(show('3002')).toEqual({ status: 'suspended', reason: 'debt', balance: -512_500, debt: 500_000, penaltyDebt: 12_500, prepayment: 0 });
    const keys = db.sqlite.prepare(`SELECT key, account, amount FROM ledger WHERE payment_id = ? ORDER BY id`).all(p.id);
    expect(keys).toEqual([
      { key: 'payment:1', account: '3001', amount: 500_000 },
      { key: 'payment:1:undo:1', account: '3001', amount: -500_000 },
      { key: 'payment:1:move:1', account: '3002', amount: 500_000 },
      { key: 'payment:1:undo:2', account: '3002', amount: -500_000 },
      { key: 'payment:1:move:2', account: '3001', amount: 500_000 },
    ]);
    expect(verify(db)).toEqual([]);
  });

  it('unassign: back to suspense with its reason, then assigned to the right account', async () => {
    const p = await creditWorld();
    const r = await unassignPayment(db, p.id, '2026-11-30');
    expect(r).toMatchObject({ by: 'unassign', from: '3001', to: null, fromEffect: 'suspended' });
    const back = findPayment(db, p.id)!;
    expect(back).toMatchObject({ status: 'suspense', account: null, suspenseReason: 'unassigned', reasonAccounts: ['3001'] });
    expect(suspenseWords(back.suspenseReason, { accounts: back.reasonAccounts, payerIin: null })).toBe('taken off account 3001 (esep payments unassign)');
    expect(show('3001')).toMatchObject({ status: 'suspended', balance: -500_000 });
    expect(verify(db)).toEqual([]);
    // assigned now: the entry is keyed by the unassignment (its first key is on the ledger already)
    await assignPayment(db, p.id, '3002', '2026-11-30');
    expect(db.sqlite.prepare(`SELECT key FROM ledger WHERE payment_id = ? AND account = '3002'`).pluck().all(p.id)).toEqual(['payment:1:move:1']);
    await runDay(db, { date: '2026-12-01', calendar });
    // the run corrected 3002's penalties (the payment counts from the 20th) and restored it
    expect(show('3002')).toMatchObject({ status: 'active', penaltyDebt: 0 });
    expect(verify(db)).toEqual([]);
  });
});

describe('esep verify after a move', () => {
  it('names a payment that nets on an account it was taken off, and a history that ends elsewhere', async () => {
    const p = await creditWorld();
    await movePayment(db, p.id, '3002', '2026-11-30');
    expect(verify(db)).toEqual([]);
    // by hand: the payment posted on 3001 again, and its row put back on 3001
    db.sqlite.transaction(() => postEntries(db, [{ account: '3001', valueDate: '2026-11-20', kind: 'payment', amount: 500_000, key: 'by-hand', paymentId: p.id }]))();
    db.sqlite.prepare(`UPDATE payments SET account = '3001' WHERE id = ?`).run(p.id);
    expect(verify(db).filter((v) => v.invariant === 'a payment is on its current account only')).toEqual([
      { invariant: 'a payment is on its current account only', account: '3002', detail: 'payment 1 (applied on account 3001) nets 5 000,00 ₸ on account 3002' },
      { invariant: 'a payment is on its current account only', account: '3001', detail: 'payment 1 is applied on account 3001, but its last move (1, move) left it on account 3002' },
    ]);
  });
});

describe('payments move: advance accounts, today decided again (D-3 both ways)', () => {
  it('the wrong account loses today’s fee and is suspended; the right one is restored; and back again', async () => {
    addAccount(db, '4001', { method: 'advance', tariff: 'AD', connectedOn: '2026-11-01' });
    addAccount(db, '4002', { method: 'advance', tariff: 'AD', connectedOn: '2026-11-01' });
    // no money: 30 ₸ of port reservation a day, 1–10 November: −300 ₸ each
    await days('2026-11-01', '2026-11-10');
    expect(show('4001')).toMatchObject({ status: 'suspended', reason: 'funds', balance: -30_000 });
    // 1 000 ₸ for 4002 on the 10th, after the run, with 4001's number: 4001 restored (start of the
    // 10th: −270 + 1 000 = 730 ≥ 100): the 10th's port reversed, its fee charged: −300 + 30 − 100 + 1 000 = 630
    const s = await pay([line('A-1', '2026-11-10', 100_000, '4001')], '2026-11-10');
    expect(s.restored).toBe(1);
    expect(show('4001')).toMatchObject({ status: 'active', balance: 63_000 });

    const r = await movePayment(db, 1, '4002', '2026-11-10');
    expect(r).toMatchObject({ fromEffect: 'suspended', restored: true });
    // 4001: without the 1 000 the 10th starts at −270 < 100: its fee reversed, the port charged
    // again, suspended: 630 − 1 000 + 100 − 30 = −300, as if the payment never came
    expect(show('4001')).toEqual({ status: 'suspended', reason: 'funds', balance: -30_000, debt: 30_000, penaltyDebt: 0, prepayment: 0 });
    // 4002: restored as after any payment: −300 + 1 000 + 30 − 100 = 630
    expect(show('4002')).toEqual({ status: 'active', reason: null, balance: 63_000, debt: 0, penaltyDebt: 0, prepayment: 63_000 });
    expect(verify(db)).toEqual([]);

    // and back to 4001 the same day: 4002 decided again the same way, 4001 restored once more
    await movePayment(db, 1, '4001', '2026-11-10');
    expect(show('4001')).toMatchObject({ status: 'active', balance: 63_000 });
    expect(show('4002')).toMatchObject({ status: 'suspended', reason: 'funds', balance: -30_000 });
    expect(verify(db)).toEqual([]);
    // the network team hears each switch of the day, the second suspension of 4001 too
    expect(db.sqlite.prepare(`SELECT event, key FROM access_events WHERE account = '4001' AND value_date = '2026-11-10' ORDER BY id`).all()).toEqual([
      { event: 'restore', key: 'restore:4001:2026-11-10' },
      { event: 'suspend', key: 'suspend:4001:2026-11-10:payment:1:undo:1:fee' },
      { event: 'restore', key: 'restore:4001:2026-11-10:payment:1:move:2:fee' },
    ]);
    // the next day is the run's: 4001 pays its 100 ₸ (530), 4002 its 30 ₸ of port (−330)
    await days('2026-11-11', '2026-11-11');
    expect(show('4001')).toMatchObject({ status: 'active', balance: 53_000 });
    expect(show('4002')).toMatchObject({ status: 'suspended', balance: -33_000 });
    expect(verify(db)).toEqual([]);
  });

  it('days decided before today stay as decided (cl. 17.2); the run of a later day counts the money as it now is', async () => {
    addAccount(db, '4001', { method: 'advance', tariff: 'AD', connectedOn: '2026-11-01' });
    addAccount(db, '4002', { method: 'advance', tariff: 'AD', connectedOn: '2026-11-01' });
    await pay([line('A-1', '2026-11-01', 100_000, '4001')], '2026-11-01');
    await days('2026-11-01', '2026-11-03');
    // 4001 paid 100 ₸ on the 1st, 2nd and 3rd with the money (700 left); 4002: 3 × 30 ₸ of port
    expect(show('4001')).toMatchObject({ status: 'active', balance: 70_000 });
    await movePayment(db, 1, '4002', '2026-11-03');
    // 4001: the 1st and 2nd stay charged (service given); today, the 3rd, starts at −200 < 100: fee
    // reversed, port 30 charged, suspended: −200 − 30 = −230. 4002: the 3rd restored: −90 + 1 000 + 30 − 100 = 840
    expect(show('4001')).toMatchObject({ status: 'suspended', reason: 'funds', balance: -23_000, debt: 23_000 });
    expect(show('4002')).toMatchObject({ status: 'active', balance: 84_000 });
    expect(verify(db)).toEqual([]);
  });
});

describe('payments reverse: a bank reversal from its value date', () => {
  it('the payment is reversed on its account from the reversal’s day, with penalties from the day after', async () => {
    addAccount(db, '3002', { method: 'credit', tariff: 'CR', connectedOn: '2026-10-01' });
    await days('2026-10-01', '2026-11-19');
    await pay([line('P-1', '2026-11-20', 500_000, '3002')], '2026-11-20');
    await days('2026-11-20', '2026-11-29');
    // the bank takes the 5 000 back on the 28th (its own reference)
    const s = await pay([line('R-1', '2026-11-28', -500_000, '3002')], '2026-11-29');
    expect(s.reversals).toBe(1);
    expect(show('3002')).toMatchObject({ status: 'active', balance: 0 });

    const r = await reversePayment(db, 2, 1, '2026-11-29');
    expect(r).toMatchObject({ by: 'reverse', from: '3002', valueDate: '2026-11-28', reversalId: 2, fromEffect: 'suspended' });
    expect(findPayment(db, 1)!.status).toBe('reversed');
    // owed again from the 28th, overdue: suspended at once; the penalty run for the 29th (again):
    // 25 ₸ on the 29th only (the 28th started with the money still there)
    await runPenalties(db, { date: '2026-11-29' });
    expect(show('3002')).toEqual({ status: 'suspended', reason: 'debt', balance: -502_500, debt: 500_000, penaltyDebt: 2_500, prepayment: 0 });
    await days('2026-11-30', '2026-11-30');
    expect(show('3002').penaltyDebt).toBe(5_000);
    expect(verify(db)).toEqual([]);
    await refused(reversePayment(db, 2, 1, '2026-11-30'), 'REVERSAL_ID', 'reversal 2 reverses payment 1 already');
    await refused(movePayment(db, 1, '3002', '2026-11-30'), 'PAYMENT_ID', 'payment 1 was reversed by the bank (reversal 2 of 2026-11-28): it is on no account');
    await refused(assignPayment(db, 1, '3002', '2026-11-30'), 'PAYMENT_ID', 'payment 1 was reversed by the bank: it is on no account');
    // linked, the reversal is off the list of those still to look at
    expect(reversalPayments(db)).toEqual([]);
  });
});

describe('a bank reversal at import, by its reference', () => {
  it('is linked to the one payment of its format and reference, of the same amount, and reversed from its own date', async () => {
    addAccount(db, '3002', { method: 'credit', tariff: 'CR', connectedOn: '2026-10-01' });
    await days('2026-10-01', '2026-11-19');
    await pay([line('P-1', '2026-11-20', 500_000, '3002'), line('P-2', '2026-11-20', 300_000, '3002')], '2026-11-20');
    await days('2026-11-20', '2026-11-29');
    // rows as a format whose identity is not its reference would bring them (the generic CSV's is:
    // there the same reference again is one transaction, and another amount under it is refused)
    const storno = (ref: string, amount: number, identity: string) =>
      insertPayment(db, {
        identity,
        format: 'generic',
        bankRef: ref,
        valueDate: '2026-11-28',
        amount,
        account: '3002',
        status: 'reversal',
        matchedBy: null,
        payerIin: null,
        payerName: null,
        purpose: null,
        file: 'storno.csv',
        line: 2,
        suspenseReason: null,
        accountHint: '',
        reasonAccounts: [],
        statementAccount: null,
      })!;
    const other = storno('P-2', -200_000, 'test:storno-2'); // 2 000 ₸ under P-2's reference: not its amount
    const right = storno('P-1', -500_000, 'test:storno-1');
    const linked = db.sqlite.transaction(() => [reverseAtImport(db, other, '2026-11-29', null), reverseAtImport(db, right, '2026-11-29', null)])();
    expect(linked).toEqual([null, 1]);
    expect(findPayment(db, 1)!.status).toBe('reversed');
    expect(findPayment(db, 2)!.status).toBe('applied');
    expect(unlinkedReversals(db).map((r) => r.id)).toEqual([other]);
    // 8 000 ₸ paid October (5 000) and left 3 000; without P-1 the 3 000 of P-2 pays October from the
    // 20th, 2 000 owed again from the 28th: overdue, suspended at once
    expect(show('3002')).toMatchObject({ status: 'suspended', reason: 'debt', balance: -200_000, debt: 200_000 });
    expect(verify(db)).toEqual([]);
  });
});

describe('refusals, each with its message (exit 2, nothing changed)', () => {
  it('names what is wrong', async () => {
    addAccount(db, '3001', { method: 'credit', tariff: 'CR', connectedOn: '2026-10-01' });
    addAccount(db, '3002', { method: 'credit', tariff: 'CR', connectedOn: '2026-10-01' });
    await pay(
      [line('P-1', '2026-11-20', 500_000, '3001'), line('R-1', '2026-11-21', -400_000, '3001'), { ...line('S-1', '2026-11-20', 100_000, ''), purpose: 'Оплата' }],
      '2026-11-21',
    );
    const before = db.sqlite.prepare('SELECT COUNT(*) FROM ledger').pluck().get();
    await refused(movePayment(db, 99, '3002', '2026-11-21'), 'PAYMENT_ID', 'no payment 99');
    await refused(movePayment(db, 1, '9999', '2026-11-21'), 'ACCOUNT', 'no account "9999"');
    await refused(movePayment(db, 1, '3001', '2026-11-21'), 'ACCOUNT', 'payment 1 is on account 3001 already');
    await refused(movePayment(db, 1, '3002', '2026-11-19'), '--date', "2026-11-19 is before the payment's value date 2026-11-20");
    await refused(movePayment(db, 2, '3002', '2026-11-21'), 'PAYMENT_ID', /^payment 2 is a bank reversal of -4 000,00 ₸, never on an account: link it/);
    await refused(movePayment(db, 3, '3002', '2026-11-21'), 'PAYMENT_ID', 'payment 3 is in suspense: apply it with esep payments assign 3 ACCOUNT');
    await refused(unassignPayment(db, 3, '2026-11-21'), 'PAYMENT_ID', 'payment 3 is in suspense already');
    await refused(reversePayment(db, 1, 1, '2026-11-21'), 'REVERSAL_ID', /^payment 1 is not a bank reversal \(5 000,00 ₸, applied\)/);
    await refused(reversePayment(db, 2, 2, '2026-11-21'), 'PAYMENT_ID', 'payment 2 is a bank reversal itself: give the payment it takes back');
    await refused(reversePayment(db, 2, 1, '2026-11-21'), 'PAYMENT_ID', 'reversal 2 is of -4 000,00 ₸, payment 1 of 5 000,00 ₸: a reversal takes back a whole payment');
    // the old dead end is gone: assign of an applied payment names the command that moves it
    await refused(assignPayment(db, 1, '3002', '2026-11-21'), 'PAYMENT_ID', 'payment 1 is applied to account 3001 already; to put it on another account: esep payments move 1 ACCOUNT');
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM ledger').pluck().get()).toBe(before);
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM payment_moves').pluck().get()).toBe(0);
  });

  it('a reversal dated before its payment, and one before --date', async () => {
    addAccount(db, '3001', { method: 'credit', tariff: 'CR', connectedOn: '2026-10-01' });
    await pay([line('P-1', '2026-11-20', 500_000, '3001'), line('R-1', '2026-11-19', -500_000, '3001'), line('R-2', '2026-11-22', -500_000, '3001')], '2026-11-22');
    await refused(reversePayment(db, 2, 1, '2026-11-22'), 'REVERSAL_ID', 'reversal 2 is dated 2026-11-19, before the value date of payment 1, 2026-11-20');
    await refused(reversePayment(db, 3, 1, '2026-11-21'), '--date', "2026-11-21 is before the reversal's value date 2026-11-22");
  });

  it('an account terminated and refunded keeps its money: the payment is not taken off it, naming why', async () => {
    addAccount(db, '4001', { method: 'advance', tariff: 'AD', connectedOn: '2026-11-01' });
    addAccount(db, '4002', { method: 'advance', tariff: 'AD', connectedOn: '2026-11-01' });
    await pay([line('A-1', '2026-11-01', 100_000, '4001')], '2026-11-01');
    await days('2026-11-01', '2026-11-04');
    // terminated from the 5th at the subscriber's request: 4 days of 100 ₸ charged, 600 ₸ refunded
    expect(terminateBySubscriber(db, '4001', '2026-11-05', calendar).state).toBe('terminated');
    await payRefund(db, '4001', '2026-11-06');
    await refused(
      movePayment(db, 1, '4002', '2026-11-06'),
      'PAYMENT_ID',
      'payment 1 cannot be taken off account 4001: the account was terminated on 2026-11-05 and its balance refunded (600,00 ₸, last on 2026-11-06, cl. 17.4): the money has been paid out to the subscriber',
    );
    await refused(unassignPayment(db, 1, '2026-11-06'), 'PAYMENT_ID', /^payment 1 cannot be taken off account 4001: the account was terminated/);
  });
});
