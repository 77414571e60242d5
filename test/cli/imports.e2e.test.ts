// Imports that do no harm, through the built binary: each slip is refused (exit 2) naming file, line
// and field, and the database file is byte for byte what it was; a dry run prints its report and
// changes nothing. Fixtures are written here (Windows-1251 bytes through iconv-lite).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { esep, initWorld, ROOT } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B } from '../helpers/fixtures.js';
import { tempDir, writeText } from '../helpers/tmp.js';

const dir = tempDir();
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const ACCOUNTS = [
  ACCOUNT_HEADER,
  `1001,${IIN_A},Нұрланов Ерлан,"г. Алматы, ул. Әуезова, 5",erlan@example.kz,+7 701 111 22 33,credit,HOME100,2026-10-16,yes`,
  `1002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",maria@example.kz,,advance,HOME300,2026-11-01,no`,
].join('\n');

/** Runs a command that must be refused: exit 2, nothing written (the database file's hash unchanged). */
function refused(db: string, ...args: string[]): string {
  const before = sha(db);
  const r = esep(db, ...args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/^esep: refused, nothing was changed:/);
  expect(sha(db)).toBe(before);
  return r.stderr;
}

describe('imports that do no harm', () => {
  const db = path.join(dir, 'imports.db');
  beforeAll(() => initWorld(db, dir, ACCOUNTS, '2026-11-25'));

  it('refuses a Windows-1251 file that lost Kazakh letters, naming the rows, advising CSV UTF-8', () => {
    // the same accounts saved by Excel as "CSV (разделители - запятые)": ұ and Ә become "?"
    const file = writeText(dir, 'accounts-1251.csv', ACCOUNTS.replaceAll(',', ';').replace(/"([^"]*)"/g, (_m, a: string) => `"${a.replaceAll(';', ',')}"`), 'windows-1251');
    const stderr = refused(db, 'import', 'accounts', file, '--date', '2026-11-25');
    const name = path.basename(file);
    expect(stderr).toContain(`${name}, line 2, name: "Н?рланов Ерлан" has "?" where a letter was (the database has "Нұрланов Ерлан")`);
    expect(stderr).toContain(`${name}, line 2, address: "г. Алматы, ул. ?уезова, 5" has "?" where a letter was (the database has "г. Алматы, ул. Әуезова, 5")`);
    expect(stderr).toContain('save it from Excel as "CSV UTF-8"');
    // line 3 has no Kazakh letter: it is not named
    expect(stderr).not.toContain('line 3');
  });

  it('refuses a UTF-8 file with one stray byte, naming its line, instead of reading it as Windows-1251', () => {
    const text = Buffer.from(`${ACCOUNTS}\n`, 'utf8');
    const at = text.indexOf(Buffer.from('Кенесары', 'utf8'));
    // one 0xA0 (a no-break space from a Windows-1251 editor) inside the address on line 3
    const file = path.join(dir, 'stray-byte.csv');
    writeFileSync(file, Buffer.concat([text.subarray(0, at), Buffer.from([0xa0]), text.subarray(at)]));
    const stderr = refused(db, 'import', 'accounts', file, '--date', '2026-11-25');
    expect(stderr).toMatch(/stray-byte\.csv, line 3: byte 0xA0 at byte \d+ of the line \(offset \d+ in the file\) is not UTF-8/);
    expect(stderr).toContain('it is not read as Windows-1251');
    // and nothing like mojibake reached the database: the names are as imported
    const shown = esep(db, '--json', 'account', 'show', '1002', '--date', '2026-11-25');
    expect(shown.stdout).toContain('Иванова Мария');
  });

  it('refuses connection dates out of all reason with the line and field', () => {
    const csv = [
      ACCOUNT_HEADER,
      `2001,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",,,advance,HOME300,1900-01-01,no`,
      `2002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",,,advance,HOME300,01.01.2099,no`,
    ].join('\n');
    const file = writeText(dir, 'dates.csv', csv);
    const stderr = refused(db, 'import', 'accounts', file, '--date', '2026-11-25');
    const name = path.basename(file);
    // default window: 366 days back (2025-11-24), 92 days ahead (2027-02-25) of 2026-11-25
    expect(stderr).toContain(`${name}, line 2, connected_on: 1900-01-01 is before 2025-11-24, 366 days before today (2026-11-25)`);
    expect(stderr).toContain(`${name}, line 3, connected_on: 2099-01-01 is after 2027-02-25, 92 days after today (2026-11-25)`);
  });

  it('takes the window from the configuration file', () => {
    const csv = [ACCOUNT_HEADER, `2003,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",,,advance,HOME300,01.06.2024,no`].join('\n');
    const file = writeText(dir, 'old.csv', csv);
    // 2024-06-01 is 907 days before 2026-11-25 (365 to 2025-06-01, 365 to 2026-06-01, 30+31+31+30+31 = 153 to
    // 2026-11-01, 24 more): refused by the default 366, accepted with 1000
    expect(refused(db, 'import', 'accounts', file, '--date', '2026-11-25')).toContain('connected_on: 2024-06-01 is before 2025-11-24');
    const config = writeText(dir, 'esep.config.json', JSON.stringify({ imports: { connected_on_days_back: 1000 } }));
    const r = esep(db, '--config', config, 'import', 'accounts', file, '--date', '2026-11-25', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 added');
  });

  it('a dry run lists what would be added and changed field by field, and writes nothing', () => {
    const csv = [
      ACCOUNT_HEADER,
      `1001,${IIN_A},Нұрланов Ерлан,"г. Алматы, ул. Әуезова, 5",,+7 701 111 22 33,кредит,HOME100,16.10.2026,да`,
      `1002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 7",maria@example.kz,,аванс,HOME300,01.11.2026,нет`,
      `1003,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 7",,,аванс,TEL,25.11.2026,нет`,
      ',,,,,,,,,',
      ',,,,,,,,,',
    ].join('\n');
    const file = writeText(dir, 'reimport.csv', csv);
    const before = sha(db);
    const r = esep(db, 'import', 'accounts', file, '--date', '2026-11-25', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(sha(db)).toBe(before);
    const name = path.basename(file);
    expect(r.stdout.split('\n')).toEqual([
      `dry run, nothing written: accounts: 1 added, 2 updated (email 1, address 1), 0 unchanged (${name})`,
      '  add     1003 (line 4): Иванова Мария, advance, TEL, connected 2026-11-25, no email',
      '  change  1001 (line 2): email "erlan@example.kz" → empty',
      '  change  1002 (line 3): address "г. Астана, ул. Кенесары, 5" → "г. Астана, ул. Кенесары, 7"',
      '',
    ]);
    const json = esep(db, '--json', 'import', 'accounts', file, '--date', '2026-11-25', '--dry-run');
    expect(sha(db)).toBe(before);
    expect(JSON.parse(json.stdout)).toMatchObject({
      file: name,
      dry_run: true,
      added: 1,
      updated: 2,
      unchanged: 0,
      changed_fields: { email: 1, address: 1 },
      changes: [
        { line: 2, key: '1001', fields: [{ field: 'email', from: 'erlan@example.kz', to: null }] },
        { line: 3, key: '1002', fields: [{ field: 'address', from: 'г. Астана, ул. Кенесары, 5', to: 'г. Астана, ул. Кенесары, 7' }] },
      ],
      additions: [{ line: 4, key: '1003', values: { method: 'advance', tariff: 'TEL', connected_on: '2026-11-25', email: null } }],
    });

    // the real import says the same, so a blanked email is seen
    const real = esep(db, 'import', 'accounts', file, '--date', '2026-11-25');
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain(`accounts: 1 added, 2 updated (email 1, address 1), 0 unchanged (${name})`);
    expect(real.stdout).toContain('  change  1001 (line 2): email "erlan@example.kz" → empty');
    expect(real.stdout).not.toContain('  add ');
    expect(sha(db)).not.toBe(before);
  });

  it('tariffs: a dry run, and trailing empty rows ignored', () => {
    const csv = 'code;name;monthly_fee;port_fee;installation_fee\r\nTEL;Телефон (қалалық);1 500;50;2500.50\r\nNEW1;Жаңа тариф;"1 000,50";0;0\r\n;;;;\r\n;;;;\r\n';
    const file = writeText(dir, 'tariffs-dry.csv', csv);
    const before = sha(db);
    const r = esep(db, 'import', 'tariffs', file, '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(sha(db)).toBe(before);
    expect(r.stdout.split('\n')).toEqual([
      `dry run, nothing written: tariffs: 1 added, 1 updated (name 1), 0 unchanged (${path.basename(file)})`,
      // "1 000,50" is 1000.50
      '  add     NEW1 (line 3): Жаңа тариф, monthly 1000.50, port 0.00, installation 0.00',
      '  change  TEL (line 2): name "Телефон" → "Телефон (қалалық)"',
      '',
    ]);
  });

  it('refuses statement value dates out of all reason, and reads DD.MM.YYYY in the generic CSV', () => {
    const statement = [
      'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose',
      `R-1,0001-01-01,5000,1001,${IIN_A},Нұрланов Ерлан,Оплата`,
      `R-2,2026-12-02,5000,1001,${IIN_A},Нұрланов Ерлан,Оплата`,
      `R-3,24.11.2026,5000,1001,${IIN_A},Нұрланов Ерлан,Оплата`,
    ].join('\n');
    const file = writeText(dir, 'statement.csv', statement);
    // refused before the job takes its lock or journals a run: the database file is what it was
    const stderr = refused(db, 'payments', 'import', file, '--date', '2026-11-25');
    const name = path.basename(file);
    // 366 days before 2026-11-25 is 2025-11-24
    expect(stderr).toContain(`${name}, line 2, value_date: 0001-01-01 is before 2025-11-24, 366 days before today (2026-11-25)`);
    expect(stderr).toContain(`${name}, line 3, value_date: 2026-12-02 is after today (2026-11-25)`);
    expect(stderr).not.toContain('line 4');
    const entries = () =>
      (JSON.parse(esep(db, '--json', 'account', 'statement', '1001', '--from', '2026-11-01', '--to', '2026-11-30').stdout) as { entries: Record<string, unknown>[] }).entries;
    expect(entries()).toEqual([]);

    const good = writeText(dir, 'statement-ok.csv', [statement.split('\n')[0], statement.split('\n')[3], ',,,,,,'].join('\n'));
    const r = esep(db, '--json', 'payments', 'import', good, '--date', '2026-11-25');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 1, applied: 1, applied_amount: '5000.00' });
    // 24.11.2026 is the payment's value date
    expect(entries()).toEqual([expect.objectContaining({ value_date: '2026-11-24', kind: 'payment', amount: '5000.00' })]);
  });

  it('operator: a dry run names each changed setting and writes nothing; a damaged UTF-8 file is refused', () => {
    const operator = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'demo', 'operator.json'), 'utf8')) as Record<string, unknown>;
    const file = writeText(dir, 'operator.json', JSON.stringify({ ...operator, phone: '+7 727 300 00 01' }));
    const before = sha(db);
    const r = esep(db, 'import', 'operator', file, '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(sha(db)).toBe(before);
    expect(r.stdout).toContain('dry run, nothing written: operator: ');
    expect(r.stdout).toContain(`  change  phone "${String(operator.phone)}" → "+7 727 300 00 01"`);
    expect(r.stdout.match(/ {2}change/g)).toHaveLength(1);

    const text = Buffer.from(JSON.stringify(operator, null, 2), 'utf8');
    const at = text.indexOf(Buffer.from('"address"', 'utf8'));
    const damaged = path.join(dir, 'operator-damaged.json');
    writeFileSync(damaged, Buffer.concat([text.subarray(0, at), Buffer.from([0xa0]), text.subarray(at)]));
    const stderr = refused(db, 'import', 'operator', damaged);
    expect(stderr).toMatch(/operator-damaged\.json, line \d+: byte 0xA0 at byte \d+ of the line/);
  });

  it('statement rows beyond reason are refused, naming line and field, and the database file is unchanged', () => {
    const header = 'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose';
    const long = 'Оплата '.repeat(150); // 7 × 150 = 1 050 characters, the last space trimmed by the reader: 1 049
    const statement = [
      header,
      // 45 035 996 273 704,96 ₸ = 4 503 599 627 370 496 tiyn = 2^52: far beyond the default cap of 10 000 000 ₸
      `B-1,2026-11-24,"45 035 996 273 704,96",1001,${IIN_A},Нұрланов Ерлан,Оплата`,
      `B-2,2026-11-24,"10 000 000,01",1001,${IIN_A},Нұрланов Ерлан,Оплата`,
      `B-3,2026-11-24,"10 000 000,00",1001,${IIN_A},Нұрланов Ерлан,Оплата`,
      `B-4,2026-11-24,5000,1001,${IIN_A},Нұрланов Ерлан,${long}`,
      `B-5,2026-11-24,"-10 000 000,50",1001,${IIN_A},Нұрланов Ерлан,Сторно`,
    ].join('\n');
    const file = writeText(dir, 'statement-huge.csv', statement);
    const name = path.basename(file);
    const stderr = refused(db, 'payments', 'import', file, '--date', '2026-11-25');
    expect(stderr).toContain(`${name}, line 2, amount: 45 035 996 273 704,96 ₸ is more than the largest payment accepted, 10 000 000,00 ₸ (the setting payments.max_amount of the configuration file)`);
    expect(stderr).toContain(`${name}, line 3, amount: 10 000 000,01 ₸ is more than the largest payment accepted`);
    // exactly the cap is accepted
    expect(stderr).not.toContain('line 4');
    expect(stderr).toContain(`${name}, line 5, purpose: is 1049 characters long, more than the 1000 a payment keeps`);
    // a reversal is capped by its size
    expect(stderr).toContain(`${name}, line 6, amount: -10 000 000,50 ₸ is more than the largest payment accepted`);

    // the cap is the operator's setting: 1 000 ₸ refuses a row of 5 000 ₸
    const config = writeText(dir, 'cap.config.json', JSON.stringify({ payments: { max_amount: 1000 } }));
    const small = writeText(dir, 'statement-small.csv', [header, `C-1,2026-11-24,5000,1001,${IIN_A},Нұрланов Ерлан,Оплата`].join('\n'));
    expect(refused(db, '--config', config, 'payments', 'import', small, '--date', '2026-11-25')).toContain(
      'statement-small.csv, line 2, amount: 5 000,00 ₸ is more than the largest payment accepted, 1 000,00 ₸',
    );
    const badConfig = writeText(dir, 'cap-bad.config.json', JSON.stringify({ payments: { max_amount: 0 } }));
    expect(refused(db, '--config', badConfig, 'payments', 'import', small, '--date', '2026-11-25')).toContain('payments.max_amount');
  });

  it('a bank reference repeated with another account is refused, in the file and against an earlier file; two banks may share one', () => {
    const header = 'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose';
    const first = writeText(dir, 'statement-first.csv', [header, `D-1,2026-11-24,700,1001,${IIN_A},Нұрланов Ерлан,Оплата`].join('\n'));
    const ok = esep(db, '--json', 'payments', 'import', first, '--date', '2026-11-25');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ rows: 1, applied: 1, applied_amount: '700.00' });
    const again = writeText(dir, 'statement-again.csv', [header, `D-1,2026-11-24,700,1002,${IIN_A},Нұрланов Ерлан,Оплата`, `D-2,2026-11-24,300,1001,${IIN_A},Нұрланов Ерлан,Оплата`, `D-2,2026-11-24,300,1001,${IIN_B},Нұрланов Ерлан,Оплата`].join('\n'));
    const stderr = refused(db, 'payments', 'import', again, '--date', '2026-11-25');
    const name = path.basename(again);
    expect(stderr).toMatch(new RegExp(`${name}, line 2, bank_ref: reference D-1 was imported before from ${path.basename(first)} line 2 \\(payment \\d+, 2026-11-24, 700,00 ₸\\) with another account`));
    expect(stderr).toContain(`${name}, line 4, bank_ref: reference D-2 is on line 3 too, with another payer IIN: one transaction cannot be two`);
    // with the bank named, D-1 of another bank is another transaction: 700 + 700 = 1 400 ₸ applied, nothing refused
    const banks = writeText(dir, 'statement-banks.csv', [`${header},bank`, `D-1,2026-11-24,700,1001,${IIN_A},Нұрланов Ерлан,Оплата,HSBKKZKX`, `D-1,2026-11-24,700,1002,${IIN_B},Иванова Мария,Оплата,CASPKZKA`].join('\n'));
    const two = esep(db, '--json', 'payments', 'import', banks, '--date', '2026-11-25');
    expect(two.code, two.stderr).toBe(0);
    expect(JSON.parse(two.stdout)).toMatchObject({ rows: 2, applied: 2, applied_amount: '1400.00', duplicates: 0 });
  });

  it('a UTF-16 statement is named as UTF-16 in the refusal', () => {
    const text = `bank_ref,value_date,amount,account,payer_iin,payer_name,purpose\nR-16,24.11.2026,100,1001,${IIN_A},Нұрланов Ерлан,Оплата\n`;
    const file = path.join(dir, 'statement-utf16.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const stderr = refused(db, 'payments', 'import', file, '--date', '2026-11-25');
    expect(stderr).toContain('statement-utf16.csv, line 1: the file is UTF-16 (LE, it starts with the byte-order mark FF FE), which esep does not read: save it as CSV UTF-8');
  });

  it('a payment CSV with a stray byte is refused by the same detector; a bad window setting is named', () => {
    const text = Buffer.from(`bank_ref,value_date,amount,account,payer_iin,payer_name,purpose\nR-9,24.11.2026,100,1001,${IIN_A},Нұрланов Ерлан,Оплата\n`, 'utf8');
    const at = text.indexOf(Buffer.from('Оплата', 'utf8'));
    const file = path.join(dir, 'statement-stray.csv');
    writeFileSync(file, Buffer.concat([text.subarray(0, at), Buffer.from([0xff]), text.subarray(at)]));
    expect(refused(db, 'payments', 'import', file, '--date', '2026-11-25')).toMatch(/statement-stray\.csv, line 2: byte 0xFF at byte \d+ of the line/);

    const config = writeText(dir, 'bad.config.json', JSON.stringify({ imports: { connected_on_days_back: -1, value_date_days: 3 } }));
    const stderr = refused(db, '--config', config, 'import', 'accounts', writeText(dir, 'a.csv', ACCOUNTS), '--date', '2026-11-25');
    expect(stderr).toContain('imports.connected_on_days_back');
    expect(stderr).toContain('imports.value_date_days: unknown setting');
  });
});
