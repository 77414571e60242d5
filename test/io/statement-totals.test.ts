// Each format's own totals as the readers read them, the rows' sums beside them, the refusal of a
// statement with one row removed, and the statement's own account. The fixtures' figures are
// worked out in fixtures/statements/make-fixtures.mjs; the arithmetic is repeated here.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputProblem } from '../../src/domain/errors.js';
import type { StatementRow, StatementTotals } from '../../src/domain/statement.js';
import { openStatement } from '../../src/io/statements/index.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { statement } from '../jobs/payments-world.js';

const dir = tempDir();
const HALYK = 'KZ12601A861000123456';
const KASPI = 'KZ18722S000012345678';
const BCC = 'KZ218560000012345678';
const OTHER = 'KZ886010002098765432';
// the demo operator (fixtures/demo/operator.json)
const operator = { iban: HALYK, bin: '190540012345', accounts: [HALYK, KASPI, BCC] };

interface Read {
  rows: StatementRow[];
  problems: InputProblem[];
  totals: StatementTotals[];
  ignored: number;
}

async function read(file: string, options: { anyAccount?: boolean; operator?: typeof operator } = {}): Promise<Read> {
  const s = await openStatement(file, { operator: options.operator ?? operator, anyAccount: options.anyAccount });
  const out: Read = { rows: [], problems: [], totals: [], ignored: 0 };
  for await (const item of s.items()) {
    if (item.type === 'row') out.rows.push(item.row);
    else if (item.type === 'problem') out.problems.push(item.problem);
    else if (item.type === 'totals') out.totals.push(item.totals);
    else out.ignored++;
  }
  return out;
}

const section = (t: Partial<StatementTotals>) => expect.objectContaining(t) as unknown as StatementTotals;

describe('Halyk and Kaspi xlsx: metadata, balance and totals rows', () => {
  it('Halyk: «Входящий остаток», «Итого обороты» debit and credit, «Исходящий остаток», the period', async () => {
    const r = await read(statement('halyk-2026-11-20.xlsx'));
    expect(r.problems).toEqual([]);
    // credits read: 5 000 + 2 500,50 + 1 500,50 = 9 001,00; debits: 120 000,00
    // 1 250 000,00 + 9 001,00 − 120 000,00 = 1 139 001,00
    expect(r.totals).toEqual([
      {
        section: `the sheet of ${HALYK}`,
        line: 7,
        account: HALYK,
        from: '2026-11-20',
        to: '2026-11-20',
        opening: 125_000_000,
        statedIn: 900_100,
        statedOut: 12_000_000,
        closing: 113_900_100,
        readIn: 900_100,
        readOut: 12_000_000,
      },
    ]);
    expect(r.rows.map((row) => row.statementAccount)).toEqual([HALYK, HALYK, HALYK]);
  });

  it('Halyk with one row removed: refused at «Итого обороты», 2 500,50 missing', async () => {
    const r = await read(statement('halyk-2026-11-20-row-removed.xlsx'));
    // 5 000 + 1 500,50 = 6 500,50 read of 9 001,00: 2 500,50 missing; the closing agrees with the stated in
    expect(r.problems).toEqual([
      {
        file: 'halyk-2026-11-20-row-removed.xlsx',
        line: 13,
        field: '«Итого обороты», credit',
        message: `the sheet of ${HALYK}: rows read: money in 6 500,50, the statement's «Итого обороты», credit 9 001,00: 2 500,50 missing`,
      },
    ]);
  });

  it('Kaspi: «Входящий остаток:» above the header, «Итого поступлений» and «Итого списаний», «Исходящий остаток:»', async () => {
    const r = await read(statement('kaspi-2026-11-21.xlsx'));
    expect(r.problems).toEqual([]);
    // in: 3 000 − 3 000 (the reversal) + 12 000 = 12 000,00; out: 45 000,00 to a supplier
    // 85 000,00 + 12 000,00 − 45 000,00 = 52 000,00
    expect(r.totals).toEqual([
      section({ account: KASPI, line: 9, from: '2026-11-21', opening: 8_500_000, statedIn: 1_200_000, statedOut: 4_500_000, closing: 5_200_000, readIn: 1_200_000, readOut: 4_500_000 }),
    ]);
  });

  it('Kaspi with one row removed: refused at «Итого поступлений», 12 000,00 missing', async () => {
    const r = await read(statement('kaspi-2026-11-21-row-removed.xlsx'));
    // 3 000 − 3 000 = 0,00 read of 12 000,00
    expect(r.problems).toEqual([
      {
        file: 'kaspi-2026-11-21-row-removed.xlsx',
        line: 14,
        field: '«Итого поступлений»',
        message: `the sheet of ${KASPI}: rows read: money in 0,00, the statement's «Итого поступлений» 12 000,00: 12 000,00 missing`,
      },
    ]);
  });

  it('a closing balance the rows do not reach is named with the statement’s words', async () => {
    const text = [
      'АО "Народный Банк Казахстана";;;',
      `Выписка по счету;${HALYK};;`,
      'Дата операции;Номер документа;Сумма в тенге по дебету;Сумма в тенге по кредиту;Назначение платежа',
      'Начальный баланс;;;100 000,00;',
      '20.11.2026;1;;5 000,00;Оплата л/с 1001',
      'Конечный баланс;;;104 000,00;',
    ].join('\r\n');
    const file = writeText(dir, 'halyk-balance.csv', text, 'windows-1251');
    const r = await read(file);
    // no turnover row: 100 000,00 + 5 000,00 read − 0,00 read = 105 000,00, stated 104 000,00: 1 000,00 apart
    expect(r.problems).toEqual([
      {
        file: path.basename(file),
        line: 6,
        field: '«Конечный баланс»',
        message: `the file of ${HALYK}: «Начальный баланс» 100 000,00 + money in read 5 000,00 − money out read 0,00 = 105 000,00, the statement's «Конечный баланс» 104 000,00: 1 000,00 apart`,
      },
    ]);
  });
});

