import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, PROJECT_ROOT, type Db } from '../../src/db/connection.js';
import { getOperator } from '../../src/db/operator.js';
import { allPrices, allTariffs } from '../../src/db/tariffs.js';
import { InputError } from '../../src/domain/errors.js';
import { isValidBin, isValidIin, isValidKzIban } from '../../src/domain/identifiers.js';
import { ACCOUNT_COLUMNS } from '../../src/jobs/import-accounts.js';
import { parseOperator } from '../../src/jobs/import-operator.js';
import { demoAccountRows, loadDemo, transliterate } from '../../src/jobs/demo.js';

const FIXTURES = path.join(PROJECT_ROOT, 'fixtures', 'demo');
const CODES = ['NET50', 'NET100', 'NET300', 'NET500', 'BIZ1000', 'TEL'];
const START = '2026-11-01';

const KAZAKH_LETTERS = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/;

describe('fixtures', () => {
  it('operator.json is accepted by parseOperator, with a valid BIN (entity type 4) and KZ IBAN', () => {
    const op = parseOperator(JSON.parse(readFileSync(path.join(FIXTURES, 'operator.json'), 'utf8')), 'operator.json');
    expect(isValidBin(op.bin)).toBe(true);
    expect(op.bin[4]).toBe('4');
    expect(isValidKzIban(op.iban)).toBe(true);
    expect(op.bic).toBe('HSBKKZKX');
    expect(op.invoicePrefix).toBe('MT');
  });

  it('people.json uses the real Kazakh letters only (never the look-alike ӛ)', () => {
    const text = readFileSync(path.join(FIXTURES, 'people.json'), 'utf8');
    expect(text).not.toMatch(/[\u04DA\u04DB]/);
    const people = JSON.parse(text) as {
      kazakh: { male: string[]; female: string[]; surnames: unknown[] };
      russian: { male: string[]; female: string[]; surnames: unknown[] };
    };
    for (const list of [people.kazakh.male, people.kazakh.female, people.kazakh.surnames, people.russian.male, people.russian.female, people.russian.surnames]) {
      expect(list.length).toBeGreaterThanOrEqual(40);
    }
    for (const letter of ['Ә', 'Ғ', 'Қ', 'ң', 'Ө', 'Ұ', 'Ү', 'һ', 'і']) expect(text).toContain(letter);
  });
});

