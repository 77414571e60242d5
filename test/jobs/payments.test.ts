// Bank statement import: golden figures worked out by hand from the fixtures in
// fixtures/statements/ (each row is described in make-fixtures.mjs or in the CSV itself).
import { allocate } from '../../src/domain/allocation.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { inTransaction } from '../../src/db/connection.js';
import { postEntries, factsOf } from '../../src/db/ledger.js';
import { accountView } from '../../src/jobs/account-view.js';
import { assignPayment, importPayments, reversalPayments, unmatchedPayments } from '../../src/jobs/payments.js';
import { verify } from '../../src/jobs/verify.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { paymentsWorld, statement } from './payments-world.js';
import { refusedProblems } from '../helpers/refusals.js';

const dir = tempDir();
let db: Db;
beforeEach(async () => {
  db = await paymentsWorld(dir);
});

const one = <T>(sql: string, ...params: unknown[]) => db.sqlite.prepare(sql).get(...params) as T;
const count = (table: string, where = '1') => one<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).n;
const paymentSum = (account?: string) =>
  one<{ s: number }>(`SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE kind = 'payment'${account ? ' AND account = ?' : ''}`, ...(account ? [account] : [])).s;
const balance = (account: string) => one<{ b: number }>('SELECT balance AS b FROM accounts WHERE account = ?', account).b;

const refused = refusedProblems;

