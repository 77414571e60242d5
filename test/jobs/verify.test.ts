import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, type Db } from '../../src/db/connection.js';
import { verify } from '../../src/jobs/verify.js';
import { memoryDbWithAccounts, postWithPayments } from '../helpers/db.js';
import { postEntries } from '../../src/db/ledger.js';

let db: Db;
beforeEach(() => {
  db = memoryDbWithAccounts(['1001', '1002']);
});

const invoice = (seq: number, account: string, period: string) =>
  db.sqlite
    .prepare(
      `INSERT INTO invoices (number, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
        penalties, closing_balance, principal, amount_due) VALUES (?, 2026, ?, ?, ?, '2026-11-01', '2026-11-25', 0, 0, 0, 0, 0, 0, 0, 0)`,
    )
    .run(`MT-2026-${String(seq).padStart(6, '0')}`, seq, account, period);

describe('esep verify', () => {
  it('finds nothing wrong in a consistent database', () => {
    inTransaction(db, () =>
      postWithPayments(db, [
        { account: '1001', valueDate: '2026-11-01', kind: 'payment', amount: 10_000, key: 'p' },
        { account: '1001', valueDate: '2026-11-01', kind: 'daily_fee', amount: -100, key: 'd1' },
        // a restoration: the day's port fee reversed and the daily fee charged
        { account: '1002', valueDate: '2026-11-02', kind: 'port_reservation', amount: -50, key: 'pr' },
      ]),
    );
    const port = (db.sqlite.prepare(`SELECT id FROM ledger WHERE key = 'pr'`).get() as { id: number }).id;
    inTransaction(db, () =>
      postWithPayments(db, [
        { account: '1002', valueDate: '2026-11-02', kind: 'port_reservation', amount: 50, key: 'pr-rev', corrects: port },
        { account: '1002', valueDate: '2026-11-02', kind: 'daily_fee', amount: -100, key: 'd2' },
      ]),
    );
    invoice(1, '1001', '2026-10');
    invoice(2, '1002', '2026-10');
    expect(verify(db)).toEqual([]);
  });

  it('names the account whose balance is not the sum of its entries', () => {
    inTransaction(db, () => postWithPayments(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'payment', amount: 10_000, key: 'p' }]));
    db.sqlite.prepare(`UPDATE accounts SET balance = 9999 WHERE account = '1001'`).run();
    expect(verify(db)).toEqual([
      { invariant: 'balance = sum of entries', account: '1001', detail: 'balance 99,99 ₸ but entries sum to 100,00 ₸' },
    ]);
  });

  it('finds a day charged twice and a day with both a fee and a port fee', () => {
    inTransaction(db, () =>
      postWithPayments(db, [
        { account: '1001', valueDate: '2026-11-01', kind: 'daily_fee', amount: -100, key: 'a' },
        { account: '1001', valueDate: '2026-11-01', kind: 'daily_fee', amount: -100, key: 'b' },
        { account: '1002', valueDate: '2026-11-01', kind: 'daily_fee', amount: -100, key: 'c' },
        { account: '1002', valueDate: '2026-11-01', kind: 'port_reservation', amount: -50, key: 'd' },
      ]),
    );
    expect(verify(db).map((v) => [v.invariant, v.account])).toEqual([
      ['at most one daily charge per account and day', '1001'],
      ['at most one daily charge per account and day', '1002'],
    ]);
  });

  it('finds a gap in invoice numbers', () => {
    invoice(1, '1001', '2026-10');
    invoice(3, '1002', '2026-10');
    expect(verify(db)).toEqual([{ invariant: 'invoice numbers gapless', account: null, detail: '2026: 2 invoices numbered 1..3' }]);
  });

  it('finds a correction larger than its entry, and one that names none (D-7)', () => {
    inTransaction(db, () =>
      postWithPayments(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'port_reservation', amount: -300, key: 'port' }]),
    );
    const [port] = db.sqlite.prepare('SELECT id FROM ledger ORDER BY id').all() as { id: number }[];
    // the database refuses a reversal of 4,00 ₸ of a 3,00 ₸ port fee
    expect(() =>
      inTransaction(db, () => postWithPayments(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'port_reservation', amount: 400, key: 'back', corrects: port!.id }])),
    ).toThrow(/within what is left of the entry it corrects/);
    // written past the trigger (as a tool with its own SQL could), verify names it
    db.sqlite.exec('DROP TRIGGER ledger_links_check');
    inTransaction(db, () => postWithPayments(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'port_reservation', amount: 400, key: 'back', corrects: port!.id }]));
    inTransaction(db, () => postWithPayments(db, [{ account: '1001', valueDate: '2026-11-02', kind: 'daily_fee', amount: 100, key: 'loose' }]));
    const found = verify(db);
    expect(found).toContainEqual({ invariant: 'no correction exceeds its entry', account: '1001', detail: `entry ${port!.id} of -3,00 ₸ is corrected by 4,00 ₸` });
    expect(found).toContainEqual({ invariant: 'a correction names the entry it corrects', account: '1001', detail: `entry ${port!.id + 2} (daily_fee, 1,00 ₸) names none` });
    expect(found).toContainEqual({ invariant: 'ledger is append-only', account: null, detail: 'trigger ledger_links_check is missing' });
  });

  it('finds a payment entry without its payment', () => {
    inTransaction(db, () => postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'payment', amount: 100, key: 'bare' }]));
    expect(verify(db)).toEqual([
      { invariant: 'every payment entry has its payment', account: '1001', detail: 'entry 1 names payment (none), which is not in the payments' },
      { invariant: 'every payment applied exactly once', account: null, detail: expect.any(String) },
    ].slice(0, 1));
  });

  it('finds more penalty days than the cap', () => {
    const entries = Array.from({ length: 31 }, (_, i) => ({
      account: '1001',
      valueDate: i < 30 ? `2026-12-${String(i + 1).padStart(2, '0')}` : '2027-01-01',
      kind: 'penalty' as const,
      amount: -25,
      key: `pen:${i}`,
      invoiceId: 7,
    }));
    inTransaction(db, () => postWithPayments(db, entries));
    expect(verify(db)).toEqual([{ invariant: 'penalty days ≤ 30', account: '1001', detail: 'invoice 7 has 31 penalty days' }]);
  });

  it('finds a payment applied twice', () => {
    db.sqlite
      .prepare(`INSERT INTO payments (identity, format, bank_ref, value_date, amount, account, status) VALUES ('g:1', 'generic', '1', '2026-11-01', 100, '1001', 'applied')`)
      .run();
    inTransaction(db, () =>
      postWithPayments(db, [
        { account: '1001', valueDate: '2026-11-01', kind: 'payment', amount: 100, key: 'x1', paymentId: 1 },
        { account: '1001', valueDate: '2026-11-01', kind: 'payment', amount: 100, key: 'x2', paymentId: 1 },
      ]),
    );
    expect(verify(db)).toEqual([
      { invariant: 'every payment applied exactly once', account: '1001', detail: 'payment 1 (applied) of 1,00 ₸ has 2,00 ₸ on the ledger' },
    ]);
  });
});
