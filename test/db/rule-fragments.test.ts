// SQL that mirrors a rule is defined beside the rule and checked against it here on generated data:
// which accounts get P's invoice (D-9), which equipment is charged for not being returned (cl. 22.10).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/connection.js';
import { factsOf, postEntries } from '../../src/db/ledger.js';
import { addDays, firstDayOf, lastDayOf } from '../../src/domain/dates.js';
import { ENTRY_KINDS, KINDS, NEVER_CORRECTED } from '../../src/domain/entries.js';
import { INVOICED_IN_PERIOD_SQL, invoicedInPeriod } from '../../src/domain/invoice.js';
import { EQUIPMENT_CHARGEABLE_SQL, equipmentChargeable } from '../../src/domain/collection.js';
import { addAccount, addTariff, memoryDbWithAccounts } from '../helpers/db.js';

const PERIOD = '2026-11';
const CHARGE_KINDS = ENTRY_KINDS.filter((k) => KINDS[k].sign === 'charge' && KINDS[k].group !== 'money');

describe('INVOICED_IN_PERIOD_SQL', () => {
  it('selects exactly the accounts invoicedInPeriod says get the invoice of P', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            connected: fc.integer({ min: -60, max: 40 }),
            terminated: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
            charge: fc.option(
              fc.record({
                day: fc.integer({ min: -40, max: 70 }),
                kind: fc.constantFrom(...CHARGE_KINDS, 'payment' as const),
                // a correction naming it: none, part of it, or all of it (only kinds a correction may name)
                corrected: fc.constantFrom(0, 40, 100),
              }),
              { nil: null },
            ),
          }),
          { maxLength: 12 },
        ),
        (specs) => {
          const db = memoryDbWithAccounts([]);
          addTariff(db, 'T', { monthly: 100_000 });
          const expected: string[] = [];
          specs.forEach((s, i) => {
            const account = `A${i}`;
            const connectedOn = addDays('2026-11-01', s.connected);
            const terminatedOn = s.terminated === null ? undefined : addDays(connectedOn, s.terminated + 1);
            addAccount(db, account, { method: 'credit', tariff: 'T', connectedOn, terminatedOn });
            if (s.charge) {
              const c = s.charge;
              const valueDate = addDays('2026-11-01', c.day);
              inTransaction(db, () => postEntries(db, [{ account, valueDate, kind: c.kind, amount: c.kind === 'payment' ? 100 : -100, key: `c:${account}` }]));
              if (c.kind !== 'payment' && c.corrected > 0 && !NEVER_CORRECTED.includes(c.kind)) {
                const id = (db.sqlite.prepare('SELECT id FROM ledger WHERE key = ?').get(`c:${account}`) as { id: number }).id;
                inTransaction(db, () => postEntries(db, [{ account, valueDate, kind: c.kind, amount: c.corrected, key: `x:${account}`, corrects: id }]));
              }
            }
            if (invoicedInPeriod(PERIOD, connectedOn, terminatedOn ?? null, factsOf(db, account))) expected.push(account);
          });
          const got = (
            db.sqlite.prepare(`SELECT a.account FROM accounts a WHERE ${INVOICED_IN_PERIOD_SQL} ORDER BY a.account`).all({ first: firstDayOf(PERIOD), last: lastDayOf(PERIOD) }) as {
              account: string;
            }[]
          ).map((r) => r.account);
          expect(got).toEqual(expected.sort());
          db.close();
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('EQUIPMENT_CHARGEABLE_SQL', () => {
  it('selects exactly the equipment equipmentChargeable says is charged on the day', () => {
    const day = fc.integer({ min: 0, max: 20 }).map((n) => addDays('2026-12-20', n));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ rented: fc.boolean(), cost: fc.constantFrom(0, 2_500_000), returnBy: fc.option(day, { nil: null }), returnedOn: fc.option(day, { nil: null }) }),
          { maxLength: 10 },
        ),
        day,
        (items, date) => {
          const db = memoryDbWithAccounts([]);
          addTariff(db, 'T', { monthly: 100_000 });
          const expected: string[] = [];
          items.forEach((it, i) => {
            const account = `A${i}`;
            addAccount(db, account, { tariff: 'T', connectedOn: '2026-01-01' });
            db.sqlite.prepare('UPDATE accounts SET equipment_return_by = ? WHERE account = ?').run(it.returnBy, account);
            db.sqlite
              .prepare('INSERT INTO equipment (account, serial, cost, rented, handed_out_on, returned_on) VALUES (?, ?, ?, ?, ?, ?)')
              .run(account, `S${i}`, it.cost, it.rented ? 1 : 0, '2026-01-01', it.returnedOn);
            if (equipmentChargeable(it, date)) expected.push(`S${i}`);
          });
          const got = (
            db.sqlite.prepare(`SELECT e.serial FROM equipment e JOIN accounts a ON a.account = e.account WHERE ${EQUIPMENT_CHARGEABLE_SQL} ORDER BY e.id`).all({ date }) as {
              serial: string;
            }[]
          ).map((r) => r.serial);
          expect(got).toEqual(expected);
          db.close();
        },
      ),
      { numRuns: 80 },
    );
  });
});
