// Every tenge accounted for: whatever a statement holds, the payment entries on all accounts plus
// the suspense list equal its incoming rows, bank reversals are listed apart and never posted, and
// importing it again adds nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toTengeString } from '../../src/domain/money.js';
import { importPayments } from '../../src/jobs/payments.js';
import { verify } from '../../src/jobs/verify.js';
import { IIN_A, IIN_B, IIN_C } from '../helpers/fixtures.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { IIN_D, IIN_E, paymentsWorld } from './payments-world.js';

const dir = tempDir();

const account = fc.constantFrom('', '', '1001', '1003', '2001', '9999', 'ZZ-1');
const iin = fc.constantFrom('', IIN_A, IIN_B, IIN_C, IIN_D, IIN_E);
const purpose = fc.constantFrom('Оплата', 'л/с 1001', 'ЛС-1004', 'дербес шот 2001', 'лицевой счёт №1002', 'д/ш 7777', 'л/с 1001 и л/с 1003', 'Интернет үшін');
// amounts in tiyn, mostly payments, some reversals
const amount = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 50_000_000 }) }, { weight: 1, arbitrary: fc.integer({ min: -5_000_000, max: -1 }) });
const row = fc.record({ ref: fc.integer({ min: 1, max: 40 }), day: fc.integer({ min: 1, max: 20 }), amount, account, iin, purpose });

/** Tenge as people write them: "2 500,50" or "2500.50". */
function written(tiyn: number, grouped: boolean): string {
  const [whole, frac] = toTengeString(tiyn).split('.');
  return grouped ? `"${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${frac}"` : `${whole}.${frac}`;
}

describe('statement import, property', () => {
  it('payment entries + suspense + reversals = the statement, and a second import adds nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), fc.boolean(), async (rows, grouped) => {
        // one bank reference is one transaction: a repeat has the first row's day, amount, account and payer (other ones refuse the file)
        const byRef = new Map<number, (typeof rows)[number]>();
        for (const r of rows) if (!byRef.has(r.ref)) byRef.set(r.ref, r);
        const lines = ['bank_ref,value_date,amount,account,payer_iin,payer_name,purpose'];
        for (const r of rows) {
          const first = byRef.get(r.ref)!;
          lines.push(`REF-${r.ref},2026-11-${String(first.day).padStart(2, '0')},${written(first.amount, grouped)},${first.account},${first.iin},Плательщик,${r.purpose}`);
        }
        const file = writeText(dir, 'prop.csv', lines.join('\n'));
        const db = await paymentsWorld(dir);
        try {
          const s = await importPayments(db, { file, date: '2026-11-20' });
          const q = (sql: string) => (db.sqlite.prepare(sql).get() as { s: number }).s;
          const incoming = [...byRef.values()].filter((r) => r.amount > 0).reduce((t, r) => t + r.amount, 0);
          const reversals = [...byRef.values()].filter((r) => r.amount < 0).reduce((t, r) => t + r.amount, 0);
          const posted = q(`SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE kind = 'payment'`);
          const suspense = q(`SELECT COALESCE(SUM(amount), 0) AS s FROM payments WHERE status = 'suspense'`);
          const listed = q(`SELECT COALESCE(SUM(amount), 0) AS s FROM payments WHERE status = 'reversal'`);
          expect(posted + suspense).toBe(incoming);
          expect(listed).toBe(reversals);
          expect(s.appliedAmount + s.suspenseAmount + s.reversalAmount + s.duplicateAmount).toBe(s.rowsAmount);
          expect(s.applied + s.suspense + s.reversals).toBe(byRef.size);
          expect(verify(db)).toEqual([]);
          const again = await importPayments(db, { file, date: '2026-11-20' });
          expect(again).toMatchObject({ applied: 0, suspense: 0, reversals: 0, duplicates: rows.length });
          expect(q(`SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE kind = 'payment'`)).toBe(posted);
        } finally {
          db.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
