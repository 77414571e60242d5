// The operator's manual actions: recalculation for an outage (cl. 21.5, 24.3), back-billing
// (cl. 23.18), tariff price changes and discontinuation (cl. 23.14, 28), equipment (cl. 22.10, 35)
// and termination at the subscriber's request (cl. 10, 22.15, 24.6, 35, 17.4). Each is one
// transaction with its journal row, and each is idempotent: the same command twice does it once.
import { createHash } from 'node:crypto';
import { inTransaction, type Db } from '../db/connection.js';
import { findAccount, type AccountRow } from '../db/accounts.js';
import { invoicesOf } from '../db/invoices.js';
import { journalRun, nowIso } from '../db/journal.js';
import { factsOf, postEntries, spannedFactsOf, type NewEntry } from '../db/ledger.js';
import { leftToCorrect } from '../domain/entries.js';
import { backbillKey, recalcKey } from '../domain/keys.js';
import { allTariffs, allPrices } from '../db/tariffs.js';
import { backbillAllowed, debtOnTermination, refundDueOn, debtSuspensions, earliestEffective, effectiveNotPast, firstUnchargedDay, noticeGiven, within, type Charged } from '../domain/adjustments.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import { dailyFee } from '../domain/daily-fee.js';
import { addMonths, eachDay, periodOf, type IsoDate } from '../domain/dates.js';
import { InputError, type InputProblem } from '../domain/errors.js';
import type { AccessCause } from '../domain/accounts.js';
import { formatTenge, type Tiyn } from '../domain/money.js';
import { terminateAccount } from './collection.js';
import { TariffBook } from './debit.js';
import { requireAccount } from './account-view.js';

const refuse = (field: string, message: string): never => {
  throw new InputError([{ field, message }]);
};

const digest = (...parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);

export interface RecalcResult {
  days: number;
  credited: Tiyn;
  skippedSuspendedForDebt: number;
}

/**
 * cl. 21.5, 24.3: for an outage not caused by the subscriber, the fees charged for the affected days
 * are credited back (`recalc`), never for days suspended for debt. Advance accounts get back each
 * day's daily fee as charged; credit accounts the day's share of the monthly fee (D-2's daily
 * split of the price in force). One entry per day, keyed by the day: a day is never credited twice.
 */
export function recalc(db: Db, account: string, from: IsoDate, to: IsoDate, reason: string): RecalcResult {
  if (from > to) refuse('--from', `${from} is after --to ${to}`);
  if (!reason.trim()) refuse('--reason', 'is required');
  const a = requireAccount(db, account);
  refuseUncharged(db, a, from, to);
  const startedAt = nowIso();
  return inTransaction(db, () => {
    const events = db.sqlite
      .prepare('SELECT value_date AS valueDate, event, cause FROM access_events WHERE account = ? ORDER BY value_date, id')
      .all(account) as { valueDate: IsoDate; event: string; cause: AccessCause | null }[];
    const debt = debtSuspensions(events);
    const book = TariffBook.load(db);
    const entries = spannedFactsOf(db, account);
    const left = leftToCorrect(entries);
    const result: RecalcResult = { days: 0, credited: 0, skippedSuspendedForDebt: 0 };
    const credits: NewEntry[] = [];
    for (const day of eachDay(from, to)) {
      if (day < a.connectedOn || (a.terminatedOn && day >= a.terminatedOn)) continue;
      if (within(day, debt)) {
        result.skippedSuspendedForDebt++;
        continue;
      }
      // D-7: each credit names the fee it corrects: an advance account's daily fee of the day, a
      // credit account's monthly fee whose days of service hold the day (its share, D-2)
      const targets =
        a.method === 'advance'
          ? entries.filter((e) => e.valueDate === day && e.kind === 'daily_fee' && left.has(e.id)).map((e) => ({ id: e.id, amount: left.get(e.id)! }))
          : entries
              .filter((e) => e.kind === 'monthly_fee' && e.span && e.span.from <= day && day <= e.span.to && left.has(e.id))
              .slice(0, 1)
              .map((e) => ({ id: e.id, amount: Math.min(left.get(e.id)!, dailyFee(book.priceOn(a.tariffCode, day).monthlyFee, day)) }));
      targets.forEach((t, i) => {
        if (t.amount <= 0) return;
        credits.push({ account, valueDate: day, kind: 'recalc', amount: t.amount, key: recalcKey(account, day, i + 1), corrects: t.id, memo: reason.trim() });
        left.set(t.id, left.get(t.id)! - t.amount);
      });
    }
    const known = db.sqlite.prepare('SELECT 1 FROM ledger WHERE key = ?');
    const fresh = credits.filter((c) => !known.get(c.key));
    const posted = postEntries(db, fresh);
    for (const c of fresh) {
      result.days++;
      result.credited += c.amount;
    }
    journalRun(db, 'recalc', `${account} ${from}..${to}`, startedAt, { days: result.days, credited_tiyn: result.credited, posted });
    return result;
  });
}

