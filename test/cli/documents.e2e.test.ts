// What the subscriber receives, read back from the PDFs (text extracted with pdfjs-dist), for each
// state an account can be in at month-end: active on credit, active on advance, suspended for funds,
// suspended for debt, final after termination by the operator and by the subscriber; and the
// termination notices with and without a debt. One world through the built binary, August to
// October 2026, October's invoices issued on 1 November. Every figure is worked out in a comment.
//
// DOC_IMAGES=DIR keeps a copy of each kind of document in DIR (docs/img is made from them).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../src/domain/identifiers.js';
import { esep } from '../helpers/cli.js';
import { ACCOUNT_HEADER } from '../helpers/fixtures.js';
import { pdfText } from '../helpers/pdf.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { ROOT } from '../helpers/cli.js';
import { writeStatement } from '../helpers/world.js';

const dir = tempDir();
const db = path.join(dir, 'documents.db');
const out = path.join(dir, 'invoices');
const notices = path.join(dir, 'notices');
const config = path.join(dir, 'esep.config.json');
const SLOW = 240_000;

const people = [
  ['5001', makeIin('90010130000'), 'Әбенов Қанат', 'credit', 'NET', '2026-10-01'],
  ['5002', makeIin('85052540012'), 'Иванова Мария', 'advance', 'ADV', '2026-10-01'],
  ['5003', makeIin('02071150034'), 'Сейтқали Өмірзақ', 'advance', 'ADV', '2026-10-01'],
  ['5004', makeIin('88030340015'), 'Бондаренко Павел', 'credit', 'NET', '2026-09-01'],
  ['5005', makeIin('91121240022'), 'Мұратқызы Қарлығаш', 'advance', 'ADV', '2026-08-01'],
  ['5006', makeIin('79060640031'), 'Ким Анна', 'credit', 'NET', '2026-09-01'],
  ['5007', makeIin('95020250047'), 'Нұрланұлы Дәурен', 'advance', 'FREE', '2026-08-26'],
] as const;

