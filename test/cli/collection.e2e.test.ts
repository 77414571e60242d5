// Collections through the binary: `run day` over missed days, the debtors list, refusals.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase } from '../../src/db/connection.js';
import { postEntries } from '../../src/db/ledger.js';
import { spawnSync } from 'node:child_process';
import { BIN, esep, esepJson } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B } from '../helpers/fixtures.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { snapshotFile as worldSnapshot } from '../helpers/world.js';

const dir = tempDir();
const db = path.join(dir, 'collect.db');

beforeAll(() => {
  expect(esep(db, 'init').code).toBe(0);
  expect(esep(db, 'import', 'tariffs', writeText(dir, 't.csv', 'code,name,monthly_fee,port_fee,installation_fee\nNET,Net,5000,300,0')).code).toBe(0);
  const accounts = [
    ACCOUNT_HEADER,
    `2001,${IIN_A},"=HYPERLINK(""http://x"")",addr,a@example.kz,+7 701 000 00 01,credit,NET,2026-09-01,yes`,
    `2002,${IIN_B},Иванов Пётр,addr,,,advance,NET,2026-11-20,no`,
  ].join('\n');
  expect(esep(db, 'import', 'accounts', writeText(dir, 'a.csv', accounts), '--date', '2026-11-01').code).toBe(0);
  // October billed to the credit account: 5 000 ₸, invoice due 25 Nov
  const d = openDatabase(db);
  inTransaction(d, () => {
    postEntries(d, [{ account: '2001', valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000, key: 'oct' }]);
    d.sqlite
      .prepare(
        `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments, penalties,
          closing_balance, principal, amount_due) VALUES ('MT-2026-000001', 'MT', 2026, 1, '2001', '2026-10', '2026-11-01', '2026-11-25', 0, -500000, 0, 0, 0, -500000, 500000, 500000)`,
      )
      .run();
  });
  d.close();
});