/** What of an account is charged already: an advance account's days decided by the daily debit, a credit account's periods with their monthly fee. */
function chargedOf(db: Db, a: AccountRow): Charged {
  if (a.method === 'advance') {
    const row = db.sqlite.prepare('SELECT debited_through AS d FROM accounts WHERE account = ?').get(a.account) as { d: IsoDate | null };
    return { method: 'advance', debitedThrough: row.d };
  }
  const fees = db.sqlite.prepare(`SELECT DISTINCT value_date AS d FROM ledger WHERE account = ? AND kind = 'monthly_fee' AND amount < 0`).all(a.account) as { d: IsoDate }[];
  return { method: 'credit', periods: new Set([...invoicesOf(db, a.account).map((i) => i.period), ...fees.map((f) => periodOf(f.d))]) };
}

/** cl. 21.5, 24.3: a recalculation gives back fees charged; a range with a day not charged yet is refused, naming the day. */
function refuseUncharged(db: Db, a: AccountRow, from: IsoDate, to: IsoDate): void {
  const charged = chargedOf(db, a);
  const day = firstUnchargedDay(from, to, a, charged);
  if (day === undefined) return;
  const why =
    charged.method === 'advance'
      ? charged.debitedThrough === null
        ? `no daily debit of account ${a.account} has run`
        : `the daily debits of account ${a.account} are done through ${charged.debitedThrough}`
      : `account ${a.account} has no monthly fee for ${periodOf(day)} yet: it is charged at month-end`;
  refuse(day === from ? '--from' : '--to', `${day} is not charged yet (${why}): a recalculation credits back only fees already charged (cl. 21.5, 24.3)`);
}

/** cl. 23.14, 28: what a new price or a discontinuation from `effective` must meet; `what` names it in the messages. */
function effectiveProblems(effective: IsoDate, announced: IsoDate, today: IsoDate, what: 'price change' | 'discontinuation'): InputProblem[] {
  const problems: InputProblem[] = [];
  const clause = what === 'price change' ? 'cl. 23.14' : 'cl. 23.14, 28';
  if (!noticeGiven(announced, effective)) {
    problems.push({ field: '--effective', message: `a ${what} announced on ${announced} takes effect no earlier than ${earliestEffective(announced)} (30 days, ${clause})` });
  }
  if (!effectiveNotPast(effective, today)) {
    problems.push({ field: '--effective', message: `${effective} is before today (${today}): a ${what} applies from today or later, never to days already passed (${clause})` });
  }
  return problems;
}

/** cl. 23.18: an undercharge found later, charged now; refused on an account terminated more than a month ago. */
export function backbill(db: Db, account: string, amount: Tiyn, reason: string, date: IsoDate): { posted: boolean } {
  if (amount <= 0) refuse('--amount', 'must be more than zero');
  if (!reason.trim()) refuse('--reason', 'is required');
  const a = requireAccount(db, account);
  if (!backbillAllowed(a.terminatedOn, date)) {
    refuse('ACCOUNT', `account ${account} was terminated on ${a.terminatedOn}; back-billing is allowed only until ${addMonths(a.terminatedOn!, 1)} (cl. 23.18)`);
  }
  const startedAt = nowIso();
  return inTransaction(db, () => {
    const posted = postEntries(db, [
      { account, valueDate: date, kind: 'backbill', amount: -amount, key: backbillKey(account, date, digest(amount, reason.trim())), memo: reason.trim() },
    ]);
    journalRun(db, 'backbill', account, startedAt, { posted, amount_tiyn: amount });
    return { posted: posted === 1 };
  });
}

export interface PriceChange {
  monthlyFee?: Tiyn;
  portFee?: Tiyn;
  installationFee?: Tiyn;
}

