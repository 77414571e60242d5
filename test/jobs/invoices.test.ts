// Month-end through the job: postings, invoices, numbers, PDFs (text extracted with pdfjs-dist) and
// the registry CSV. Every expected figure is worked out from the rule in a comment.
import { postWithPayments } from '../helpers/db.js';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { pdfText } from '../helpers/pdf.js';
import { inTransaction, openDatabase, type Db } from '../../src/db/connection.js';
import { entriesOf } from '../../src/db/ledger.js';
import { saveOperator } from '../../src/db/operator.js';
import { InputError } from '../../src/domain/errors.js';
import { runDebit } from '../../src/jobs/debit.js';
import { runInvoices, type InvoiceRunOptions } from '../../src/jobs/invoices.js';
import { verify } from '../../src/jobs/verify.js';
import { fontParseCount } from '../../src/io/pdf/fonts.js';
import { inProcessRenderer, type Renderer } from '../../src/io/pdf/pool.js';
import { IIN_A, IIN_B, IIN_C, TEST_OPERATOR } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
let db: Db;
let out: string;
let outCount = 0;

const OPERATOR = TEST_OPERATOR;

function tariff(code: string, monthly: number, opts: { port?: number; install?: number; thirdParty?: number; thirdPartyName?: string } = {}) {
  db.sqlite.prepare('INSERT INTO tariffs (code, name) VALUES (?, ?)').run(code, `Тариф ${code}`);
  db.sqlite
    .prepare(
      `INSERT INTO tariff_prices (tariff_code, effective_from, monthly_fee, port_fee, installation_fee, third_party_fee, third_party_name)
       VALUES (?, '0001-01-01', ?, ?, ?, ?, ?)`,
    )
    .run(code, monthly, opts.port ?? 0, opts.install ?? 0, opts.thirdParty ?? 0, opts.thirdPartyName ?? null);
}

function account(acc: string, iin: string, name: string, method: 'advance' | 'credit', tariffCode: string, connectedOn: string, terminatedOn: string | null = null) {
  db.sqlite.prepare('INSERT OR IGNORE INTO subscribers (iin, name) VALUES (?, ?)').run(iin, name);
  db.sqlite
    .prepare(
      `INSERT INTO accounts (account, iin, method, tariff_code, connected_on, terminated_on, status, premises_owned, address)
       VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'г. Алматы, Абай даңғылы, 10')`,
    )
    .run(acc, iin, method, tariffCode, connectedOn, terminatedOn, terminatedOn ? 'terminated' : 'active');
}

let payments = 0;
function pay(acc: string, valueDate: string, amount: number) {
  inTransaction(db, () => postWithPayments(db, [{ account: acc, valueDate, kind: 'payment', amount, key: `test-pay:${++payments}` }]));
}

function run(options: Partial<InvoiceRunOptions> & { period: string }) {
  return runInvoices(db, { outDir: out, renderer: inProcessRenderer(), ...options });
}

type Inv = { number: string; account: string; year: number; seq: number; issuedOn: string; dueOn: string; final: number; openingBalance: number; charges: number; credits: number; payments: number; penalties: number; closingBalance: number; principal: number; amountDue: number; advisedTopup: number | null; file: string | null };
function invoices(period?: string): Inv[] {
  return db.sqlite
    .prepare(
      `SELECT number, account, year, seq, issued_on AS issuedOn, due_on AS dueOn, final, opening_balance AS openingBalance, charges, credits,
              payments, penalties, closing_balance AS closingBalance, principal, amount_due AS amountDue, advised_topup AS advisedTopup, file
         FROM invoices ${period ? 'WHERE period = ?' : ''} ORDER BY year, seq`,
    )
    .all(...(period ? [period] : [])) as Inv[];
}
const invoiceOf = (acc: string, period: string) => invoices(period).find((i) => i.account === acc)!;
const ledgerCount = () => (db.sqlite.prepare('SELECT COUNT(*) AS n FROM ledger').get() as { n: number }).n;


beforeEach(() => {
  db = openDatabase(':memory:');
  saveOperator(db, OPERATOR);
  out = path.join(dir, `out-${++outCount}`);
  // 5 000 ₸ a month, installation 10 000 ₸
  tariff('HOME', 500_000, { install: 1_000_000 });
  // 5 000 ₸ a month, no installation fee
  tariff('PLAIN', 500_000);
  // 3 100 ₸ a month (100 ₸ a day in a 31-day month), port reservation 100 ₸ a day
  tariff('ADV', 310_000, { port: 10_000 });
});