describe('demoAccountRows', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = demoAccountRows(200, 42, CODES, START);
    const b = demoAccountRows(200, 42, CODES, START);
    const c = demoAccountRows(200, 43, CODES, START);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('gives rows with exactly the import columns, as strings', () => {
    const rows = demoAccountRows(50, 1, CODES, START);
    expect(rows).toHaveLength(50);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual([...ACCOUNT_COLUMNS]);
      for (const value of Object.values(row)) expect(typeof value).toBe('string');
    }
  });

  it('numbers accounts 100001, 100002 … without repeats', () => {
    const rows = demoAccountRows(300, 7, CODES, START);
    expect(rows.map((r) => r.account)).toEqual(Array.from({ length: 300 }, (_, i) => String(100001 + i)));
    expect(new Set(rows.map((r) => r.account)).size).toBe(300);
  });

  it('gives every subscriber a valid IIN whose sex digit matches the name, born 1950–2004', () => {
    const rows = demoAccountRows(1000, 11, CODES, START);
    for (const row of rows) {
      const iin = row.iin ?? '';
      expect(isValidIin(iin), iin).toBe(true);
      const centurySex = Number(iin[6]);
      expect([3, 4, 5, 6]).toContain(centurySex);
      const year = (centurySex <= 4 ? 1900 : 2000) + Number(iin.slice(0, 2));
      expect(year).toBeGreaterThanOrEqual(1950);
      expect(year).toBeLessThanOrEqual(2004);
      const surname = (row.name ?? '').split(' ')[0] ?? '';
      // Female surnames end -ова/-ева/-ина/-ская/-қызы; male ones -ов/-ев/-ин/-ский/-ұлы (-енко is both).
      if (/(ова|ева|ёва|ина|ская|қызы)$/.test(surname)) expect(centurySex % 2, row.name).toBe(0);
      if (/(ов|ев|ёв|ин|ский|ұлы)$/.test(surname)) expect(centurySex % 2, row.name).toBe(1);
    }
  });

  it('keeps one name per IIN, and about 10% of subscribers hold a second account', () => {
    const rows = demoAccountRows(1000, 5, CODES, START);
    const byIin = new Map<string, string[]>();
    for (const row of rows) byIin.set(row.iin ?? '', [...(byIin.get(row.iin ?? '') ?? []), row.name ?? '']);
    for (const names of byIin.values()) expect(new Set(names).size).toBe(1);
    const subscribers = byIin.size;
    const withTwo = [...byIin.values()].filter((names) => names.length === 2).length;
    expect([...byIin.values()].every((names) => names.length <= 2)).toBe(true);
    expect(withTwo / subscribers).toBeGreaterThan(0.05);
    expect(withTwo / subscribers).toBeLessThan(0.16);
  });

  it('puts every rented-premises account on the advance method (cl. 7)', () => {
    for (const seed of [1, 2, 3]) {
      for (const row of demoAccountRows(1000, seed, CODES, START)) {
        expect(['yes', 'no']).toContain(row.premises_owned);
        if (row.premises_owned === 'no') expect(row.method).toBe('advance');
      }
    }
  });

  it('has about the right proportions for n = 1000', () => {
    const rows = demoAccountRows(1000, 2026, CODES, START);
    const share = (test: (r: Record<string, string>) => boolean) => rows.filter(test).length / rows.length;
    expect(share((r) => r.method === 'advance')).toBeGreaterThan(0.52);
    expect(share((r) => r.method === 'advance')).toBeLessThan(0.68);
    expect(share((r) => r.premises_owned === 'no')).toBeGreaterThan(0.1);
    expect(share((r) => r.premises_owned === 'no')).toBeLessThan(0.2);
    expect(share((r) => r.email !== '')).toBeGreaterThan(0.74);
    expect(share((r) => r.email !== '')).toBeLessThan(0.86);
    expect(share((r) => r.phone !== '')).toBeGreaterThan(0.85);
    expect(share((r) => r.phone !== '')).toBeLessThan(0.95);
    const inMonth = share((r) => (r.connected_on ?? '').startsWith('2026-11'));
    expect(inMonth).toBeGreaterThan(0.02);
    expect(inMonth).toBeLessThan(0.09);
    for (const code of CODES) expect(rows.some((r) => r.tariff === code)).toBe(true);
    expect(share((r) => (r.address ?? '').startsWith('г. Астана'))).toBeGreaterThan(0.2);
    expect(share((r) => (r.address ?? '').startsWith('г. Алматы'))).toBeGreaterThan(0.5);
  });

  it('draws connection dates from the 12 months before the start date or the start date’s month', () => {
    for (const row of demoAccountRows(1000, 9, CODES, START)) {
      const d = row.connected_on ?? '';
      expect(d >= '2025-11-01' && d <= '2026-11-30', d).toBe(true);
    }
  });

  it('writes contacts in the expected forms; e-mails are unique and Latin', () => {
    const rows = demoAccountRows(1000, 3, CODES, START);
    const emails = rows.map((r) => r.email ?? '').filter((e) => e !== '');
    expect(new Set(emails).size).toBe(emails.length);
    for (const e of emails) expect(e).toMatch(/^[a-z]+\.[a-z]+\d*@example\.kz$/);
    for (const r of rows) {
      if (r.phone) expect(r.phone).toMatch(/^\+7 7\d\d \d{3} \d{2} \d{2}$/);
      expect(r.address).toMatch(/^г\. (Алматы|Астана), .+, д\. [0-9а-я/]+, кв\. \d+$/);
      expect(r.name).toMatch(/^\S+ \S+$/);
    }
  });

  it('has Kazakh letters in some names', () => {
    const rows = demoAccountRows(200, 8, CODES, START);
    expect(rows.filter((r) => KAZAKH_LETTERS.test(r.name ?? '')).length).toBeGreaterThan(20);
  });

  it('transliterates Kazakh and Russian letters', () => {
    expect(transliterate('Қасымова')).toBe('kasymova');
    expect(transliterate('Нұрлан')).toBe('nurlan');
    expect(transliterate('Өмірзақ')).toBe('omirzak');
    expect(transliterate('Шаһмардан')).toBe('shahmardan');
    expect(transliterate('Соловьёв')).toBe('solovev');
  });
});