describe('generic CSV', () => {
  it('applies, suspends and lists every row of the statement', async () => {
    const s = await importPayments(db, { file: statement('generic-2026-11.csv'), date: '2026-11-20' });
    // rows: 5 000 + 2 500,50 + 1 500 + 3 000 + 7 990 − 5 000 + 10 000 = 24 990,50
    // applied: 5 000 (1001, account column) + 2 500,50 (1002, "л/с 1002") + 1 500 (2001, IIN 880302400054)
    //        + 10 000 (1003, "лицевой счёт №1003") = 19 000,50
    // suspense: 3 000 (IIN 020711500349 holds 1003 and 1004) + 7 990 ("дербес шот 9999": no such account) = 10 990,00
    // reversal: −5 000,00 (listed, not applied)
    expect(s).toMatchObject({
      format: 'generic',
      rows: 7,
      rowsAmount: 2_499_050,
      applied: 4,
      appliedAmount: 1_900_050,
      byAccount: 1,
      byPurpose: 2,
      byIin: 1,
      suspense: 2,
      suspenseAmount: 1_099_000,
      reversals: 1,
      reversalAmount: -500_000,
      duplicates: 0,
      ignored: 0,
    });
    expect(s.appliedAmount + s.suspenseAmount + s.reversalAmount).toBe(s.rowsAmount);
    expect(paymentSum('1001')).toBe(500_000);
    expect(paymentSum('1002')).toBe(250_050);
    expect(paymentSum('1003')).toBe(1_000_000);
    expect(paymentSum('2001')).toBe(150_000);
    expect(paymentSum()).toBe(1_900_050);
    // the payment entry: kind payment, value date of the bank, key payment:{id}
    const entry = one<{ key: string; value_date: string; payment_id: number }>(`SELECT key, value_date, payment_id FROM ledger WHERE account = '1001' AND kind = 'payment'`);
    expect(entry).toEqual({ key: `payment:${entry.payment_id}`, value_date: '2026-11-16', payment_id: entry.payment_id });
    expect(unmatchedPayments(db).map((p) => [p.bankRef, p.amount])).toEqual([
      ['HB-2026-11-0004', 300_000],
      ['HB-2026-11-0005', 799_000],
    ]);
    expect(reversalPayments(db).map((p) => [p.bankRef, p.amount, p.account])).toEqual([['HB-2026-11-0006', -500_000, '1001']]);
    expect(verify(db)).toEqual([]);
  });

  it('adds nothing when the same statement comes again', async () => {
    await importPayments(db, { file: statement('generic-2026-11.csv'), date: '2026-11-20' });
    const ledgerBefore = count('ledger');
    const again = await importPayments(db, { file: statement('generic-2026-11.csv'), date: '2026-11-20' });
    // all 7 rows known: 24 990,50 skipped
    expect(again).toMatchObject({ rows: 7, applied: 0, suspense: 0, reversals: 0, duplicates: 7, duplicateAmount: 2_499_050 });
    expect(count('payments')).toBe(7);
    expect(count('ledger')).toBe(ledgerBefore);
  });

  it('takes only the new rows of an overlapping statement', async () => {
    await importPayments(db, { file: statement('generic-2026-11.csv'), date: '2026-11-20' });
    const s = await importPayments(db, { file: statement('generic-2026-11-overlap.csv'), date: '2026-11-20' });
    // known: HB-0006 (−5 000) and HB-0007 (10 000) = 5 000 skipped
    // new: 1 000 to 1001 (account column) + 4 000 to 2001 ("д/ш 2001") = 5 000 applied
    expect(s).toMatchObject({ rows: 4, duplicates: 2, duplicateAmount: 500_000, applied: 2, appliedAmount: 500_000, byAccount: 1, byPurpose: 1, suspense: 0 });
    expect(paymentSum('1001')).toBe(500_000 + 100_000);
    expect(paymentSum('2001')).toBe(150_000 + 400_000);
    expect(count('payments')).toBe(9);
  });

  it('reads a Windows-1251 file with semicolons and Russian dates', async () => {
    const s = await importPayments(db, { file: statement('generic-1251.csv'), date: '2026-11-23' });
    // 1 200 to 1003 ("по лицевому счету 1003") + 2 000 to 1002 (IIN 850525400126 holds only 1002) = 3 200
    expect(s).toMatchObject({ encoding: 'windows-1251', rows: 2, applied: 2, appliedAmount: 320_000, byPurpose: 1, byIin: 1 });
    expect(one<{ payer_name: string }>(`SELECT payer_name FROM payments WHERE bank_ref = 'W-2026-11-0001'`).payer_name).toBe('Петров Сергей');
  });

  it('refuses a bad file whole, naming every problem, and applies nothing', async () => {
    const problems = await refused(importPayments(db, { file: statement('generic-bad.csv'), date: '2026-11-20' }));
    expect(problems).toEqual([
      'generic-bad.csv:2:value_date: "2026-11-31" is not a date (YYYY-MM-DD or DD.MM.YYYY)',
      'generic-bad.csv:3:amount: not an amount in tenge: "5.000,00"',
      'generic-bad.csv:4:amount: is empty',
      'generic-bad.csv:5:payer_iin: "9001013" is not an IIN or BIN (12 digits)',
      "generic-bad.csv:6:value_date: 2026-12-01 is after today (2026-11-20): a statement cannot hold tomorrow's money",
      'generic-bad.csv:7:bank_ref: is empty',
    ]);
    expect(count('payments')).toBe(0);
    expect(count('ledger')).toBe(0);
  });

  it('refuses a file with a missing column, and a file of no known format', async () => {
    expect(await refused(importPayments(db, { file: statement('generic-missing-column.csv'), date: '2026-11-20' }))).toEqual([
      'generic-missing-column.csv:1:amount: not a Generic payment CSV (SPEC section 7): no header row with the columns bank_ref, value_date, amount, account, payer_iin, payer_name, purpose in the first 1 rows (closest is line 1, which lacks amount)',
    ]);
    const [unknown] = await refused(importPayments(db, { file: statement('not-a-statement.txt'), date: '2026-11-20' }));
    expect(unknown).toMatch(/^not-a-statement\.txt::: unknown statement format/);
    const [badFormat] = await refused(importPayments(db, { file: statement('generic-2026-11.csv'), format: 'sberbank', date: '2026-11-20' }));
    expect(badFormat).toBe('::--format: unknown format "sberbank": one of generic, halyk, kaspi, 1c');
    const [missing] = await refused(importPayments(db, { file: statement('no-such-file.csv'), date: '2026-11-20' }));
    expect(missing).toContain('no such file');
    expect(count('payments')).toBe(0);
  });

  it('refuses a bank reference met again with another amount, in the file or from an earlier import', async () => {
    await importPayments(db, { file: statement('generic-2026-11.csv'), date: '2026-11-20' });
    const text = [
      'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose',
      'HB-2026-11-0001,2026-11-16,"5 500,00",1001,,Әбенов Қанат,Оплата',
      'X-1,2026-11-19,100,1001,,Әбенов Қанат,Оплата',
      'X-1,2026-11-19,200,1001,,Әбенов Қанат,Оплата',
    ].join('\n');
    const problems = await refused(importPayments(db, { file: writeText(dir, 'conflict.csv', text), date: '2026-11-20' }));
    expect(problems).toHaveLength(2);
    // line 2 differs from generic-2026-11.csv line 2 in its amount (5 500 against 5 000) and its payer IIN (none against 900101300007)
    expect(problems[0]).toMatch(/:2:bank_ref: reference HB-2026-11-0001 was imported before from generic-2026-11\.csv line 2 \(payment \d+, 2026-11-16, 5 000,00 ₸\) with another amount, payer IIN$/);
    expect(problems[1]).toMatch(/:4:bank_ref: reference X-1 is on line 3 too, with another amount: one transaction cannot be two$/);
    expect(count('payments')).toBe(7);
  });

  it('refuses a bank reference repeated with another account or payer, in the file and against an earlier file', async () => {
    await importPayments(db, { file: statement('generic-2026-11.csv'), date: '2026-11-20' });
    const text = [
      'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose',
      // generic-2026-11.csv line 2 is HB-2026-11-0001, 2026-11-16, 5 000,00, account 1001, IIN 900101300007, Әбенов Қанат
      'HB-2026-11-0001,2026-11-16,"5 000,00",1002,900101300007,Әбенов Қанат,Оплата',
      'HB-2026-11-0002,2026-11-16,"2 500,50",,,Петров Сергей,"Оплата услуг связи, л/с 1002"',
      'Y-1,2026-11-19,100,1001,900101300007,Әбенов Қанат,Оплата',
      'Y-1,2026-11-19,100,1002,900101300007,Әбенов Қанат,Оплата',
      'Y-2,2026-11-19,100,1001,900101300007,Әбенов Қанат,Оплата',
      // the same payer name in other letter case is the same payer
      'Y-2,2026-11-19,100,1001,900101300007,ӘБЕНОВ ҚАНАТ,Оплата',
    ].join('\n');
    const problems = await refused(importPayments(db, { file: writeText(dir, 'repeat.csv', text), date: '2026-11-20' }));
    expect(problems).toEqual([
      expect.stringMatching(/^\d+-repeat\.csv:2:bank_ref: reference HB-2026-11-0001 was imported before from generic-2026-11\.csv line 2 \(payment \d+, 2026-11-16, 5 000,00 ₸\) with another account$/),
      expect.stringMatching(/^\d+-repeat\.csv:3:bank_ref: reference HB-2026-11-0002 was imported before from generic-2026-11\.csv line 3 \(payment \d+, 2026-11-16, 2 500,50 ₸\) with another payer name$/),
      expect.stringMatching(/^\d+-repeat\.csv:5:bank_ref: reference Y-1 is on line 4 too, with another account: one transaction cannot be two$/),
    ]);
    expect(count('payments')).toBe(7);
  });

  it('the same reference from two banks is two payments; the bank is part of the identity', async () => {
    const text = [
      'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose,bank',
      'R-100,2026-11-19,1000,1001,,Әбенов Қанат,Оплата,HSBKKZKX',
      'R-100,2026-11-19,2000,1002,,Иванова Мария,Оплата,caspkzka',
      'R-100,2026-11-19,1000,1001,,Әбенов Қанат,Оплата,HSBKKZKX',
    ].join('\n');
    const file = writeText(dir, 'two-banks.csv', text);
    const s = await importPayments(db, { file, date: '2026-11-20' });
    // lines 2 and 3: two banks, two transactions, 1 000 + 2 000 = 3 000 ₸; line 4 repeats line 2 (same bank and facts): once
    expect(s).toMatchObject({ rows: 3, applied: 2, appliedAmount: 300_000, duplicates: 1, duplicateAmount: 100_000 });
    expect(db.sqlite.prepare(`SELECT identity FROM payments WHERE bank_ref = 'R-100' ORDER BY id`).pluck().all()).toEqual(['generic:HSBKKZKX:R-100', 'generic:CASPKZKA:R-100']);
    const again = await importPayments(db, { file, date: '2026-11-20' });
    expect(again).toMatchObject({ rows: 3, applied: 0, duplicates: 3 });
  });

  it('counts a row repeated in one file once', async () => {
    const text = [
      'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose',
      'R-1,2026-11-19,"1 000,00",1001,,Әбенов Қанат,Оплата',
      'R-1,2026-11-19,1000,1001,,Әбенов Қанат,Оплата',
    ].join('\n');
    const s = await importPayments(db, { file: writeText(dir, 'repeat.csv', text), date: '2026-11-20' });
    expect(s).toMatchObject({ rows: 2, applied: 1, appliedAmount: 100_000, duplicates: 1, duplicateAmount: 100_000 });
  });

  it('lists problems up to a limit and counts the rest', async () => {
    const lines = ['bank_ref,value_date,amount,account,payer_iin,payer_name,purpose'];
    for (let i = 0; i < 150; i++) lines.push(`E-${i},2026-11-19,abc,1001,,X,Y`);
    const problems = await refused(importPayments(db, { file: writeText(dir, 'many.csv', lines.join('\n')), date: '2026-11-20' }));
    expect(problems).toHaveLength(101);
    expect(problems[100]).toMatch(/many\.csv::: and 50 more problems \(150 in all\)$/);
  });

  it('checks everything on a dry run and writes nothing', async () => {
    const runs = count('job_runs');
    const s = await importPayments(db, { file: statement('generic-2026-11.csv'), date: '2026-11-20', dryRun: true });
    expect(s).toMatchObject({ dryRun: true, applied: 4, suspense: 2, reversals: 1 });
    expect(count('payments')).toBe(0);
    expect(count('ledger')).toBe(0);
    expect(count('job_runs')).toBe(runs);
  });
});

