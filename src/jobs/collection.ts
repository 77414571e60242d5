// `esep run suspend --date D` and `esep run terminate --date D`: suspension for debt (cl. 23.5),
// equipment charged past its return deadline (cl. 22.10), termination by the operator (cl. 23.6,
// 23.8, D-5). Each looks at the state on D; `esep run day` runs them for every missed day in order.
import type { Db } from '../db/connection.js';
import { applyTransition } from '../db/access.js';
import { invoicesOf } from '../db/invoices.js';
import { nowIso, type Counts } from '../db/journal.js';
import { FACT_COLUMNS, FACT_JOIN, factsOf, postEntries, type LedgerFact } from '../db/ledger.js';
import type { AccountState } from '../domain/accounts.js';
import { DAILY_KINDS, leftToCorrect, STOPPED_BY_TERMINATION } from '../domain/entries.js';
import type { Method } from '../domain/invoice.js';
import { settleMonthEnd } from './invoices.js';
import { equipmentChargeKey, terminationReversalKey } from '../domain/keys.js';
import { getOperator } from '../db/operator.js';
import { EQUIPMENT_CHARGEABLE_SQL, equipmentChargeDate, fundsSuspensionExpires, overdueOn, twoConsecutiveOverdue } from '../domain/collection.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import { addDays, nextPeriod, periodOf, type IsoDate } from '../domain/dates.js';
import { batchSize, TariffBook } from './debit.js';
import { accountPages, runJob, type JobResult, type Progress } from './runner.js';

export interface DayJobOptions {
  date: IsoDate;
  dryRun?: boolean;
  progress?: Progress;
}

interface CandidateRow {
  account: string;
  method: 'advance' | 'credit';
  status: 'active' | 'suspended' | 'terminated';
  suspendReason: 'funds' | 'debt' | null;
}

const add = (counts: Counts, key: string, n = 1) => {
  counts[key] = (counts[key] ?? 0) + n;
};

export async function runSuspend(db: Db, options: DayJobOptions): Promise<JobResult> {
  const { date } = options;
  return runJob(db, { job: 'suspend', scope: date, dryRun: options.dryRun, progress: options.progress }, (ctx) => {
    const grace = getOperator(db)?.graceDays ?? 0;
    const at = nowIso();
    const page = db.sqlite.prepare(
      `SELECT a.account, a.method, a.status, a.suspend_reason AS suspendReason FROM accounts a
        WHERE a.method = 'credit' AND a.status <> 'terminated' AND a.account > @after
          AND (a.suspend_reason = 'debt' OR EXISTS (SELECT 1 FROM invoices i WHERE i.account = a.account AND i.due_on < @date AND i.principal > 0))
        ORDER BY a.account LIMIT @limit`,
    );
    for (const rows of accountPages<CandidateRow>(page, { date }, batchSize())) {
      ctx.batch(() => {
        const counts: Counts = {};
        for (const a of rows) {
          const overdue = overdueOn(factsOf(db, a.account), invoicesOf(db, a.account), date, grace);
          if (overdue.total > 0) {
            const what = overdue.invoices.map((o) => o.invoice.period).join(', ');
            const reason = what ? `debt: invoice of ${what} overdue (cl. 23.5)` : 'debt: penalties overdue (cl. 23.5)';
            if (applyTransition(db, a.account, a, { event: 'suspend', cause: 'debt' }, { at, valueDate: date, reason, runId: ctx.runId })) add(counts, 'suspended');
          } else {
            const reason = 'debt: overdue principal and penalties paid (cl. 21.13)';
            if (applyTransition(db, a.account, a, { event: 'restore', cause: 'debt' }, { at, valueDate: date, reason, runId: ctx.runId })) add(counts, 'restored');
          }
        }
        return counts;
      });
    }
    // cl. 22.10: equipment not returned by its deadline is charged at its cost from the acceptance act
    const late = db.sqlite
      .prepare(
        `SELECT e.id, e.account, e.serial, e.cost, a.equipment_return_by AS returnBy FROM equipment e JOIN accounts a ON a.account = e.account
          WHERE ${EQUIPMENT_CHARGEABLE_SQL} ORDER BY e.id`,
      )
      .all({ date }) as { id: number; account: string; serial: string; cost: number; returnBy: IsoDate }[];
    if (late.length > 0) {
      ctx.batch(() => {
        const posted = postEntries(
          db,
          late.map((e) => ({
            account: e.account,
            valueDate: equipmentChargeDate(e.returnBy),
            kind: 'equipment' as const,
            amount: -e.cost,
            key: equipmentChargeKey(e.id),
            runId: ctx.runId,
            memo: `equipment ${e.serial} not returned by the deadline (cl. 22.10)`,
          })),
        );
        return { equipment_charged: posted };
      });
    }
  });
}

export interface Termination {
  account: string;
  date: IsoDate;
  reason: string;
}

export interface TerminateOptions extends DayJobOptions {
  calendar: WorkingCalendar;
  /** Called once per account terminated (in the batch's transaction): notices are produced from it. */
  onTerminated?: (t: Termination) => void;
}

/**
 * Marks an account terminated on `date` (its row and its access event, through the one transition),
 * sets its equipment return deadline (cl. 22.10: 5 working days), and reverses what is left of every
 * service charge dated on or after the termination date (cl. 23.6: termination stops them), each
 * reversal naming the charge it corrects (D-7). Penalties do not stop (D-6).
 */