describe('run invoices: postings and figures', () => {
  it('a credit account connected on the 16th of a 31-day month: installation plus 5000 × 16/31', async () => {
    account('1001', IIN_A, 'Гауһар Әбенқызы', 'credit', 'HOME', '2026-10-16');
    const result = await run({ period: '2026-10' });
    expect(result.counts).toMatchObject({ accounts: 1, charges: 2, invoices: 1, pdfs: 1 });
    // installation 10 000,00 ₸ on the connection date; fee 5000 × 16/31 = 2580.645… → 2580,65 ₸ on the 31st
    expect(entriesOf(db, '1001').map((e) => [e.valueDate, e.kind, e.amount, e.key])).toEqual([
      ['2026-10-16', 'installation', -1_000_000, 'install:1001'],
      ['2026-10-31', 'monthly_fee', -258_065, 'monthly:1001:2026-10'],
    ]);
    // charges 10 000 + 2 580,65 = 12 580,65 ₸: principal, and (opening 0, no payments) the amount due
    expect(invoiceOf('1001', '2026-10')).toMatchObject({
      number: 'MT-2026-000001',
      issuedOn: '2026-11-01',
      dueOn: '2026-11-25',
      final: 0,
      openingBalance: 0,
      charges: -1_258_065,
      credits: 0,
      payments: 0,
      penalties: 0,
      closingBalance: -1_258_065,
      principal: 1_258_065,
      amountDue: 1_258_065,
      advisedTopup: null,
      file: path.resolve(out, '2026-10', 'MT-2026-000001.pdf'),
    });
    expect(verify(db)).toEqual([]);
  });

  it('an account terminated mid-month: charged to the day before termination, a final invoice', async () => {
    account('1002', IIN_B, 'Иванова Мария', 'credit', 'PLAIN', '2026-01-10', '2026-10-20');
    pay('1002', '2026-10-05', 100_000);
    await run({ period: '2026-10' });
    // served 1..19 October = 19 days: 5000 × 19/31 = 3064.516… → 3064,52 ₸, dated the 19th
    expect(entriesOf(db, '1002').filter((e) => e.kind === 'monthly_fee').map((e) => [e.valueDate, e.amount])).toEqual([['2026-10-19', -306_452]]);
    // paid 1 000,00: closing = 1000 − 3064,52 = −2064,52; due 2064,52
    expect(invoiceOf('1002', '2026-10')).toMatchObject({ final: 1, payments: 100_000, principal: 306_452, closingBalance: -206_452, amountDue: 206_452 });
    // not active in November: no invoice, nothing charged
    await run({ period: '2026-11' });
    expect(invoices('2026-11')).toEqual([]);
  });

  it('an advance account gets a statement invoice with the advised top-up', async () => {
    account('1003', IIN_C, 'Сейтқали Нұрлан', 'advance', 'ADV', '2026-10-01');
    pay('1003', '2026-10-01', 200_000);
    await runDebit(db, { date: '2026-10-31' });
    await run({ period: '2026-10' });
    // 2 000,00 ₸ pays days 1..20 at 100 ₸; days 21..31 (11 days) are port reservations at 100 ₸
    // closing = 2000 − 2000 − 1100 = −1100,00; principal 3100,00; due 1100,00
    // advised top-up = max(0, November's 3100 × 30/30 − (−1100)) = 4200,00
    expect(invoiceOf('1003', '2026-10')).toMatchObject({
      openingBalance: 0,
      charges: -310_000,
      payments: 200_000,
      closingBalance: -110_000,
      principal: 310_000,
      amountDue: 110_000,
      advisedTopup: 420_000,
    });
    // no monthly fee is posted for an advance account: the daily debit charged it
    expect(entriesOf(db, '1003').some((e) => e.kind === 'monthly_fee')).toBe(false);
    const text = await pdfText(invoiceOf('1003', '2026-10').file!);
    expect(text).toContain('Абоненттік төлем (күн сайын) / Абонентская плата (ежедневно)');
    expect(text).toContain('4 200,00 ₸');
  });

  it('refuses while an advance account’s daily debits of P are not complete (exit 2), writing nothing', async () => {
    account('1003', IIN_C, 'Сейтқали Нұрлан', 'advance', 'ADV', '2026-10-01');
    await expect(run({ period: '2026-10' })).rejects.toThrow(InputError);
    await expect(run({ period: '2026-10' })).rejects.toThrow(/run `esep run debit --date 2026-10-31` first/);
    await expect(run({ period: '2026-10', issuedOn: '2026-10-31' })).rejects.toThrow(/only after the period has ended/);
    expect(invoices()).toEqual([]);
    expect(ledgerCount()).toBe(0);
  });

  it('a dry run computes and writes nothing', async () => {
    account('1001', IIN_A, 'Гауһар Әбенқызы', 'credit', 'HOME', '2026-10-16');
    const result = await run({ period: '2026-10', dryRun: true });
    expect(result.counts).toMatchObject({ invoices: 1, charges: 2 });
    expect(invoices()).toEqual([]);
    expect(ledgerCount()).toBe(0);
    expect(existsSync(out)).toBe(false);
  });
});

