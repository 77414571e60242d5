// `esep run penalties --date D` (cl. 23.7, 23.10, D-4): for every account with an overdue invoice,
// the penalties that should exist up to D are computed from the facts and only the difference from
// what is posted is posted, dated on the day it belongs to. Catch-up, reruns and late payments need
// no special case: a rerun finds no difference.
import type { Db } from '../db/connection.js';
import { accountsWithDueInvoices, invoicesOf } from '../db/invoices.js';
import type { Counts } from '../db/journal.js';
import { factsOf, postEntries, type NewEntry } from '../db/ledger.js';
import { penaltyRuleVersions } from '../db/operator.js';
import type { IsoDate } from '../domain/dates.js';
import { leftToCorrect } from '../domain/entries.js';
import { penaltyKey } from '../domain/keys.js';
import { expectedPenalties, penaltyCorrections, penaltyRulesOn, type PenaltyRulesOn, type PostedPenalty } from '../domain/penalty.js';
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
}

/** Posts one account's penalty corrections through `through`; returns the counts. Inside a transaction. */
export function settlePenalties(db: Db, account: string, through: IsoDate, rules: PenaltyRulesOn, runId: number | null, onPost?: (e: NewEntry) => void): Counts {
  const rows = factsOf(db, account);
  // D-6: penalties do not stop at termination
  const expected = expectedPenalties(rows, invoicesOf(db, account), through, rules);
  // Only days up to `through` are compared: a run for an earlier day than one already run judges its
  // own days and leaves the later ones, computed by the later run, as they are.
  const postedByKey = new Map<string, PostedPenalty & { entries: number; charges: number[] }>();
  for (const r of rows) {
    if (r.kind !== 'penalty' || r.invoiceId === null || r.valueDate > through) continue;
    const k = `${r.invoiceId}|${r.valueDate}`;
    const p = postedByKey.get(k) ?? { invoiceId: r.invoiceId, day: r.valueDate, amount: 0, entries: 0, charges: [] };
    p.amount -= r.amount;
    p.entries++;
    if (r.amount < 0) p.charges.push(r.id);
    postedByKey.set(k, p);
  }
  const left = leftToCorrect(rows);
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
    // Only accounts whose penalties can differ from what is posted are replayed. One is left out when
    // it owes nothing now, was never charged a penalty, and nothing that could change an invoice's
    // unpaid principal came since the last completed run: no new credit, no new charge dated in an
    // invoiced period (a charge of a later day never takes money from older ones, cl. 16), and no
    // credit dated after that run's day. Then every invoice is paid from the start of every later day.
    // The run records the ledger's high-water mark for the next one.
    const since = lastCompletedRun(db, date);
    const mark = (db.sqlite.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM ledger').get() as { id: number }).id;
    ctx.batch(() => ({ ledger_mark: mark }));
    const quiet = db.sqlite.prepare(
      `SELECT a.balance >= 0
          AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.account = a.account AND l.kind = 'penalty')
          AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.account = a.account AND l.amount > 0 AND (l.id > @mark OR l.value_date > @day))
          AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.account = a.account AND l.id > @mark
                AND l.value_date <= (SELECT MAX(period) FROM invoices i WHERE i.account = a.account) || '-31') AS quiet
         FROM accounts a WHERE a.account = @account`,
    );
    let after = '';
    for (;;) {
      const page = accountsWithDueInvoices(db, date, after, size);
      if (page.length === 0) break;
      after = page[page.length - 1]!;
      const accounts = since === null ? page : page.filter((account) => !(quiet.get({ account, mark: since.mark, day: since.day }) as { quiet: number }).quiet);
      if (accounts.length === 0) continue;
      ctx.batch(() => {
        const counts: Counts = {};
        for (const account of accounts) {
          for (const [k, v] of Object.entries(settlePenalties(db, account, date, rules, ctx.runId, options.onPost))) counts[k] = (counts[k] ?? 0) + v;
        }
        return counts;
      });
    }
  });
}

/** The ledger mark and day of the last completed penalty run for a day up to `date`, or null. */
function lastCompletedRun(db: Db, date: IsoDate): { mark: number; day: IsoDate } | null {
  const row = db.sqlite
    .prepare(`SELECT scope, counts FROM job_runs WHERE job = 'penalties' AND outcome = 'ok' AND scope <= ? ORDER BY id DESC LIMIT 1`)
    .get(date) as { scope: string; counts: string } | undefined;
  if (!row) return null;
  const mark = (JSON.parse(row.counts) as Record<string, number>).ledger_mark;
  return typeof mark === 'number' ? { mark, day: row.scope } : null;
}
