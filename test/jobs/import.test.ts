import { postWithPayments } from '../helpers/db.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, inTransaction, type Db } from '../../src/db/connection.js';
import { allPrices, allTariffs } from '../../src/db/tariffs.js';
import { importAccounts } from '../../src/jobs/import-accounts.js';
import { importTariffs, importTariffsReport } from '../../src/jobs/import-tariffs.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B, TARIFFS_CSV } from '../helpers/fixtures.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { refusedProblems } from '../helpers/refusals.js';

const dir = tempDir();
let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});

const refused = refusedProblems;

const count = (table: string) => (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('import tariffs', () => {
  it('stores each fee in tiyn', async () => {
    const summary = await importTariffs(db, writeText(dir, 'tariffs.csv', TARIFFS_CSV));
    expect(summary).toEqual({ added: 3, updated: 0, unchanged: 0 });
    const prices = allPrices(db);
    // 5000 ₸ = 500 000 tiyn; 300 ₸ = 30 000; 10 000 ₸ = 1 000 000
    expect(prices.get('HOME100')?.[0]).toMatchObject({ monthlyFee: 500_000, portFee: 30_000, installationFee: 1_000_000 });
    // "7 990,00" ₸ = 799 000 tiyn
    expect(prices.get('HOME300')?.[0]).toMatchObject({ monthlyFee: 799_000, portFee: 0, installationFee: 0 });
    // "1 500" = 150 000; 50 = 5 000; 2500.50 = 250 050
    expect(prices.get('TEL')?.[0]).toMatchObject({ monthlyFee: 150_000, portFee: 5_000, installationFee: 250_050 });
    expect(allTariffs(db).get('HOME100')?.name).toBe('Үй интернеті 100 / Домашний 100');
  });

  it('changes nothing when the same file comes again, and renames on a changed name', async () => {
    await importTariffs(db, writeText(dir, 'tariffs.csv', TARIFFS_CSV));
    expect(await importTariffs(db, writeText(dir, 'tariffs.csv', TARIFFS_CSV))).toEqual({ added: 0, updated: 0, unchanged: 3 });
    const renamed = TARIFFS_CSV.replace('Телефон', 'Телефон (қалалық)');
    expect(await importTariffs(db, writeText(dir, 'tariffs.csv', renamed))).toEqual({ added: 0, updated: 1, unchanged: 2 });
    expect(count('tariff_prices')).toBe(3);
  });

  it('refuses a changed price: that is a new price version with notice, never a rewrite', async () => {
    await importTariffs(db, writeText(dir, 'tariffs.csv', TARIFFS_CSV));
    const changed = TARIFFS_CSV.replace('HOME300,Үй интернеті 300,', 'HOME300,Үй интернеті 300 жаңа,').replace('TEL,Телефон,1 500', 'TEL,Телефон,1 600');
    const problems = await refused(importTariffs(db, writeText(dir, 'tariffs.csv', changed)));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/tariffs\.csv:4:monthly_fee: tariff TEL costs 1 500,00 ₸ now; .*30 days/);
    // the rename on line 3 was rolled back with the rest
    expect(allTariffs(db).get('HOME300')?.name).toBe('Үй интернеті 300');
  });

  it('lists every bad row with its line and field and applies nothing', async () => {
    const bad = [
      'code,name,monthly_fee,port_fee,installation_fee',
      'OK1,Жақсы,1000,0,0',
      'BAD1,,-5,0,0',
      'OK1,Again,1000,0,0',
      'BAD 2,X,"5,000.50",abc,1.234',
    ].join('\n');
    const problems = await refused(importTariffs(db, writeText(dir, 'bad.csv', bad)));
    expect(problems.map((p) => p.split(': ')[0])).toEqual([
      expect.stringMatching(/bad\.csv:3:name$/),
      expect.stringMatching(/bad\.csv:3:monthly_fee$/),
      expect.stringMatching(/bad\.csv:4:code$/),
      expect.stringMatching(/bad\.csv:5:code$/),
      expect.stringMatching(/bad\.csv:5:monthly_fee$/),
      expect.stringMatching(/bad\.csv:5:port_fee$/),
      expect.stringMatching(/bad\.csv:5:installation_fee$/),
    ]);
    expect(problems[2]).toContain('first on line 2');
    expect(count('tariffs')).toBe(0);
  });

  it('names a missing column and a row with the wrong number of fields', async () => {
    expect(await refused(importTariffs(db, writeText(dir, 'nocol.csv', 'code,name,monthly_fee,port_fee\nA,B,1,1')))).toEqual([
      expect.stringMatching(/nocol\.csv:1:installation_fee: column is missing/),
    ]);
    expect(await refused(importTariffs(db, writeText(dir, 'short.csv', 'code,name,monthly_fee,port_fee,installation_fee\nA,B,1,1')))).toEqual([
      expect.stringMatching(/short\.csv:2:: 4 fields where the header has 5/),
    ]);
    expect(await refused(importTariffs(db, writeText(dir, 'empty.csv', '')))).toEqual([expect.stringMatching(/empty\.csv:1:: the file is empty/)]);
  });

  it('reads Windows-1251 with semicolons, as Excel in a Russian locale saves it', async () => {
    const text = 'code;name;monthly_fee;port_fee;installation_fee\r\nRU1;Домашний интернет;5 000,50;0;0\r\n';
    await importTariffs(db, writeText(dir, 'cp1251.csv', text, 'windows-1251'));
    expect(allTariffs(db).get('RU1')?.name).toBe('Домашний интернет');
    expect(allPrices(db).get('RU1')?.[0]?.monthlyFee).toBe(500_050);
  });

  it('reads UTF-8 with a BOM', async () => {
    await importTariffs(db, writeText(dir, 'bom.csv', TARIFFS_CSV, 'utf-8-bom'));
    expect(allTariffs(db).size).toBe(3);
  });
});

