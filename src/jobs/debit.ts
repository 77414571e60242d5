// `esep run debit --date D`: daily debits of advance accounts (cl. 17.1–17.3) with catch-up, and
// the restoration a payment triggers (cl. 17.3, 21.13). Each account-day is decided exactly once:
// its charge carries the key `day:{account}:{date}`, and `accounts.debited_through` moves in the
// same transaction, so a rerun or a run after a crash continues where the last commit ended.
import type { Db } from '../db/connection.js';
import { overdueDebtOfAccount } from '../db/accounts.js';
import { applyTransition, recordAccessEvent } from '../db/access.js';
import { transition, type AccountState, type Transition } from '../domain/accounts.js';
import { dailyDecisionKey, installationKey, restorationFeeKey, restorationPortReversalKey } from '../domain/keys.js';
import { postEntries, type NewEntry } from '../db/ledger.js';
import { nowIso } from '../db/journal.js';
import { TariffBook } from '../db/tariffs.js';
import {
  balanceAtStartOfSql,
  dailyFee,
  daysToDecide,
  decideDay,
  firstUndecidedDaySql,
  hasDaysToDecideSql,
  restores,
} from '../domain/daily-fee.js';
import { eachDay, type IsoDate } from '../domain/dates.js';
import type { Counts } from '../db/journal.js';
import type { Tiyn } from '../domain/money.js';
import { accountPages, runJob, type JobResult, type Progress } from './runner.js';

/** Tariffs and prices read once per run; pricing with successors is the domain's (domain/tariffs.ts, cl. 28). */
export { TariffBook };

export const DEFAULT_BATCH = 2000;

export function batchSize(): number {
  const fromEnv = Number(process.env.ESEP_BATCH_SIZE);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_BATCH;
}

interface DebitAccount {
  account: string;
  tariffCode: string;
  status: 'active' | 'suspended' | 'terminated';
  suspendReason: 'funds' | 'debt' | null;
  connectedOn: IsoDate;
  terminatedOn: IsoDate | null;
  debitedThrough: IsoDate | null;
}

/** A row of the debit's pager: the account, and its balance at the start of its first undecided day (read with the page). */
interface PendingAccount extends DebitAccount {
  startBalance: Tiyn;
}

const ACCOUNT_COLUMNS = `a.account, a.tariff_code AS tariffCode, a.status, a.suspend_reason AS suspendReason, a.connected_on AS connectedOn,
  a.terminated_on AS terminatedOn, a.debited_through AS debitedThrough`;

class Debiter {
  private readonly balanceAtStartOf;
  private readonly markDecided;
  private readonly dayChargeOf;
  readonly at = nowIso();

  constructor(
    private readonly db: Db,
    private readonly book: TariffBook,
    private readonly runId: number | null,
    private readonly onPost?: (e: NewEntry) => void,
  ) {
    this.balanceAtStartOf = db.sqlite.prepare(`SELECT ${balanceAtStartOfSql('a.account', 'a.balance', '@day')} AS b FROM accounts a WHERE a.account = @account`);
    this.markDecided = db.sqlite.prepare('UPDATE accounts SET debited_through = ?, status = ?, suspend_reason = ? WHERE account = ?');
    this.dayChargeOf = db.sqlite.prepare(`SELECT id, kind, amount FROM ledger WHERE key = ?`);
  }

  balanceAtStart(account: string, day: IsoDate): Tiyn {
    return (this.balanceAtStartOf.get({ account, day }) as { b: number }).b;
  }

  private post(entries: NewEntry[]): number {
    const posted = postEntries(this.db, entries);
    if (this.onPost && posted > 0) entries.forEach((e) => this.onPost!(e));
    return posted;
  }

