import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/connection.js';
import { registryRows } from '../../src/jobs/registry.js';
import { memoryDbWithAccounts } from '../helpers/db.js';

describe('the invoice registry', () => {
  it('lists every invoice of a period issued under several prefixes, across its pages of 1 000', () => {
    // three series (MT, MB, MK: a prefix changed twice during one month-end) of 334 invoices each:
    // 3 × 334 = 1 002 invoices; by (year, seq) they come in threes, and the first page of 1 000 ends
    // on the first of the 334th three (1 000 = 333 × 3 + 1), so a page that started after the last
    // (year, seq) alone would skip the other two of it
    const accounts = Array.from({ length: 1_002 }, (_, i) => String(10_000 + i));
    const db = memoryDbWithAccounts(accounts);
    const insert = db.sqlite.prepare(
      `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
        penalties, closing_balance, principal, amount_due) VALUES (?, ?, 2026, ?, ?, '2026-10', '2026-11-01', '2026-11-25', 0, 0, 0, 0, 0, 0, 0, 0)`,
    );
    inTransaction(db, () => {
      ['MT', 'MB', 'MK'].forEach((prefix, s) => {
        for (let seq = 1; seq <= 334; seq++) insert.run(`${prefix}-2026-${String(seq).padStart(6, '0')}`, prefix, seq, accounts[s * 334 + seq - 1]);
      });
    });
    const numbers = [...registryRows(db, '2026-10')].map((r) => r.number);
    expect(numbers).toHaveLength(1_002);
    expect(new Set(numbers).size).toBe(1_002);
    // in number order: series by prefix (MB, MK, MT), each by its sequence
    expect(numbers.slice(333, 336)).toEqual(['MB-2026-000334', 'MK-2026-000001', 'MK-2026-000002']);
    expect(numbers.at(-1)).toBe('MT-2026-000334');
  });
});