export function terminateAccount(
  db: Db,
  t: Termination & { by: 'operator' | 'subscriber'; calendar: WorkingCalendar; runId: number | null },
): void {
  const state = db.sqlite
    .prepare(
      'SELECT status, suspend_reason AS suspendReason, method, tariff_code AS tariffCode, connected_on AS connectedOn, debited_through AS debitedThrough FROM accounts WHERE account = ?',
    )
    .get(t.account) as AccountState & { method: Method; tariffCode: string; connectedOn: IsoDate; debitedThrough: IsoDate | null };
  const next = applyTransition(db, t.account, state, { event: 'terminate', cause: t.by }, { at: nowIso(), valueDate: t.date, reason: t.reason, runId: t.runId });
  if (!next) return;
  db.sqlite
    .prepare(
      `UPDATE accounts SET terminated_on = @date, terminated_by = @by,
         equipment_return_by = CASE WHEN EXISTS (SELECT 1 FROM equipment e WHERE e.account = @account AND e.rented = 1 AND e.returned_on IS NULL)
           THEN @returnBy ELSE NULL END
       WHERE account = @account`,
    )
    .run({ account: t.account, date: t.date, by: t.by, returnBy: t.calendar.addWorkingDays(t.date, 5) });
  const rows = db.sqlite
    .prepare(`SELECT ${FACT_COLUMNS}, l.key FROM ${FACT_JOIN} WHERE l.account = ? AND l.value_date >= ? ORDER BY l.value_date, l.id`)
    .all(t.account, t.date) as (LedgerFact & { key: string })[];
  const left = leftToCorrect(rows);
  postEntries(
    db,
    rows
      .filter((r) => STOPPED_BY_TERMINATION.includes(r.kind) && DAILY_KINDS.has(r.kind) && left.has(r.id))
      .map((r) => ({
        account: t.account,
        valueDate: r.valueDate,
        kind: r.kind,
        amount: left.get(r.id)!,
        key: terminationReversalKey(r.key),
        corrects: r.id,
        runId: t.runId,
        memo: 'charges stop from the termination date (cl. 23.6)',
      })),
  );
  // D-10: the final period's prorated fees (a credit account's monthly fee, a bundle) are posted now,
  // not at month-end, so the debt and a refund are what they are after every charge to the
  // termination date; a period already charged past it gets the days from it credited back (D-7).
  const book = TariffBook.load(db);
  const account = { account: t.account, method: state.method, tariffCode: state.tariffCode, connectedOn: state.connectedOn, terminatedOn: t.date };
  const lastServed = t.date > state.connectedOn ? addDays(t.date, -1) : t.date;
  // An advance account's bundle follows the days its daily fee was charged: settled now only when the
  // debit has decided every day to the termination, else at month-end (a fee settled on fewer days
  // would have to grow, and a month-end charge is never increased once posted).
  if (state.method === 'advance' && (state.debitedThrough === null || state.debitedThrough < lastServed)) return;
  const latestCharged = rows.filter((r) => r.kind === 'monthly_fee' || r.kind === 'third_party').reduce((m, r) => (r.valueDate > m ? r.valueDate : m), lastServed);
  for (let period = periodOf(lastServed); period <= periodOf(latestCharged); period = nextPeriod(period)) settleMonthEnd(db, book, account, period, t.runId);
}

export async function runTerminate(db: Db, options: TerminateOptions): Promise<JobResult> {
  const { date, calendar } = options;
  return runJob(db, { job: 'terminate', scope: date, dryRun: options.dryRun, progress: options.progress }, (ctx) => {
    // `+a.method` keeps the planner off the method index, whose OR of two ranges would be sorted
    // again for every page: the pager walks the primary key in account order instead.
    const page = db.sqlite.prepare(
      `SELECT a.account, a.method, a.status, a.suspend_reason AS suspendReason FROM accounts a
        WHERE a.status <> 'terminated' AND a.account > @after
          AND ((+a.method = 'advance' AND a.status = 'suspended' AND a.suspend_reason = 'funds')
            OR (+a.method = 'credit' AND (SELECT COUNT(*) FROM invoices i WHERE i.account = a.account AND i.due_on < @date AND i.principal > 0) >= 2))
        ORDER BY a.account LIMIT @limit`,
    );
    const suspendedSince = db.sqlite.prepare(
      `SELECT value_date AS d FROM access_events WHERE account = ? AND event IN ('suspend', 'restore') ORDER BY value_date DESC, id DESC LIMIT 1`,
    );
    for (const rows of accountPages<CandidateRow>(page, { date }, batchSize())) {
      ctx.batch(() => {
        const counts: Counts = {};
        for (const a of rows) {
          let reason: string | undefined;
          if (a.method === 'credit') {
            const pair = twoConsecutiveOverdue(factsOf(db, a.account), invoicesOf(db, a.account), date);
            if (pair) reason = `two consecutive invoices overdue: ${pair[0].period} and ${pair[1].period} (cl. 23.6, D-5)`;
          } else {
            const last = suspendedSince.get(a.account) as { d: string } | undefined;
            if (last && fundsSuspensionExpires(last.d) <= date) reason = `suspended for funds since ${last.d}, two months without a break (D-5)`;
          }
          if (!reason) continue;
          const t = { account: a.account, date, reason };
          terminateAccount(db, { ...t, by: 'operator', calendar, runId: ctx.runId });
          options.onTerminated?.(t);
          add(counts, a.method === 'credit' ? 'terminated_credit' : 'terminated_advance');
        }
        return counts;
      });
    }
  });
}