describe('bank exports and 1C', () => {
  it('reads the Halyk xlsx: credit column in, debit and totals out', async () => {
    const s = await importPayments(db, { file: statement('halyk-2026-11-20.xlsx'), date: '2026-11-20' });
    // in: 5 000 (1001 by "л/с 1001") + 2 500,50 (2001 by IIN) + 1 500,50 (IIN 951212500174: no account) = 9 001,00
    // ignored: «Входящий остаток», the 120 000 debit, «Итого обороты», «Исходящий остаток»
    expect(s).toMatchObject({ format: 'halyk', rows: 3, rowsAmount: 900_100, applied: 2, appliedAmount: 750_050, suspense: 1, suspenseAmount: 150_050, ignored: 4 });
    expect(paymentSum('1001')).toBe(500_000);
    expect(paymentSum('2001')).toBe(250_050);
    const again = await importPayments(db, { file: statement('halyk-2026-11-20.xlsx'), date: '2026-11-20' });
    expect(again).toMatchObject({ rows: 3, duplicates: 3, applied: 0, suspense: 0 });
    expect(count('payments')).toBe(3);
  });

  it('reads the Kaspi xlsx with its two-row merged header; money in is what the operator receives', async () => {
    const s = await importPayments(db, { file: statement('kaspi-2026-11-21.xlsx'), date: '2026-11-21' });
    // in: 3 000 (1002, "л/с 1002") + 12 000 (1004, "ЛС-1004") = 15 000; reversal −3 000; out: 45 000 to a supplier
    // ignored: the 45 000 out, «Итого поступлений», «Итого списаний», «Исходящий остаток:» (the metadata rows are not counted)
    expect(s).toMatchObject({ format: 'kaspi', rows: 3, applied: 2, appliedAmount: 1_500_000, reversals: 1, reversalAmount: -300_000, ignored: 4 });
    expect(paymentSum('1004')).toBe(1_200_000);
    expect(paymentSum('1002')).toBe(300_000);
  });

  it('reads the 1C ClientBankExchange file in Windows-1251: incoming documents only', async () => {
    const s = await importPayments(db, { file: statement('onec-2026-11-22.txt'), date: '2026-11-22' });
    // in: 6 000 (1001, "л/с 1001") + 2 500,50 (2001 by IIN) + 800 (suspense) = 9 300,50; out: 150 000 to Казахтелеком
    expect(s).toMatchObject({ format: '1c', encoding: 'windows-1251', rows: 3, rowsAmount: 930_050, applied: 2, appliedAmount: 850_050, suspense: 1, suspenseAmount: 80_000, ignored: 1 });
    // ДатаПоступило (22.11) is the value date, not the document's Дата (21.11)
    expect(one<{ d: string }>(`SELECT value_date AS d FROM ledger WHERE account = '2001' AND kind = 'payment'`).d).toBe('2026-11-22');
    expect((await importPayments(db, { file: statement('onec-2026-11-22.txt'), date: '2026-11-22' })).duplicates).toBe(3);
  });

  it('tells two identical 1C documents apart (the second is #2) and refuses a broken one', async () => {
    const doc = (sum: string) => [
      'СекцияДокумент=Платежное поручение',
      'Номер=7',
      'Дата=22.11.2026',
      `Сумма=${sum}`,
      'ПлательщикИИН=900101300007',
      'Плательщик=Абенов Канат',
      'ПолучательИИК=KZ12601A861000123456',
      'НазначениеПлатежа=л/с 1001',
      'КонецДокумента',
    ];
    const file = (docs: string[][], end = true) =>
      ['1CClientBankExchange', 'ВерсияФормата=1.03', 'Кодировка=Windows', 'РасчСчет=KZ12601A861000123456', ...docs.flat(), ...(end ? ['КонецФайла'] : [])].join('\r\n');
    const twice = writeText(dir, 'twice.txt', file([doc('1000.00'), doc('1000.00')]), 'windows-1251');
    // two payments of 1 000 from the same payer with the same number on the same day: 2 000
    expect(await importPayments(db, { file: twice, date: '2026-11-22' })).toMatchObject({ rows: 2, applied: 2, appliedAmount: 200_000 });
    expect((await importPayments(db, { file: twice, date: '2026-11-22' })).duplicates).toBe(2);
    const identities = db.sqlite.prepare('SELECT identity FROM payments ORDER BY id').pluck().all() as string[];
    expect(identities[1]).toBe(`${identities[0]}#2`);

    const broken = writeText(dir, 'broken.txt', file([doc('1 0 0'), doc('500.00').slice(0, -1)], false), 'windows-1251');
    const problems = await refused(importPayments(db, { file: broken, date: '2026-11-22' }));
    expect(problems).toEqual([expect.stringMatching(/:8:Сумма: not an amount in tenge: "1 0 0"/), expect.stringMatching(/:14:: the document has no КонецДокумента: the file is cut short/)]);
  });
});