  /**
   * Decides every undecided day of one advance account up to `through`, in order; returns its status
   * after. `startBalance`, when given, is the balance at the start of the first undecided day as read
   * with the account (the pager's), so that a run of one day reads nothing more per account.
   */
  catchUp(a: DebitAccount, through: IsoDate, counts: Counts, startBalance?: Tiyn): DebitAccount['status'] {
    const days = daysToDecide(a, through);
    if (!days) return a.status;
    let known = startBalance;
    let status = a.status;
    let reason = a.suspendReason;
    for (const day of eachDay(days.first, days.last)) {
      const price = this.book.priceOn(a.tariffCode, day);
      if (day === a.connectedOn && price.installationFee > 0) {
        // cl. 18: once, on the connection date, before the first daily fee
        const installed = this.post([
          { account: a.account, valueDate: day, kind: 'installation', amount: -price.installationFee, key: installationKey(a.account), runId: this.runId },
        ]);
        if (installed > 0) known = undefined;
      }
      const fee = dailyFee(price.monthlyFee, day);
      const decision = decideDay(known ?? this.balanceAtStart(a.account, day), fee, price.portFee);
      known = undefined;
      if (decision.amount > 0) {
        this.post([
          { account: a.account, valueDate: day, kind: decision.kind, amount: -decision.amount, key: dailyDecisionKey(a.account, day), runId: this.runId, memo: a.tariffCode },
        ]);
      }
      counts.days = (counts.days ?? 0) + 1;
      if (decision.kind === 'daily_fee') {
        counts.fees = (counts.fees ?? 0) + 1;
        counts.fee_tiyn = (counts.fee_tiyn ?? 0) + decision.amount;
        if (status === 'suspended' && reason === 'funds') {
          ({ status, suspendReason: reason } = this.event({ account: a.account, status, suspendReason: reason }, day, 'restore', 'funds: the balance covers the daily fee (cl. 17.3)'));
          counts.restored = (counts.restored ?? 0) + 1;
        }
      } else {
        counts.port_fees = (counts.port_fees ?? 0) + 1;
        counts.port_tiyn = (counts.port_tiyn ?? 0) + decision.amount;
        if (status === 'active') {
          ({ status, suspendReason: reason } = this.event({ account: a.account, status, suspendReason: reason }, day, 'suspend', 'funds: the balance is short of the daily fee (cl. 17.2)'));
          counts.suspended = (counts.suspended ?? 0) + 1;
        }
      }
    }
    // the days and the status they leave, written once: the batch is one transaction
    this.markDecided.run(days.last, status, reason, a.account);
    a.status = status;
    a.suspendReason = reason;
    a.debitedThrough = days.last;
    return status;
  }

  /**
   * D-3: the day is already decided with a port reservation (or nothing, at a zero port fee); if the
   * balance without that charge covers the day's fee, reverse it and charge the fee instead.
   */
  restoreDay(a: DebitAccount, day: IsoDate): boolean {
    if (a.status !== 'suspended' || a.suspendReason !== 'funds' || a.debitedThrough !== day) return false;
    const price = this.book.priceOn(a.tariffCode, day);
    const fee = dailyFee(price.monthlyFee, day);
    if (!restores(this.balanceAtStart(a.account, day), fee)) return false;
    const charged = this.dayChargeOf.get(dailyDecisionKey(a.account, day)) as { id: number; kind: string; amount: number } | undefined;
    const entries: NewEntry[] = [];
    if (charged?.kind === 'port_reservation') {
      entries.push({
        account: a.account,
        valueDate: day,
        kind: 'port_reservation',
        amount: -charged.amount,
        key: restorationPortReversalKey(a.account, day),
        corrects: charged.id,
        runId: this.runId,
        memo: 'reversed on restoration (D-3)',
      });
    }
    if (fee > 0) {
      entries.push({ account: a.account, valueDate: day, kind: 'daily_fee', amount: -fee, key: restorationFeeKey(a.account, day), runId: this.runId, memo: a.tariffCode });
    }
    this.post(entries);
    const next = this.event(a, day, 'restore', 'funds: payment covers the daily fee (cl. 17.3)');
    this.markDecided.run(day, next.status, next.suspendReason, a.account);
    a.status = next.status;
    a.suspendReason = next.suspendReason;
    return true;
  }

  /** A suspension or restoration for funds (the one transition, domain/accounts.ts) and its access event; the caller writes the row with `debited_through`. */
  private event(state: AccountState & { account: string }, day: IsoDate, event: 'suspend' | 'restore', reason: string): AccountState {
    const next = transition(state, { event, cause: 'funds' });
    if (!next) return state;
    recordAccessEvent(this.db, { account: state.account, at: this.at, valueDate: day, event, cause: 'funds', reason, runId: this.runId });
    return next;
  }
}

