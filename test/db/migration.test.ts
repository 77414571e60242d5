// Migration 0010 carries a database written before correction links and service spans over: every
// correction the old jobs posted gets the link to the entry it corrects, derived from the keys
// they gave it; every prorated fee its span from its memo; every access event its cause. Nothing
// in the ledger is rewritten.
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openDatabase } from '../../src/db/connection.js';
import { summarise } from '../../src/domain/allocation.js';
import { factsOf } from '../../src/db/ledger.js';
import { verify } from '../../src/jobs/verify.js';
import { IIN_A } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

/** A database at migration 0009, as the build before the money model left it. */
function databaseBeforeLinks(file: string): void {
  const old = path.join(dir, 'drizzle-0009');
  mkdirSync(path.join(old, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const kept = journal.entries.filter((e) => e.idx <= 9);
  for (const e of kept) copyFileSync(path.join(MIGRATIONS_DIR, `${e.tag}.sql`), path.join(old, `${e.tag}.sql`));
  cpSync(path.join(MIGRATIONS_DIR, 'meta', '0009_snapshot.json'), path.join(old, 'meta', '0009_snapshot.json'));
  writeFileSync(path.join(old, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: kept }));
  const sqlite = new Database(file);
  migrate(drizzle(sqlite), { migrationsFolder: old });
  sqlite.exec(`
    INSERT INTO tariffs (code, name) VALUES ('T', 'T');
    INSERT INTO subscribers (iin, name) VALUES ('${IIN_A}', 'Test');
    INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address, status, terminated_on, terminated_by)
      VALUES ('ADV', '${IIN_A}', 'advance', 'T', '2026-11-01', 1, 'x', 'terminated', '2026-11-04', 'operator'),
             ('CRE', '${IIN_A}', 'credit', 'T', '2026-10-01', 1, 'x', 'active', NULL, NULL);
    INSERT INTO invoices (id, number, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments, penalties, closing_balance, principal, amount_due)
      VALUES (7, 'MT-2026-000001', 2026, 1, 'CRE', '2026-10', '2026-11-01', '2026-11-25', 0, -300000, 0, 0, 0, -300000, 300000, 300000);
    -- advance: 2 Nov port fee 0,50, restored that day (reversed, fee charged); 3 Nov recalculated; 4 Nov fee reversed at termination
    INSERT INTO ledger (id, account, value_date, kind, amount, key, memo, invoice_id) VALUES
      (1, 'ADV', '2026-11-02', 'port_reservation', -50, 'day:ADV:2026-11-02', NULL, NULL),
      (2, 'ADV', '2026-11-02', 'port_reservation', 50, 'restore:ADV:2026-11-02:port', 'reversed on restoration (D-3)', NULL),
      (3, 'ADV', '2026-11-02', 'daily_fee', -16667, 'restore:ADV:2026-11-02:fee', NULL, NULL),
      (4, 'ADV', '2026-11-03', 'daily_fee', -16666, 'day:ADV:2026-11-03', NULL, NULL),
      (5, 'ADV', '2026-11-03', 'recalc', 16666, 'recalc:ADV:2026-11-03', 'outage', NULL),
      (6, 'ADV', '2026-11-04', 'daily_fee', -16667, 'day:ADV:2026-11-04', NULL, NULL),
      (7, 'ADV', '2026-11-04', 'daily_fee', 16667, 'terminated:day:ADV:2026-11-04', 'charges stop from the termination date', NULL),
    -- credit: October's fee with its span memo, 15 Oct recalculated, a penalty of 26 Nov charged then corrected
      (8, 'CRE', '2026-10-31', 'monthly_fee', -300000, 'monthly:CRE:2026-10', '2026-10-01..2026-10-31 31/31', NULL),
      (9, 'CRE', '2026-10-15', 'recalc', 9677, 'recalc:CRE:2026-10-15', 'outage', NULL),
      (10, 'CRE', '2026-11-26', 'penalty', -1500, 'penalty:7:2026-11-26:1', NULL, 7),
      (11, 'CRE', '2026-11-26', 'penalty', 1500, 'penalty:7:2026-11-26:2', 'D-4: correction after a payment by value date', 7);
    INSERT INTO access_events (account, at, value_date, event, reason, key) VALUES
      ('ADV', '2026-11-02T00:00:00Z', '2026-11-02', 'suspend', 'funds: the balance is short of the daily fee (cl. 17.2)', 'suspend:ADV:2026-11-02'),
      ('CRE', '2026-11-26T00:00:00Z', '2026-11-26', 'suspend', 'debt: invoice of 2026-10 overdue (cl. 23.5)', 'suspend:CRE:2026-11-26'),
      ('ADV', '2026-11-04T00:00:00Z', '2026-11-04', 'terminate', 'suspended for funds since …', 'terminate:ADV:2026-11-04');
  `);
  // the balances the old posting code kept
  sqlite.exec(`UPDATE accounts SET balance = (SELECT COALESCE(SUM(amount), 0) FROM ledger l WHERE l.account = accounts.account)`);
  sqlite.close();
}

describe('migration 0010', () => {
  it('links every correction posted before it to the entry it corrects, from their keys, and rewrites no entry', () => {
    const file = path.join(dir, 'old.db');
    databaseBeforeLinks(file);
    const before = new Database(file).prepare('SELECT * FROM ledger ORDER BY id').all();
    const db = openDatabase(file);
    expect(db.sqlite.prepare('SELECT entry_id AS entry, corrects_id AS corrects FROM ledger_links ORDER BY entry_id').all()).toEqual([
      { entry: 2, corrects: 1 }, // the restoration's port reversal: the day's port fee
      { entry: 5, corrects: 4 }, // 3 Nov recalculated: that day's daily fee
      { entry: 7, corrects: 6 }, // the termination's reversal: the key it carries
      { entry: 9, corrects: 8 }, // 15 Oct of a credit account: October's fee, whose span holds the day
      { entry: 11, corrects: 10 }, // the penalty correction: the penalty of its invoice and day
    ]);
    expect(db.sqlite.prepare('SELECT entry_id AS entry, service_from AS f, service_to AS t, service_days AS d, period_days AS n, name FROM ledger_spans').all()).toEqual([
      { entry: 8, f: '2026-10-01', t: '2026-10-31', d: 31, n: 31, name: null },
    ]);
    expect(db.sqlite.prepare('SELECT account, event, cause FROM access_events ORDER BY id').all()).toEqual([
      { account: 'ADV', event: 'suspend', cause: 'funds' },
      { account: 'CRE', event: 'suspend', cause: 'debt' },
      { account: 'ADV', event: 'terminate', cause: 'operator' },
    ]);
    expect(db.sqlite.prepare('SELECT * FROM ledger ORDER BY id').all()).toEqual(before);
    // the credit account now owes October's 3 000 less the 96,77 recalculated = 2 903,23 of principal,
    // and no penalty (the correction cancels it instead of paying principal)
    expect(summarise(factsOf(db, 'CRE'))).toEqual({ balance: -290_323, debt: 290_323, penaltyDebt: 0, prepayment: 0 });
    expect(verify(db)).toEqual([]);
    db.close();
  });
});

/** A database migrated through migration `last` only (no rows). */
function databaseThrough(file: string, last: number): Database.Database {
  const old = path.join(dir, `drizzle-${last}`);
  mkdirSync(path.join(old, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const kept = journal.entries.filter((e) => e.idx <= last);
  for (const e of kept) copyFileSync(path.join(MIGRATIONS_DIR, `${e.tag}.sql`), path.join(old, `${e.tag}.sql`));
  writeFileSync(path.join(old, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: kept }));
  const sqlite = new Database(file);
  migrate(drizzle(sqlite), { migrationsFolder: old });
  return sqlite;
}

describe('migration 0013', () => {
  it('gives every invoice the prefix its number was issued with, once, from the number; a number not of the form is left for verify to name', () => {
    const file = path.join(dir, 'before-prefix.db');
    const sqlite = databaseThrough(file, 12);
    sqlite.exec(`
      INSERT INTO tariffs (code, name) VALUES ('T', 'T');
      INSERT INTO subscribers (iin, name) VALUES ('${IIN_A}', 'Test');
      INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address) VALUES ('CRE', '${IIN_A}', 'credit', 'T', '2026-01-01', 1, 'x');
    `);
    const invoice = sqlite.prepare(
      `INSERT INTO invoices (number, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments, penalties, closing_balance, principal, amount_due)
       VALUES (?, ?, ?, 'CRE', ?, '2026-11-01', '2026-11-25', 0, 0, 0, 0, 0, 0, 0, 0)`,
    );
    invoice.run('MT-2026-000001', 2026, 1, '2026-09');
    invoice.run('MT-2026-000002', 2026, 2, '2026-10');
    invoice.run('MT-2027-000001', 2027, 1, '2026-12');
    invoice.run('2026-000003', 2026, 3, '2026-11'); // no prefix before its year: not of the form
    sqlite.close();
    const db = openDatabase(file);
    expect(db.sqlite.prepare('SELECT number, prefix, year, seq FROM invoices ORDER BY id').all()).toEqual([
      { number: 'MT-2026-000001', prefix: 'MT', year: 2026, seq: 1 },
      { number: 'MT-2026-000002', prefix: 'MT', year: 2026, seq: 2 },
      { number: 'MT-2027-000001', prefix: 'MT', year: 2027, seq: 1 },
      { number: '2026-000003', prefix: '', year: 2026, seq: 3 },
    ]);
    // the one left without a prefix is a series of its own that starts at 3, and not made of its columns
    expect(verify(db).map((v) => v.detail)).toEqual(['2026 without a prefix: 1 invoices numbered 3..3, 1 missing', '2026-000003 is not -2026-000003']);
    db.close();
  });
});

describe('migration 0014', () => {
  it('rebuilds the ledger with its sign CHECK keeping every row, link, span, id sequence, index and trigger', () => {
    const file = path.join(dir, 'before-check.db');
    const sqlite = databaseThrough(file, 13);
    sqlite.pragma('foreign_keys = ON');
    sqlite.exec(`
      INSERT INTO tariffs (code, name) VALUES ('T', 'T');
      INSERT INTO subscribers (iin, name) VALUES ('${IIN_A}', 'Test');
      INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address) VALUES ('CRE', '${IIN_A}', 'credit', 'T', '2026-10-01', 1, 'x');
      INSERT INTO ledger (account, value_date, kind, amount, key, memo) VALUES
        ('CRE', '2026-10-31', 'monthly_fee', -300000, 'monthly:CRE:2026-10', 'fee'),
        ('CRE', '2026-10-15', 'recalc', 9677, 'recalc:CRE:2026-10-15', 'outage'),
        ('CRE', '2026-11-20', 'adjustment', 100000, 'adj:1', 'goodwill');
      INSERT INTO ledger_links (entry_id, corrects_id) VALUES (2, 1);
      INSERT INTO ledger_spans (entry_id, service_from, service_to, service_days, period_days, name) VALUES (1, '2026-10-01', '2026-10-31', 31, 31, NULL);
      UPDATE accounts SET balance = -300000 + 9677 + 100000;
    `);
    // an id given and rolled back, as a dry run leaves it: the sequence stays at 3
    sqlite.exec('BEGIN');
    sqlite.exec(`INSERT INTO ledger (account, value_date, kind, amount, key) VALUES ('CRE', '2026-11-21', 'adjustment', 5, 'rolled-back')`);
    sqlite.exec('ROLLBACK');
    const all = (s: Database.Database) => ({
      ledger: s.prepare('SELECT * FROM ledger ORDER BY id').all(),
      links: s.prepare('SELECT * FROM ledger_links ORDER BY entry_id').all(),
      spans: s.prepare('SELECT * FROM ledger_spans ORDER BY entry_id').all(),
      seq: s.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'ledger'`).pluck().get(),
    });
    const before = all(sqlite);
    sqlite.close();
    const db = openDatabase(file);
    expect(all(db.sqlite)).toEqual(before);
    const names = (type: string) => db.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = ? AND tbl_name IN ('ledger', 'ledger_links', 'ledger_spans') AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all(type);
    expect(names('index')).toEqual(['ledger_account_date', 'ledger_invoice', 'ledger_key', 'ledger_links_corrects', 'ledger_payment']);
    expect(names('trigger')).toEqual(['ledger_links_check', 'ledger_links_no_delete', 'ledger_links_no_update', 'ledger_no_delete', 'ledger_no_update', 'ledger_spans_no_delete', 'ledger_spans_no_update']);
    expect(db.sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    // the links keep referencing the rebuilt ledger, and its guards hold
    expect(() => db.sqlite.exec('INSERT INTO ledger_links (entry_id, corrects_id) VALUES (3, 99)')).toThrow(/FOREIGN KEY|correction/);
    expect(() => db.sqlite.exec(`INSERT INTO ledger (account, value_date, kind, amount, key) VALUES ('CRE', '2026-11-21', 'refund', 5, 'r')`)).toThrow(/ledger_kind_sign/);
    expect(() => db.sqlite.exec(`INSERT OR REPLACE INTO ledger (account, value_date, kind, amount, key) VALUES ('CRE', '2026-11-20', 'adjustment', 1, 'adj:1')`)).toThrow(/append-only/);
    // the next entry continues the sequence
    expect(db.sqlite.prepare(`INSERT INTO ledger (account, value_date, kind, amount, key) VALUES ('CRE', '2026-11-21', 'adjustment', 5, 'next')`).run().lastInsertRowid).toBe(4);
    db.sqlite.exec(`UPDATE accounts SET balance = balance + 5`);
    expect(verify(db)).toEqual([]);
    db.close();
  });
});
