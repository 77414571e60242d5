// Issue 15, "the same statement, the same result": the rows of a statement decide the same charges
// and statuses whatever their order, however the statement is cut into files, and whatever the
// import's batch size (ESEP_BATCH_SIZE). A few advance accounts, suspended for funds from their
// connection, get random payments over a fortnight; the same rows are imported three ways:
//   whole     one file, in the generated order, the default batch size;
//   shuffled  one file, rows shuffled, a random batch size from 1 up;
//   split     the shuffled rows cut into several files, imported one after the other, each with a
//             random batch size.
// Two moments of import, the two a payment can meet: before the day's run (the run is behind by
// some days, which the run then decides from every payment known) and after it (today decided:
// restoration reverses today's port reservation, D-3). Every account must end with the same status,
// suspend reason, balance, last day decided and charges in all three.
import fc from 'fast-check';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { addDays, type IsoDate } from '../../src/domain/dates.js';
import { runDebit } from '../../src/jobs/debit.js';
import { importPayments } from '../../src/jobs/payments.js';
import { verify } from '../../src/jobs/verify.js';
import { addAccount, addTariff } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { writeStatement, type StatementLine } from '../helpers/world.js';

const RUNS = Number(process.env.ESEP_PROP_RUNS ?? 25);
const SEED = Number(process.env.ESEP_PROP_SEED ?? 15_2026);
const ACCOUNTS = ['A1', 'A2', 'A3', 'A4'] as const;
const CONNECTED: IsoDate = '2026-11-01';
const TODAY: IsoDate = '2026-11-15';
const dir = tempDir();

afterEach(() => {
  delete process.env.ESEP_BATCH_SIZE;
});

interface Row {
  account: (typeof ACCOUNTS)[number];
  /** Days before today of the value date (0: today). */
  back: number;
  /** tiyn: 50 ₸ to 3 000 ₸, around the daily fee (5 000 ₸ / 30 = 166,67 ₸) and a few days of it. */
  amount: number;
}

const rowArb = fc.record({ account: fc.constantFrom(...ACCOUNTS), back: fc.integer({ min: 0, max: 6 }), amount: fc.integer({ min: 5_000, max: 300_000 }) });

interface Play {
  /** Whether today is decided before the statements come. */
  runFirst: boolean;
  /** The day the run had decided through before today's imports (the run is behind by TODAY − this). */
  decidedThrough: IsoDate;
  files: { rows: Row[]; batch: number | undefined }[];
}

async function play(rows: readonly Row[], p: Play): Promise<Db> {
  const db = openDatabase(':memory:');
  // 5 000 ₸ a month, port reservation 300 ₸ a day
  addTariff(db, 'NET', { monthly: 500_000, port: 30_000 });
  for (const a of ACCOUNTS) addAccount(db, a, { tariff: 'NET', connectedOn: CONNECTED });
  await runDebit(db, { date: p.decidedThrough });
  if (p.runFirst) await runDebit(db, { date: TODAY });
  const refOf = new Map(rows.map((r, i) => [r, `REF-${i + 1}`] as const));
  let n = 0;
  for (const f of p.files) {
    if (f.rows.length === 0) continue;
    const lines: StatementLine[] = f.rows.map((r) => ({ bankRef: refOf.get(r)!, valueDate: addDays(TODAY, -r.back), amount: r.amount, account: r.account, payerName: 'Плательщик' }));
    if (f.batch === undefined) delete process.env.ESEP_BATCH_SIZE;
    else process.env.ESEP_BATCH_SIZE = String(f.batch);
    await importPayments(db, { file: writeStatement(path.join(dir, `part-${++n}.csv`), lines), date: TODAY });
  }
  delete process.env.ESEP_BATCH_SIZE;
  await runDebit(db, { date: TODAY });
  return db;
}

function outcome(db: Db) {
  const accounts = db.sqlite
    .prepare('SELECT account, status, suspend_reason AS reason, balance, debited_through AS through FROM accounts ORDER BY account')
    .all();
  // the charges and their corrections, as a multiset (the order they were posted in may differ)
  const charges = db.sqlite
    .prepare(`SELECT account, value_date AS day, kind, amount, COUNT(*) AS n FROM ledger WHERE kind <> 'payment' GROUP BY account, value_date, kind, amount ORDER BY 1, 2, 3, 4`)
    .all();
  return { accounts, charges };
}

/** A permutation of the rows by the generated keys. */
function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items.map((item, i) => ({ item, k: keys[i % keys.length]! + i / 1000 })).sort((a, b) => a.k - b.k).map((x) => x.item);
}

