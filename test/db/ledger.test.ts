import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { inTransaction, type Db } from '../../src/db/connection.js';
import { balanceBefore, entriesOf, postEntries, type NewEntry } from '../../src/db/ledger.js';
import { memoryDbWithAccounts } from '../helpers/db.js';
import { signAllowed } from '../../src/domain/entries.js';

let db: Db;
beforeEach(() => {
  db = memoryDbWithAccounts(['1001', '1002']);
});
const balanceOf = (d: Db, a: string) => (d.sqlite.prepare('SELECT balance FROM accounts WHERE account = ?').get(a) as { balance: number }).balance;

describe('the ledger', () => {
  it('posts an entry once per key; the cached balance moves once', () => {
    const fee: NewEntry = { account: '1001', valueDate: '2026-11-01', kind: 'daily_fee', amount: -16_667, key: 'debit:1001:2026-11-01' };
    expect(inTransaction(db, () => postEntries(db, [fee]))).toBe(1);
    expect(inTransaction(db, () => postEntries(db, [fee, fee]))).toBe(0);
    expect(balanceOf(db, '1001')).toBe(-16_667);
    expect(entriesOf(db, '1001')).toHaveLength(1);
  });

  it('the same key with other facts is an error naming both, never a silent skip', () => {
    const fee: NewEntry = { account: '1001', valueDate: '2026-11-01', kind: 'daily_fee', amount: -16_667, key: 'debit:1001:2026-11-01' };
    inTransaction(db, () => postEntries(db, [fee]));
    expect(() => inTransaction(db, () => postEntries(db, [{ ...fee, amount: -99 }]))).toThrow(
      'ledger key debit:1001:2026-11-01 exists as entry 1 (account 1001, daily_fee of -166,67 ₸ on 2026-11-01); refused to post it as account 1001, daily_fee of -0,99 ₸ on 2026-11-01',
    );
    expect(() => inTransaction(db, () => postEntries(db, [{ ...fee, account: '1002' }]))).toThrow(/refused to post it as account 1002/);
    expect(() => inTransaction(db, () => postEntries(db, [{ ...fee, valueDate: '2026-11-02' }]))).toThrow(/on 2026-11-02/);
    expect(() => inTransaction(db, () => postEntries(db, [{ ...fee, kind: 'port_reservation' }]))).toThrow(/port_reservation of -166,67/);
    expect(balanceOf(db, '1001')).toBe(-16_667);
  });

  it('cannot be rewritten by INSERT OR REPLACE, by id or by key (the row it would delete fires the delete trigger)', () => {
    inTransaction(db, () => postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'adjustment', amount: 100, key: 'k' }]));
    expect(db.sqlite.pragma('recursive_triggers', { simple: true })).toBe(1);
    expect(() => db.sqlite.prepare(`INSERT OR REPLACE INTO ledger (id, account, value_date, kind, amount, key) VALUES (1, '1001', '2026-11-01', 'adjustment', 999, 'other')`).run()).toThrow(/append-only/);
    expect(() => db.sqlite.prepare(`INSERT OR REPLACE INTO ledger (account, value_date, kind, amount, key) VALUES ('1001', '2026-11-01', 'adjustment', 999, 'k')`).run()).toThrow(/append-only/);
    expect(() => db.sqlite.prepare(`REPLACE INTO ledger (account, value_date, kind, amount, key) VALUES ('1001', '2026-11-01', 'adjustment', 999, 'k')`).run()).toThrow(/append-only/);
    expect(entriesOf(db, '1001').map((e) => e.amount)).toEqual([100]);
  });

  it('fires no trigger on its inserts: the sign rule is a CHECK constraint, which holds in any connection', () => {
    const triggers = db.sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger' ORDER BY name`).all() as { name: string; sql: string }[];
    expect(triggers.map((t) => t.name)).toEqual(['ledger_no_delete', 'ledger_no_update']);
    // a connection of its own, as a sqlite3 shell opens one: no pragmas, the CHECK still refuses
    const other = new Database(db.path === ':memory:' ? '' : db.path);
    other.exec(`CREATE TABLE accounts (account text PRIMARY KEY); INSERT INTO accounts VALUES ('1001')`);
    other.exec(db.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = 'ledger'`).pluck().get() as string);
    expect(() => other.prepare(`INSERT INTO ledger (account, value_date, kind, amount, key) VALUES ('1001', '2026-11-01', 'refund', 100, 'r')`).run()).toThrow(
      /CHECK constraint failed: ledger_kind_sign/,
    );
    other.close();
  });

  it('keeps the sign of each kind that nothing corrects; a correction takes the opposite sign of its entry (D-7)', () => {
    for (const [kind, amount] of [['installation', 100], ['equipment', 100], ['backbill', 100], ['refund', 100], ['adjustment', -100]] as const) {
      expect(() => inTransaction(db, () => postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind, amount, key: `bad:${kind}` }]))).toThrow(/CHECK constraint failed: ledger_kind_sign/);
      expect(signAllowed(kind, amount, false)).toBe(false);
    }
    inTransaction(db, () => postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'port_reservation', amount: -500, key: 'port' }]));
    // the same sign as its entry, another account's entry: refused
    expect(() => inTransaction(db, () => postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'port_reservation', amount: -500, key: 'x', corrects: 1 }]))).toThrow(/opposite sign/);
    expect(() => inTransaction(db, () => postEntries(db, [{ account: '1002', valueDate: '2026-11-01', kind: 'port_reservation', amount: 500, key: 'y', corrects: 1 }]))).toThrow(/same account/);
    // 3,00 then 2,00 back of a 5,00 port fee: within it; one tiyn more is refused
    inTransaction(db, () => postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'port_reservation', amount: 300, key: 'b1', corrects: 1 }]));
    inTransaction(db, () => postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'port_reservation', amount: 200, key: 'b2', corrects: 1 }]));
    expect(() => inTransaction(db, () => postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'port_reservation', amount: 1, key: 'b3', corrects: 1 }]))).toThrow(/within what is left/);
    expect(balanceOf(db, '1001')).toBe(0);
  });

  it('is append-only: updates and deletes are refused by the database itself', () => {
    inTransaction(db, () => postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'adjustment', amount: 100, key: 'k' }]));
    expect(() => db.sqlite.prepare('UPDATE ledger SET amount = 200').run()).toThrow(/append-only/);
    expect(() => db.sqlite.prepare('DELETE FROM ledger').run()).toThrow(/append-only/);
  });

  it('refuses to post outside a transaction, a zero amount or a fraction of a tiyn', () => {
    const e: NewEntry = { account: '1001', valueDate: '2026-11-01', kind: 'adjustment', amount: 100, key: 'k' };
    expect(() => postEntries(db, [e])).toThrow(/inside a transaction/);
    expect(() => inTransaction(db, () => postEntries(db, [{ ...e, amount: 0 }]))).toThrow(/non-zero whole number/);
    expect(() => inTransaction(db, () => postEntries(db, [{ ...e, amount: 1.5 }]))).toThrow(/non-zero whole number/);
  });

  it('a failed batch leaves nothing behind', () => {
    expect(() =>
      inTransaction(db, () => {
        postEntries(db, [{ account: '1001', valueDate: '2026-11-01', kind: 'adjustment', amount: 100, key: 'a' }]);
        postEntries(db, [{ account: 'NOPE', valueDate: '2026-11-01', kind: 'adjustment', amount: 100, key: 'b' }]);
      }),
    ).toThrow(/FOREIGN KEY/);
    expect(balanceOf(db, '1001')).toBe(0);
    expect(entriesOf(db, '1001')).toHaveLength(0);
  });

  it('sums what came before a day', () => {
    inTransaction(db, () =>
      postEntries(db, [
        { account: '1001', valueDate: '2026-11-01', kind: 'adjustment', amount: 1000, key: 'p1' },
        { account: '1001', valueDate: '2026-11-02', kind: 'daily_fee', amount: -300, key: 'd2' },
        { account: '1001', valueDate: '2026-11-03', kind: 'daily_fee', amount: -300, key: 'd3' },
      ]),
    );
    expect(balanceBefore(db, '1001', '2026-11-03')).toBe(700); // 1000 − 300
    expect(balanceBefore(db, '1001', '2026-11-01')).toBe(0);
  });

  it('property: balance = sum of entries, whatever is posted and retried', () => {
    // each key is one fact (account, day, amount); batches post and retry keys in any order
    const factArb = fc.record({
      account: fc.constantFrom('1001', '1002'),
      amount: fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((a) => a !== 0),
      day: fc.integer({ min: 1, max: 28 }),
    });
    fc.assert(
      fc.property(fc.array(factArb, { minLength: 30, maxLength: 30 }), fc.array(fc.array(fc.integer({ min: 0, max: 29 }), { maxLength: 10 }), { maxLength: 8 }), (facts, batches) => {
        const d = memoryDbWithAccounts(['1001', '1002']);
        for (const batch of batches) {
          inTransaction(d, () =>
            postEntries(
              d,
              batch.map((k) => {
                const f = facts[k]!;
                return { account: f.account, valueDate: `2026-11-${String(f.day).padStart(2, '0')}`, kind: 'transfer' as const, amount: f.amount, key: `k${k}` };
              }),
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
