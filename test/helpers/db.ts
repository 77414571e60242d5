// A database in memory with one subscriber, one tariff and the given accounts, for ledger-level tests.
import { openDatabase, type Db } from '../../src/db/connection.js';
import { postEntries, type NewEntry } from '../../src/db/ledger.js';
import { IIN_A } from './fixtures.js';

export function memoryDbWithAccounts(accounts: readonly string[]): Db {
  const db = openDatabase(':memory:');
  db.sqlite.prepare(`INSERT INTO tariffs (code, name) VALUES ('T', 'T')`).run();
  db.sqlite.prepare(`INSERT INTO subscribers (iin, name) VALUES (?, 'Test')`).run(IIN_A);
  const insert = db.sqlite.prepare(
    `INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address)
     VALUES (?, ?, 'advance', 'T', '2026-01-01', 1, 'x')`,
  );
  for (const a of accounts) insert.run(a, IIN_A);
  return db;
}

export interface TariffSpec {
  monthly: number;
  port?: number;
  install?: number;
  from?: string;
}

/** A tariff with one or more price versions (tiyn); the first is in force from the beginning. */
export function addTariff(db: Db, code: string, ...versions: TariffSpec[]): void {
  db.sqlite.prepare(`INSERT OR IGNORE INTO tariffs (code, name) VALUES (?, ?)`).run(code, code);
  for (const v of versions) {
    db.sqlite
      .prepare(
        `INSERT INTO tariff_prices (tariff_code, effective_from, monthly_fee, port_fee, installation_fee) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(code, v.from ?? '0001-01-01', v.monthly, v.port ?? 0, v.install ?? 0);
  }
}

export function addAccount(
  db: Db,
  account: string,
  spec: { method?: 'advance' | 'credit'; tariff: string; connectedOn: string; terminatedOn?: string; iin?: string },
): void {
  db.sqlite.prepare(`INSERT OR IGNORE INTO subscribers (iin, name) VALUES (?, 'Тест Әбенов')`).run(spec.iin ?? IIN_A);
  db.sqlite
    .prepare(
      `INSERT INTO accounts (account, iin, method, tariff_code, connected_on, terminated_on, premises_owned, address)
       VALUES (?, ?, ?, ?, ?, ?, 1, 'г. Алматы')`,
    )
    .run(account, spec.iin ?? IIN_A, spec.method ?? 'advance', spec.tariff, spec.connectedOn, spec.terminatedOn ?? null);
}

/**
 * Posts entries as postEntries does; a `payment` entry without a payment id first gets its row in
 * the payments table (a bank transaction applied to its account), as every payment on the ledger has.
 * Inside a transaction.
 */
export function postWithPayments(db: Db, entries: readonly NewEntry[]): number {
  const insert = db.sqlite.prepare(
    `INSERT INTO payments (identity, format, bank_ref, value_date, amount, account, status, matched_by)
     VALUES (?, 'test', ?, ?, ?, ?, 'applied', 'account') ON CONFLICT (identity) DO UPDATE SET identity = identity RETURNING id`,
  );
  return postEntries(
    db,
    entries.map((e) => {
      if (e.kind !== 'payment' || e.paymentId != null) return e;
      const { id } = insert.get(`test:${e.key}`, e.key, e.valueDate, e.amount, e.account) as { id: number };
      return { ...e, paymentId: id };
    }),
  );
}