describe('1C ClientBankExchange: СекцияРасчСчет', () => {
  it('Halyk, one day (Windows-1251): the section against its documents', async () => {
    const r = await read(statement('onec-2026-11-22.txt'));
    expect(r.problems).toEqual([]);
    // in: 6 000 + 2 500,50 + 800 = 9 300,50; out: 150 000,00; 1 139 001,00 + 9 300,50 − 150 000,00 = 998 301,50
    expect(r.totals).toEqual([
      {
        section: `СекцияРасчСчет ${HALYK} 22.11.2026`,
        line: 10,
        account: HALYK,
        from: '2026-11-22',
        to: '2026-11-22',
        opening: 113_900_100,
        statedIn: 930_050,
        statedOut: 15_000_000,
        closing: 99_830_150,
        readIn: 930_050,
        readOut: 15_000_000,
      },
    ]);
  });

  it('Halyk, one day, one document removed: refused at ВсегоПоступило, 2 500,50 missing', async () => {
    const r = await read(statement('onec-2026-11-22-row-removed.txt'));
    // 6 000 + 800 = 6 800,00 read of 9 300,50
    expect(r.problems).toEqual([
      {
        file: 'onec-2026-11-22-row-removed.txt',
        line: 15,
        field: 'ВсегоПоступило',
        message: `СекцияРасчСчет ${HALYK} 22.11.2026: rows read: money in 6 800,00, the statement's ВсегоПоступило 9 300,50: 2 500,50 missing`,
      },
    ]);
  });

  it('Kaspi (ВерсияФормата=1.01): the operator’s own transfer is counted in, not imported', async () => {
    const r = await read(statement('onec-kaspi-2026-11-23.txt'));
    expect(r.problems).toEqual([]);
    // in: 4 000 + 20 000 (from the operator's Halyk account, ignored as a payment) + 7 000 = 31 000,00; out: 1 500,00
    // 52 000,00 + 31 000,00 − 1 500,00 = 81 500,00
    expect(r.totals).toEqual([section({ account: KASPI, opening: 5_200_000, statedIn: 3_100_000, statedOut: 150_000, closing: 8_150_000, readIn: 3_100_000, readOut: 150_000 })]);
    expect(r.rows.map((row) => [row.line, row.amount, row.statementAccount])).toEqual([
      [19, 400_000, KASPI],
      [57, 700_000, KASPI],
    ]);
    // the own transfer and the bank's fee
    expect(r.ignored).toBe(2);
  });

  it('Kaspi with one document removed: 7 000,00 missing', async () => {
    const r = await read(statement('onec-kaspi-2026-11-23-row-removed.txt'));
    // 4 000 + 20 000 = 24 000,00 read of 31 000,00
    expect(r.problems.map((p) => `${p.line} ${p.field}: ${p.message}`)).toEqual([
      `15 ВсегоПоступило: СекцияРасчСчет ${KASPI} 23.11.2026: rows read: money in 24 000,00, the statement's ВсегоПоступило 31 000,00: 7 000,00 missing`,
    ]);
  });

  it('Halyk, one section per day, keys in mixed case, UTF-8 and Windows-1251 alike', async () => {
    const utf8 = await openStatement(statement('onec-halyk-2026-11-24.txt'), { operator });
    const ansi = await openStatement(statement('onec-halyk-2026-11-24-1251.txt'), { operator });
    expect([utf8.encoding, ansi.encoding]).toEqual(['utf-8', 'windows-1251']);
    const r = await read(statement('onec-halyk-2026-11-24.txt'));
    expect(r.problems).toEqual([]);
    // 24.11: in 3 500 + 1 000 = 4 500,00, out 25 000,00: 998 301,50 + 4 500,00 − 25 000,00 = 977 801,50
    // 25.11: in 2 000,00 (Дата 24.11, ДатаПоступило 25.11: the day it came), out 10 000,00 to the
    //        operator's Kaspi account: 977 801,50 + 2 000,00 − 10 000,00 = 969 801,50
    expect(r.totals).toEqual([
      section({ section: `СекцияРасчСчет ${HALYK} 24.11.2026`, line: 9, from: '2026-11-24', to: '2026-11-24', opening: 99_830_150, statedIn: 450_000, statedOut: 2_500_000, closing: 97_780_150, readIn: 450_000, readOut: 2_500_000 }),
      section({ section: `СекцияРасчСчет ${HALYK} 25.11.2026`, line: 18, from: '2026-11-25', to: '2026-11-25', opening: 97_780_150, statedIn: 200_000, statedOut: 1_000_000, closing: 96_980_150, readIn: 200_000, readOut: 1_000_000 }),
    ]);
    expect(r.rows.map((row) => [row.line, row.valueDate, row.amount, row.payerIin])).toEqual([
      [27, '2026-11-24', 350_000, '900101300007'],
      [52, '2026-11-24', 100_000, '951212500174'],
      [65, '2026-11-25', 200_000, '880302400054'],
    ]);
    // the same statement in Windows-1251 reads to the same rows and totals
    const r1251 = await read(statement('onec-halyk-2026-11-24-1251.txt'));
    expect(r1251.rows).toEqual(r.rows);
    expect(r1251.totals).toEqual(r.totals);
  });

  it('Halyk per day with one document removed: the section of 24.11 is named, 1 000,00 missing', async () => {
    const r = await read(statement('onec-halyk-2026-11-24-row-removed.txt'));
    // 24.11: 3 500,00 read of 4 500,00; 25.11 adds up
    expect(r.problems).toEqual([
      {
        file: 'onec-halyk-2026-11-24-row-removed.txt',
        line: 14,
        field: 'ВсегоПоступило',
        message: `СекцияРасчСчет ${HALYK} 24.11.2026: rows read: money in 3 500,00, the statement's ВсегоПоступило 4 500,00: 1 000,00 missing`,
      },
    ]);
  });

  it('BCC (ВерсияФормата=2.0): ДатаВалютирования is the value date, ДатаПоступило the section’s day', async () => {
    const r = await read(statement('onec-bcc-2026-11-26.txt'));
    expect(r.problems).toEqual([]);
    // in: 5 500 + 2 500,50 = 8 000,50; out: 300,00; 15 000,00 + 8 000,50 − 300,00 = 22 700,50
    expect(r.totals).toEqual([section({ section: `СекцияРасчСчет ${BCC} 26.11.2026`, account: BCC, opening: 1_500_000, statedIn: 800_050, statedOut: 30_000, closing: 2_270_050, readIn: 800_050, readOut: 30_000 })]);
    // the 5 500 came on 26.11 (in that day's section) and is valued 25.11
    expect(r.rows.map((row) => [row.line, row.valueDate, row.amount, row.statementAccount])).toEqual([
      [19, '2026-11-25', 550_000, BCC],
      [33, '2026-11-26', 250_050, BCC],
    ]);
  });

  it('BCC with one document removed: 5 500,00 missing', async () => {
    const r = await read(statement('onec-bcc-2026-11-26-row-removed.txt'));
    // 2 500,50 read of 8 000,50
    expect(r.problems.map((p) => `${p.line} ${p.field}: ${p.message}`)).toEqual([
      `15 ВсегоПоступило: СекцияРасчСчет ${BCC} 26.11.2026: rows read: money in 2 500,50, the statement's ВсегоПоступило 8 000,50: 5 500,00 missing`,
    ]);
  });

  it('names a КонечныйОстаток that НачальныйОстаток + ВсегоПоступило − ВсегоСписано does not reach', async () => {
    const lines = [
      '1CClientBankExchange',
      'ВерсияФормата=1.03',
      `РасчСчет=${HALYK}`,
      'СекцияРасчСчет',
      'ДатаНачала=22.11.2026',
      'ДатаКонца=22.11.2026',
      `РасчСчет=${HALYK}`,
      'НачальныйОстаток=1000.00',
      'ВсегоПоступило=500.00',
      'ВсегоСписано=0.00',
      'КонечныйОстаток=1400.00',
      'КонецРасчСчет',
      'СекцияДокумент=Платежное поручение',
      'Номер=1',
      'Дата=22.11.2026',
      'Сумма=500.00',
      'ПлательщикИИН=900101300007',
      `ПолучательИИК=${HALYK}`,
      'НазначениеПлатежа=л/с 1001',
      'КонецДокумента',
      'КонецФайла',
    ];
    const r = await read(writeText(dir, 'closing.txt', lines.join('\r\n'), 'windows-1251'));
    // 1 000,00 + 500,00 − 0,00 = 1 500,00, stated 1 400,00: 100,00 apart (the rows agree with the stated in and out)
    expect(r.problems.map((p) => `${p.line} ${p.field}: ${p.message}`)).toEqual([
      `11 КонечныйОстаток: СекцияРасчСчет ${HALYK} 22.11.2026: НачальныйОстаток 1 000,00 + ВсегоПоступило 500,00 − ВсегоСписано 0,00 = 1 500,00, the statement's КонечныйОстаток 1 400,00: 100,00 apart`,
    ]);
  });
});