/** cl. 23.14: a new price version, refused under 30 days' notice, from a day before `today`, or before a version already set. */
export function reprice(db: Db, code: string, change: PriceChange, effective: IsoDate, announced: IsoDate, today: IsoDate): void {
  const tariff = allTariffs(db).get(code) ?? refuse('CODE', `no tariff "${code}"`);
  const problems = effectiveProblems(effective, announced, today, 'price change');
  if (problems.length > 0) throw new InputError(problems);
  if (tariff.discontinuedOn && tariff.discontinuedOn <= effective) refuse('CODE', `tariff ${code} is discontinued from ${tariff.discontinuedOn}`);
  const versions = allPrices(db).get(code) ?? [];
  const latest = versions[versions.length - 1]!;
  if (latest.effectiveFrom >= effective) refuse('--effective', `tariff ${code} already has a price from ${latest.effectiveFrom}`);
  const startedAt = nowIso();
  inTransaction(db, () => {
    db.sqlite
      .prepare(
        `INSERT INTO tariff_prices (tariff_code, effective_from, announced_on, monthly_fee, port_fee, installation_fee, third_party_fee, third_party_name)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(code, effective, announced, change.monthlyFee ?? latest.monthlyFee, change.portFee ?? latest.portFee, change.installationFee ?? latest.installationFee, latest.thirdPartyFee, latest.thirdPartyName);
    journalRun(db, 'tariff-reprice', code, startedAt, { monthly_fee: change.monthlyFee ?? latest.monthlyFee }, `from ${effective}, announced ${announced}`);
  });
}

/** cl. 28: a discontinued tariff's accounts move to the named successor from the effective date (today or later). */
export function discontinue(db: Db, code: string, successor: string, effective: IsoDate, announced: IsoDate, today: IsoDate): number {
  const tariffs = allTariffs(db);
  const tariff = tariffs.get(code) ?? refuse('CODE', `no tariff "${code}"`);
  const next = tariffs.get(successor) ?? refuse('--successor', `no tariff "${successor}"`);
  if (successor === code) refuse('--successor', 'must be another tariff');
  if (next.discontinuedOn && next.discontinuedOn <= effective) refuse('--successor', `tariff ${successor} is itself discontinued from ${next.discontinuedOn}`);
  if (tariff.discontinuedOn) refuse('CODE', `tariff ${code} is already discontinued from ${tariff.discontinuedOn}`);
  const problems = effectiveProblems(effective, announced, today, 'discontinuation');
  if (problems.length > 0) throw new InputError(problems);
  const startedAt = nowIso();
  return inTransaction(db, () => {
    db.sqlite.prepare('UPDATE tariffs SET discontinued_on = ?, successor_code = ? WHERE code = ?').run(effective, successor, code);
    const moved = (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM accounts WHERE tariff_code = ? AND status <> 'terminated'`).get(code) as { n: number }).n;
    journalRun(db, 'tariff-discontinue', code, startedAt, { accounts: moved }, `to ${successor} from ${effective}, announced ${announced}`);
    return moved;
  });
}

export function addEquipment(db: Db, account: string, serial: string, cost: Tiyn, handedOutOn: IsoDate, model: string | null, rented: boolean): void {
  requireAccount(db, account);
  if (!serial.trim()) refuse('SERIAL', 'is empty');
  if (cost < 0) refuse('--cost', 'must not be negative');
  const startedAt = nowIso();
  inTransaction(db, () => {
    const existing = db.sqlite.prepare('SELECT cost, handed_out_on AS on_ FROM equipment WHERE account = ? AND serial = ?').get(account, serial) as
      | { cost: number; on_: string }
      | undefined;
    if (existing) {
      if (existing.cost !== cost || existing.on_ !== handedOutOn) refuse('SERIAL', `${serial} is already recorded on ${account} (${formatTenge(existing.cost)}, ${existing.on_})`);
      return;
    }
    db.sqlite
      .prepare('INSERT INTO equipment (account, serial, model, cost, rented, handed_out_on) VALUES (?, ?, ?, ?, ?, ?)')
      .run(account, serial, model, cost, rented ? 1 : 0, handedOutOn);
    journalRun(db, 'equipment-add', `${account} ${serial}`, startedAt, { cost_tiyn: cost });
  });
}

/**
 * Equipment handed back. When the subscriber had asked to terminate and this was the last rented
 * piece out, the termination takes effect now (cl. 35: charges run to the hand-over).
 */
export function returnEquipment(db: Db, account: string, serial: string, date: IsoDate, calendar: WorkingCalendar): { terminated: boolean } {
  const a = requireAccount(db, account);
  const startedAt = nowIso();
  return inTransaction(db, () => {
    const row = db.sqlite.prepare('SELECT id, returned_on AS returnedOn, handed_out_on AS out FROM equipment WHERE account = ? AND serial = ?').get(account, serial) as
      | { id: number; returnedOn: string | null; out: string }
      | undefined;
    if (!row) refuse('SERIAL', `no equipment ${serial} on account ${account}`);
    if (row!.returnedOn) {
      if (row!.returnedOn !== date) refuse('SERIAL', `${serial} was returned on ${row!.returnedOn}`);
      return { terminated: false };
    }
    if (date < row!.out) refuse('--date', `${serial} was handed out on ${row!.out}`);
    db.sqlite.prepare('UPDATE equipment SET returned_on = ? WHERE id = ?').run(date, row!.id);
    let terminated = false;
    const stillOut = (db.sqlite.prepare('SELECT COUNT(*) AS n FROM equipment WHERE account = ? AND rented = 1 AND returned_on IS NULL').get(account) as { n: number }).n;
    const requested = (db.sqlite.prepare('SELECT termination_requested_on AS d FROM accounts WHERE account = ?').get(account) as { d: string | null }).d;
    if (requested && stillOut === 0 && a.status !== 'terminated') {
      finishSubscriberTermination(db, account, date < requested ? requested : date, calendar);
      terminated = true;
    }
    journalRun(db, 'equipment-return', `${account} ${serial}`, startedAt, { terminated: terminated ? 1 : 0 });
    return { terminated };
  });
}

