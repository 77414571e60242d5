// Termination by the operator through the binary: the notice with the debt demand as PDF, the
// mailing list, and a rerun that writes nothing twice.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase } from '../../src/db/connection.js';
import { postEntries } from '../../src/db/ledger.js';
import { esepWith } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A } from '../helpers/fixtures.js';
import { pdfText } from '../helpers/pdf.js';
import { tempDir, writeText } from '../helpers/tmp.js';

const dir = tempDir();
const db = path.join(dir, 'notices.db');
const notices = path.join(dir, 'notices');
const config = path.join(dir, 'esep.config.json');
/** The terminations are run on 26 and 27 December 2026, after the real today: "today" is the 27th (D-12). */
const esep = (db: string, ...args: string[]) => esepWith({ ESEP_TODAY: '2026-12-27' }, db, ...args);

beforeAll(() => {
  expect(esep(db, 'init', '--demo', '1', '--date', '2026-09-01').code).toBe(0); // the demo operator
  expect(esep(db, 'import', 'tariffs', writeText(dir, 't.csv', 'code,name,monthly_fee,port_fee,installation_fee\nNET,Net,5000,300,0')).code).toBe(0);
  const accounts = [ACCOUNT_HEADER, `3001,${IIN_A},Өтегенов Ғалымжан,"г. Алматы, ул. Төле би, 1",g@example.kz,+7 701 000 00 02,credit,NET,2026-09-01,yes`].join('\n');
  expect(esep(db, 'import', 'accounts', writeText(dir, 'a.csv', accounts), '--date', '2026-09-01').code).toBe(0);
  expect(esep(db, 'equipment', 'add', '3001', 'ONT-9', '--cost', '25000', '--date', '2026-09-01').code).toBe(0);
  // October and November billed, 5 000 ₸ each, due 25 Nov and 25 Dec; nothing paid
  const d = openDatabase(db);
  inTransaction(d, () => {
    postEntries(d, [
      { account: '3001', valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000, key: 'oct' },
      { account: '3001', valueDate: '2026-11-30', kind: 'monthly_fee', amount: -500_000, key: 'nov' },
    ]);
    const invoice = d.sqlite.prepare(
      `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments, penalties,
        closing_balance, principal, amount_due) VALUES (?, 'MT', 2026, ?, '3001', ?, ?, ?, 0, -500000, 0, 0, 0, 0, 500000, 500000)`,
    );
    invoice.run('MT-2026-000001', 1, '2026-10', '2026-11-01', '2026-11-25');
    invoice.run('MT-2026-000002', 2, '2026-11', '2026-12-01', '2026-12-25');
  });
  d.close();
  writeFileSync(config, JSON.stringify({ output: { notices_dir: notices } }));
});

describe('termination notices (cl. 23.8)', () => {
  it('writes the notice and the mailing list on the day two invoices are overdue', async () => {
    const r = esep(db, '--config', config, 'run', 'terminate', '--date', '2026-12-26');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('terminated 3001 on 2026-12-26: two consecutive invoices overdue: 2026-10 and 2026-11');
    const pdf = path.join(notices, '2026-12-26', 'notice-3001.pdf');
    expect(existsSync(pdf)).toBe(true);
    const text = await pdfText(pdf);
    // the whole debt, broken down (cl. 23.8): October and November 5 000,00 each, and December's service
    // to the termination, charged at termination (D-10): 1–25 Dec, round(5 000 × 25/31) = round(4 032,258) = 4 032,26;
    // no penalty run here: 5 000 + 5 000 + 4 032,26 = 14 032,26, in words in both languages
    expect(text).toContain('Шот / Счёт MT-2026-000001 (10.2026): негізгі борыш / основной долг — Ай сайынғы абоненттік төлем / Ежемесячная абонентская плата 5 000,00 ₸');
    expect(text).toContain('Шот / Счёт MT-2026-000002 (11.2026): негізгі борыш / основной долг — Ай сайынғы абоненттік төлем / Ежемесячная абонентская плата 5 000,00 ₸');
    expect(text).toContain('12.2026, шот әлі берілмеген / счёт ещё не выставлен: Ай сайынғы абоненттік төлем / Ежемесячная абонентская плата 4 032,26 ₸');
    expect(text).toContain('ТӨЛЕУГЕ / К ОПЛАТЕ до 05.01.2027 14 032,26 ₸');
    expect(text).toContain('он төрт мың отыз екі теңге 26 тиын');
    expect(text).toContain('четырнадцать тысяч тридцать два тенге 26 тиын');
    expect(text).not.toContain('Задолженности по договору');
    expect(text).toContain('Өтегенов Ғалымжан');
    expect(text).toContain('190540012345'); // the operator's BIN
    // pay within 10 days: 26 Dec + 10 = 5 Jan 2027; equipment back within 5 working days: 5 Jan 2027 too
    expect(text).toContain('05.01.2027');
    expect(text).toMatch(/Оборудование необходимо вернуть до 05\.01\.2027/);
    const mailing = readFileSync(path.join(notices, '2026-12-26', 'mailing-2026-12-26.csv'), 'utf8');
    expect(mailing).toBe(
      'account,name,email,phone,address,debt,penalty_debt,equipment_return_by,notice\r\n' +
        '3001,Өтегенов Ғалымжан,g@example.kz,+7 701 000 00 02,"г. Алматы, ул. Төле би, 1",14032.26,0.00,2027-01-05,notice-3001.pdf\r\n',
    );
  });

  it('writes nothing twice, and `esep notices` finds nothing missing', () => {
    expect(esep(db, '--config', config, 'run', 'terminate', '--date', '2026-12-27').stdout).not.toContain('notice');
    expect(esep(db, '--config', config, 'notices', '--since', '2026-12-01').stdout).toContain('0 termination notice(s)');
  });
});
