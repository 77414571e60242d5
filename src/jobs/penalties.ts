// `esep run penalties --date D` (cl. 23.7, 23.10, D-4): for every account with an overdue invoice,
// the penalties that should exist up to D are computed from the facts and only the difference from
// what is posted is posted, dated on the day it belongs to. Catch-up, reruns and late payments need
// no special case: a rerun finds no difference.
//
// What came since the last completed run decides how much of that is redone (domain/penalty.ts):
// an account that cannot differ is left out (quietSince); the others are replayed from the first
// day that can differ (firstDayToRecompute), the penalties before it taken as posted: their facts
// are the ones the last run saw. So a night reads an account's facts and, of its penalties, the
// totals between facts and the days since that day, not every penalty of its history.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection.js';
import { accountsWithDueInvoices, invoicesOf } from '../db/invoices.js';
import type { Counts } from '../db/journal.js';
import { FACT_COLUMNS, FACT_JOIN, factsOf, postEntries, type LedgerFact, type NewEntry } from '../db/ledger.js';
import { penaltyRuleVersions } from '../db/operator.js';
import type { IsoDate } from '../domain/dates.js';
import { leftToCorrect } from '../domain/entries.js';
import { penaltyKey } from '../domain/keys.js';
import {
  expectedPenalties,
  firstDayToRecomputeSql,
  penaltyCorrections,
  penaltyRanges,
  penaltyRulesOn,
  quietSinceSql,
  type PenaltyResume,
  type PenaltyRulesOn,
  type PenaltyRun,
  type PostedPenalty,
} from '../domain/penalty.js';
import { batchSize } from './debit.js';
import { runJob, type JobResult, type Progress } from './runner.js';

/** The operator's penalty settings in force on each day (their versions, db/operator.ts). */
export function penaltyRules(db: Db): PenaltyRulesOn {
  return penaltyRulesOn(penaltyRuleVersions(db));
}

export interface PenaltyOptions {
  date: IsoDate;
  dryRun?: boolean;
  progress?: Progress;
  onPost?: (e: NewEntry) => void;
  /** Called once for each account whose penalties the run compares (`run day` counts accounts over its days). */
  onAccount?: (account: string) => void;
}

interface Reads {
  /** An account's entries other than penalties: the facts. */
  facts: Statement;
  /** The penalties posted over ranges of days (a JSON list of [after, through]), one total per range. */
  rangeTotals: Statement;
  /** An invoice's days with a net penalty charged before a day. */
  daysUsed: Statement;
  /** An account's penalties posted from one day through another. */
  postedFrom: Statement;
}

const reads = new WeakMap<Db['sqlite'], Reads>();

function readsOf(db: Db): Reads {
  let r = reads.get(db.sqlite);
  if (!r) {
    r = {
      facts: db.sqlite.prepare(`SELECT ${FACT_COLUMNS} FROM ${FACT_JOIN} WHERE l.account = ? AND l.kind <> 'penalty' ORDER BY l.value_date, l.id`),
      rangeTotals: db.sqlite
        .prepare(
          `SELECT (SELECT COALESCE(SUM(l.amount), 0) FROM ledger l WHERE l.account = @account AND l.kind = 'penalty'
                    AND l.value_date > json_extract(r.value, '$[0]') AND l.value_date <= json_extract(r.value, '$[1]')) AS amount
             FROM json_each(@ranges) r ORDER BY r.key`,
        )
        .pluck(),
      daysUsed: db.sqlite
        .prepare(
          `SELECT COUNT(*) FROM (SELECT value_date FROM ledger WHERE invoice_id = @invoiceId AND kind = 'penalty' AND value_date < @from
              GROUP BY value_date HAVING SUM(amount) < 0)`,
        )
        .pluck(),
      postedFrom: db.sqlite.prepare(
        `SELECT ${FACT_COLUMNS} FROM ${FACT_JOIN} WHERE l.account = @account AND l.kind = 'penalty' AND l.value_date >= @from AND l.value_date <= @through
          ORDER BY l.value_date, l.id`,
      ),
    };
    reads.set(db.sqlite, r);
  }
  return r;
}

/**
 * Posts one account's penalty corrections through `through`; returns the counts. Inside a transaction.
 * With `from`, the days before it are taken as posted (domain/penalty.ts, firstDayToRecompute) and
 * only the days from it are compared; without, every day is.
 */
