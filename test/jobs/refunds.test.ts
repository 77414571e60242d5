// cl. 17.4: refunds of positive balances after termination at the subscriber's request, and moves
// of money between accounts.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { InputError } from '../../src/domain/errors.js';
import { formatTime } from '../../src/domain/dates.js';
import { importPayments } from '../../src/jobs/payments.js';
import { backbill } from '../../src/jobs/admin.js';
import { payRefund, refundsDue, transfer } from '../../src/jobs/refunds.js';
import { verify } from '../../src/jobs/verify.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { paymentsWorld } from './payments-world.js';

const dir = tempDir();
let db: Db;

const balance = (account: string) => (db.sqlite.prepare('SELECT balance AS b FROM accounts WHERE account = ?').get(account) as { b: number }).b;

async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error('expected a refusal');
}

beforeEach(async () => {
  db = await paymentsWorld(dir);
  // 1001 pays 7 500,00 and 2001 pays 1 000,00; nothing is charged to these credit accounts here
  const text = [
    'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose',
    'F-1,2026-11-16,"7 500,00",1001,,Әбенов Қанат,Оплата',
    'F-2,2026-11-16,"1 000,00",2001,,Нұрланов Ерлан,Оплата',
  ].join('\n');
  await importPayments(db, { file: writeText(dir, 'funds.csv', text), date: '2026-11-16' });
  // 1001 terminated at the subscriber's request on 20.11.2026 (the termination command sets these)
  db.sqlite
    .prepare(`UPDATE accounts SET status = 'terminated', terminated_on = '2026-11-20', terminated_by = 'subscriber', refund_due_on = '2026-12-04' WHERE account = '1001'`)
    .run();
});

