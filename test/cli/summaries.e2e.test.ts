// The jobs' summary lines count what they say: accounts once each, and the account-days apart
// (a `run day` over 25 days once said "debit: 55 accounts" of 3 accounts). Through the built binary.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { esepWith, initWorld } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B, IIN_C } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

/** Every date here is in November 2026, before the real today; "today" is fixed so that the test means the same on any day. */
const at = (db: string, ...args: string[]) => esepWith({ ESEP_TODAY: '2026-12-01' }, db, ...args);

const SLOW = 120_000;

// HOME100: 5 000 ₸ a month, port reservation 300 ₸, installation 10 000 ₸ (helpers/fixtures.ts).
// Nobody pays: after the installation each balance is below the day's fee, so every day is a port
// reservation of 300,00 and each account is suspended for funds on its connection day.
const accounts = [
  ACCOUNT_HEADER,
  `2001,${IIN_A},Гауһар Әбенқызы,"г. Алматы, пр. Абая, 1",,,advance,HOME100,2026-11-01,yes`,
  `2002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",,,advance,HOME100,2026-11-11,yes`,
  `2003,${IIN_C},Сейітов Нұрлан,"г. Шымкент, ул. Байтұрсынұлы, 3",,,advance,HOME100,2026-11-21,yes`,
].join('\n');

interface DayJson {
  days: string[];
  counts: Record<string, Record<string, number>>;
}

describe('job summaries', () => {
  it(
    'run day over 25 days: 3 accounts and 55 account-days',
    () => {
      const dir = tempDir();
      const db = path.join(dir, 'day.db');
      initWorld(db, dir, accounts, '2026-11-01');
      // a new database: run day does its date only, the debit catching 2001 up from 1 to 5 November
      const first = JSON.parse(at(db, '--json', 'run', 'day', '--date', '2026-11-05').stdout) as DayJson;
      expect(first.days).toEqual(['2026-11-05']);
      // 1 account, 5 days (1–5 Nov), 5 × 300,00 = 1 500,00; suspended on 1 November
      expect(first.counts.debit).toMatchObject({ accounts: 1, days: 5, port_fees: 5, port_tiyn: 150_000, suspended: 1 });
      expect(first.counts.debit!.fees ?? 0).toBe(0);

      const r = at(db, 'run', 'day', '--date', '2026-11-30');
      expect(r.code).toBe(0);
      // 6–30 November, 25 days. 2001: 25 days; 2002 from 11 November: 20; 2003 from 21 November: 10.
      // 25 + 20 + 10 = 55 account-days of 3 accounts; 55 × 300,00 = 16 500,00; 2002 and 2003 suspended.
      expect(r.stdout).toContain('day 2026-11-06..2026-11-30 (25 days): debit: 3 accounts, 55 account-days: 0 daily fees');
      expect(r.stdout).toContain('55 port reservations');
      expect(r.stdout).toContain('2 suspended, 0 restored; penalties: 0 accounts checked:');
    },
    SLOW,
  );

  it(
    'run debit catching up: 3 accounts, 60 account-days',
    () => {
      const dir = tempDir();
      const db = path.join(dir, 'debit.db');
      initWorld(db, dir, accounts, '2026-11-01');
      const json = at(db, '--json', 'run', 'debit', '--date', '2026-11-30');
      // 2001: 1–30 Nov = 30 days; 2002: 11–30 = 20; 2003: 21–30 = 10; 30 + 20 + 10 = 60; 60 × 300,00 = 18 000,00
      const counts = (JSON.parse(json.stdout) as { counts: Record<string, number> }).counts;
      expect(counts.fees ?? 0).toBe(0);
      expect(counts).toMatchObject({
        accounts: 3,
        days: 60,
        port_fees: 60,
        port_tiyn: 1_800_000,
        suspended: 3,
      });
    },
    SLOW,
  );
});