const row = (account: string, iin: string, extra: Partial<Record<'name' | 'method' | 'tariff' | 'connected_on' | 'premises_owned' | 'email' | 'phone' | 'address', string>> = {}) =>
  [
    account,
    iin,
    extra.name ?? 'Әбенов Қанат',
    `"${extra.address ?? 'г. Алматы, пр. Абая, д. 1, кв. 2'}"`,
    extra.email ?? 'kanat@example.kz',
    extra.phone ?? '+7 701 123 45 67',
    extra.method ?? 'credit',
    extra.tariff ?? 'HOME100',
    extra.connected_on ?? '2026-10-16',
    extra.premises_owned ?? 'yes',
  ].join(',');

describe('import accounts', () => {
  beforeEach(async () => {
    await importTariffs(db, writeText(dir, 'tariffs.csv', TARIFFS_CSV));
  });

  it('adds subscribers and accounts; the same file again changes nothing', async () => {
    const csv = [ACCOUNT_HEADER, row('1001', IIN_A), row('1002', IIN_A, { method: 'advance' }), row('2001', IIN_B, { name: 'Иванова Мария', premises_owned: 'нет', method: 'advance' })].join('\n');
    expect(await importAccounts(db, writeText(dir, 'acc.csv', csv), '2026-11-25')).toMatchObject({ added: 3, updated: 0, unchanged: 0 });
    expect(count('subscribers')).toBe(2);
    expect(await importAccounts(db, writeText(dir, 'acc.csv', csv), '2026-11-25')).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
    const a = db.sqlite.prepare('SELECT * FROM accounts WHERE account = ?').get('2001') as Record<string, unknown>;
    expect(a).toMatchObject({ method: 'advance', premises_owned: 0, status: 'active', balance: 0, connected_on: '2026-10-16' });
  });

  it('updates contact data but refuses to rewrite the facts history was billed on', async () => {
    await importAccounts(db, writeText(dir, 'acc.csv', [ACCOUNT_HEADER, row('1001', IIN_A)].join('\n')), '2026-11-25');
    const moved = [ACCOUNT_HEADER, row('1001', IIN_A, { email: 'new@example.kz', address: 'г. Астана, ул. Кенесары, 5' })].join('\n');
    expect(await importAccounts(db, writeText(dir, 'acc.csv', moved), '2026-11-25')).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
    expect(db.sqlite.prepare('SELECT email, address FROM accounts').get()).toEqual({ email: 'new@example.kz', address: 'г. Астана, ул. Кенесары, 5' });

    const rewritten = [ACCOUNT_HEADER, row('1001', IIN_A, { method: 'advance', tariff: 'TEL', email: 'other@example.kz' })].join('\n');
    const problems = await refused(importAccounts(db, writeText(dir, 'acc.csv', rewritten), '2026-11-25'));
    expect(problems).toEqual([
      expect.stringMatching(/:2:method: account 1001 has method "credit"/),
      expect.stringMatching(/:2:tariff: account 1001 has tariff "HOME100"/),
    ]);
    expect(db.sqlite.prepare('SELECT email FROM accounts').get()).toEqual({ email: 'new@example.kz' });
  });

  it('lists every bad row and field, and applies nothing', async () => {
    const badIin = IIN_A.slice(0, 11) + String((Number(IIN_A[11]) + 1) % 10);
    const csv = [
      ACCOUNT_HEADER,
      row('1001', IIN_A),
      row('1002', badIin),
      row('1003', IIN_B, { tariff: 'NOPE' }),
      row('1004', IIN_B, { method: 'credit', premises_owned: 'no' }),
      row('1005', IIN_B, { connected_on: '2026-02-30', email: 'not-an-email', premises_owned: 'maybe' }),
      row('1001', IIN_B, { method: 'barter' }),
      row('1006', IIN_B, { name: 'Другое Имя' }),
    ].join('\n');
    const problems = await refused(importAccounts(db, writeText(dir, 'accounts.csv', csv), '2026-11-25'));
    expect(problems).toEqual([
      expect.stringMatching(/accounts\.csv:3:iin: IIN check digit is wrong/),
      expect.stringMatching(/accounts\.csv:4:tariff: unknown tariff "NOPE"/),
      expect.stringMatching(/accounts\.csv:5:method: premises not owned .* advance .*cl\. 7/),
      expect.stringMatching(/accounts\.csv:6:email: "not-an-email" is not an email address/),
      expect.stringMatching(/accounts\.csv:6:connected_on: "2026-02-30" is not a date/),
      expect.stringMatching(/accounts\.csv:6:premises_owned: must be yes or no/),
      expect.stringMatching(/accounts\.csv:7:account: account 1001 appears again \(first on line 2\)/),
      expect.stringMatching(/accounts\.csv:7:method: must be "advance" or "credit"/),
      expect.stringMatching(/accounts\.csv:8:name: IIN \d{12} is "Әбенов Қанат" on line 4/),
    ]);
    expect(count('accounts')).toBe(0);
    expect(count('subscribers')).toBe(0);
  });

  it('refuses a new account while the IIN owes overdue debt on another one (cl. 6.4)', async () => {
    await importAccounts(db, writeText(dir, 'acc.csv', [ACCOUNT_HEADER, row('1001', IIN_A)].join('\n')), '2026-11-01');
    // October's fee of 5 000 ₸, invoiced and due on 2026-11-25
    inTransaction(db, () => {
      postWithPayments(db, [{ account: '1001', valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000, key: 'fee:1001:2026-10' }]);
      db.sqlite
        .prepare(
          `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
             penalties, closing_balance, principal, amount_due) VALUES ('MT-2026-000001', 'MT', 2026, 1, '1001', '2026-10', '2026-11-01',
             '2026-11-25', 0, -500000, 0, 0, 0, -500000, 500000, 500000)`,
        )
        .run();
    });
    const second = [ACCOUNT_HEADER, row('1001', IIN_A), row('1002', IIN_A, { method: 'advance' })].join('\n');
    // on the due date it is not overdue yet
    expect((await importAccounts(db, writeText(dir, 'acc2.csv', second), '2026-11-25')).added).toBe(1);
    const third = [ACCOUNT_HEADER, row('1003', IIN_A, { method: 'advance' })].join('\n');
    const problems = await refused(importAccounts(db, writeText(dir, 'acc3.csv', third), '2026-11-26'));
    expect(problems).toEqual([expect.stringMatching(/acc3\.csv:2:iin: IIN \d+ has overdue debt \(1001 owes 5 000,00 ₸\): no new account \(cl\. 6\.4\)/)]);
    // paid in full: allowed again
    inTransaction(db, () => postWithPayments(db, [{ account: '1001', valueDate: '2026-11-26', kind: 'payment', amount: 500_000, key: 'pay:test' }]));
    expect((await importAccounts(db, writeText(dir, 'acc3.csv', third), '2026-11-26')).added).toBe(1);
  });

  it('reads a Windows-1251 file', async () => {
    const csv = [ACCOUNT_HEADER, row('3001', IIN_B, { name: 'Петров Иван', method: 'advance' })].join('\r\n');
    await importAccounts(db, writeText(dir, 'acc1251.csv', csv, 'windows-1251'), '2026-11-25');
    expect(db.sqlite.prepare('SELECT name FROM subscribers').get()).toEqual({ name: 'Петров Иван' });
  });
});

