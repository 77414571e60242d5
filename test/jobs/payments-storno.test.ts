// A bank reversal that names its payment by the same reference (SPEC section 5, issue 15): in the
// generic CSV a storno under the payment's own reference is a transaction of its own (the identity
// `…:reversal`), linked to the payment and reversing it from the storno's value date, whichever
// of the two comes first in the file or which file brings it; a reversal imported under the
// identity it had before is not brought twice.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { entriesOf } from '../../src/db/ledger.js';
import { importPayments } from '../../src/jobs/payments.js';
import { verify } from '../../src/jobs/verify.js';
import { tempDir } from '../helpers/tmp.js';
import { STATEMENT_HEADER } from '../helpers/world.js';
import { paymentsWorld, statement } from './payments-world.js';

const dir = tempDir();
let db: Db;
beforeEach(async () => {
  db = await paymentsWorld(dir);
});
afterEach(() => db.close());

function csv(name: string, ...rows: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${[STATEMENT_HEADER, ...rows].join('\n')}\n`);
  return file;
}
// 5 000,00 ₸ to 1001 on 16 Nov; the bank takes it back on 18 Nov under the same reference
const PAYMENT = 'REF-1,2026-11-16,5000.00,1001,900101300007,Әбенов Қанат,Оплата';
const STORNO = 'REF-1,2026-11-18,-5000.00,1001,900101300007,Әбенов Қанат,Сторно';

const rows = () =>
  db.sqlite.prepare('SELECT id, identity, amount, status, reverses_payment_id AS reverses FROM payments ORDER BY amount DESC').all() as {
    id: number;
    identity: string;
    amount: number;
    status: string;
    reverses: number | null;
  }[];

describe('a storno under its payment\u2019s reference', () => {
  for (const [title, order] of [
    ['the payment first', [PAYMENT, STORNO]],
    ['the storno first in the file', [STORNO, PAYMENT]],
  ] as const) {
    it(`is linked and reverses the payment from its own value date (${title})`, async () => {
      const s = await importPayments(db, { file: csv('stat.csv', ...order), date: '2026-11-30' });
      expect(s).toMatchObject({ moneyIn: 1, moneyInAmount: 500_000, reversalRows: 1, reversalRowsAmount: -500_000, applied: 1, reversals: 1 });
      const [payment, storno] = rows();
      expect(payment).toMatchObject({ identity: 'generic:REF-1', amount: 500_000, status: 'reversed', reverses: null });
      expect(storno).toMatchObject({ identity: 'generic:REF-1:reversal', amount: -500_000, status: 'reversal', reverses: payment!.id });
      // on 1001's ledger: +5 000,00 on 16 Nov, −5 000,00 on 18 Nov correcting it: 0 in all
      const money = entriesOf(db, '1001').filter((e) => e.kind === 'payment').map((e) => [e.valueDate, e.amount]);
      expect(money).toEqual([
        ['2026-11-16', 500_000],
        ['2026-11-18', -500_000],
      ]);
      expect(verify(db)).toEqual([]);
    });
  }

  it('in a later file: linked then, and the two files again add nothing', async () => {
    await importPayments(db, { file: csv('a.csv', PAYMENT), date: '2026-11-30' });
    await importPayments(db, { file: csv('b.csv', STORNO), date: '2026-11-30' });
    expect(rows().map((r) => r.status)).toEqual(['reversed', 'reversal']);
    const again = await importPayments(db, { file: csv('b.csv', STORNO), date: '2026-11-30' });
    expect(again).toMatchObject({ duplicates: 1, reversals: 0, knownFrom: [{ file: 'b.csv', rows: 1 }] });
    expect(rows()).toHaveLength(2);
    expect(verify(db)).toEqual([]);
  });

  it('a reversal imported under the identity it had before is known, not brought twice', async () => {
    await importPayments(db, { file: statement('generic-2026-11.csv'), date: '2026-11-30' });
    // as an import before reversals had an identity of their own stored it
    db.sqlite.prepare(`UPDATE payments SET identity = 'generic:HB-2026-11-0006' WHERE identity = 'generic:HB-2026-11-0006:reversal'`).run();
    const again = await importPayments(db, { file: statement('generic-2026-11.csv'), date: '2026-11-30' });
    // all seven rows known: six of money in, 29 990,50, and the reversal, −5 000,00: 24 990,50
    expect(again).toMatchObject({ duplicates: 7, duplicateAmount: 2_499_050, reversals: 0, applied: 0, suspense: 0 });
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM payments').pluck().get()).toBe(7);
  });
});

describe('a Kaspi storno with its payment\u2019s document number', () => {
  it('is linked and reverses the payment; the other Kaspi payment stays', async () => {
    // kaspi-2026-11-21-storno.xlsx: the Kaspi fixture with the storno of 21 Nov under K-5512, the
    // document number of Иванова Мария's 3 000,00 (л/с 1002) that morning; 12 000,00 to 1004 untouched
    const s = await importPayments(db, { file: statement('kaspi-2026-11-21-storno.xlsx'), date: '2026-11-30' });
    expect(s).toMatchObject({ moneyIn: 2, moneyInAmount: 1_500_000, reversalRows: 1, reversalRowsAmount: -300_000, applied: 2, reversals: 1 });
    const byRef = db.sqlite.prepare('SELECT bank_ref AS ref, amount, status, account FROM payments ORDER BY id').all();
    expect(byRef).toEqual([
      { ref: 'K-5512', amount: 300_000, status: 'reversed', account: '1002' },
      // a reversal keeps the account it names for information (its payer's IIN holds only 1002)
      { ref: 'K-5512', amount: -300_000, status: 'reversal', account: '1002' },
      { ref: 'K-5530', amount: 1_200_000, status: 'applied', account: '1004' },
    ]);
    // 1002's payments net to nil: +3 000,00 and −3 000,00, both on 21 Nov
    const money = entriesOf(db, '1002').filter((e) => e.kind === 'payment').map((e) => e.amount);
    expect(money).toEqual([300_000, -300_000]);
    expect(verify(db)).toEqual([]);
  });
});