function ok(...args: string[]): string {
  const r = esep(db, '--config', config, ...args);
  if (r.code !== 0) throw new Error(`esep ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

let payments = 0;
function pay(account: string, valueDate: string, amount: number): void {
  const file = writeStatement(path.join(dir, `pay-${++payments}.csv`), [{ bankRef: `REF-${payments}`, valueDate, amount, account }]);
  ok('payments', 'import', file, '--format', 'generic', '--date', valueDate);
}

const text = new Map<string, string>();
const registryVat = new Map<string, string>();
const keep = (file: string, name: string) => {
  const to = process.env.DOC_IMAGES;
  if (!to) return;
  mkdirSync(to, { recursive: true });
  copyFileSync(file, path.join(to, name));
};

beforeAll(async () => {
  writeFileSync(config, JSON.stringify({ output: { notices_dir: notices, invoices_dir: out } }));
  ok('init');
  ok('import', 'operator', path.join(ROOT, 'fixtures', 'demo', 'operator.json'));
  // NET: 5 000 ₸ a month, port 100 ₸ a day; ADV: 3 100 ₸ a month (100 ₸ a day in a 31-day month), port 50 ₸; FREE: 3 000 ₸, port 0
  ok('import', 'tariffs', writeText(dir, 't.csv', 'code,name,monthly_fee,port_fee,installation_fee\nNET,Үй интернеті,5000,100,0\nADV,Аванс 3100,3100,50,0\nFREE,Free port,3000,0,0'));
  const rows = people.map(([acc, iin, name, method, tariff, on]) => `${acc},${iin},${name},"г. Алматы, ул. Сәтпаев, ${acc}",,+7 701 000 ${acc},${method},${tariff},${on},yes`);
  ok('import', 'accounts', writeText(dir, 'a.csv', [ACCOUNT_HEADER, ...rows].join('\n')), '--date', '2026-08-01');
  ok('equipment', 'add', '5005', 'ONT-5005', '--cost', '25000', '--date', '2026-08-01', '--model', 'Huawei HG8245');
  // August: 5005 pays 2 500 = 25 days at 100 ₸; from 26 August it is suspended for funds (port 50 ₸ a day)
  pay('5005', '2026-08-01', 250_000);
  ok('run', 'day', '--date', '2026-08-31');
  ok('run', 'invoices', '--period', '2026-08', '--out', out);
  // September: 5006 pays 10 000 in advance
  pay('5006', '2026-09-05', 1_000_000);
  ok('run', 'day', '--date', '2026-09-30');
  ok('run', 'invoices', '--period', '2026-09', '--out', out);
  // October: 5002 pays 5 000, 5003 pays 1 000 (10 days at 100 ₸)
  pay('5002', '2026-10-01', 500_000);
  pay('5003', '2026-10-01', 100_000);
  ok('run', 'day', '--date', '2026-10-15');
  // 5006 leaves on 16 October, nothing owed
  ok('account', 'terminate', '5006', '--by', 'subscriber', '--date', '2026-10-16');
  ok('run', 'day', '--date', '2026-10-31');
  ok('run', 'invoices', '--period', '2026-10', '--out', out);
  const registry = readFileSync(path.join(out, '2026-10', 'registry-2026-10.csv'), 'utf8');
  const [header, ...lines] = registry.replace(/^\ufeff/, '').split(/\r?\n/);
  const sep = header!.includes(';') ? ';' : ',';
  const columns = header!.split(sep);
  for (const line of lines) {
    const cells = line.split(sep);
    if (cells.length < 3) continue;
    registryVat.set(cells[columns.indexOf('account')]!, cells[columns.indexOf('vat')]!);
    const file = path.join(out, '2026-10', cells[columns.indexOf('file')]!);
    text.set(cells[1]!, await pdfText(file));
    const names: Record<string, string> = { '5001': 'invoice-credit.pdf', '5002': 'invoice-advance.pdf', '5003': 'invoice-suspended-funds.pdf', '5004': 'invoice-suspended-debt.pdf', '5005': 'invoice-final-operator.pdf', '5006': 'invoice-final-subscriber.pdf' };
    if (names[cells[1]!]) keep(file, names[cells[1]!]!);
  }
  for (const acc of ['5005', '5007']) {
    const file = path.join(notices, '2026-10-26', `notice-${acc}.pdf`);
    text.set(`notice-${acc}`, await pdfText(file));
    keep(file, acc === '5005' ? 'notice-debt.pdf' : 'notice-no-debt.pdf');
  }
}, SLOW);

describe('October invoices, one per state', () => {
  it('active on credit: one amount with its deadline, the VAT line', () => {
    const t = text.get('5001')!;
    expect(t).toContain('Услуга оказывается.');
    // October 5 000,00 ₸, due 25 November
    expect(t).toContain('ТӨЛЕУГЕ / К ОПЛАТЕ до 25.11.2026 5 000,00 ₸');
    // D-13 at 16%: 5 000 × 0.16 / 1.16 = 689.655… → 689,66
    expect(t).toContain('оның ішінде ҚҚС 16% / в т.ч. НДС 16% 689,66 ₸');
    // the monthly fee at its monthly price, 31 days
    expect(t).toMatch(/Ежемесячная абонентская плата 01\.10\.2026 – 31\.10\.2026 31 5 000,00 \/ай·мес\. 5 000,00/);
    expect(t).toContain('Назначение платежа: «Байланыс қызметтері үшін, л/с 5001»');
    expect(t).toContain('ТМК / КНП 859');
    expect(t).toContain('Kaspi.kz');
    expect(t).not.toContain('ПОПОЛНЕНИЮ');
    // the registry's VAT column
    expect(registryVat.get('5001')).toMatch(/^689[.,]66$/);
  });

  it('active on advance: what to top up, what it includes, no amount due competing', () => {
    const t = text.get('5002')!;
    // paid 5 000, 31 daily fees of 100 = 3 100: prepayment 1 900; November costs 3 100: top up 3 100 − 1 900 = 1 200
    expect(t).toContain('ТОЛЫҚТЫРУҒА / К ПОПОЛНЕНИЮ 1 200,00 ₸');
    expect(t).toContain('абонентская плата за ноябрь 2026 г. 3 100,00 ₸');
    expect(t).toContain('− аванс на счёте 1 900,00 ₸');
    expect(t).not.toContain('К ОПЛАТЕ');
    expect(t).not.toContain('задолженность, оплатить до');
    expect(t).toMatch(/Абонентская плата \(ежедневно\) 01\.10\.2026 – 31\.10\.2026 31 3 100,00 \/ай·мес\. 3 100,00/);
    // 3 100 × 0.16 / 1.16 = 427.586… → 427,59
    expect(t).toContain('в т.ч. НДС 16% 427,59 ₸');
  });

  it('suspended for funds: since when, and the least top-up that restores it', () => {
    const t = text.get('5003')!;
    // paid 1 000: 1–10 Oct at 100; from 11 Oct 21 port fees of 50 = 1 050 owed
    expect(t).toContain('Приостановлена с 11.10.2026 из-за недостатка средств');
    // restores on 1 Nov when the balance covers that day's fee: round(3 100 × 1/30) = 103,33; 103,33 + 1 050 = 1 153,33
    expect(t).toContain('пополните счёт не менее чем на 1 153,33 ₸');
    // the top-up for November includes the debt: 3 100 + 1 050 = 4 150
    expect(t).toContain('ТОЛЫҚТЫРУҒА / К ПОПОЛНЕНИЮ 4 150,00 ₸');
    expect(t).toContain('+ задолженность, оплатить до 25.11.2026 (п. 15) 1 050,00 ₸');
    expect(t).toMatch(/Резервирование порта 11\.10\.2026 – 31\.10\.2026 21 50,00 \/күн·сут\. 1 050,00/);
  });

  it('suspended for debt: what restores it, penalties included, and the penalties by invoice, days, base and rate', () => {
    const t = text.get('5004')!;
    // September's 5 000 due 25 Oct, unpaid: suspended 26 Oct; 0.5% × 5 000 = 25,00 a day, 26–31 Oct = 6 days = 150,00
    expect(t).toContain('Приостановлена с 26.10.2026 за задолженность');
    // restore: 5 000 + 150 = 5 150,00 (cl. 21.13)
    expect(t).toContain('оплатите просроченную задолженность 5 150,00 ₸, включая пеню');
    expect(t).toMatch(/Шот \/ Счёт MT-2026-\d{6}: 26\.10\.2026 – 31\.10\.2026, 6 күн \/ дн\. × 0,5% × 5 000,00 ₸ 150,00 ₸/);
    // everything outstanding: 5 000 (Sep) + 5 000 (Oct) + 150 = 10 150
    expect(t).toContain('ТӨЛЕУГЕ / К ОПЛАТЕ до 25.11.2026 10 150,00 ₸');
    // VAT of October's service only (penalties are not turnover): 689,66
    expect(t).toContain('в т.ч. НДС 16% 689,66 ₸');
  });

  it('final after termination by the operator: no top-up advice, the equipment to return', () => {
    const t = text.get('5005')!;
    expect(t).toContain('ҚОРЫТЫНДЫ ШОТ / ИТОГОВЫЙ СЧЁТ');
    // suspended for funds from 26 Aug; two months later, 26 Oct, terminated (D-5)
    expect(t).toContain('Договор расторгнут оператором с 26.10.2026');
    expect(t).not.toContain('ПОПОЛНЕНИЮ');
    expect(t).toContain('Huawei HG8245 · s/n ONT-5005 25 000,00 ₸');
    expect(t).toMatch(/Верните оборудование до \d\d\.\d\d\.2026/);
    // port fees 26–31 Aug 6 × 50 = 300, Sep 30 × 50 = 1 500, 1–25 Oct 25 × 50 = 1 250 (principal, cl. 23.7 applies);
    // penalties: August's 300 due 25 Sep at 1,50 a day: 26–30 Sep 7,50 (September's invoice), 1–25 Oct 25 days = 37,50
    // (30 days in all, the cap); September's 1 500 due 25 Oct at 7,50 a day, 26–31 Oct = 45,00
    expect(t).toContain('Шот / Счёт MT-2026-000001: 01.10.2026 – 25.10.2026, 25 күн / дн. × 0,5% × 300,00 ₸ 37,50 ₸');
    expect(t).toMatch(/Шот \/ Счёт MT-2026-\d{6}: 26\.10\.2026 – 31\.10\.2026, 6 күн \/ дн\. × 0,5% × 1 500,00 ₸ 45,00 ₸/);
    // owed: 300 + 1 500 + 1 250 + 7,50 + 37,50 + 45,00 = 3 140,00
    expect(t).toContain('ТӨЛЕУГЕ / К ОПЛАТЕ до 25.11.2026 3 140,00 ₸');
  });

  it('final after termination by the subscriber: nothing to pay, the positive balance and its refund (cl. 17.4)', () => {
    const t = text.get('5006')!;
    expect(t).toContain('Договор расторгнут по заявлению абонента с 16.10.2026');
    // paid 10 000; September 5 000; October 1–15: round(5 000 × 15/31) = 2 419,35; left 2 580,65
    expect(t).toMatch(/Положительный остаток 2 580,65 ₸ возвращается до \d\d\.\d\d\.2026 \(п\. 17\.4\)/);
    expect(t).toContain('ТӨЛЕУГЕ ЕШТЕҢЕ ЖОҚ / К ОПЛАТЕ НИЧЕГО');
    expect(t).not.toContain('Оплатить до');
    expect(t).not.toContain('ПОПОЛНЕНИЮ');
    // 2 419,35 × 0.16 / 1.16 = 333.703… → 333,70
    expect(t).toContain('в т.ч. НДС 16% 333,70 ₸');
  });
});

describe('termination notices (cl. 23.8)', () => {
  it('with a debt: outgoing number, the debt by invoice and kind, the deadline, the equipment', () => {
    const t = text.get('notice-5005')!;
    expect(t).toMatch(/Исх\. № MT-N-2026-0000[12] · 26\.10\.2026/);
    // each invoice's unpaid principal with the kind it is made of (port reservation fees, which a subscriber would dispute unnamed)
    expect(t).toMatch(/Шот \/ Счёт MT-2026-\d{6} \(08\.2026\): негізгі борыш \/ основной долг — Портты сақтау \/ Резервирование порта 300,00 ₸/);
    expect(t).toMatch(/Шот \/ Счёт MT-2026-\d{6} \(09\.2026\): негізгі борыш \/ основной долг — Портты сақтау \/ Резервирование порта 1 500,00 ₸/);
    expect(t).toContain('10.2026, шот әлі берілмеген / счёт ещё не выставлен: Портты сақтау / Резервирование порта 1 250,00 ₸');
    // 26 Oct + 10 days = 5 Nov
    // penalties (cl. 23.7) on the port fees, which are principal: August 300 due 25 Sep, 0.5% = 1,50 a day,
    // 26 Sep – 25 Oct capped at 30 days = 45,00; September 1 500 due 25 Oct, on 26 Oct 7,50
    expect(t).toMatch(/Пеня, шот \/ счёт MT-2026-\d{6} \(23\.7-т\. \/ п\. 23\.7\) 45,00 ₸/);
    expect(t).toMatch(/Пеня, шот \/ счёт MT-2026-\d{6} \(23\.7-т\. \/ п\. 23\.7\) 7,50 ₸/);
    // 3 050 + 45 + 7,50 = 3 102,50, to pay within 10 days: 26 Oct + 10 = 5 Nov
    expect(t).toContain('ТӨЛЕУГЕ / К ОПЛАТЕ до 05.11.2026 3 102,50 ₸');
    expect(t).toContain('Huawei HG8245 · s/n ONT-5005 25 000,00 ₸');
    expect(t).toContain('л/с 5005');
  });

  it('without a debt: a notice of termination that demands nothing', () => {
    const t = text.get('notice-5007')!;
    expect(t).toMatch(/Исх\. № MT-N-2026-0000[12]/);
    expect(t).toContain('Задолженности по договору на 26.10.2026 нет; оплата не требуется.');
    expect(t).not.toContain('К ОПЛАТЕ');
    expect(t).not.toContain('0,00 ₸');
  });
});
