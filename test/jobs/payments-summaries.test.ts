// Golden summaries of a statement import (issue 15): money in and the bank's reversals apart, where
// each row went, and the statement's own totals beside what was read. Every figure is worked out
// from the fixture's rows (fixtures/statements/make-fixtures.mjs and the text files) in the world of
// test/jobs/payments-world.ts: 1001 (IIN 900101300007), 1002 (850525400126), 1003 and 1004 (both
// 020711500349), 2001 (880302400054); IIN 951212500174 holds no account.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { importPayments } from '../../src/jobs/payments.js';
import { paymentsReport } from '../../src/jobs/reports.js';
import { summaryText } from '../../src/cli/commands/payments.js';
import { tempDir } from '../helpers/tmp.js';
import { paymentsWorld, statement } from './payments-world.js';

const dir = tempDir();
let db: Db;
beforeEach(async () => {
  db = await paymentsWorld(dir);
});
afterEach(() => db.close());

async function summary(name: string): Promise<string[]> {
  const lines = summaryText(await importPayments(db, { file: statement(name), date: '2026-11-30' })).split('\n');
  // the first line names the file by its path: compared by its name
  return [lines[0]!.replace(path.dirname(statement(name)) + path.sep, ''), ...lines.slice(1)];
}

describe('the import summary, golden', () => {
  it('Halyk xlsx of 20 Nov: its sheet totals beside the rows', async () => {
    // in: 5 000,00 (л/с 1001, by purpose) + 2 500,50 (IIN of 2001) + 1 500,50 (no account: suspense) = 9 001,00;
    // out: 120 000,00 (electricity). Not money in: that row and the three balance rows (Входящий
    // остаток, Итого обороты, Исходящий остаток). 1 250 000,00 + 9 001,00 − 120 000,00 = 1 139 001,00.
    expect(await summary('halyk-2026-11-20.xlsx')).toEqual([
      'halyk-2026-11-20.xlsx (halyk)',
      '  money in          3, 9 001,00 ₸',
      '  bank reversals    0, 0,00 ₸',
      '  applied           2, 7 500,50 ₸ (by account 0, by purpose 1, by IIN 1)',
      '  suspense          1, 1 500,50 ₸ (esep payments unmatched)',
      '  reversals         0, 0,00 ₸',
      '  already imported  0, 0,00 ₸',
      '  not money in      4 (money out, totals, own transfers)',
      '  statement totals  the sheet of KZ12601A861000123456: opening 1 250 000,00 ₸, in 9 001,00 ₸, out 120 000,00 ₸, closing 1 139 001,00 ₸; the rows read agree',
    ]);
  });

  it('Kaspi xlsx of 21 Nov: a reversal apart from money in, and netted in the statement\u2019s «поступления»', async () => {
    // in: 3 000,00 (л/с 1002) + 12 000,00 (ЛС-1004), both by purpose = 15 000,00; the bank's reversal
    // −3 000,00 is listed apart. The statement's «Итого поступлений» 12 000,00 = 3 000 − 3 000 + 12 000;
    // «Итого списаний» 45 000,00; 85 000,00 + 12 000,00 − 45 000,00 = 52 000,00. Not money in: the
    // supplier's payment and the three totals rows under the table.
    expect(await summary('kaspi-2026-11-21.xlsx')).toEqual([
      'kaspi-2026-11-21.xlsx (kaspi)',
      '  money in          2, 15 000,00 ₸',
      '  bank reversals    1, -3 000,00 ₸',
      '  applied           2, 15 000,00 ₸ (by account 0, by purpose 2, by IIN 0)',
      '  suspense          0, 0,00 ₸',
      '  reversals         1, -3 000,00 ₸ (not applied: esep payments reversals)',
      '  already imported  0, 0,00 ₸',
      '  not money in      4 (money out, totals, own transfers)',
      '  statement totals  the sheet of KZ18722S000012345678: opening 85 000,00 ₸, in 12 000,00 ₸, out 45 000,00 ₸, closing 52 000,00 ₸; the rows read agree',
    ]);
  });

  it('Halyk 1C with a section per day: each day\u2019s totals', async () => {
    // 24 Nov: in 3 500,00 (л/с 1001) + 1 000,00 (no account: suspense) = 4 500,00, out 25 000,00;
    //   998 301,50 + 4 500,00 − 25 000,00 = 977 801,50.
    // 25 Nov: in 2 000,00 (IIN of 2001), out 10 000,00 (to the operator's Kaspi account);
    //   977 801,50 + 2 000,00 − 10 000,00 = 969 801,50.
    expect(await summary('onec-halyk-2026-11-24.txt')).toEqual([
      'onec-halyk-2026-11-24.txt (1c, utf-8)',
      '  money in          3, 6 500,00 ₸',
      '  bank reversals    0, 0,00 ₸',
      '  applied           2, 5 500,00 ₸ (by account 0, by purpose 1, by IIN 1)',
      '  suspense          1, 1 000,00 ₸ (esep payments unmatched)',
      '  reversals         0, 0,00 ₸',
      '  already imported  0, 0,00 ₸',
      '  not money in      2 (money out, totals, own transfers)',
      '  statement totals  СекцияРасчСчет KZ12601A861000123456 24.11.2026: opening 998 301,50 ₸, in 4 500,00 ₸, out 25 000,00 ₸, closing 977 801,50 ₸; the rows read agree',
      '  statement totals  СекцияРасчСчет KZ12601A861000123456 25.11.2026: opening 977 801,50 ₸, in 2 000,00 ₸, out 10 000,00 ₸, closing 969 801,50 ₸; the rows read agree',
    ]);
  });

  it('the generic CSV: no totals of its own, said so; imported again, all known', async () => {
    // in: 5 000,00 (account column 1001) + 2 500,50 (л/с 1002) + 1 500,00 (IIN of 2001) + 3 000,00 (an
    // IIN of two accounts: suspense) + 7 990,00 (account 9999 unknown: suspense) + 10 000,00 (№1003)
    // = 29 990,50; applied 5 000 + 2 500,50 + 1 500 + 10 000 = 19 000,50; suspense 10 990,00;
    // a reversal of −5 000,00.
    const first = [
      '  money in          6, 29 990,50 ₸',
      '  bank reversals    1, -5 000,00 ₸',
      '  applied           4, 19 000,50 ₸ (by account 1, by purpose 2, by IIN 1)',
      '  suspense          2, 10 990,00 ₸ (esep payments unmatched)',
      '  reversals         1, -5 000,00 ₸ (not applied: esep payments reversals)',
      '  already imported  0, 0,00 ₸',
      '  not money in      0 (money out, totals, own transfers)',
      '  statement totals  none: the file states no totals of its own',
    ];
    expect(await summary('generic-2026-11.csv')).toEqual(['generic-2026-11.csv (generic, utf-8)', ...first]);
    // again: seven rows known, 29 990,50 − 5 000,00 = 24 990,50, all from this file
    expect(await summary('generic-2026-11.csv')).toEqual([
      'generic-2026-11.csv (generic, utf-8)',
      '  money in          6, 29 990,50 ₸',
      '  bank reversals    1, -5 000,00 ₸',
      '  applied           0, 0,00 ₸ (by account 0, by purpose 0, by IIN 0)',
      '  suspense          0, 0,00 ₸',
      '  reversals         0, 0,00 ₸',
      '  already imported  7, 24 990,50 ₸ (from generic-2026-11.csv: 7)',
      '  not money in      0 (money out, totals, own transfers)',
      '  statement totals  none: the file states no totals of its own',
    ]);
  });
});