describe('esep refunds', () => {
  it('lists positive balances of accounts terminated by the subscriber, with the due date', () => {
    expect(refundsDue(db, '2026-11-25')).toEqual([
      { account: '1001', name: 'Әбенов Қанат', iin: '900101300007', terminatedOn: '2026-11-20', refundDueOn: '2026-12-04', amount: 750_000, overdue: false },
    ]);
    expect(refundsDue(db, '2026-12-05')[0]?.overdue).toBe(true);
    expect(refundsDue(db, '2026-11-25', '2026-12-03')).toEqual([]);
    expect(refundsDue(db, '2026-11-25', '2026-12-04')).toHaveLength(1);
  });

  it('records a partial and then the full payout, once each', async () => {
    // 7 500 − 2 000 = 5 500 left
    expect(await payRefund(db, '1001', '2026-11-25', 200_000)).toMatchObject({ recorded: true, balance: 550_000 });
    expect(await payRefund(db, '1001', '2026-11-25', 200_000)).toMatchObject({ recorded: false, balance: 550_000 });
    expect(await refused(payRefund(db, '1001', '2026-11-26', 600_000))).toMatch(/6 000,00 ₸ is more than the positive balance of account 1001 \(5 500,00 ₸\)/);
    expect(await payRefund(db, '1001', '2026-11-26')).toMatchObject({ recorded: true, amount: 550_000, balance: 0 });
    expect(refundsDue(db, '2026-11-26')).toEqual([]);
    const entries = db.sqlite.prepare(`SELECT kind, amount, value_date AS d FROM ledger WHERE account = '1001' AND kind = 'refund' ORDER BY id`).all();
    expect(entries).toEqual([
      { kind: 'refund', amount: -200_000, d: '2026-11-25' },
      { kind: 'refund', amount: -550_000, d: '2026-11-26' },
    ]);
    expect(await refused(payRefund(db, '1001', '2026-11-27'))).toMatch(/has no positive balance/);
    expect(verify(db)).toEqual([]);
  });

  it('a payment order reference is one payout: a retry is recorded before, another amount or day under it refused', async () => {
    // 7 500 on the account; order PO-17 pays out 2 000, leaving 5 500
    expect(await payRefund(db, '1001', '2026-11-25', 200_000, 'PO-17')).toMatchObject({ recorded: true, balance: 550_000 });
    expect(await payRefund(db, '1001', '2026-11-25', 200_000, 'PO-17')).toMatchObject({ recorded: false, amount: 200_000, balance: 550_000 });
    // the whole balance under the same reference on the same day: a retry of the order, nothing new
    expect(await payRefund(db, '1001', '2026-11-25', undefined, 'PO-17')).toMatchObject({ recorded: false, amount: 200_000, balance: 550_000 });
    expect(await refused(payRefund(db, '1001', '2026-11-25', 300_000, 'PO-17'))).toMatch(
      /reference PO-17 is the refund of 2 000,00 ₸ to account 1001 on 2026-11-25 \(entry \d+\); another payout needs a reference of its own/,
    );
    expect(await refused(payRefund(db, '1001', '2026-11-26', 200_000, 'PO-17'))).toMatch(/reference PO-17 is the refund of 2 000,00 ₸/);
    // a second order of its own is recorded: 5 500 − 2 000 = 3 500
    expect(await payRefund(db, '1001', '2026-11-25', 200_000, 'PO-18')).toMatchObject({ recorded: true, balance: 350_000 });
    expect(verify(db)).toEqual([]);
  });

  it('moves money to another account: two entries that net to zero, never more than the balance', async () => {
    const r = await transfer(db, '1001', '1004', 250_050, '2026-11-25');
    expect(r).toMatchObject({ recorded: true });
    expect(balance('1001')).toBe(750_000 - 250_050);
    expect(balance('1004')).toBe(250_050);
    // the same transfer again without a reference: refused, naming the one recorded and how to record a second
    const first = db.sqlite.prepare(`SELECT id, created_at AS at FROM ledger WHERE kind = 'transfer' AND amount < 0`).get() as { id: number; at: string };
    expect(await refused(transfer(db, '1001', '1004', 250_050, '2026-11-25'))).toBe(
      `--ref: a transfer of 2 500,50 ₸ from account 1001 to account 1004 on 2026-11-25 (entry ${first.id}, recorded ${formatTime(first.at)}) is already recorded; nothing new was posted. ` +
        'To record a second one, give it a reference of its own: esep transfer 1001 1004 2500.50 --date 2026-11-25 --ref SOMETHING',
    );
    const net = db.sqlite.prepare(`SELECT SUM(amount) AS s, COUNT(*) AS n FROM ledger WHERE kind = 'transfer'`).get();
    expect(net).toEqual({ s: 0, n: 2 });
    // a second one under a reference; a retry under it records nothing new; another amount under it is refused
    expect(await transfer(db, '1001', '1004', 250_050, '2026-11-25', 'REQ-7')).toMatchObject({ recorded: true });
    const second = db.sqlite.prepare(`SELECT id, created_at AS at FROM ledger WHERE key = 'transfer:1001:1004:REQ-7:out'`).get() as { id: number; at: string };
    expect(await transfer(db, '1001', '1004', 250_050, '2026-11-25', 'REQ-7')).toMatchObject({ recorded: false, previous: { id: second.id, at: second.at } });
    expect(await refused(transfer(db, '1001', '1004', 100, '2026-11-25', 'REQ-7'))).toBe(
      `--ref: reference REQ-7 is the transfer of 2 500,50 ₸ from account 1001 to account 1004 on 2026-11-25 (entry ${second.id}, recorded ${formatTime(second.at)}); another transfer needs a reference of its own`,
    );
    // 7 500,00 − 2 × 2 500,50 = 2 499,00
    expect(balance('1001')).toBe(249_900);
    expect(db.sqlite.prepare(`SELECT SUM(amount) AS s, COUNT(*) AS n FROM ledger WHERE kind = 'transfer'`).get()).toEqual({ s: 0, n: 4 });
    expect(await refused(transfer(db, '2001', '1004', 100_001, '2026-11-25'))).toMatch(/1 000,01 ₸ is more than the positive balance of account 2001/);
    expect(await refused(transfer(db, '1003', '1004', 100, '2026-11-25'))).toMatch(/account 1003 has no positive balance/);
    expect(await refused(transfer(db, '1004', '1004', 100, '2026-11-25'))).toMatch(/same account/);
    expect(await refused(transfer(db, '1001', '9999', 100, '2026-11-25'))).toMatch(/no account "9999"/);
    expect(verify(db)).toEqual([]);
  });

  it('refuses a transfer dated before the money it moves, and one that money spent after its date would not cover', async () => {
    // 1001's 7 500,00 ₸ is dated 16 Nov: on 15 Nov the account held nothing
    expect(await refused(transfer(db, '1001', '1004', 100_000, '2026-11-15'))).toBe(
      '--date: account 1001 holds 0,00 ₸ on 2026-11-15 (money dated up to that day): 1 000,00 ₸ cannot move before the value date of the money it moves',
    );
    // 2001: 1 000,00 ₸ on 16 Nov, 800,00 ₸ charged on 20 Nov, 800,00 ₸ paid on 25 Nov: 1 000 → 200 → 1 000
    backbill(db, '2001', 80_000, 'не начислено', '2026-11-20');
    const later = ['bank_ref,value_date,amount,account,payer_iin,payer_name,purpose', 'F-3,2026-11-25,800,2001,,Нұрланов Ерлан,Оплата'].join('\n');
    await importPayments(db, { file: writeText(dir, 'later.csv', later), date: '2026-11-25' });
    // all 1 000 moved out on the 16th would leave 200 − 1 000 = −800,00 ₸ on the 20th
    expect(await refused(transfer(db, '2001', '1004', 100_000, '2026-11-16'))).toBe(
      '--date: account 2001 holds only 200,00 ₸ on 2026-11-20: moving 1 000,00 ₸ out on 2026-11-16 would leave it at -800,00 ₸ that day (the money was spent before later credits came)',
    );
    expect(db.sqlite.prepare(`SELECT COUNT(*) AS n FROM ledger WHERE kind = 'transfer'`).get()).toEqual({ n: 0 });
    // what was there from the date on can move: 200 on the 16th, the rest on the 25th; and 1001's on the 16th
    expect(await transfer(db, '2001', '1004', 20_000, '2026-11-16')).toMatchObject({ recorded: true });
    expect(await transfer(db, '2001', '1004', 80_000, '2026-11-25')).toMatchObject({ recorded: true });
    expect(await transfer(db, '1001', '1004', 100_000, '2026-11-16')).toMatchObject({ recorded: true });
    expect(balance('2001')).toBe(0);
    expect(balance('1004')).toBe(200_000);
  });
});