function finishSubscriberTermination(db: Db, account: string, date: IsoDate, calendar: WorkingCalendar, recordedOn: IsoDate = date): void {
  terminateAccount(db, { account, date, reason: 'at the subscriber\u2019s request (cl. 10, 24.6)', by: 'subscriber', calendar, runId: null });
  // cl. 17.4: a positive balance is paid out within 10 working days of the termination
  db.sqlite.prepare('UPDATE accounts SET refund_due_on = ?, termination_requested_on = NULL WHERE account = ?').run(refundDueOn(calendar, date, recordedOn), account);
}

/** `despiteDebt`: the debt owed on the date when the termination was recorded with it (D-11, --despite-debt). */
export type SubscriberTermination =
  | { state: 'terminated'; date: IsoDate; despiteDebt?: Tiyn }
  | { state: 'waiting-for-equipment'; serials: string[]; despiteDebt?: Tiyn };

/**
 * Termination at the subscriber's request on `date`: the first day without service and without
 * charges. With rented equipment still out, charges run to its hand-over (cl. 35): the request is
 * recorded and `esep equipment return` completes the termination. While debt is owed on `date` the
 * request is refused, naming it (D-11), unless `despiteDebt`: the accountant records it anyway.
 */
const UNDO = Symbol('undo');

/** Runs `work` in a savepoint of the current transaction and undoes everything it wrote; returns what it returned. */
function undone<T>(db: Db, work: () => T): T {
  let out: T | undefined;
  try {
    db.sqlite.transaction(() => {
      out = work();
      throw UNDO;
    })();
  } catch (err) {
    if (err !== UNDO) throw err;
  }
  return out as T;
}

export function terminateBySubscriber(
  db: Db,
  account: string,
  date: IsoDate,
  calendar: WorkingCalendar,
  options: { despiteDebt?: boolean; recordedOn?: IsoDate } = {},
): SubscriberTermination {
  const a = findAccount(db, account) ?? refuse('ACCOUNT', `no account "${account}"`);
  if (a.status === 'terminated') refuse('ACCOUNT', `account ${account} was terminated on ${a.terminatedOn}`);
  if (date < a.connectedOn) refuse('--date', `account ${account} was connected on ${a.connectedOn}`);
  const startedAt = nowIso();
  return inTransaction(db, () => {
    // the debt to the date with every charge to it, the final period's fee included (D-10): what a
    // termination on that date leaves owed, found by terminating in a savepoint that is undone
    const owed = undone(db, () => {
      finishSubscriberTermination(db, account, date, calendar);
      return debtOnTermination(factsOf(db, account), date);
    });
    if (owed.total > 0 && !options.despiteDebt) {
      refuse(
        'ACCOUNT',
        `account ${account} owes ${formatTenge(owed.total)} on ${date} (unpaid charges ${formatTenge(owed.debt)}, penalties ${formatTenge(owed.penaltyDebt)}): ` +
          'the subscriber may terminate once the debt to that date is paid (cl. 10, 22.15, D-11); --despite-debt records the termination anyway',
      );
    }
    const out = (db.sqlite.prepare('SELECT serial FROM equipment WHERE account = ? AND rented = 1 AND returned_on IS NULL ORDER BY serial').all(account) as { serial: string }[]).map(
      (r) => r.serial,
    );
    let result: SubscriberTermination;
    if (out.length > 0) {
      db.sqlite.prepare('UPDATE accounts SET termination_requested_on = ? WHERE account = ?').run(date, account);
      result = { state: 'waiting-for-equipment', serials: out };
    } else {
      finishSubscriberTermination(db, account, date, calendar, options.recordedOn);
      result = { state: 'terminated', date };
    }
    if (owed.total > 0) result.despiteDebt = owed.total;
    journalRun(db, 'terminate-by-subscriber', account, startedAt, { terminated: result.state === 'terminated' ? 1 : 0 }, result.state);
    return result;
  });
}
