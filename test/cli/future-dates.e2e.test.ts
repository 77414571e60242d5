// D-12 through the built binary: a --date after today, or `run invoices` for a period not ended, is
// refused (exit 2) with the database byte for byte as it was, unless --allow-future; `run invoices`
// after a period no month-end completed names it; `account show`, `debtors` and `run invoices` warn
// when the daily jobs are behind; a month-end that does not finish says how far it got. "Today" is
// set by ESEP_TODAY to 1 December 2026 in every step, so the test means the same on any real date.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { esepWith, initWorld } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B } from '../helpers/fixtures.js';
import { tempDir, writeText } from '../helpers/tmp.js';

const TODAY = '2026-12-01';
const at = (db: string, ...args: string[]) => esepWith({ ESEP_TODAY: TODAY }, db, ...args);

/** The database's bytes (and its write-ahead log's, if one is left): equal before and after = nothing changed. */
function fingerprint(db: string): string {
  const hash = createHash('sha256').update(readFileSync(db));
  for (const side of [`${db}-wal`, `${db}-shm`]) if (existsSync(side)) hash.update(side).update(readFileSync(side));
  return hash.digest('hex');
}

const SLOW = 120_000;

describe('D-12: a date after today is refused unless --allow-future', () => {
  const dir = tempDir();
  const db = path.join(dir, 'future.db');
  const accounts = [
    ACCOUNT_HEADER,
    // suspended for funds from 1 November (nothing paid, no installation, port reservation 0): terminated only on 1 January
    `1001,${IIN_A},Гауһар Әбенқызы,"г. Алматы, пр. Абая, 1",g@example.kz,,advance,HOME300,2026-11-01,yes`,
    `1002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",,,credit,HOME100,2026-10-01,yes`,
  ].join('\n');

  it(
    'every command that posts or changes state with a date refuses 2 December on 1 December, and changes nothing',
    () => {
      initWorld(db, dir, accounts, '2026-11-01');
      expect(at(db, 'run', 'day', '--date', '2026-11-30').code).toBe(0);
      expect(at(db, 'equipment', 'add', '1002', 'ONT-1', '--cost', '20000', '--date', '2026-10-01').code).toBe(0);
      const statement = writeText(dir, 'statement.csv', 'bank_ref,value_date,amount,account,payer_iin,payer_name,purpose\nR-1,2026-11-20,5000,1001,,,\n');
      const before = fingerprint(db);
      const slips: string[][] = [
        ['run', 'day', '--date', '2027-11-30'],
        ['run', 'debit', '--date', '2026-12-02'],
        ['run', 'penalties', '--date', '2026-12-02'],
        ['run', 'suspend', '--date', '2026-12-02'],
        ['run', 'terminate', '--date', '2026-12-02'],
        ['run', 'day', '--date', '2026-12-02', '--dry-run'],
        ['payments', 'import', statement, '--date', '2026-12-02'],
        ['payments', 'assign', '1', '1001', '--date', '2026-12-02'],
        ['account', 'terminate', '1001', '--by', 'subscriber', '--date', '2026-12-02'],
        ['refunds', 'pay', '1001', '--date', '2026-12-02'],
        ['transfer', '1001', '1002', '100', '--date', '2026-12-02'],
        ['equipment', 'add', '1001', 'ONT-2', '--cost', '20000', '--date', '2026-12-02'],
        ['equipment', 'return', '1002', 'ONT-1', '--date', '2026-12-02'],
        ['backbill', '1002', '--amount', '100', '--reason', 'found later', '--date', '2026-12-02'],
        ['recalc', '1001', '--from', '2026-11-30', '--to', '2026-12-02', '--reason', 'outage'],
      ];
      for (const args of slips) {
        const r = at(db, ...args);
        const flag = args.includes('--to') ? '--to' : '--date';
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({
          args,
          code: 2,
          stderr: expect.stringContaining(
            `${flag}: ${args[args.indexOf(flag) + 1]} is after today (2026-12-01, ESEP_TODAY): nothing is posted for a day that has not come; add --allow-future to do it anyway`,
          ),
        });
        expect(fingerprint(db)).toBe(before);
      }
      // the look-backs are refused too: nothing is posted for the days to come, so nothing can be shown as of them
      for (const args of [
        ['account', 'show', '1001', '--date', '2026-12-02'],
        ['debtors', '--date', '2026-12-02'],
      ]) {
        const r = at(db, ...args);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('--date: 2026-12-02 is after today (2026-12-01, ESEP_TODAY): the days to it are not charged yet, so nothing can be shown as of it');
      }
      expect(fingerprint(db)).toBe(before);
      // today itself is not in the future
      expect(at(db, 'run', 'day', '--date', TODAY).code).toBe(0);
    },
    SLOW,
  );

  it(
    'with --allow-future the same run goes ahead',
    () => {
      const r = at(db, '--json', 'run', 'day', '--date', '2026-12-03', '--allow-future');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { days: string[]; counts: { debit: Record<string, number> } };
      // 1 December was done by the last test: 2 and 3 December, one advance account, a day each
      expect(out.days).toEqual(['2026-12-02', '2026-12-03']);
      expect(out.counts.debit).toMatchObject({ accounts: 1, days: 2 });
    },
    SLOW,
  );
});

