// A statement must add up and be the operator's (SPEC section 5), through the import: the new
// real-shaped fixtures imported with their golden figures, each of them with one row removed
// refused whole with nothing written, another company's statement refused unless --any-account,
// and the operator's accounts as the operator file sets them. The fixtures' rows are described in
// fixtures/statements/make-fixtures.mjs.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { accountsOf, getOperator } from '../../src/db/operator.js';
import { importOperator, parseOperator } from '../../src/jobs/import-operator.js';
import { importPayments } from '../../src/jobs/payments.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { OPERATOR_JSON, paymentsWorld, statement } from './payments-world.js';
import { refusedProblems } from '../helpers/refusals.js';

const dir = tempDir();
let db: Db;
beforeEach(async () => {
  db = await paymentsWorld(dir);
});

const HALYK = 'KZ12601A861000123456';
const KASPI = 'KZ18722S000012345678';
const BCC = 'KZ218560000012345678';
const operatorJson = JSON.parse(readFileSync(OPERATOR_JSON, 'utf8')) as Record<string, unknown>;

const count = (table: string) => (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const paymentSum = (account: string) =>
  (db.sqlite.prepare(`SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE kind = 'payment' AND account = ?`).get(account) as { s: number }).s;

const refused = refusedProblems;

describe('the new fixtures import with their figures', () => {
  it('Kaspi 1C (1.01): 4 000 to 1002 and 7 000 to 1003; the own transfer and the fee are not money in', async () => {
    const s = await importPayments(db, { file: statement('onec-kaspi-2026-11-23.txt'), date: '2026-11-23' });
    // 4 000 ("л/с 1002") + 7 000 ("ЛС-1003", her IIN holds 1003 and 1004: the purpose decides) = 11 000
    expect(s).toMatchObject({ format: '1c', rows: 2, applied: 2, appliedAmount: 1_100_000, byPurpose: 2, ignored: 2 });
    expect(paymentSum('1002')).toBe(400_000);
    expect(paymentSum('1003')).toBe(700_000);
  });

  it('Halyk 1C per day: UTF-8, then the same statement in Windows-1251 adds nothing', async () => {
    const s = await importPayments(db, { file: statement('onec-halyk-2026-11-24.txt'), date: '2026-11-25' });
    // 3 500 (1001, "л/с 1001") + 2 000 (2001 by IIN) applied = 5 500; 1 000 (IIN 951212500174) in suspense
    expect(s).toMatchObject({ encoding: 'utf-8', rows: 3, applied: 2, appliedAmount: 550_000, suspense: 1, suspenseAmount: 100_000, ignored: 2 });
    const again = await importPayments(db, { file: statement('onec-halyk-2026-11-24-1251.txt'), date: '2026-11-25' });
    expect(again).toMatchObject({ encoding: 'windows-1251', rows: 3, duplicates: 3, applied: 0, suspense: 0 });
    expect(count('payments')).toBe(3);
  });

  it('BCC 2.0: the 5 500 is posted as of its ДатаВалютирования', async () => {
    const s = await importPayments(db, { file: statement('onec-bcc-2026-11-26.txt'), date: '2026-11-26' });
    // 5 500 (1002) + 2 500,50 (2001 by IIN) = 8 000,50
    expect(s).toMatchObject({ rows: 2, applied: 2, appliedAmount: 800_050, ignored: 1 });
    expect(db.sqlite.prepare(`SELECT value_date FROM ledger WHERE kind = 'payment' AND account = '1002'`).pluck().get()).toBe('2026-11-25');
  });
});

describe('a statement that does not add up is refused whole', () => {
  // each file with one row removed, the difference it must name, and the day to import it on
  const cases: [string, string, string][] = [
    ['halyk-2026-11-20-row-removed.xlsx', `:13:«Итого обороты», credit: the sheet of ${HALYK}: rows read: money in 6 500,50, the statement's «Итого обороты», credit 9 001,00: 2 500,50 missing`, '2026-11-20'],
    ['kaspi-2026-11-21-row-removed.xlsx', `:14:«Итого поступлений»: the sheet of ${KASPI}: rows read: money in 0,00, the statement's «Итого поступлений» 12 000,00: 12 000,00 missing`, '2026-11-21'],
    ['onec-2026-11-22-row-removed.txt', `:15:ВсегоПоступило: СекцияРасчСчет ${HALYK} 22.11.2026: rows read: money in 6 800,00, the statement's ВсегоПоступило 9 300,50: 2 500,50 missing`, '2026-11-22'],
    ['onec-kaspi-2026-11-23-row-removed.txt', `:15:ВсегоПоступило: СекцияРасчСчет ${KASPI} 23.11.2026: rows read: money in 24 000,00, the statement's ВсегоПоступило 31 000,00: 7 000,00 missing`, '2026-11-23'],
    ['onec-halyk-2026-11-24-row-removed.txt', `:14:ВсегоПоступило: СекцияРасчСчет ${HALYK} 24.11.2026: rows read: money in 3 500,00, the statement's ВсегоПоступило 4 500,00: 1 000,00 missing`, '2026-11-25'],
    ['onec-bcc-2026-11-26-row-removed.txt', `:15:ВсегоПоступило: СекцияРасчСчет ${BCC} 26.11.2026: rows read: money in 2 500,50, the statement's ВсегоПоступило 8 000,50: 5 500,00 missing`, '2026-11-26'],
  ];
  for (const [file, problem, date] of cases) {
    it(`${file}: refused naming the difference, nothing written`, async () => {
      const runs = count('job_runs');
      expect(await refused(importPayments(db, { file: statement(file), date }))).toEqual([`${file}${problem}`]);
      expect([count('payments'), count('job_runs')]).toEqual([0, runs]);
    });
  }
});

describe("the statement's own account", () => {
  it("refuses another company's Halyk statement; --any-account imports it, its row in suspense", async () => {
    const file = statement('halyk-other-company-2026-11-20.xlsx');
    const problems = await refused(importPayments(db, { file, date: '2026-11-20' }));
    expect(problems).toEqual([expect.stringMatching(/^halyk-other-company-2026-11-20\.xlsx:3:account: the statement is of account KZ886010002098765432, which is not one of the operator's accounts .*--any-account imports it anyway$/)]);
    expect(count('payments')).toBe(0);
    // its one credit, 7 000 from IIN 951212500174 who holds no account: suspense
    const s = await importPayments(db, { file, date: '2026-11-20', anyAccount: true });
    expect(s).toMatchObject({ rows: 1, applied: 0, suspense: 1, suspenseAmount: 700_000 });
  });

  it('the operator file lists its accounts; a statement of an account it does not list is refused', async () => {
    // fixtures/demo/operator.json lists the Halyk, Kaspi and BCC accounts
    expect(accountsOf(getOperator(db)!)).toEqual([HALYK, KASPI, BCC]);
    // without the list: the iban alone, and the Kaspi statement is another account's
    const { accounts: _listed, ...withoutAccounts } = operatorJson;
    await importOperator(db, writeText(dir, 'operator.json', JSON.stringify(withoutAccounts)));
    expect(accountsOf(getOperator(db)!)).toEqual([HALYK]);
    const problems = await refused(importPayments(db, { file: statement('kaspi-2026-11-21.xlsx'), date: '2026-11-21' }));
    expect(problems).toEqual([`kaspi-2026-11-21.xlsx:3:account: the statement is of account ${KASPI}, which is not one of the operator's accounts (the operator's accounts are ${HALYK}): another company's statement? --any-account imports it anyway`]);
    expect((await importPayments(db, { file: statement('kaspi-2026-11-21.xlsx'), date: '2026-11-21', anyAccount: true })).applied).toBe(2);
  });

  it('checks each listed IBAN like the iban, and keeps the iban among the accounts', () => {
    // the iban first, then the others once each, spaces dropped and upper case
    const op = parseOperator({ ...operatorJson, accounts: ['kz18 722s 0000 1234 5678', HALYK, KASPI] }, 'operator.json');
    expect(JSON.parse(op.accounts)).toEqual([HALYK, KASPI]);
    expect(() => parseOperator({ ...operatorJson, accounts: [KASPI, 'KZ00722S000012345678'] }, 'operator.json')).toThrow(/accounts\.1: IBAN check digits are wrong/);
  });
});
