// Bank statements, suspense, refunds and transfers through the built binary (`npm run build` first).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openDatabase } from '../../src/db/connection.js';
import { formatTime } from '../../src/domain/dates.js';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { esep, esepJson, initWorld } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { statement, WORLD_ACCOUNTS } from '../jobs/payments-world.js';

const dir = tempDir();
const db = path.join(dir, 'payments.db');

describe('esep payments, refunds, transfer', () => {
  it('sets up the world', () => {
    initWorld(db, dir, WORLD_ACCOUNTS, '2026-10-01');
  });

  it('refuses a bad statement with exit 2, every problem with file, line and field, and applies nothing', () => {
    const r = esep(db, 'payments', 'import', statement('generic-bad.csv'), '--date', '2026-11-20');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refused, nothing was changed');
    expect(r.stderr).toContain('generic-bad.csv, line 2, value_date: "2026-11-31" is not a date');
    expect(r.stderr).toContain('generic-bad.csv, line 3, amount: not an amount in tenge: "5.000,00"');
    expect(r.stderr).toContain('generic-bad.csv, line 6, value_date: 2026-12-01 is after today (2026-11-20)');
    expect(r.stderr).toContain('generic-bad.csv, line 7, bank_ref: is empty');
    const missing = esep(db, 'payments', 'import', statement('generic-missing-column.csv'), '--date', '2026-11-20');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('generic-missing-column.csv, line 1, amount: not a Generic payment CSV');
    const unknown = esep(db, 'payments', 'import', statement('not-a-statement.txt'), '--date', '2026-11-20');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('not-a-statement.txt: unknown statement format');
    expect(esep(db, 'payments', 'import', statement('generic-2026-11.csv'), '--format', 'sber').code).toBe(2);
    expect(esepJson<unknown[]>(db, 'payments', 'unmatched')).toEqual([]);
  });

  it('imports a statement, then again, and prints the summary', () => {
    const r = esep(db, 'payments', 'import', statement('generic-2026-11.csv'), '--date', '2026-11-20');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // see test/jobs/payments.test.ts for the arithmetic
    expect(r.stdout).toContain('applied           4, 19 000,50 ₸ (by account 1, by purpose 2, by IIN 1)');
    expect(r.stdout).toContain('suspense          2, 10 990,00 ₸');
    expect(r.stdout).toContain('reversals         1, -5 000,00 ₸');
    const again = esepJson<Record<string, unknown>>(db, 'payments', 'import', statement('generic-2026-11.csv'), '--date', '2026-11-20');
    expect(again).toMatchObject({ rows: 7, applied: 0, suspense: 0, duplicates: 7, duplicate_amount: '24990.50' });
  });

  it('says why each payment waits in suspense, and what the bank wrote in the account column', () => {
    const list = esepJson<{ bank_ref: string; reason: string; reason_text: string; reason_accounts: string[]; account_hint: string }[]>(db, 'payments', 'unmatched');
    // HB-…0004: no account column, purpose «Төлем», IIN 020711500349 holds 1003 and 1004;
    // HB-…0005: no account column, purpose «дербес шот 9999», no account 9999
    expect(list.map(({ bank_ref, reason, reason_text, reason_accounts, account_hint }) => ({ bank_ref, reason, reason_text, reason_accounts, account_hint }))).toEqual([
      { bank_ref: 'HB-2026-11-0004', reason: 'iin_several', reason_text: 'IIN 020711500349 holds 2 accounts (1003, 1004)', reason_accounts: ['1003', '1004'], account_hint: '' },
      { bank_ref: 'HB-2026-11-0005', reason: 'unknown_account', reason_text: 'account 9999 unknown', reason_accounts: ['9999'], account_hint: '' },
    ]);
    const text = esep(db, 'payments', 'unmatched');
    expect(text.stdout).toContain('IIN 020711500349 holds 2 accounts (1003, 1004)');
    expect(text.stdout).toContain('account 9999 unknown');
  });

  it('payments list: the register with totals per day and per file, as JSON, CSV, xlsx and a table', async () => {
    type Total = { payments: number; received: string; applied: string; suspense: string; reversals: string };
    const r = esepJson<{ payments: { bank_ref: string; status: string; matched_by: string | null; account: string | null; line: number }[]; by_day: (Total & { value_date: string })[]; by_file: (Total & { file: string })[]; total: Total }>(
      db, 'payments', 'list', '--from', '2026-11-16', '--to', '2026-11-18',
    );
    // generic-2026-11.csv lines 2..7 have value dates 16..18 November; line 8 (the 19th) is outside
    expect(r.payments.map((p) => [p.line, p.status, p.account, p.matched_by])).toEqual([
      [2, 'applied', '1001', 'account'],
      [3, 'applied', '1002', 'purpose'],
      [4, 'applied', '2001', 'iin'],
      [5, 'suspense', null, null],
      [6, 'suspense', null, null],
      // a reversal keeps the account it names, and how it was named, for information (never posted)
      [7, 'reversal', '1001', 'account'],
    ]);
    expect(r.by_day).toEqual([
      // 5 000 + 2 500,50 = 7 500,50, both applied
      { value_date: '2026-11-16', payments: 2, received: '7500.50', applied: '7500.50', suspense: '0.00', reversals: '0.00' },
      // 1 500 applied + 3 000 in suspense = 4 500
      { value_date: '2026-11-17', payments: 2, received: '4500.00', applied: '1500.00', suspense: '3000.00', reversals: '0.00' },
      // 7 990 in suspense; the reversal of 5 000 apart
      { value_date: '2026-11-18', payments: 2, received: '7990.00', applied: '0.00', suspense: '7990.00', reversals: '-5000.00' },
    ]);
    // 7 500,50 + 4 500 + 7 990 = 19 990,50 received; applied 7 500,50 + 1 500 = 9 000,50; suspense 3 000 + 7 990 = 10 990
    const all = { payments: 6, received: '19990.50', applied: '9000.50', suspense: '10990.00', reversals: '-5000.00' };
    expect(r.by_file).toEqual([{ file: 'generic-2026-11.csv', ...all }]);
    expect(r.total).toEqual(all);

    // one account: its payment and the bank's reversal naming it
    const one = esepJson<{ total: Total }>(db, 'payments', 'list', '--from', '2026-11-01', '--to', '2026-11-30', '--account', '1001');
    expect(one.total).toEqual({ payments: 2, received: '5000.00', applied: '5000.00', suspense: '0.00', reversals: '-5000.00' });
    expect(esepJson<{ total: Total }>(db, 'payments', 'list', '--from', '2026-11-01', '--to', '2026-11-30', '--file', 'other.csv').total.payments).toBe(0);

    const csv = esep(db, 'payments', 'list', '--from', '2026-11-16', '--to', '2026-11-16', '--csv');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,value_date,amount,status,account,matched_by,payer_name,payer_iin,bank_ref,format,file,line,purpose');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d+,2026-11-16,5000\.00,applied,1001,account,Әбенов Қанат,900101300007,HB-2026-11-0001,generic,generic-2026-11\.csv,2,Оплата за интернет$/);

    const xlsx = path.join(dir, 'register.xlsx');
    expect(esep(db, 'payments', 'list', '--from', '2026-11-16', '--to', '2026-11-16', '--xlsx', xlsx).stdout).toContain(`written: ${xlsx}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getCell('A1').value).toBe('Төлем № / Платёж №');
    // the amount a number (5 000 ₸), the IIN text with its digits, the line a number
    expect([sheet.getCell('C2').value, sheet.getCell('H2').value, sheet.getCell('L2').value]).toEqual([5000, '900101300007', 2]);

    const text = esep(db, 'payments', 'list', '--from', '2026-11-16', '--to', '2026-11-18');
    expect(text.stdout).toContain('6 payment(s): received 19 990,50 ₸ (applied 9 000,50 ₸, in suspense 10 990,00 ₸), reversals -5 000,00 ₸');

    for (const [args, message] of [
      [['--from', '2026-11-18', '--to', '2026-11-16'], '--to: 2026-11-16 is before --from 2026-11-18'],
      [['--from', '2026-11-16', '--to', '2026-11-18', '--account', '9999'], '--account: no account "9999"'],
      [['--from', '2026-11-31', '--to', '2026-12-01'], '--from'],
    ] as const) {
      const bad = esep(db, 'payments', 'list', ...args);
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toContain(message);
    }
  });

  it('lists suspense as JSON and assigns a payment', () => {
    const list = esepJson<{ id: number; bank_ref: string; value_date: string; amount: string; payer_name: string; purpose: string }[]>(db, 'payments', 'unmatched');
    expect(list.map(({ bank_ref, value_date, amount, payer_name, purpose }) => ({ bank_ref, value_date, amount, payer_name, purpose }))).toEqual([
      { bank_ref: 'HB-2026-11-0004', value_date: '2026-11-17', amount: '3000.00', payer_name: 'Сейтқали Айгерім', purpose: 'Төлем' },
      { bank_ref: 'HB-2026-11-0005', value_date: '2026-11-18', amount: '7990.00', payer_name: 'Жақсылықов Бауыржан', purpose: 'дербес шот 9999' },
    ]);
    const r = esep(db, 'payments', 'assign', String(list[0]!.id), '1004', '--date', '2026-11-20');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('applied to account 1004');
    expect(esep(db, 'payments', 'assign', String(list[0]!.id), '1003', '--date', '2026-11-20').code).toBe(2);
    expect(esepJson<unknown[]>(db, 'payments', 'unmatched')).toHaveLength(1);
    const reversals = esep(db, 'payments', 'reversals');
    expect(reversals.stdout).toContain('HB-2026-11-0006');
    expect(reversals.stdout).toContain('1 reversal(s), -5 000,00 ₸');
  });

  it('imports the bank exports and the 1C file', () => {
    expect(esepJson<Record<string, unknown>>(db, 'payments', 'import', statement('halyk-2026-11-20.xlsx'), '--date', '2026-11-20')).toMatchObject({ format: 'halyk', applied: 2, applied_amount: '7500.50', suspense: 1 });
    expect(esepJson<Record<string, unknown>>(db, 'payments', 'import', statement('kaspi-2026-11-21.xlsx'), '--date', '2026-11-21')).toMatchObject({ format: 'kaspi', applied: 2, reversals: 1 });
    expect(esepJson<Record<string, unknown>>(db, 'payments', 'import', statement('onec-2026-11-22.txt'), '--date', '2026-11-22')).toMatchObject({ format: '1c', encoding: 'windows-1251', applied: 2, applied_amount: '8500.50' });
    expect(esepJson<Record<string, unknown>>(db, 'payments', 'import', statement('generic-1251.csv'), '--date', '2026-11-23')).toMatchObject({ encoding: 'windows-1251', applied: 2 });
  });

  it('shows what each payment settled in account show and the statement', () => {
    // 1001: 5 000 (generic) + 5 000 (Halyk) + 6 000 (1C) = 16 000,00, nothing charged: all prepayment
    const shown = esepJson<{ balance: string; payments: { amount: string; unallocated: string; settled: unknown[] }[] }>(db, 'account', 'show', '1001', '--date', '2026-11-23');
    expect(shown.balance).toBe('16000.00');
    expect(shown.payments.map((p) => [p.amount, p.unallocated])).toEqual([
      ['5000.00', '5000.00'],
      ['5000.00', '5000.00'],
      ['6000.00', '6000.00'],
    ]);
    const text = esep(db, 'account', 'show', '1001', '--date', '2026-11-23');
    expect(text.stdout).toContain('Payments and what they settled (cl. 16):');
    const st = esep(db, 'account', 'statement', '1001', '--from', '2026-11-01', '--to', '2026-11-30');
    expect(st.code).toBe(0);
    expect(st.stdout).toContain('payment');
  });

  it('refunds a terminated account and moves money between accounts', () => {
    expect(esep(db, 'refunds').stdout).toContain('no refunds due');
    // 1001's money came in November: a transfer dated 1 Nov is refused, nothing moves
    const early = esep(db, 'transfer', '1001', '1004', '2 500,50', '--date', '2026-11-01');
    expect(early.code).toBe(2);
    expect(early.stderr).toBe(
      'esep: refused, nothing was changed:\n  --date: account 1001 holds 0,00 ₸ on 2026-11-01 (money dated up to that day): 2 500,50 ₸ cannot move before the value date of the money it moves\n',
    );
    expect(esep(db, 'transfer', '1001', '1004', '2 500,50', '--date', '2026-11-24').stdout).toContain('moved 2 500,50 ₸ from account 1001 to account 1004');
    const over = esep(db, 'transfer', '2001', '1004', '1 000 000', '--date', '2026-11-24');
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('is more than the positive balance of account 2001');
    const shown = esepJson<{ balance: string }>(db, 'account', 'show', '1001', '--date', '2026-11-24');
    // 16 000,00 − 2 500,50 = 13 499,50
    expect(shown.balance).toBe('13499.50');
    const pay = esep(db, 'refunds', 'pay', '1001', '--date', '2026-11-25', '--amount', '499,50');
    expect(pay.code).toBe(0);
    expect(pay.stdout).toContain('balance 13 000,00 ₸');
    // the payout is recorded on the day given, not today
    expect(pay.stdout).toContain('from account 1001 on 2026-11-25 recorded');
    const d = openDatabase(db);
    try {
      expect(d.sqlite.prepare(`SELECT value_date AS day, amount FROM ledger WHERE account = '1001' AND kind = 'refund'`).all()).toEqual([{ day: '2026-11-25', amount: -49_950 }]);
    } finally {
      d.close();
    }
    expect(esep(db, 'verify').code).toBe(0);
  });

  it('transfer typed twice: the second is refused (exit 2) naming the first and how to record a second one; --ref records it, a retry under it records nothing new', () => {
    const transfers = () => {
      const d = openDatabase(db);
      try {
        return d.sqlite.prepare(`SELECT id, key, amount, created_at AS at FROM ledger WHERE kind = 'transfer' AND account = '1001' ORDER BY id`).all() as { id: number; key: string; amount: number; at: string }[];
      } finally {
        d.close();
      }
    };
    const [first] = transfers();
    const again = esep(db, 'transfer', '1001', '1004', '2 500,50', '--date', '2026-11-24');
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      'esep: refused, nothing was changed:\n' +
        `  --ref: a transfer of 2 500,50 ₸ from account 1001 to account 1004 on 2026-11-24 (entry ${first!.id}, recorded ${formatTime(first!.at)}) is already recorded; nothing new was posted. ` +
        'To record a second one, give it a reference of its own: esep transfer 1001 1004 2500.50 --date 2026-11-24 --ref SOMETHING\n',
    );
    expect(transfers()).toHaveLength(1);

    const second = esep(db, 'transfer', '1001', '1004', '2 500,50', '--date', '2026-11-24', '--ref', 'REQ-2');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('moved 2 500,50 ₸ from account 1001 to account 1004 on 2026-11-24');
    const [, made] = transfers();
    expect(made).toMatchObject({ key: 'transfer:1001:1004:REQ-2:out', amount: -250_050 });
    // a retry under the same reference: exit 0, nothing new
    const retry = esep(db, 'transfer', '1001', '1004', '2 500,50', '--date', '2026-11-24', '--ref', 'REQ-2');
    expect(retry.code).toBe(0);
    expect(retry.stdout).toBe(`transfer REQ-2 of 2 500,50 ₸ from 1001 to 1004 on 2026-11-24 was recorded before (entry ${made!.id}, ${formatTime(made!.at)}): nothing new\n`);
    const other = esep(db, 'transfer', '1001', '1004', '100', '--date', '2026-11-24', '--ref', 'REQ-2');
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`--ref: reference REQ-2 is the transfer of 2 500,50 ₸ from account 1001 to account 1004 on 2026-11-24 (entry ${made!.id}`);
    expect(transfers()).toHaveLength(2);
    // 13 000,00 after the payout, less the second 2 500,50 = 10 499,50
    expect(esepJson<{ balance: string }>(db, 'account', 'show', '1001', '--date', '2026-11-25').balance).toBe('10499.50');
    expect(esep(db, 'verify').code).toBe(0);
  });

  it('refuses a statement that does not add up (exit 2) naming the section and the difference; the database is byte for byte as it was', () => {
    const digest = () => createHash('sha256').update(readFileSync(db)).digest('hex');
    const before = digest();
    // Halyk's 1C file of 24 and 25 November without the 1 000 of the 24th: 3 500 read of ВсегоПоступило 4 500
    const r = esep(db, 'payments', 'import', statement('onec-halyk-2026-11-24-row-removed.txt'), '--date', '2026-11-25');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'esep: refused, nothing was changed:\n' +
        "  onec-halyk-2026-11-24-row-removed.txt, line 14, ВсегоПоступило: СекцияРасчСчет KZ12601A861000123456 24.11.2026: rows read: money in 3 500,00, the statement's ВсегоПоступило 4 500,00: 1 000,00 missing\n",
    );
    expect(digest()).toBe(before);
  });

  it("refuses another company's statement unless --any-account, which imports it", () => {
    const digest = () => createHash('sha256').update(readFileSync(db)).digest('hex');
    const before = digest();
    const file = statement('halyk-other-company-2026-11-20.xlsx');
    const r = esep(db, 'payments', 'import', file, '--date', '2026-11-25');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "halyk-other-company-2026-11-20.xlsx, line 3, account: the statement is of account KZ886010002098765432, which is not one of the operator's accounts (the operator's accounts are KZ12601A861000123456, KZ18722S000012345678, KZ218560000012345678): another company's statement? --any-account imports it anyway",
    );
    expect(digest()).toBe(before);
    // its one credit, 7 000 from IIN 951212500174 who holds no account: suspense
    expect(esepJson<Record<string, unknown>>(db, 'payments', 'import', file, '--date', '2026-11-25', '--any-account')).toMatchObject({ format: 'halyk', applied: 0, suspense: 1, suspense_amount: '7000.00' });
  });
});