describe('run invoices: numbers', () => {
  beforeEach(() => {
    account('2001', IIN_A, 'Әбенов Қанат', 'credit', 'PLAIN', '2026-01-01');
    account('2002', IIN_B, 'Иванова Мария', 'credit', 'PLAIN', '2026-01-01');
  });

  it('are gapless per year and start again at 000001 in the year of issue', async () => {
    await run({ period: '2026-11' }); // issued 2026-12-01
    await run({ period: '2026-12' }); // issued 2027-01-01: the first invoices of 2027
    await run({ period: '2027-01' }); // issued 2027-02-01
    expect(invoices().map((i) => [i.number, i.account, i.issuedOn, i.dueOn])).toEqual([
      ['MT-2026-000001', '2001', '2026-12-01', '2026-12-25'],
      ['MT-2026-000002', '2002', '2026-12-01', '2026-12-25'],
      ['MT-2027-000001', '2001', '2027-01-01', '2027-01-25'],
      ['MT-2027-000002', '2002', '2027-01-01', '2027-01-25'],
      ['MT-2027-000003', '2001', '2027-02-01', '2027-02-25'],
      ['MT-2027-000004', '2002', '2027-02-01', '2027-02-25'],
    ]);
    expect(verify(db)).toEqual([]);
  });

  it('a rerun issues nothing and posts nothing; --reissue keeps numbers and figures', async () => {
    await run({ period: '2026-12' });
    const before = invoices();
    const entries = ledgerCount();
    const again = await run({ period: '2026-12', issuedOn: '2027-01-05' });
    expect(again.counts.invoices ?? 0).toBe(0);
    expect(again.counts.charges ?? 0).toBe(0);
    expect(ledgerCount()).toBe(entries);
    expect(invoices()).toEqual(before);

    // a payment with a value date in P arrives after the invoice: the invoice keeps what it was issued from
    pay('2001', '2026-12-31', 100_000);
    const file = before[0]!.file!;
    rmSync(file);
    const reissued = await run({ period: '2026-12', reissue: true });
    expect(reissued.counts).toMatchObject({ pdfs: 2 });
    expect(existsSync(file)).toBe(true);
    expect(invoices()).toEqual(before);
    expect(verify(db)).toEqual([]);
    // the next period's opening balance has it: 5000 owed for December less 1000 paid = −4000,00
    await run({ period: '2027-01' });
    expect(invoiceOf('2001', '2027-01')).toMatchObject({ number: 'MT-2027-000003', openingBalance: -400_000 });
  });

  it('a PDF that fails keeps its number; the next run writes it', async () => {
    let calls = 0;
    const base = inProcessRenderer();
    const flaky: Renderer = { ...base, render: (task) => (++calls === 1 ? Promise.reject(new Error('disk full')) : base.render(task)) };
    const first = await run({ period: '2026-12', renderer: flaky });
    expect(first.failures).toEqual([{ number: 'MT-2027-000001', account: '2001', error: 'disk full' }]);
    expect(first.counts).toMatchObject({ invoices: 2, pdfs: 1, pdf_failures: 1 });
    expect(invoices().map((i) => [i.number, i.file !== null])).toEqual([
      ['MT-2027-000001', false],
      ['MT-2027-000002', true],
    ]);
    const mtime = statSync(invoices()[1]!.file!).mtimeMs;
    const second = await run({ period: '2026-12' });
    expect(second.counts.invoices ?? 0).toBe(0);
    expect(second.counts.pdfs).toBe(1);
    expect(invoices().every((i) => i.file !== null && existsSync(i.file))).toBe(true);
    expect(statSync(invoices()[1]!.file!).mtimeMs).toBe(mtime); // the one already written was left alone
    expect(verify(db)).toEqual([]);
  });
});