describe('D-12: run invoices for a period that has not ended, or after one never invoiced', () => {
  const dir = tempDir();
  const db = path.join(dir, 'month-end.db');
  const out = path.join(dir, 'invoices');
  const backups = path.join(dir, 'backups');
  const config = path.join(dir, 'esep.config.json');
  writeFileSync(config, JSON.stringify({ output: { backups_dir: backups, invoices_dir: out } }));
  const run = (...args: string[]) => at(db, '--config', config, ...args);
  const accounts = [
    ACCOUNT_HEADER,
    `1001,${IIN_A},Гауһар Әбенқызы,"г. Алматы, пр. Абая, 1",,,credit,HOME100,2026-10-01,yes`,
    `1002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",,,credit,HOME300,2026-10-01,yes`,
  ].join('\n');

  it(
    'December on 1 December is refused, and so is November while October, when both accounts were active, was never invoiced',
    () => {
      initWorld(db, dir, accounts, '2026-10-01');
      expect(run('run', 'day', '--date', '2026-10-31').code).toBe(0);
      const before = fingerprint(db);

      const december = run('run', 'invoices', '--period', '2026-12');
      expect(december.code).toBe(2);
      expect(december.stderr).toContain(
        '--period: 2026-12 has not ended, today (2026-12-01, ESEP_TODAY): its invoices can be issued from 2027-01-01; add --allow-future to issue them ahead anyway',
      );
      // no hint to run the debits of a day to come
      expect(december.stderr).not.toContain('run debit');

      const november = run('run', 'invoices', '--period', '2026-11');
      expect(november.code).toBe(2);
      expect(november.stderr).toContain('--period: no month-end run completed for 2026-10, though accounts were active in it');
      expect(november.stderr).toContain('run `esep run invoices --period 2026-10` first');
      expect(fingerprint(db)).toBe(before);
      expect(existsSync(backups)).toBe(false); // refused before the month-end backup
    },
    SLOW,
  );

  it(
    'invoices October, then warns at November that the daily jobs are behind',
    () => {
      // the daily jobs ran through 31 October: October's month-end is not behind them
      const october = run('run', 'invoices', '--period', '2026-10');
      expect(october.code).toBe(0);
      expect(october.stderr).not.toContain('daily jobs');
      // November's: only 31 October is done (no penalties, suspensions or terminations for November)
      const november = run('run', 'invoices', '--period', '2026-11');
      expect(november.code).toBe(0);
      expect(november.stderr).toContain('warning: the daily jobs last ran for 31.10.2026: the figures as of 30.11.2026 miss the charges and penalties of the days not run; run `esep run day`');
      // account show (today: 1 December) and debtors say the same
      expect(run('account', 'show', '1001').stderr).toContain('warning: the daily jobs last ran for 31.10.2026: the figures as of 01.12.2026');
      expect(run('debtors', '--date', '2026-11-30').stderr).toContain('warning: the daily jobs last ran for 31.10.2026: the figures as of 30.11.2026');
      // once they have run, no warning
      expect(run('run', 'day').code).toBe(0);
      expect(run('account', 'show', '1001').stderr).not.toContain('warning');
      expect(run('debtors').stderr).not.toContain('warning');
    },
    SLOW,
  );
});

describe('a month-end that does not finish says what it did and how to finish', () => {
  const dir = tempDir();
  const db = path.join(dir, 'failed.db');
  const out = path.join(dir, 'invoices');
  const backups = path.join(dir, 'backups');
  const config = path.join(dir, 'esep.config.json');
  writeFileSync(config, JSON.stringify({ output: { backups_dir: backups, invoices_dir: out } }));
  const run = (...args: string[]) => at(db, '--config', config, ...args);

  it(
    'the PDFs cannot be written: both invoices are numbered, the backup is named, and a rerun finishes',
    () => {
      const accounts = [
        ACCOUNT_HEADER,
        `1001,${IIN_A},Гауһар Әбенқызы,"г. Алматы, пр. Абая, 1",,,credit,HOME100,2026-10-01,yes`,
        `1002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",,,credit,HOME300,2026-10-01,yes`,
      ].join('\n');
      initWorld(db, dir, accounts, '2026-10-01');
      expect(run('run', 'day', '--date', '2026-10-31').code).toBe(0);
      // a file where the period's folder goes: no PDF and no registry can be written
      mkdirSync(out, { recursive: true });
      writeFileSync(path.join(out, '2026-10'), 'not a folder');
      const failed = run('run', 'invoices', '--period', '2026-10');
      // failed (a file in the way of a folder is reported as bad usage, 2): the invoices are numbered all the same
      expect(failed.code).not.toBe(0);
      const [backup] = readdirSync(backups);
      expect(backup).toMatch(/^esep-\d{8}-\d{6}-invoices-2026-10\.db$/);
      expect(failed.stderr).toContain(
        'month-end 2026-10 not finished: 2 invoice(s) of 2026-10 issued and numbered, 2 of them without a PDF; the registry CSV was not written',
      );
      expect(failed.stderr).toContain('to finish: run the same command again (`esep run invoices --period 2026-10`, with the same --db and --config)');
      expect(failed.stderr).toContain(`to undo the whole month-end instead: \`esep restore ${path.join(backups, backup!)} --force\``);

      rmSync(path.join(out, '2026-10'));
      const rerun = run('--json', 'run', 'invoices', '--period', '2026-10');
      expect(rerun.code).toBe(0);
      // nothing issued again, the two PDFs written
      const counts = (JSON.parse(rerun.stdout) as { counts: Record<string, number> }).counts;
      expect(counts.invoices ?? 0).toBe(0);
      expect(counts).toMatchObject({ pdfs: 2 });
      expect(readdirSync(path.join(out, '2026-10')).sort()).toEqual(['MT-2026-000001.pdf', 'MT-2026-000002.pdf', 'registry-2026-10.csv']);
    },
    SLOW,
  );
});
