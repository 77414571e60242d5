// The same money through two formats (SPEC section 5, issue 15): the Halyk xlsx of 20 Nov 2026 and a
// 1C export of the same account and day hold the same three incoming documents; whichever comes
// second finds them known by the operator's account, value date, amount and document number, adds
// nothing for them, and names the file they came from. The 1C file here is the Halyk statement as
// its 1C export: the xlsx's rows (fixtures/statements/make-fixtures.mjs, halyk()) and one more.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { importPayments } from '../../src/jobs/payments.js';
import { verify } from '../../src/jobs/verify.js';
import { summaryText } from '../../src/cli/commands/payments.js';
import { tempDir } from '../helpers/tmp.js';
import { paymentsWorld, statement } from './payments-world.js';

const dir = tempDir();
const HALYK = 'KZ12601A861000123456';
const BIN = '190540012345';

const doc = (f: { number: string; sum: string; payer: string; payerIin: string; payerAccount: string; purpose: string; incoming: boolean }) => [
  'СекцияДокумент=Платежное поручение',
  `Номер=${f.number}`,
  'Дата=20.11.2026',
  `Сумма=${f.sum}`,
  `ПлательщикИИК=${f.incoming ? f.payerAccount : HALYK}`,
  `Плательщик=${f.incoming ? f.payer : 'ТОО «Мысал Телеком»'}`,
  `ПлательщикИИН=${f.incoming ? f.payerIin : BIN}`,
  `ПолучательИИК=${f.incoming ? HALYK : f.payerAccount}`,
  `Получатель=${f.incoming ? 'ТОО «Мысал Телеком»' : f.payer}`,
  `НазначениеПлатежа=${f.purpose}`,
  f.incoming ? 'ДатаПоступило=20.11.2026' : 'ДатаСписано=20.11.2026',
  'КонецДокумента',
];

/**
 * The 1C export of Halyk's 20 Nov: opening 1 250 000,00; in 5 000,00 + 2 500,50 + 1 500,50 (the
 * xlsx's three) + 4 000,00 (one the xlsx lacks) = 13 001,00; out 120 000,00 (electricity);
 * closing 1 250 000,00 + 13 001,00 − 120 000,00 = 1 143 001,00.
 */
const ONEC = [
  '1CClientBankExchange',
  'ВерсияФормата=1.03',
  'Кодировка=Windows',
  'Отправитель=Halyk Bank',
  'ДатаНачала=20.11.2026',
  'ДатаКонца=20.11.2026',
  `РасчСчет=${HALYK}`,
  'СекцияРасчСчет',
  'ДатаНачала=20.11.2026',
  'ДатаКонца=20.11.2026',
  `РасчСчет=${HALYK}`,
  'НачальныйОстаток=1250000.00',
  'ВсегоПоступило=13001.00',
  'ВсегоСписано=120000.00',
  'КонечныйОстаток=1143001.00',
  'КонецРасчСчет',
  ...doc({ number: '301', sum: '5000.00', payer: 'Әбенов Қанат', payerIin: '900101300007', payerAccount: 'KZ49722C000022223333', purpose: 'Оплата за интернет, л/с 1001', incoming: true }),
  ...doc({ number: '77', sum: '120000.00', payer: 'АО «Алматыэнергосбыт»', payerIin: '000140002217', payerAccount: 'KZ629491100000014402', purpose: 'Оплата за электроэнергию', incoming: false }),
  ...doc({ number: '12', sum: '2500.50', payer: 'Нұрланов Ерлан', payerIin: '880302400054', payerAccount: 'KZ52601A861000777001', purpose: 'Интернет үшін төлем', incoming: true }),
  ...doc({ number: '5', sum: '1500.50', payer: 'Оспанова Дана', payerIin: '951212500174', payerAccount: 'KZ338562203111000555', purpose: 'Байланыс қызметтері үшін', incoming: true }),
  ...doc({ number: '16', sum: '4000.00', payer: 'Иванова Мария', payerIin: '850525400126', payerAccount: 'KZ49722C000022223333', purpose: 'Оплата л/с 1002', incoming: true }),
  'КонецФайла',
].join('\r\n');

let db: Db;
beforeEach(async () => {
  db = await paymentsWorld(dir);
});
afterEach(() => db.close());

// one name for the file each time (writeText numbers its files): a statement saved again is the same file
const onecFile = () => {
  const file = path.join(dir, 'halyk-2026-11-20.1c.txt');
  writeFileSync(file, ONEC);
  return file;
};
const payments = () => db.sqlite.prepare('SELECT bank_ref AS ref, amount, format, account, status FROM payments ORDER BY id').all();

describe('the same money through two formats is imported once', () => {
  it('the 1C export after the xlsx adds only the row the xlsx lacks, and names the xlsx', async () => {
    const xlsx = await importPayments(db, { file: statement('halyk-2026-11-20.xlsx'), date: '2026-11-30' });
    // the xlsx: 5 000,00 (1001 by purpose) + 2 500,50 (2001 by IIN) applied, 1 500,50 in suspense
    expect(xlsx).toMatchObject({ applied: 2, appliedAmount: 750_050, suspense: 1, duplicates: 0 });
    const onec = await importPayments(db, { file: onecFile(), date: '2026-11-30' });
    // money in: four rows, 5 000 + 2 500,50 + 1 500,50 + 4 000 = 13 001,00; three known from the xlsx,
    // 9 001,00; the fourth (4 000,00, "л/с 1002") applied
    expect(onec).toMatchObject({
      moneyIn: 4,
      moneyInAmount: 1_300_100,
      duplicates: 3,
      duplicateAmount: 900_100,
      applied: 1,
      appliedAmount: 400_000,
      suspense: 0,
      knownFrom: [{ file: 'halyk-2026-11-20.xlsx', rows: 3, amount: 900_100 }],
    });
    expect(summaryText(onec)).toContain('already imported  3, 9 001,00 ₸ (from halyk-2026-11-20.xlsx: 3)');
    // one payment per bank transaction: three from the xlsx, one from the 1C file
    expect(payments()).toEqual([
      { ref: '301', amount: 500_000, format: 'halyk', account: '1001', status: 'applied' },
      { ref: '12', amount: 250_050, format: 'halyk', account: '2001', status: 'applied' },
      { ref: '5', amount: 150_050, format: 'halyk', account: null, status: 'suspense' },
      { ref: '16', amount: 400_000, format: '1c', account: '1002', status: 'applied' },
    ]);
    // the 1C file again: its own row known by its identity, the xlsx's three by the same money
    const again = await importPayments(db, { file: onecFile(), date: '2026-11-30' });
    expect(again).toMatchObject({ duplicates: 4, applied: 0, knownFrom: [{ file: 'halyk-2026-11-20.1c.txt', rows: 1 }, { file: 'halyk-2026-11-20.xlsx', rows: 3 }] });
    expect(verify(db)).toEqual([]);
  });

  it('the xlsx after the 1C export adds nothing', async () => {
    await importPayments(db, { file: onecFile(), date: '2026-11-30' });
    const xlsx = await importPayments(db, { file: statement('halyk-2026-11-20.xlsx'), date: '2026-11-30' });
    // its three rows of money in, 9 001,00, are the 1C file's
    expect(xlsx).toMatchObject({ moneyIn: 3, moneyInAmount: 900_100, duplicates: 3, applied: 0, suspense: 0, knownFrom: [{ file: 'halyk-2026-11-20.1c.txt', rows: 3, amount: 900_100 }] });
    expect(payments()).toHaveLength(4);
    expect(verify(db)).toEqual([]);
  });
});