describe('run invoices: the PDF and the registry', () => {
  it('the PDF has the requisites, the number, the amount in words in both languages and every Kazakh letter', async () => {
    account('1001', IIN_A, 'Гауһар Әбенқызы', 'credit', 'HOME', '2026-10-16');
    await run({ period: '2026-10' });
    const inv = invoiceOf('1001', '2026-10');
    const text = await pdfText(inv.file!);
    for (const requisite of [OPERATOR.name, OPERATOR.bin, OPERATOR.iban, OPERATOR.bank, OPERATOR.bic, OPERATOR.address, OPERATOR.phone, OPERATOR.site]) {
      expect(text).toContain(requisite);
    }
    expect(text).toMatch(/Кбе\s*17/);
    expect(text).toMatch(/ТМК \/ КНП\s*859/);
    expect(text).toContain('MT-2026-000001');
    expect(text).toContain('Гауһар Әбенқызы');
    expect(text).toContain(IIN_A);
    expect(text).toContain('1001');
    // 12 580,65 ₸ in figures and in words
    expect(text).toContain('12 580,65 ₸');
    expect(text).toContain('он екі мың бес жүз сексен теңге 65 тиын');
    expect(text).toContain('двенадцать тысяч пятьсот восемьдесят тенге 65 тиын');
    expect(text).toContain('25.11.2026');
    // the lines: installation on the 16th, the fee for 16..31 October, 16 days at 5 000 a month
    expect(text).toMatch(/Қосу \(орнату\) \/ Подключение \(установка\)\s*16\.10\.2026\s*10 000,00/);
    expect(text).toMatch(/Ай сайынғы абоненттік төлем \/ Ежемесячная абонентская плата\s*16\.10\.2026 – 31\.10\.2026\s*16\s*5 000,00 \/ай·мес\.\s*2 580,65/);
    for (const letter of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і', '₸']) expect(text).toContain(letter);
    // the fonts were parsed once in this process, whatever the number of documents
    expect(fontParseCount()).toBe(2);
  });

  it('a character the font lacks fails that PDF instead of printing a box; the invoice keeps its number', async () => {
    account('4001', IIN_A, 'Ли 中', 'credit', 'PLAIN', '2026-01-01');
    const result = await run({ period: '2026-10' });
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.error).toContain('no glyph for "中" U+4E2D');
    expect(invoices().map((i) => [i.number, i.file])).toEqual([['MT-2026-000001', null]]);
  });

  it('verify names an invoice whose stored figures disagree with its entries', async () => {
    account('2001', IIN_A, 'Әбенов Қанат', 'credit', 'PLAIN', '2026-01-01');
    await run({ period: '2026-10' });
    expect(verify(db)).toEqual([]);
    db.sqlite.prepare('UPDATE invoices SET principal = principal + 1').run();
    expect(verify(db)).toEqual([{ invariant: 'invoice figures agree with the ledger', account: '2001', detail: 'invoice MT-2026-000001' }]);
  });

  it('the registry CSV in the one dialect (no BOM, commas, decimal points), no formula injection', async () => {
    account('3001', IIN_A, '=1+2 Сейтқали', 'credit', 'PLAIN', '2026-01-01');
    account('3002', IIN_B, 'Иванова Мария', 'credit', 'PLAIN', '2026-10-16');
    const result = await run({ period: '2026-10' });
    const csv = readFileSync(result.registry!, 'utf8');
    expect(result.registry).toBe(path.resolve(out, '2026-10', 'registry-2026-10.csv'));
    expect(csv.startsWith('number,account,name,iin,period,issued_on,due_on,principal,amount_due,advised_topup,final,file')).toBe(true);
    const lines = csv.trimEnd().split('\r\n');
    // 3001: a full October, 5000.00; 3002: 5000 × 16/31 = 2580.65
    // (columns after file, the VAT, are checked with the VAT rule)
    const first = `MT-2026-000001,3001,'=1+2 Сейтқали,${IIN_A},2026-10,2026-11-01,2026-11-25,5000.00,5000.00,,no,MT-2026-000001.pdf`;
    const second = `MT-2026-000002,3002,Иванова Мария,${IIN_B},2026-10,2026-11-01,2026-11-25,2580.65,2580.65,,no,MT-2026-000002.pdf`;
    expect(lines[1]!.slice(0, first.length)).toBe(first);
    expect(lines[2]!.slice(0, second.length)).toBe(second);
  });
});
