// The end of the working-day calendar through the binary: the warning from 90 days before the data
// ends, and terminations whose deadlines run past it (the night still finishes, every account done).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase } from '../../src/db/connection.js';
import { postEntries } from '../../src/db/ledger.js';
import { BIN, ROOT, type Run } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B, IIN_C } from '../helpers/fixtures.js';
import { tempDir, writeText } from '../helpers/tmp.js';

const dir = tempDir();
const db = path.join(dir, 'calendar.db');
const config = path.join(dir, 'esep.config.json');

/** The binary with "today" set by ESEP_TODAY, as a replay or a test sets it. */
function esepOn(today: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, '--db', db, '--config', config, ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '', ESEP_TODAY: today },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function show(account: string): Record<string, string | null> {
  const r = esepOn('2030-12-26', '--json', 'account', 'show', account, '--date', '2030-12-26');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, string | null>;
}

const END_WARNING = 'warning: the working-day calendar ends on 31.12.2030; add data/calendar/2031.json';

beforeAll(() => {
  // 4003 is imported on 1 September for a connection on 20 December: 110 days ahead, past the
  // default window of 92 days (imports.connected_on_days_ahead), so the setting allows it
  writeFileSync(config, JSON.stringify({ output: { notices_dir: path.join(dir, 'notices') }, imports: { connected_on_days_ahead: 120 } }));
  const setup: string[][] = [
    ['init'],
    ['import', 'operator', path.join(ROOT, 'fixtures', 'demo', 'operator.json')],
    ['import', 'tariffs', writeText(dir, 't.csv', 'code,name,monthly_fee,port_fee,installation_fee\nNET,Net,5000,300,0')],
    [
      'import',
      'accounts',
      writeText(
        dir,
        'a.csv',
        [
          ACCOUNT_HEADER,
          `4001,${IIN_A},Өтегенов Ғалымжан,addr,g@example.kz,,credit,NET,2030-09-01,yes`,
          `4002,${IIN_B},Иванов Пётр,addr,p@example.kz,,credit,NET,2030-09-01,yes`,
          `4003,${IIN_C},Сәрсенова Әйгерім,addr,s@example.kz,,advance,NET,2030-12-20,no`,
        ].join('\n'),
      ),
      '--date',
      '2030-09-01',
    ],
    ['equipment', 'add', '4001', 'ONT-1', '--cost', '25000', '--date', '2030-09-01'],
  ];
  for (const args of setup) {
    const r = esepOn('2030-09-01', ...args);
    if (r.code !== 0) throw new Error(`esep ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  }
  // 4001 and 4002: October and November billed, 5 000 ₸ each, due 25 Nov and 25 Dec 2030; nothing paid
  const d = openDatabase(db);
  inTransaction(d, () => {
    const invoice = d.sqlite.prepare(
      `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments, penalties,
        closing_balance, principal, amount_due) VALUES (?, 'MT', 2030, ?, ?, ?, ?, ?, 0, -500000, 0, 0, 0, 0, 500000, 500000)`,
    );
    let seq = 0;
    for (const account of ['4001', '4002']) {
      postEntries(d, [
        { account, valueDate: '2030-10-31', kind: 'monthly_fee', amount: -500_000, key: `${account}-oct` },
        { account, valueDate: '2030-11-30', kind: 'monthly_fee', amount: -500_000, key: `${account}-nov` },
      ]);
      seq += 1;
      invoice.run(`MT-2030-00000${seq}`, seq, account, '2030-10', '2030-11-01', '2030-11-25');
      seq += 1;
      invoice.run(`MT-2030-00000${seq}`, seq, account, '2030-11', '2030-12-01', '2030-12-25');
    }
  });
  d.close();
});

describe('the end of the working-day calendar (data through 2030)', () => {
  it('no warning on 1 October 2030 (91 days before 31 December), a warning from 2 October (90 days)', () => {
    const before = esepOn('2030-10-01', 'config', 'show');
    expect(before.code).toBe(0);
    expect(before.stderr).toBe('');
    const from = esepOn('2030-10-02', 'config', 'show');
    expect(from.code).toBe(0);
    expect(from.stderr).toBe(`${END_WARNING}\n`);
  });

  it('terminations on Thu 26 Dec 2030 finish, the deadline past the data estimated and flagged', () => {
    const r = esepOn('2030-12-26', 'run', 'terminate', '--date', '2030-12-26');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('terminated 4001 on 2030-12-26');
    expect(r.stdout).toContain('terminated 4002 on 2030-12-26');
    // Fri 27 (1), Mon 30 (2), Tue 31 (3); 2031 by the rule: Wed 1 and Thu 2 Jan New Year, Fri 3 (4),
    // Mon 6 (5) → 06.01.2031. One warning line for both accounts (the same deadline).
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
      END_WARNING,
      'warning: 5 working days after 26.12.2030 is 06.01.2031, an estimate: the working-day calendar has no data for 2031 ' +
        '(Mon–Fri minus the law\u2019s fixed holidays, moved by its rule; no Kurban Ait, no transfers); add data/calendar/2031.json and check the deadlines set on 26.12.2030',
    ]);
    expect(show('4001')).toMatchObject({ status: 'terminated', equipment_return_by: '2031-01-06' });
    expect(show('4002')).toMatchObject({ status: 'terminated', equipment_return_by: null });
  });

  it('a termination by the subscriber on 26 Dec 2030: refund due within 10 working days, estimated', () => {
    // … Mon 6 Jan (5), Tue 7 Jan Orthodox Christmas, Wed 8 (6), Thu 9 (7), Fri 10 (8), Mon 13 (9),
    // Tue 14 (10) → 2031-01-14.
    const r = esepOn('2030-12-26', 'account', 'terminate', '4003', '--by', 'subscriber', '--date', '2030-12-26');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: 10 working days after 26.12.2030 is 14.01.2031, an estimate');
    expect(show('4003')).toMatchObject({ status: 'terminated', refund_due_on: '2031-01-14' });
  });
});