export function settlePenalties(
  db: Db,
  account: string,
  through: IsoDate,
  rules: PenaltyRulesOn,
  runId: number | null,
  onPost?: (e: NewEntry) => void,
  from?: IsoDate,
): Counts {
  let expected;
  let penalties: LedgerFact[];
  if (from === undefined) {
    const rows = factsOf(db, account);
    // D-6: penalties do not stop at termination
    expected = expectedPenalties(rows, invoicesOf(db, account), through, rules);
    penalties = rows.filter((r) => r.kind === 'penalty' && r.valueDate <= through);
  } else {
    const r = readsOf(db);
    const facts = r.facts.all(account) as LedgerFact[];
    const ranges = penaltyRanges(facts, from);
    const totals = r.rangeTotals.all({ account, ranges: JSON.stringify(ranges.map((x) => [x.after ?? '', x.through])) }) as number[];
    const resume: PenaltyResume = {
      from,
      before: ranges.map((x, i) => ({ through: x.through, amount: totals[i]! })),
      daysUsed: (invoiceId) => r.daysUsed.get({ invoiceId, from }) as number,
    };
    expected = expectedPenalties(facts, invoicesOf(db, account), through, rules, resume);
    penalties = r.postedFrom.all({ account, from, through }) as LedgerFact[];
  }
  // Only days up to `through` are compared: a run for an earlier day than one already run judges its
  // own days and leaves the later ones, computed by the later run, as they are.
  const postedByKey = new Map<string, PostedPenalty & { entries: number; charges: number[] }>();
  for (const r of penalties) {
    if (r.invoiceId === null) continue;
    const k = `${r.invoiceId}|${r.valueDate}`;
    const p = postedByKey.get(k) ?? { invoiceId: r.invoiceId, day: r.valueDate, amount: 0, entries: 0, charges: [] };
    p.amount -= r.amount;
    p.entries++;
    if (r.amount < 0) p.charges.push(r.id);
    postedByKey.set(k, p);
  }
  // a correction of a penalty is of its own invoice and day, so it is among the penalties read
  const left = leftToCorrect(penalties);
  const entries: NewEntry[] = [];
  for (const c of penaltyCorrections(expected, [...postedByKey.values()])) {
    const posted = postedByKey.get(`${c.invoiceId}|${c.day}`);
    let n = (posted?.entries ?? 0) + 1;
    const base = { account, valueDate: c.day, kind: 'penalty' as const, invoiceId: c.invoiceId, runId };
    if (c.amount > 0) {
      entries.push({ ...base, amount: -c.amount, key: penaltyKey(c.invoiceId, c.day, n), memo: n === 1 ? 'cl. 23.7: 0.5% a day of the unpaid principal' : 'D-4: penalty after a change of the facts' });
      continue;
    }
    // D-7: a lower penalty corrects the day's penalties charged, the latest first, each within what is left of it
    let rest = -c.amount;
    for (const id of [...(posted?.charges ?? [])].reverse()) {
      const piece = Math.min(rest, left.get(id) ?? 0);
      if (piece <= 0) continue;
      entries.push({ ...base, amount: piece, key: penaltyKey(c.invoiceId, c.day, n++), corrects: id, memo: 'D-4: correction after a payment by value date' });
      rest -= piece;
      if (rest === 0) break;
    }
    if (rest !== 0) throw new Error(`account ${account}: the penalty of invoice ${c.invoiceId} on ${c.day} cannot be lowered by ${rest} tiyn more than was charged`);
  }
  postEntries(db, entries);
  if (onPost) entries.forEach((e) => onPost(e));
  const charged = entries.filter((e) => e.amount < 0);
  const corrected = entries.filter((e) => e.amount > 0);
  return {
    accounts: 1,
    penalties: charged.length,
    penalty_tiyn: charged.reduce((s, e) => s - e.amount, 0),
    corrections: corrected.length,
    correction_tiyn: corrected.reduce((s, e) => s + e.amount, 0),
  };
}

export async function runPenalties(db: Db, options: PenaltyOptions): Promise<JobResult> {
  const { date } = options;
  return runJob(db, { job: 'penalties', scope: date, dryRun: options.dryRun, progress: options.progress }, (ctx) => {
    const rules = penaltyRules(db);
    const size = batchSize();
    // The run records the ledger's high-water mark for the next one (domain/penalty.ts: PenaltyRun).
    const since = lastCompletedRun(db, date);
    const mark = (db.sqlite.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM ledger').get() as { id: number }).id;
    ctx.batch(() => ({ ledger_mark: mark }));
    const sinceRun = db.sqlite.prepare(
      `SELECT ${quietSinceSql('a')} AS quiet, ${firstDayToRecomputeSql('a')} AS fromDay FROM accounts a WHERE a.account = @account`,
    );
    let after = '';
    for (;;) {
      const page = accountsWithDueInvoices(db, date, after, size);
      if (page.length === 0) break;
      after = page[page.length - 1]!;
      const work: { account: string; from?: IsoDate }[] = [];
      for (const account of page) {
        if (since === null) {
          work.push({ account });
          continue;
        }
        const s = sinceRun.get({ account, runMark: since.mark, runDay: since.day, date }) as { quiet: number; fromDay: IsoDate };
        // nothing to compare when the first day that can differ is after the run's day (a rerun)
        if (!s.quiet && s.fromDay <= date) work.push({ account, from: s.fromDay });
      }
      if (work.length === 0) continue;
      ctx.batch(() => {
        const counts: Counts = {};
        for (const w of work) {
          for (const [k, v] of Object.entries(settlePenalties(db, w.account, date, rules, ctx.runId, options.onPost, w.from))) counts[k] = (counts[k] ?? 0) + v;
          options.onAccount?.(w.account);
        }
        return counts;
      });
    }
  });
}

/** The ledger mark and day of the last completed penalty run for a day up to `date`, or null. */
function lastCompletedRun(db: Db, date: IsoDate): PenaltyRun | null {
  const row = db.sqlite
    .prepare(`SELECT scope, counts FROM job_runs WHERE job = 'penalties' AND outcome = 'ok' AND scope <= ? ORDER BY id DESC LIMIT 1`)
    .get(date) as { scope: string; counts: string } | undefined;
  if (!row) return null;
  const mark = (JSON.parse(row.counts) as Record<string, number>).ledger_mark;
  return typeof mark === 'number' ? { mark, day: row.scope } : null;
}