describe('imports that do no harm', () => {
  beforeEach(async () => {
    await importTariffs(db, writeText(dir, 'tariffs.csv', TARIFFS_CSV));
  });
  const window = { daysBack: 366, daysAhead: 92 };

  it('reads dates as Excel writes them, аванс/кредит, and skips Excel’s empty rows anywhere', async () => {
    // as Excel saves "CSV (разделители - запятые)": semicolons, Windows-1251, day-first dates, empty rows
    const csv = [
      ACCOUNT_HEADER.replaceAll(',', ';'),
      `1001;${IIN_A};Петров Иван;г. Алматы, пр. Абая, 1;;;кредит;HOME100;16.10.2026;да`,
      ';;;;;;;;;',
      `1002;${IIN_A};Петров Иван;г. Алматы, пр. Абая, 1;;;Аванс;HOME100;1.11.2026;да`,
      ';;;;;;;;;',
      ';;;;;;;;;',
    ].join('\r\n');
    const report = await importAccounts(db, writeText(dir, 'excel.csv', csv, 'windows-1251'), '2026-11-25', { window });
    expect(report).toMatchObject({ added: 2, updated: 0, unchanged: 0 });
    expect(db.sqlite.prepare('SELECT account, method, connected_on AS connectedOn FROM accounts ORDER BY account').all()).toEqual([
      { account: '1001', method: 'credit', connectedOn: '2026-10-16' },
      { account: '1002', method: 'advance', connectedOn: '2026-11-01' },
    ]);
  });

  it('lists the file’s problems and those against the database in one round', async () => {
    await importAccounts(db, writeText(dir, 'acc.csv', [ACCOUNT_HEADER, row('1001', IIN_A)].join('\n')), '2026-11-25');
    const csv = [
      ACCOUNT_HEADER,
      row('1001', IIN_A, { method: 'advance' }), // against the database: the method is history
      row('1002', IIN_B, { connected_on: '30.02.2026' }), // in the file: no such day
      '1003,short,row',
      row('1004', IIN_B, { connected_on: '1900-01-01' }), // against the window
    ].join('\n');
    const problems = await refused(importAccounts(db, writeText(dir, 'round.csv', csv), '2026-11-25', { window }));
    expect(problems).toEqual([
      expect.stringMatching(/round\.csv:2:method: account 1001 has method "credit"/),
      expect.stringMatching(/round\.csv:3:connected_on: "30\.02\.2026" is not a date \(YYYY-MM-DD or DD\.MM\.YYYY\)/),
      expect.stringMatching(/round\.csv:4:: 3 fields where the header has 10/),
      // 366 days before 2026-11-25 is 2025-11-24
      expect.stringMatching(/round\.csv:5:connected_on: 1900-01-01 is before 2025-11-24, 366 days before today \(2026-11-25\).*imports\.connected_on_days_back/),
    ]);
    expect(count('accounts')).toBe(1);
  });

  it('refuses connection dates out of all reason for new accounts only, both ways', async () => {
    // 92 days after 2026-11-25: 5 to 2026-11-30, 31 to 2026-12-31, 31 to 2027-01-31, 25 more: 2027-02-25
    const csv = [ACCOUNT_HEADER, row('1001', IIN_A, { connected_on: '2099-01-01' }), row('1002', IIN_A, { connected_on: '2027-02-26' }), row('1003', IIN_A, { connected_on: '2027-02-25' })].join('\n');
    const problems = await refused(importAccounts(db, writeText(dir, 'future.csv', csv), '2026-11-25', { window }));
    expect(problems).toEqual([
      expect.stringMatching(/future\.csv:2:connected_on: 2099-01-01 is after 2027-02-25, 92 days after today \(2026-11-25\).*imports\.connected_on_days_ahead/),
      expect.stringMatching(/future\.csv:3:connected_on: 2027-02-26 is after 2027-02-25/),
    ]);
    // an account already in the database keeps its date whatever the window: a re-import a year later passes
    await importAccounts(db, writeText(dir, 'ok.csv', [ACCOUNT_HEADER, row('1001', IIN_A, { connected_on: '2026-10-16' })].join('\n')), '2026-11-25', { window });
    const later = await importAccounts(db, writeText(dir, 'ok.csv', [ACCOUNT_HEADER, row('1001', IIN_A, { connected_on: '2026-10-16' })].join('\n')), '2028-06-01', { window });
    expect(later).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
  });

  it('reports each change field by field; a blanked email is named, not just "1 updated"', async () => {
    await importAccounts(db, writeText(dir, 'acc.csv', [ACCOUNT_HEADER, row('1001', IIN_A), row('1002', IIN_A, { method: 'advance' })].join('\n')), '2026-11-25');
    const csv = [ACCOUNT_HEADER, row('1001', IIN_A, { email: '' }), row('1002', IIN_A, { method: 'advance', phone: '+7 702 000 00 00' }), row('1003', IIN_B, { name: 'Иванова Мария' })].join('\n');
    const report = await importAccounts(db, writeText(dir, 'blank.csv', csv), '2026-11-25', { window });
    expect(report).toMatchObject({ dryRun: false, added: 1, updated: 2, unchanged: 0, changedFields: { email: 1, phone: 1 } });
    expect(report.changes).toEqual([
      { line: 2, key: '1001', fields: [{ field: 'email', from: 'kanat@example.kz', to: null }] },
      { line: 3, key: '1002', fields: [{ field: 'phone', from: '+7 701 123 45 67', to: '+7 702 000 00 00' }] },
    ]);
    expect(report.additions).toEqual([expect.objectContaining({ line: 4, key: '1003', values: expect.objectContaining({ name: 'Иванова Мария', method: 'credit' }) })]);
    expect(db.sqlite.prepare("SELECT email FROM accounts WHERE account = '1001'").get()).toEqual({ email: null });
    const journal = db.sqlite.prepare("SELECT counts FROM job_runs WHERE job = 'import-accounts' ORDER BY id DESC LIMIT 1").get() as { counts: string };
    expect(JSON.parse(journal.counts)).toEqual({ added: 1, updated: 2, unchanged: 0, changed_email: 1, changed_phone: 1 });
  });

  it('a dry run reports the same and writes nothing, not even the journal', async () => {
    await importAccounts(db, writeText(dir, 'acc.csv', [ACCOUNT_HEADER, row('1001', IIN_A)].join('\n')), '2026-11-25');
    const runs = count('job_runs');
    const csv = [ACCOUNT_HEADER, row('1001', IIN_A, { email: '' }), row('1003', IIN_B, { name: 'Иванова Мария' })].join('\n');
    const report = await importAccounts(db, writeText(dir, 'dry.csv', csv), '2026-11-25', { window, dryRun: true });
    expect(report).toMatchObject({ dryRun: true, added: 1, updated: 1, changedFields: { email: 1 } });
    expect(count('accounts')).toBe(1);
    expect(count('job_runs')).toBe(runs);
    expect(db.sqlite.prepare("SELECT email FROM accounts WHERE account = '1001'").get()).toEqual({ email: 'kanat@example.kz' });
  });

  it('refuses names and addresses whose letters a Windows-1251 save turned into "?"', async () => {
    await importAccounts(db, writeText(dir, 'acc.csv', [ACCOUNT_HEADER, row('1001', IIN_A, { name: 'Нұрланов Ерлан' })].join('\n')), '2026-11-25');
    // Excel's "CSV (разделители - запятые)": ұ and Ә are not in Windows-1251, so each becomes "?"
    const csv = [ACCOUNT_HEADER, row('1001', IIN_A, { name: 'Нұрланов Ерлан' }), row('1002', IIN_B, { name: 'Петров Иван', address: 'г. Алматы, ул. Әуезова, 5' })].join('\r\n');
    const file = writeText(dir, 'excel1251.csv', csv, 'windows-1251');
    const problems = await refused(importAccounts(db, file, '2026-11-25', { window }));
    expect(problems).toEqual([
      expect.stringMatching(/excel1251\.csv:2:name: "Н\?рланов Ерлан" has "\?" where a letter was \(the database has "Нұрланов Ерлан"\): .*Windows-1251.*"CSV UTF-8"/),
      expect.stringMatching(/excel1251\.csv:3:address: "г\. Алматы, ул\. \?уезова, 5" has "\?" where a letter was: .*"CSV UTF-8"/),
    ]);
    expect(db.sqlite.prepare('SELECT name FROM subscribers').all()).toEqual([{ name: 'Нұрланов Ерлан' }]);
    // the same letters lost in a tariff's name
    const tariffs = 'code;name;monthly_fee;port_fee;installation_fee\r\nHOME100;Үй интернеті 100 / Домашний 100;5000;300;10000\r\n';
    expect(await refused(importTariffs(db, writeText(dir, 't1251.csv', tariffs, 'windows-1251')))).toEqual([
      expect.stringMatching(/t1251\.csv:2:name: "\?й интернеті 100 \/ Домашний 100" has "\?" where a letter was \(the database has "Үй интернеті 100 \/ Домашний 100"\)/),
    ]);
  });

  it('tariffs: a dry run lists additions and renames and writes nothing', async () => {
    const csv = [TARIFFS_CSV.replace('Телефон', 'Телефон (қалалық)'), 'NEW1,Жаңа,"1 000,50",0,0'].join('\n');
    const report = await importTariffsReport(db, writeText(dir, 'tdry.csv', csv), { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, added: 1, updated: 1, unchanged: 2, changedFields: { name: 1 } });
    // "1 000,50" ₸ = 100 050 tiyn, shown as 1000.50
    expect(report.additions).toEqual([{ line: 5, key: 'NEW1', values: { name: 'Жаңа', monthly_fee: '1000.50', port_fee: '0.00', installation_fee: '0.00' } }]);
    expect(report.changes).toEqual([{ line: 4, key: 'TEL', fields: [{ field: 'name', from: 'Телефон', to: 'Телефон (қалалық)' }] }]);
    expect(count('tariffs')).toBe(3);
    expect(allTariffs(db).get('TEL')?.name).toBe('Телефон');
  });
});