describe('loadDemo', () => {
  let db: Db | undefined;
  let dir: string | undefined;
  afterEach(() => {
    db?.close();
    db = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const count = (d: Db, table: string) => (d.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('loads the operator, the tariffs and n accounts; a second load with the same seed changes nothing', async () => {
    db = openDatabase(':memory:');
    const first = await loadDemo(db, 50, { today: '2026-11-25' });
    expect(first.accounts).toBe(50);
    expect(first.tariffs).toBe(6);
    expect(first.accountImport).toEqual({ added: 50, updated: 0, unchanged: 0 });
    expect(first.tariffImport).toEqual({ added: 6, updated: 0, unchanged: 0 });
    expect(count(db, 'accounts')).toBe(50);

    const op = getOperator(db);
    expect(op?.name).toBe('ТОО «Мысал Телеком»');
    expect(op?.bin).toBe('190540012345');
    expect(op?.iban).toBe('KZ12601A861000123456');

    const tariffs = allTariffs(db);
    expect([...tariffs.keys()].sort()).toEqual([...CODES].sort());
    expect(tariffs.get('NET100')?.name).toBe('Үй интернеті 100 / Домашний интернет 100');
    expect(tariffs.get('NET500')?.name).toBe('Үй интернеті 500 + ТВ / Домашний интернет 500, ТВ');
    const prices = allPrices(db);
    expect(prices.get('NET300')?.[0]?.monthlyFee).toBe(799_000);
    expect(prices.get('NET500')?.[0]?.monthlyFee).toBe(1_250_000);
    expect(prices.get('NET500')?.[0]?.portFee).toBe(0);
    expect(prices.get('NET300')?.[0]?.installationFee).toBe(0);

    const snapshot = (d: Db) => ({
      accounts: d.sqlite.prepare('SELECT * FROM accounts ORDER BY account').all(),
      subscribers: d.sqlite.prepare('SELECT * FROM subscribers ORDER BY iin').all(),
      tariffs: d.sqlite.prepare('SELECT * FROM tariffs ORDER BY code').all(),
      prices: d.sqlite.prepare('SELECT * FROM tariff_prices ORDER BY tariff_code, effective_from').all(),
      operator: d.sqlite.prepare('SELECT * FROM operator').all(),
    });
    const before = snapshot(db);

    const second = await loadDemo(db, 50, { today: '2026-11-25' });
    expect(second.accountImport).toEqual({ added: 0, updated: 0, unchanged: 50 });
    expect(second.tariffImport).toEqual({ added: 0, updated: 0, unchanged: 6 });
    expect(snapshot(db)).toEqual(before);
  });

  it('every loaded account is on a tariff from the file, and rented premises are advance', async () => {
    db = openDatabase(':memory:');
    await loadDemo(db, 120, { today: '2026-11-25', seed: 99 });
    const rows = db.sqlite.prepare('SELECT tariff_code AS tariff, method, premises_owned AS owned, iin FROM accounts').all() as {
      tariff: string;
      method: string;
      owned: number;
      iin: string;
    }[];
    expect(rows).toHaveLength(120);
    for (const r of rows) {
      expect(CODES).toContain(r.tariff);
      if (!r.owned) expect(r.method).toBe('advance');
      expect(isValidIin(r.iin)).toBe(true);
    }
  });

  it('refuses a different seed on a loaded database as a whole, changing no account', async () => {
    db = openDatabase(':memory:');
    await loadDemo(db, 20, { today: '2026-11-25', seed: 1 });
    const before = db.sqlite.prepare('SELECT * FROM accounts ORDER BY account').all();
    // Accounts 100001… exist with other IINs: the accounts import refuses to rewrite their history.
    const error = await loadDemo(db, 20, { today: '2026-11-25', seed: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.some((p) => p.field === 'iin' && p.file === 'demo')).toBe(true);
    expect(db.sqlite.prepare('SELECT * FROM accounts ORDER BY account').all()).toEqual(before);
  });

  it('checks every generated row as the accounts import would: a refused row is an InputError naming its demo line', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'esep-demo-'));
    for (const f of ['operator.json', 'tariffs.csv']) copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
    // First names with no letters to transliterate make e-mails like ".ivanov@example.kz", which the
    // accounts check refuses.
    const people = JSON.parse(readFileSync(path.join(FIXTURES, 'people.json'), 'utf8')) as {
      kazakh: { male: string[]; female: string[] };
      russian: { male: string[]; female: string[] };
    };
    for (const list of [people.kazakh, people.russian]) {
      list.male = ['—'];
      list.female = ['—'];
    }
    writeFileSync(path.join(dir, 'people.json'), JSON.stringify(people));
    db = openDatabase(':memory:');
    const error = await loadDemo(db, 10, { today: '2026-11-25', fixturesDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.file).toBe('demo');
      expect(p.field).toBe('email');
      expect(p.line).toBeGreaterThanOrEqual(2);
      expect(p.line).toBeLessThanOrEqual(11);
    }
    expect(count(db, 'accounts')).toBe(0);
    expect(count(db, 'subscribers')).toBe(0);
  });
});
