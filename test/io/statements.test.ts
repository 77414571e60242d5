// Statement readers: containers, encodings, profiles as data, and streaming in bounded memory.
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openStatement, type StatementItem } from '../../src/io/statements/index.js';
import { loadProfiles } from '../../src/io/statements/profile.js';
import { composeLabels } from '../../src/io/statements/tabular.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { statement } from '../jobs/payments-world.js';

const dir = tempDir();
// the demo operator (fixtures/demo/operator.json): its Halyk, Kaspi and BCC accounts
const operator = { iban: 'KZ12601A861000123456', bin: '190540012345', accounts: ['KZ12601A861000123456', 'KZ18722S000012345678', 'KZ218560000012345678'] };

async function items(file: string, format?: string): Promise<StatementItem[]> {
  const s = await openStatement(file, { operator, format });
  const out: StatementItem[] = [];
  for await (const item of s.items()) out.push(item);
  return out;
}

describe('profiles', () => {
  it('ships generic, halyk and kaspi as data, each valid', () => {
    expect([...loadProfiles().keys()].sort()).toEqual(['generic', 'halyk', 'kaspi']);
  });

  it('labels a two-row header: the group heads its sub-columns, a merged-down column keeps its own name', () => {
    expect(
      composeLabels(['№', 'Дата операции', 'Плательщик', '', '', 'Получатель', '', 'Сумма'], ['', '', 'Наименование', 'ИИН/БИН', 'Счет', 'Наименование', 'Счёт', '']),
    ).toEqual(['№', 'дата операции', 'плательщик / наименование', 'плательщик / иин/бин', 'плательщик / счет', 'получатель / наименование', 'получатель / счет', 'сумма']);
  });
});

describe('containers and encodings', () => {
  it('detects xlsx by its zip bytes, 1C by its first line, CSV by its header', async () => {
    expect((await openStatement(statement('halyk-2026-11-20.xlsx'), { operator })).format).toBe('halyk');
    expect((await openStatement(statement('kaspi-2026-11-21.xlsx'), { operator })).format).toBe('kaspi');
    expect(await openStatement(statement('onec-2026-11-22.txt'), { operator })).toMatchObject({ format: '1c', encoding: 'windows-1251' });
    expect(await openStatement(statement('generic-1251.csv'), { operator })).toMatchObject({ format: 'generic', encoding: 'windows-1251' });
    const bom = writeText(dir, 'bom.csv', 'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose\nB-1,2026-11-16,"2 500,50",1001,,Әбенов Қанат,Төлем\n', 'utf-8-bom');
    expect(await openStatement(bom, { operator })).toMatchObject({ format: 'generic', encoding: 'utf-8 (BOM)' });
    // the generic CSV states no totals (no totals item) and is of no account
    expect(await items(bom)).toMatchObject([{ type: 'row', row: { bankRef: 'B-1', amount: 250_050, payerName: 'Әбенов Қанат', statementAccount: null } }]);
  });

  it('reads a Halyk statement saved as CSV (Windows-1251, semicolons) by the same profile', async () => {
    const text = [
      'АО "Народный Банк Казахстана";;;',
      `Выписка по счету;${operator.iban};;`,
      'Дата и время операции;Номер документа;Сумма в тенге по дебету;Сумма в тенге по кредиту;Наименование плательщика;ИИН/БИН плательщика;Счет плательщика;Назначение платежа',
      '1;2;3;4;5;6;7;8',
      'Входящий остаток;;;100 000,00;;;;',
      '20.11.2026 10:15:00;301;;5 000,00;Петров Сергей;900101300007;KZ49722C000022223333;Оплата л/с 1001',
      '20.11.2026 11:00:00;77;1 000,00;;ТОО «Мысал Телеком»;190540012345;KZ12601A861000123456;Комиссия',
      'Итого;;1 000,00;5 000,00;;;;',
    ].join('\r\n');
    const file = writeText(dir, 'halyk.csv', text, 'windows-1251');
    expect((await openStatement(file, { operator })).format).toBe('halyk');
    const got = await items(file);
    expect(got.map((i) => i.type)).toEqual(['ignored', 'row', 'ignored', 'ignored', 'totals']);
    expect(got[1]).toMatchObject({ type: 'row', row: { line: 6, valueDate: '2026-11-20', amount: 500_000, payerIin: '900101300007', purpose: 'Оплата л/с 1001', statementAccount: operator.iban } });
    // «Входящий остаток» 100 000, «Итого» debit 1 000 and credit 5 000: the rows read are the 5 000 in and the 1 000 out
    expect(got[4]).toMatchObject({ type: 'totals', totals: { account: operator.iban, opening: 10_000_000, statedIn: 500_000, statedOut: 100_000, closing: null, readIn: 500_000, readOut: 100_000 } });
  });

  it('refuses an xlsx of no known bank, and a kaspi file named as halyk', async () => {
    await expect(openStatement(path.join(dir, 'nope.xlsx'), { operator })).rejects.toThrow(/no such file/);
    await expect(items(statement('kaspi-2026-11-21.xlsx'), 'halyk')).rejects.toThrow(/not a Halyk Bank .* no header row/);
  });
});

describe('streaming', () => {
  it('reads 200 000 rows with the heap bounded, whatever the file size', async () => {
    const file = path.join(dir, 'big.csv');
    const out = createWriteStream(file);
    out.write('bank_ref,value_date,amount,account,payer_iin,payer_name,purpose\n');
    for (let i = 0; i < 200_000; i++) {
      if (!out.write(`BIG-${i},2026-11-${String((i % 20) + 1).padStart(2, '0')},"${(i % 900) + 1} 000,50",${1000 + (i % 5000)},,Сейтқали Айгерім,Оплата за услуги связи по лицевому счёту ${1000 + (i % 5000)}\n`)) {
        await once(out, 'drain');
      }
    }
    out.end();
    await once(out, 'finish');
    const s = await openStatement(file, { operator });
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let rows = 0;
    let total = 0;
    for await (const item of s.items()) {
      if (item.type !== 'row') continue;
      rows++;
      total += item.row.amount;
      if (rows % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(rows).toBe(200_000);
    expect(total).toBeGreaterThan(0);
    // the file is ~40 MB and its rows as objects would be far more; streaming stays well under 100 MB
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  }, 120_000);
});