export interface DebitOptions {
  date: IsoDate;
  dryRun?: boolean;
  progress?: Progress;
  /** Called for each entry that is (or, on a dry run, would be) posted. */
  onPost?: (e: NewEntry) => void;
  /** Called once for each account whose days the run decides (`run day` counts accounts over its days). */
  onAccount?: (account: string) => void;
}

/** The advance accounts with a day to decide up to @date (cl. 17.1: connected on or before it, and not terminated before it). */
const PENDING = `a.method = 'advance' AND ${hasDaysToDecideSql('a', '@date')}`;

export async function runDebit(db: Db, options: DebitOptions): Promise<JobResult> {
  const { date } = options;
  return runJob(db, { job: 'debit', scope: date, dryRun: options.dryRun, progress: options.progress }, (ctx) => {
    const book = TariffBook.load(db);
    const debiter = new Debiter(db, book, ctx.runId, options.onPost);
    if (ctx.progress.visible) {
      const total = (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM accounts a WHERE ${PENDING}`).get({ date }) as { n: number }).n;
      ctx.progress.start(total, `debit ${date}`);
    }
    const page = db.sqlite.prepare(
      `SELECT ${ACCOUNT_COLUMNS}, ${balanceAtStartOfSql('a.account', 'a.balance', firstUndecidedDaySql('a'))} AS startBalance
         FROM accounts a WHERE ${PENDING} AND a.account > @after ORDER BY a.account LIMIT @limit`,
    );
    for (const rows of accountPages<PendingAccount>(page, { date }, batchSize())) {
      ctx.batch(() => {
        const counts: Counts = { accounts: rows.length };
        for (const a of rows) {
          debiter.catchUp(a, date, counts, a.startBalance);
          options.onAccount?.(a.account);
        }
        return counts;
      });
      ctx.progress.increment(rows.length);
    }
  });
}

const RESTORE_FOR_DEBT: Transition = { event: 'restore', cause: 'debt' };

/**
 * Restoration at once after a payment (cl. 17.3, 21.13). Call inside the transaction that posted
 * the payment, with today = the command's --date. An advance account whose today is decided has
 * today's port reservation reversed and the fee charged if the payment now covers it; days not
 * decided yet are the run's. A credit account suspended for debt is restored when its overdue debt
 * is paid.
 */
export function restoreAfterPayment(db: Db, account: string, today: IsoDate, runId: number | null): 'restored' | 'unchanged' {
  if (!db.sqlite.inTransaction) throw new Error('restoreAfterPayment must run inside the payment transaction');
  const row = db.sqlite.prepare(`SELECT ${ACCOUNT_COLUMNS}, a.method FROM accounts a WHERE a.account = ?`).get(account) as
    | (DebitAccount & { method: 'advance' | 'credit' })
    | undefined;
  if (!row || row.status === 'terminated') return 'unchanged';
  if (row.method === 'advance') {
    // Only a suspended account needs restoring; an active one is the night's run's business. A
    // payment never decides a day the run has not decided: the run decides it from every payment
    // known by then, so the rows' order, the files they came in and the batch size change nothing.
    // The day already decided, today, is restored (D-3).
    if (row.status !== 'suspended' || row.suspendReason !== 'funds') return 'unchanged';
    return new Debiter(db, TariffBook.load(db), runId).restoreDay(row, today) ? 'restored' : 'unchanged';
  }
  // cl. 21.13: only an account suspended for debt is restored for debt (the one transition), and only
  // once its overdue debt (D-8, the one definition: penalties included) is nil
  if (!transition(row, RESTORE_FOR_DEBT) || overdueDebtOfAccount(db, account, today) > 0) return 'unchanged';
  const reason = 'debt: overdue principal and penalties paid (cl. 21.13)';
  applyTransition(db, account, row, RESTORE_FOR_DEBT, { at: nowIso(), valueDate: today, reason, runId });
  return 'restored';
}
