import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, type Db } from '../../src/db/connection.js';
import { verify } from '../../src/jobs/verify.js';
import { memoryDbWithAccounts, postWithPayments } from '../helpers/db.js';
import { postEntries } from '../../src/db/ledger.js';
import path from 'node:path';
import { openDatabase } from '../../src/db/connection.js';
import { saveOperator } from '../../src/db/operator.js';
import { runInvoices } from '../../src/jobs/invoices.js';
import { inProcessRenderer } from '../../src/io/pdf/pool.js';
import { IIN_A, IIN_B, TEST_OPERATOR } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

let db: Db;
beforeEach(() => {
  db = memoryDbWithAccounts(['1001', '1002']);
});

const invoice = (seq: number, account: string, period: string, prefix = 'MT') =>
  db.sqlite
    .prepare(
      `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
        penalties, closing_balance, principal, amount_due) VALUES (?, ?, 2026, ?, ?, ?, '2026-11-01', '2026-11-25', 0, 0, 0, 0, 0, 0, 0, 0)`,
    )
    .run(`${prefix}-2026-${String(seq).padStart(6, '0')}`, prefix, seq, account, period);

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
    expect(verify(db)).toEqual([{ invariant: 'invoice numbers gapless', account: null, detail: 'MT 2026: 2 invoices numbered 1..3, MT-2026-000002 missing' }]);
  });

  it('names a series that does not start at 1, and a number not made of its own prefix, year and sequence', () => {
    invoice(2, '1001', '2026-10');
    db.sqlite.prepare(`UPDATE invoices SET file = 'x.pdf'`).run(); // not a renumbering: allowed
    db.sqlite
      .prepare(
        `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
          penalties, closing_balance, principal, amount_due) VALUES ('MB-2026-000001', 'MT', 2026, 1, '1002', '2026-10', '2026-11-01', '2026-11-25', 0, 0, 0, 0, 0, 0, 0, 0)`,
      )
      .run();
    expect(verify(db)).toEqual([{ invariant: 'invoice numbers gapless', account: '1002', detail: 'MB-2026-000001 is not MT-2026-000001' }]);
    expect(() => db.sqlite.prepare(`UPDATE invoices SET prefix = 'MB' WHERE account = '1002'`).run()).toThrow(/keeps its number/);
    invoice(3, '1001', '2026-09', 'MB');
    expect(verify(db).map((v) => v.detail)).toEqual(['MB 2026: 1 invoices numbered 3..3, MB-2026-000001 missing', 'MB-2026-000001 is not MT-2026-000001']);
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

  it('names an entry replaced outside esep, by a connection without recursive_triggers (a sqlite3 shell)', () => {
    inTransaction(db, () =>
      postWithPayments(db, [
        { account: '1001', valueDate: '2026-11-01', kind: 'daily_fee', amount: -100, key: 'a' },
        { account: '1001', valueDate: '2026-11-02', kind: 'daily_fee', amount: -100, key: 'b' },
      ]),
    );
    expect(() => db.sqlite.exec(`REPLACE INTO ledger (account, value_date, kind, amount, key) VALUES ('1001', '2026-11-01', 'daily_fee', -100, 'a')`)).toThrow(/append-only/);
    expect(verify(db)).toEqual([]);
    db.sqlite.pragma('recursive_triggers = OFF');
    // the same amount on the same day: the balance still adds up, only the ids tell
    db.sqlite.exec(`REPLACE INTO ledger (account, value_date, kind, amount, key) VALUES ('1001', '2026-11-01', 'daily_fee', -100, 'a')`);
    expect(verify(db)).toEqual([
      { invariant: 'ledger is append-only', account: null, detail: 'recursive_triggers is off: INSERT OR REPLACE could replace an entry' },
      // ids 1, 2 given; 1 replaced by 3: ids up to 3, two entries
      { invariant: 'ledger is append-only', account: null, detail: '1 entry is missing: ids up to 3 were given, 2 entries are on the ledger' },
    ]);
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

describe('invoice numbers when the operator changes its prefix', () => {
  const dir = tempDir();
  it('keep the prefix they were issued with: MT for October, MB from November, each series gapless from 1; a gap in either is named', async () => {
    db = openDatabase(':memory:');
    saveOperator(db, { ...TEST_OPERATOR, invoicePrefix: 'MT' });
    db.sqlite.prepare(`INSERT INTO tariffs (code, name) VALUES ('PLAIN', 'PLAIN')`).run();
    db.sqlite
      .prepare(`INSERT INTO tariff_prices (tariff_code, effective_from, monthly_fee, port_fee, installation_fee) VALUES ('PLAIN', '0001-01-01', 500000, 0, 0)`)
      .run();
    for (const [acc, iin] of [['2001', IIN_A], ['2002', IIN_B]] as const) {
      db.sqlite.prepare('INSERT INTO subscribers (iin, name) VALUES (?, ?)').run(iin, `Абонент ${acc}`);
      db.sqlite
        .prepare(`INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address) VALUES (?, ?, 'credit', 'PLAIN', '2026-09-01', 1, 'x')`)
        .run(acc, iin);
    }
    const run = (period: string) => runInvoices(db, { period, outDir: path.join(dir, period), renderer: inProcessRenderer() });
    await run('2026-10'); // issued 2026-11-01 under MT
    saveOperator(db, { ...TEST_OPERATOR, invoicePrefix: 'MB' }); // a branch with its own series
    await run('2026-11'); // issued 2026-12-01 under MB: a new series from 000001
    const numbers = () => db.sqlite.prepare('SELECT number, prefix, year, seq, account, period FROM invoices ORDER BY id').all();
    expect(numbers()).toEqual([
      { number: 'MT-2026-000001', prefix: 'MT', year: 2026, seq: 1, account: '2001', period: '2026-10' },
      { number: 'MT-2026-000002', prefix: 'MT', year: 2026, seq: 2, account: '2002', period: '2026-10' },
      { number: 'MB-2026-000001', prefix: 'MB', year: 2026, seq: 1, account: '2001', period: '2026-11' },
      { number: 'MB-2026-000002', prefix: 'MB', year: 2026, seq: 2, account: '2002', period: '2026-11' },
    ]);
    expect(verify(db)).toEqual([]);

    // a rerun of October under MB issues nothing and renumbers nothing
    await run('2026-10');
    expect(numbers()).toHaveLength(4);

    // a gap in each series: MT jumps from 2 to 4, MB from 2 to 5
    const gap = db.sqlite.prepare(
      `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
        penalties, closing_balance, principal, amount_due) VALUES (?, ?, 2026, ?, '2001', ?, '2026-12-01', '2026-12-25', 0, 0, 0, 0, 0, 0, 0, 0)`,
    );
    gap.run('MT-2026-000004', 'MT', 4, '2026-08');
    gap.run('MB-2026-000005', 'MB', 5, '2026-07');
    expect(verify(db).filter((v) => v.invariant === 'invoice numbers gapless')).toEqual([
      { invariant: 'invoice numbers gapless', account: null, detail: 'MB 2026: 3 invoices numbered 1..5, MB-2026-000003 missing' },
      { invariant: 'invoice numbers gapless', account: null, detail: 'MT 2026: 3 invoices numbered 1..4, MT-2026-000003 missing' },
    ]);
  });
});