describe('1C sections of one account in a row', () => {
  it("refuses a day that does not open with the day before's closing balance", async () => {
    const day = (d: string, opening: string, closing: string) => [
      'СЕКЦИЯРАСЧСЧЕТ',
      `ДАТАНАЧАЛА=${d}`,
      `ДАТАКОНЦА=${d}`,
      `РАСЧСЧЕТ=${HALYK}`,
      `НАЧАЛЬНЫЙОСТАТОК=${opening}`,
      'ВсегоПоступило=0.00',
      'ВСЕГОСПИСАНО=0.00',
      `КонечныйОстаток=${closing}`,
      'КОНЕЦРАСЧСЧЕТ',
    ];
    // 24.11 closes with 1 000,00; 25.11 opens with 900,00 (each adds up on its own: nothing moved)
    const lines = ['1CClientBankExchange', `РАСЧСЧЕТ=${HALYK}`, ...day('24.11.2026', '1000.00', '1000.00'), ...day('25.11.2026', '900.00', '900.00'), 'КОНЕЦФАЙЛА'];
    const r = await read(writeText(dir, 'chain.txt', lines.join('\r\n')));
    // 1 000,00 − 900,00 = 100,00 apart, named at 25.11's НАЧАЛЬНЫЙОСТАТОК: line 16 (1 the signature,
    // 2 the header's account, 3–11 the section of 24.11, 12–15 that of 25.11 down to its account)
    expect(r.problems.map((p) => `${p.line} ${p.field}: ${p.message}`)).toEqual([
      `16 НАЧАЛЬНЫЙОСТАТОК: СекцияРасчСчет ${HALYK} 25.11.2026: НАЧАЛЬНЫЙОСТАТОК 900,00, the section before it (СекцияРасчСчет ${HALYK} 24.11.2026) closed with КонечныйОстаток 1 000,00: 100,00 apart`,
    ]);
  });
});