describe('suspense and assignment', () => {
  it('assigns a suspended payment to an account, once', async () => {
    await importPayments(db, { file: statement('generic-2026-11.csv'), date: '2026-11-20' });
    const [first] = unmatchedPayments(db);
    expect(first?.bankRef).toBe('HB-2026-11-0004');
    const r = await assignPayment(db, first!.id, '1004', '2026-11-20');
    expect(r.payment).toMatchObject({ status: 'applied', account: '1004', matchedBy: 'manual' });
    // 3 000,00 on 1004 as of the bank's value date
    expect(one(`SELECT amount, value_date FROM ledger WHERE account = '1004' AND kind = 'payment'`)).toEqual({ amount: 300_000, value_date: '2026-11-17' });
    expect(unmatchedPayments(db)).toHaveLength(1);
    expect((await refused(assignPayment(db, first!.id, '1003', '2026-11-20')))[0]).toMatch(/is applied to account 1004 already/);
    const reversal = reversalPayments(db)[0]!;
    expect((await refused(assignPayment(db, reversal.id, '1001', '2026-11-20')))[0]).toMatch(/bank reversal of -5 000,00 ₸: it is never applied/);
    expect((await refused(assignPayment(db, unmatchedPayments(db)[0]!.id, '9999', '2026-11-20')))[0]).toMatch(/no account "9999"/);
    expect((await refused(assignPayment(db, 999, '1001', '2026-11-20')))[0]).toMatch(/no payment 999/);
    expect(verify(db)).toEqual([]);
  });
});