describe('report payments: the statements\u2019 own totals beside what esep holds', () => {
  it('each section with its stated money in and the payments esep took into that account', async () => {
    for (const f of ['halyk-2026-11-20.xlsx', 'kaspi-2026-11-21.xlsx', 'onec-halyk-2026-11-24.txt', 'generic-2026-11.csv']) {
      await importPayments(db, { file: statement(f), date: '2026-11-30' });
    }
    // the same file again keeps its sections once
    await importPayments(db, { file: statement('onec-halyk-2026-11-24.txt'), date: '2026-11-30' });
    const r = paymentsReport(db, '2026-11-01', '2026-11-30');
    const beside = r.statements.map((s) => [s.file, s.from, s.statedIn, s.payments]);
    expect(beside).toEqual([
      // Halyk 20 Nov: stated 9 001,00; esep holds 5 000 + 2 500,50 + 1 500,50 = 9 001,00
      ['halyk-2026-11-20.xlsx', '2026-11-20', 900_100, 900_100],
      // Kaspi 21 Nov: stated 12 000,00; esep holds 3 000 + 12 000 − 3 000 (the reversal) = 12 000,00
      ['kaspi-2026-11-21.xlsx', '2026-11-21', 1_200_000, 1_200_000],
      // Halyk 1C 24 Nov: 3 500 + 1 000 = 4 500,00; 25 Nov: 2 000,00
      ['onec-halyk-2026-11-24.txt', '2026-11-24', 450_000, 450_000],
      ['onec-halyk-2026-11-24.txt', '2026-11-25', 200_000, 200_000],
    ]);
  });
});