describe('run day', () => {
  it('runs every job for each day not yet done, in order', () => {
    const first = esepJson<{ days: string[] }>(db, 'run', 'day', '--date', '2026-11-24');
    expect(first.days).toEqual(['2026-11-24']);
    // the server was down from the 25th to the 27th: the run on the 28th does 25, 26, 27 and 28
    const r = esepJson<{ days: string[]; counts: Record<string, Record<string, number>> }>(db, 'run', 'day', '--date', '2026-11-28');
    expect(r.days).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
    // penalties of 26, 27, 28 Nov: 3 × 25 ₸; suspended for debt on the 26th
    expect(r.counts.penalties).toMatchObject({ penalties: 3, penalty_tiyn: 7_500 });
    expect(r.counts.suspend).toMatchObject({ suspended: 1 });
    const shown = esepJson<Record<string, string>>(db, 'account', 'show', '2001', '--date', '2026-11-28');
    expect(shown).toMatchObject({ status: 'suspended', suspend_reason: 'debt', debt: '5000.00', penalty_debt: '75.00', balance: '-5075.00' });
    // the advance account connected on the 20th with nothing paid: suspended for funds since its first day
    expect(esepJson<Record<string, string>>(db, 'account', 'show', '2002')).toMatchObject({ status: 'suspended', suspend_reason: 'funds' });
    expect(esep(db, 'verify').code).toBe(0);
    // a rerun for the day done runs nothing and says so
    const again = esepJson<{ days: string[]; counts: Record<string, Record<string, number>> }>(db, 'run', 'day', '--date', '2026-11-28');
    expect(again).toMatchObject({ days: [], already_done: true, done_through: '2026-11-28', counts: {} });
  });

  it('prints the collection agency\u2019s list as CSV, formulas neutralised, the phone as written', () => {
    const r = esep(db, 'debtors', '--date', '2026-11-28');
    expect(r.code).toBe(0);
    const [header, line, ...rest] = r.stdout.trim().split('\r\n');
    expect(header).toBe('account,name,iin,status,method,oldest_due_on,days_overdue,overdue_principal,penalty_debt,total_debt,email,phone,address');
    // 28 Nov is 3 days after 25 Nov; principal 5 000, penalties 75, total 5 075; a name starting
    // with = is prefixed with an apostrophe; the phone column's +7 is a phone, not a formula
    expect(line).toBe(`2001,"'=HYPERLINK(""http://x"")",${IIN_A},suspended (debt),credit,2026-11-25,3,5000.00,75.00,5075.00,a@example.kz,+7 701 000 00 01,addr`);
    expect(rest).toEqual([]);
  });

  it('refuses bad dates and unknown accounts with exit 2', () => {
    expect(esep(db, 'run', 'penalties', '--date', '2026-02-30').code).toBe(2);
    expect(esep(db, 'recalc', 'NOPE', '--from', '2026-11-01', '--to', '2026-11-02', '--reason', 'x').code).toBe(2);
    expect(esep(db, 'account', 'terminate', '2001', '--by', 'operator').code).toBe(2);
    const early = esep(db, 'tariff', 'reprice', 'NET', '--fee', '6000', '--effective', '2026-12-01', '--announced', '2026-11-15', '--date', '2026-11-15');
    expect(early).toMatchObject({ code: 2, stderr: expect.stringContaining('no earlier than 2026-12-15') });
  });

  it('refuses a price or a discontinuation from a day passed, and a recalculation of days not charged; exit 2, nothing changed', () => {
    const before = worldSnapshot(db);
    // today from --date, else from ESEP_TODAY
    const past = esep(db, 'tariff', 'reprice', 'NET', '--fee', '6000', '--effective', '2026-11-20', '--announced', '2026-10-01', '--date', '2026-11-28');
    expect(past.code).toBe(2);
    expect(past.stderr).toBe(
      'esep: refused, nothing was changed:\n  --effective: 2026-11-20 is before today (2026-11-28): a price change applies from today or later, never to days already passed (cl. 23.14)\n',
    );
    const env = { ...process.env, ESEP_DB: '', ESEP_CONFIG: '', ESEP_TODAY: '2026-11-28' };
    const gone = spawnSync(process.execPath, [BIN, '--db', db, 'tariff', 'discontinue', 'NET', '--successor', 'NET', '--effective', '2026-11-27', '--announced', '2026-10-01'], { encoding: 'utf8', env });
    expect(gone.status).toBe(2);
    expect(gone.stderr).toContain('--successor: must be another tariff');
    expect(esep(db, 'import', 'tariffs', writeText(dir, 't2.csv', 'code,name,monthly_fee,port_fee,installation_fee\nNET2,Net 2,6000,300,0')).code).toBe(0);
    const stopped = spawnSync(process.execPath, [BIN, '--db', db, 'tariff', 'discontinue', 'NET', '--successor', 'NET2', '--effective', '2026-11-27', '--announced', '2026-10-01'], { encoding: 'utf8', env });
    expect(stopped.status).toBe(2);
    expect(stopped.stderr).toContain('--effective: 2026-11-27 is before today (2026-11-28): a discontinuation applies from today or later');
    // 2001 (credit) has October's fee and invoice, November's not yet
    const recalc = esep(db, 'recalc', '2001', '--from', '2026-10-30', '--to', '2026-11-02', '--reason', 'авария');
    expect(recalc.code).toBe(2);
    expect(recalc.stderr).toContain('--to: 2026-11-01 is not charged yet (account 2001 has no monthly fee for 2026-11 yet: it is charged at month-end)');
    expect(worldSnapshot(db)).toEqual(before);
    // 2001 owes October's 5 000 ₸ and 3 days of penalties, and a termination on 28 Nov would charge
    // 1–27 Nov at once (D-10): round(5 000 × 27/30) = 4 500; 5 000 + 4 500 + 75 = 9 575 ₸: refused (D-11)
    const leave = esep(db, 'account', 'terminate', '2001', '--by', 'subscriber', '--date', '2026-11-28');
    expect(leave.code).toBe(2);
    expect(leave.stderr).toBe(
      'esep: refused, nothing was changed:\n  ACCOUNT: account 2001 owes 9 575,00 ₸ on 2026-11-28 (unpaid charges 9 500,00 ₸, penalties 75,00 ₸): ' +
        'the subscriber may terminate once the debt to that date is paid (cl. 10, 22.15, D-11); --despite-debt records the termination anyway\n',
    );
    expect(worldSnapshot(db)).toEqual(before);
    const d = openDatabase(db);
    try {
      expect(d.sqlite.prepare(`SELECT discontinued_on AS off, (SELECT COUNT(*) FROM tariff_prices WHERE tariff_code = 'NET') AS prices FROM tariffs WHERE code = 'NET'`).get()).toEqual({ off: null, prices: 1 });
    } finally {
      d.close();
    }
  });

  it('records a termination at the subscriber\u2019s request despite the debt with --despite-debt', () => {
    const r = esepJson<Record<string, unknown>>(db, 'account', 'terminate', '2001', '--by', 'subscriber', '--date', '2026-11-28', '--despite-debt');
    // the debt it was recorded despite counts the final fee too: 5 000,00 + 4 500,00 + 75,00 = 9 575,00
    expect(r).toEqual({ state: 'terminated', date: '2026-11-28', despite_debt: '9575.00' });
    // D-10: the final period's fee is posted at termination: 1–27 Nov, round(5 000 × 27/30) = 4 500,00,
    // so the debt is October's 5 000,00 + 4 500,00 = 9 500,00 besides the 75,00 of penalties
    expect(esepJson<Record<string, string>>(db, 'account', 'show', '2001', '--date', '2026-11-28')).toMatchObject({
      status: 'terminated',
      terminated_by: 'subscriber',
      debt: '9500.00',
      penalty_debt: '75.00',
    });
  });
});
