// A database in memory with one subscriber, one tariff and the given accounts, for ledger-level tests.
import { openDatabase, type Db } from '../../src/db/connection.js';
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
