import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inTransaction, type Db } from '../../src/db/connection.js';
import { balanceBefore, entriesOf, postEntries, type NewEntry } from '../../src/db/ledger.js';
import { memoryDbWithAccounts } from '../helpers/db.js';

let db: Db;
beforeEach(() => {
  db = memoryDbWithAccounts(['1001', '1002']);
});
const balanceOf = (d: Db, a: string) => (d.sqlite.prepare('SELECT balance FROM accounts WHERE account = ?').get(a) as { balance: number }).balance;

describe('the ledger', () => {
  it('posts an entry once per key; the cached balance moves once', () => {
    const fee: NewEntry = { account: '1001', valueDate: '2026-11-01', kind: 'daily_fee', amount: -16_667, key: 'debit:1001:2026-11-01' };
    expect(inTransaction(db, () => postEntries(db, [fee]))).toBe(1);
    expect(inTransaction(db, () => postEntries(db, [fee, { ...fee, amount: -99 }]))).toBe(0);
    expect(balanceOf(db, '1001')).toBe(-16_667);
    expect(entriesOf(db, '1001')).toHaveLength(1);
  });

  it('is append-only: updates and deletes are refused by the database itself', () => {
    inTransaction(db, () => postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'payment', amount: 100, key: 'k' }]));
    expect(() => db.sqlite.prepare('UPDATE ledger SET amount = 200').run()).toThrow(/append-only/);
    expect(() => db.sqlite.prepare('DELETE FROM ledger').run()).toThrow(/append-only/);
  });

  it('refuses to post outside a transaction, a zero amount or a fraction of a tiyn', () => {
    const e: NewEntry = { account: '1001', valueDate: '2026-11-01', kind: 'payment', amount: 100, key: 'k' };
    expect(() => postEntries(db, [e])).toThrow(/inside a transaction/);
    expect(() => inTransaction(db, () => postEntries(db, [{ ...e, amount: 0 }]))).toThrow(/non-zero whole number/);
    expect(() => inTransaction(db, () => postEntries(db, [{ ...e, amount: 1.5 }]))).toThrow(/non-zero whole number/);
  });

  it('a failed batch leaves nothing behind', () => {
    expect(() =>
      inTransaction(db, () => {
        postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'payment', amount: 100, key: 'a' }]);
        postEntries(db, [{ account: 'NOPE', valueDate: '2026-11-01', kind: 'payment', amount: 100, key: 'b' }]);
      }),
    ).toThrow(/FOREIGN KEY/);
    expect(balanceOf(db, '1001')).toBe(0);
    expect(entriesOf(db, '1001')).toHaveLength(0);
  });

  it('sums what came before a day', () => {
    inTransaction(db, () =>
      postEntries(db, [
        { account: '1001', valueDate: '2026-11-01', kind: 'payment', amount: 1000, key: 'p1' },
        { account: '1001', valueDate: '2026-11-02', kind: 'daily_fee', amount: -300, key: 'd2' },
        { account: '1001', valueDate: '2026-11-03', kind: 'daily_fee', amount: -300, key: 'd3' },
      ]),
    );
    expect(balanceBefore(db, '1001', '2026-11-03')).toBe(700); // 1000 − 300
    expect(balanceBefore(db, '1001', '2026-11-01')).toBe(0);
  });

  it('property: balance = sum of entries, whatever is posted and retried', () => {
    const entryArb = fc.record({
      account: fc.constantFrom('1001', '1002'),
      key: fc.integer({ min: 1, max: 30 }).map((k) => `k${k}`),
      amount: fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((a) => a !== 0),
      day: fc.integer({ min: 1, max: 28 }),
    });
    fc.assert(
      fc.property(fc.array(fc.array(entryArb, { maxLength: 10 }), { maxLength: 8 }), (batches) => {
        const d = memoryDbWithAccounts(['1001', '1002']);
        for (const batch of batches) {
          inTransaction(d, () =>
            postEntries(
              d,
              batch.map((b) => ({ account: b.account, valueDate: `2026-11-${String(b.day).padStart(2, '0')}`, kind: 'adjustment', amount: b.amount, key: b.key })),
            ),
          );
        }
        for (const account of ['1001', '1002']) {
          const sum = entriesOf(d, account).reduce((s, e) => s + e.amount, 0);
          expect(balanceOf(d, account)).toBe(sum);
        }
        // each key is on the ledger once
        const keys = d.sqlite.prepare('SELECT key, COUNT(*) AS n FROM ledger GROUP BY key HAVING n > 1').all();
        expect(keys).toEqual([]);
        d.close();
      }),
      { numRuns: 60 },
    );
  });
});