describe("the statement's own account", () => {
  it("refuses a Halyk xlsx of another company's account, naming the line and the IBAN; --any-account reads it", async () => {
    await expect(read(statement('halyk-other-company-2026-11-20.xlsx'))).rejects.toMatchObject({
      problems: [
        {
          file: 'halyk-other-company-2026-11-20.xlsx',
          line: 3,
          field: 'account',
          message: `the statement is of account ${OTHER}, which is not one of the operator's accounts (the operator's accounts are ${HALYK}, ${KASPI}, ${BCC}): another company's statement? --any-account imports it anyway`,
        },
      ],
    });
    const r = await read(statement('halyk-other-company-2026-11-20.xlsx'), { anyAccount: true });
    // 500 000,00 + 7 000,00 − 0,00 = 507 000,00
    expect(r.totals).toEqual([section({ account: OTHER, opening: 50_000_000, statedIn: 700_000, statedOut: 0, closing: 50_700_000, readIn: 700_000 })]);
    expect(r.rows.map((row) => [row.amount, row.statementAccount])).toEqual([[700_000, OTHER]]);
  });

  it('refuses a 1C file whose header or section names an account not among the operator’s', async () => {
    // the Kaspi 1C file read by an operator whose only account is at Halyk: its header РасчСчет (line 9)
    await expect(read(statement('onec-kaspi-2026-11-23.txt'), { operator: { ...operator, accounts: [HALYK] } })).rejects.toMatchObject({
      problems: [{ file: 'onec-kaspi-2026-11-23.txt', line: 9, field: 'РасчСчет', message: expect.stringContaining(`the statement is of account ${KASPI}`) as unknown }],
    });
    const lines = ['1CClientBankExchange', `РасчСчет=${HALYK}`, 'СекцияРасчСчет', `РасчСчет=${OTHER}`, 'КонецРасчСчет', 'КонецФайла'];
    await expect(read(writeText(dir, 'other-section.txt', lines.join('\r\n'), 'windows-1251'))).rejects.toMatchObject({
      problems: [{ line: 4, field: 'РасчСчет', message: expect.stringContaining(`account ${OTHER}, which is not one of the operator's accounts`) as unknown }],
    });
  });

  it('refuses a bank statement that names no account of its own, unless --any-account', async () => {
    const onec = ['1CClientBankExchange', 'СекцияДокумент=Платежное поручение', 'Сумма=100.00', 'Дата=22.11.2026', `ПолучательИИК=${HALYK}`, 'КонецДокумента', 'КонецФайла'];
    const file = writeText(dir, 'no-account.txt', onec.join('\r\n'), 'windows-1251');
    await expect(read(file)).rejects.toMatchObject({
      problems: [{ file: path.basename(file), line: 1, field: 'РасчСчет', message: 'the statement names no account of its own, so whose it is cannot be checked: --any-account imports it anyway' }],
    });
    // with --any-account: money to the operator's account is money in; no section, no totals
    const r = await read(file, { anyAccount: true });
    expect(r.rows.map((row) => [row.amount, row.statementAccount])).toEqual([[10_000, HALYK]]);
    expect(r.totals).toEqual([]);

    const csv = [
      'Дата операции;Номер документа;Сумма в тенге по дебету;Сумма в тенге по кредиту;Назначение платежа',
      '20.11.2026;1;;5 000,00;Оплата л/с 1001',
    ].join('\r\n');
    const noAccount = writeText(dir, 'halyk-no-account.csv', csv, 'windows-1251');
    await expect(read(noAccount)).rejects.toMatchObject({
      problems: [{ file: path.basename(noAccount), line: 1, message: expect.stringContaining('names no account of its own') as unknown }],
    });
  });

  it('reads the generic CSV, the operator’s own format, with no account and no totals', async () => {
    const r = await read(statement('generic-2026-11.csv'), { operator: { ...operator, accounts: [] } });
    expect(r.problems).toEqual([]);
    expect(r.totals).toEqual([]);
    expect(new Set(r.rows.map((row) => row.statementAccount))).toEqual(new Set([null]));
  });
});