describe('a statement decides the same whatever its order, files and batch size (issue 15)', () => {
  it(
    'whole, shuffled and split imports end every account alike, before or after the day\u2019s run',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(rowArb, { minLength: 2, maxLength: 14 }),
          fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 14 }),
          fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 14 }),
          fc.integer({ min: 1, max: 5 }),
          fc.boolean(),
          fc.integer({ min: 1, max: 4 }),
          async (rows, keys, cuts, batch, runFirst, behind) => {
            // behind: the run decided through TODAY − behind days before the statements (runFirst: through today anyway)
            const decidedThrough = addDays(TODAY, -behind);
            const order = shuffled(rows, keys);
            // split: row i goes to file cuts[i] (up to four files), each file keeps the shuffled order
            const parts = [0, 1, 2, 3].map((f) => ({ rows: order.filter((_, i) => (cuts[i % cuts.length] ?? 0) === f), batch: ((batch + f) % 3) + 1 }));
            const whole = outcome(await play(rows, { runFirst, decidedThrough, files: [{ rows: [...rows], batch: undefined }] }));
            const one = await play(rows, { runFirst, decidedThrough, files: [{ rows: order, batch }] });
            const many = await play(rows, { runFirst, decidedThrough, files: parts });
            expect(outcome(one)).toEqual(whole);
            expect(outcome(many)).toEqual(whole);
            expect(verify(one)).toEqual([]);
            expect(verify(many)).toEqual([]);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    },
    120_000,
  );

  it('a payment of today and a larger one of days ago, both short of the days, end in the same port reservations in either order', async () => {
    // A1 connected 1 Nov, suspended from the first day (0 ₸ < fee 166,67 ₸), decided through 10 Nov.
    // Rows: 100 ₸ dated 15 Nov, 3 000 ₸ dated 11 Nov, imported on 15 Nov before the day's run.
    const rows: Row[] = [
      { account: 'A1', back: 0, amount: 10_000 },
      { account: 'A1', back: 4, amount: 300_000 },
    ];
    const decidedThrough: IsoDate = '2026-11-10';
    const forward = outcome(await play(rows, { runFirst: false, decidedThrough, files: [{ rows: [rows[0]!], batch: 1 }, { rows: [rows[1]!], batch: 1 }] }));
    const backward = outcome(await play(rows, { runFirst: false, decidedThrough, files: [{ rows: [rows[1]!], batch: 1 }, { rows: [rows[0]!], batch: 1 }] }));
    expect(backward).toEqual(forward);
    // 1–10 Nov: port reservation 300 ₸ a day = −3 000 ₸. From 11 Nov the run sees 3 000 ₸: start of
    // 11 Nov −3 000 + 3 000 = 0 < 166,67: port again (−300); 12 Nov −300 < fee: port (−600) … every day
    // to 14 Nov is short; 15 Nov: −3 000 + 3 000 − 4 × 300 + 100 = −1 100 < fee: port. So 15 days of
    // port reservation: −4 500 ₸, + 3 100 ₸ paid = −1 400,00 ₸, suspended.
    expect(forward.accounts.find((a) => (a as { account: string }).account === 'A1')).toEqual({
      account: 'A1',
      status: 'suspended',
      reason: 'funds',
      balance: -140_000,
      through: TODAY,
    });
  });

  it('a payment covering the days it came back to is charged the daily fee from its value date, in either order', async () => {
    // A2: 6 000 ₸ dated 12 Nov and 50 ₸ dated 15 Nov, the run decided through 11 Nov.
    // 1–11 Nov: 11 × 300 = −3 300 ₸. Start of 12 Nov: −3 300 + 6 000 = 2 700 ₸ ≥ fee(12 Nov):
    // fee(d) = round(500 000·d/30) − round(500 000·(d−1)/30) in tiyn:
    //   12 Nov: 200 000 − 183 333 = 16 667; 13 Nov: 216 667 − 200 000 = 16 667;
    //   14 Nov: 233 333 − 216 667 = 16 666; 15 Nov: 250 000 − 233 333 = 16 667. Sum 66 667 tiyn.
    // Every day covered: −3 300 + 6 000 + 50 − 666,67 = 2 083,33 ₸, active.
    const rows: Row[] = [
      { account: 'A2', back: 3, amount: 600_000 },
      { account: 'A2', back: 0, amount: 5_000 },
    ];
    const decidedThrough: IsoDate = '2026-11-11';
    for (const order of [rows, [...rows].reverse()]) {
      const db = await play(rows, { runFirst: false, decidedThrough, files: order.map((r) => ({ rows: [r], batch: 1 })) });
      expect(outcome(db).accounts.find((a) => (a as { account: string }).account === 'A2')).toEqual({
        account: 'A2',
        status: 'active',
        reason: null,
        balance: 208_333,
        through: TODAY,
      });
    }
  });
});