describe('allocation (cl. 16)', () => {
  it('splits a partial payment across penalties, oldest first, then principal', async () => {
    // 1001 owes the October fee of 5 000,00 and two days of penalty at 0.5%: 5 000 × 0.005 = 25,00 a day
    inTransaction(db, () =>
      postEntries(db, [
        { account: '1001', valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000, key: 't:fee' },
        { account: '1001', valueDate: '2026-11-26', kind: 'penalty', amount: -2_500, key: 't:pen26' },
        { account: '1001', valueDate: '2026-11-27', kind: 'penalty', amount: -2_500, key: 't:pen27' },
      ]),
    );
    const text = ['bank_ref,value_date,amount,account,payer_iin,payer_name,purpose', 'P-1,2026-11-28,"3 000,00",1001,,Әбенов Қанат,Оплата'].join('\n');
    await importPayments(db, { file: writeText(dir, 'partial.csv', text), date: '2026-11-28' });
    // 3 000,00 = 25,00 (penalty of 26.11) + 25,00 (penalty of 27.11) + 2 950,00 of the October fee
    const entries = factsOf(db, '1001');
    const byId = new Map(entries.map((e) => [e.id, e] as const));
    const rows = allocate(entries).allocations.map((al) => ({ kind: byId.get(al.debitId)!.kind, day: byId.get(al.debitId)!.valueDate, amount: al.amount, asOf: al.asOf }));
    expect(rows).toEqual([
      { kind: 'penalty', day: '2026-11-26', amount: 2_500, asOf: '2026-11-28' },
      { kind: 'penalty', day: '2026-11-27', amount: 2_500, asOf: '2026-11-28' },
      { kind: 'monthly_fee', day: '2026-10-31', amount: 295_000, asOf: '2026-11-28' },
    ]);
    // left: 5 000 − 2 950 = 2 050,00 of principal, no penalty
    const view = accountView(db, '1001', '2026-11-28');
    expect(view).toMatchObject({ balance: -205_000, debt: 205_000, penaltyDebt: 0, prepayment: 0 });
    expect(view.credits.map((c) => c.settled.map((s) => [s.kind, s.amount]))).toEqual([
      [
        ['penalty', 2_500],
        ['penalty', 2_500],
        ['monthly_fee', 295_000],
      ],
    ]);
    expect(verify(db)).toEqual([]);
  });

  it('keeps what is left as prepayment', async () => {
    inTransaction(db, () => postEntries(db, [{ account: '2001', valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000, key: 't:fee2001' }]));
    await importPayments(db, { file: statement('generic-2026-11-overlap.csv'), date: '2026-11-20' });
    // 2001 gets 4 000 (д/ш 2001) against the 5 000 fee: 1 000 still owed, nothing left over
    expect(accountView(db, '2001', '2026-11-20')).toMatchObject({ debt: 100_000, prepayment: 0 });
    // 1001 gets 1 000 with nothing to settle: all prepayment
    expect(accountView(db, '1001', '2026-11-20')).toMatchObject({ balance: 100_000, prepayment: 100_000 });
    expect(balance('1001')).toBe(100_000);
  });
});

describe('restoration', () => {
  it('restores an advance account suspended for funds as soon as the payment covers the day', async () => {
    const { runDebit } = await import('../../src/jobs/debit.js');
    // 1002 (advance, HOME300 7 990 a month, no port fee) has no money: suspended from 1 November
    await runDebit(db, { date: '2026-11-10' });
    expect(accountView(db, '1002', '2026-11-10').account).toMatchObject({ status: 'suspended', suspendReason: 'funds' });
    const text = ['bank_ref,value_date,amount,account,payer_iin,payer_name,purpose', 'T-1,2026-11-10,"2 500,50",1002,,Иванова Мария,Оплата'].join('\n');
    const s = await importPayments(db, { file: writeText(dir, 'topup.csv', text), date: '2026-11-10' });
    expect(s.restored).toBe(1);
    expect(accountView(db, '1002', '2026-11-10').account).toMatchObject({ status: 'active', suspendReason: null });
    expect(count('access_events', `account = '1002' AND event = 'restore'`)).toBe(1);
  });
});
