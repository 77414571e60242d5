// cl. 17.4: a positive balance left after the subscriber terminates is paid out within 10 working
// days, or moved to another account on request. `esep refunds` lists what is owed back,
// `esep refunds pay` records a payout (a negative `refund` entry), `esep transfer` a move between
// accounts (a negative and a positive `transfer` entry, in one transaction). Each is keyed by what
// it is (account, day, amount, or the given reference), so a retried command records nothing twice.
import type { Db } from '../db/connection.js';
import { findAccount } from '../db/accounts.js';
import { entriesOf, postEntries } from '../db/ledger.js';
import { lowestBalanceFrom } from '../domain/adjustments.js';
import { refundKey, transferKeys } from '../domain/keys.js';
import { formatTime, type IsoDate } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import { formatTenge, toTengeString, type Tiyn } from '../domain/money.js';
import { requireAccount } from './account-view.js';
import { restoreAfterPayment } from './debit.js';
import { runJob } from './runner.js';

export interface RefundDue {
  account: string;
  name: string;
  iin: string;
  terminatedOn: IsoDate | null;
  refundDueOn: IsoDate | null;
  amount: Tiyn;
  overdue: boolean;
}

/** Accounts terminated at the subscriber's request with a positive balance; `dueBy` keeps those due by then. */
export function refundsDue(db: Db, today: IsoDate, dueBy?: IsoDate): RefundDue[] {
  const rows = db.sqlite
    .prepare(
      `SELECT a.account, s.name, a.iin, a.terminated_on AS terminatedOn, a.refund_due_on AS refundDueOn, a.balance AS amount
         FROM accounts a JOIN subscribers s ON s.iin = a.iin
        WHERE a.terminated_by = 'subscriber' AND a.balance > 0
          AND (@dueBy IS NULL OR a.refund_due_on IS NULL OR a.refund_due_on <= @dueBy)
        ORDER BY a.refund_due_on, a.account`,
    )
    .all({ dueBy: dueBy ?? null }) as Omit<RefundDue, 'overdue'>[];
  return rows.map((r) => ({ ...r, overdue: r.refundDueOn !== null && r.refundDueOn < today }));
}

function amountWithin(balance: Tiyn, amount: Tiyn, account: string, flag: string): void {
  if (balance <= 0) throw new InputError([{ field: 'ACCOUNT', message: `account ${account} has no positive balance (${formatTenge(balance)})` }]);
  if (amount <= 0) throw new InputError([{ field: flag, message: 'must be more than zero' }]);
  if (amount > balance) {
    throw new InputError([{ field: flag, message: `${formatTenge(amount)} is more than the positive balance of account ${account} (${formatTenge(balance)})` }]);
  }
}

/**
 * A transfer dated `date` moves money the account holds from that day on: not money dated later
 * (it was not there yet), nor money spent after `date` before later credits made it up.
 */
function heldFrom(db: Db, account: string, amount: Tiyn, date: IsoDate): void {
  const { balance, on } = lowestBalanceFrom(entriesOf(db, account), date);
  if (balance >= amount) return;
  const message =
    on === date
      ? `account ${account} holds ${formatTenge(balance)} on ${date} (money dated up to that day): ${formatTenge(amount)} cannot move before the value date of the money it moves`
      : `account ${account} holds only ${formatTenge(balance)} on ${on}: moving ${formatTenge(amount)} out on ${date} would leave it at ${formatTenge(balance - amount)} that day (the money was spent before later credits came)`;
  throw new InputError([{ field: '--date', message }]);
}

export interface RefundResult {
  account: string;
  amount: Tiyn;
  date: IsoDate;
  /** False when the same payout was recorded before (a retried command). */
  recorded: boolean;
  balance: Tiyn;
}

/**
 * Records a payout of the account's positive balance (all of it unless `amount` is given).
 * Key `refund:{account}:{ref}` with the payment order's reference, else `refund:{account}:{date}:{amount}`.
 */
export async function payRefund(db: Db, account: string, date: IsoDate, amount?: Tiyn, ref?: string): Promise<RefundResult> {
  const row = requireAccount(db, account);
  const toPay = amount ?? row.balance;
  const key = refundKey(account, ref, date, toPay);
  const prior = db.sqlite.prepare('SELECT id, amount, value_date AS valueDate FROM ledger WHERE key = ?').get(key) as
    | { id: number; amount: Tiyn; valueDate: IsoDate }
    | undefined;
  if (prior) {
    // The same payment order's reference is the same payout: a retry answers that it is recorded; a
    // payout of another amount or day under it is another order and needs its own reference.
    if (ref !== undefined && (prior.valueDate !== date || (amount !== undefined && prior.amount !== -toPay))) {
      throw new InputError([
        {
          field: '--ref',
          message: `reference ${ref} is the refund of ${formatTenge(-prior.amount)} to account ${account} on ${prior.valueDate} (entry ${prior.id}); another payout needs a reference of its own`,
        },
      ]);
    }
    return { account, amount: -prior.amount, date: prior.valueDate, recorded: false, balance: row.balance };
  }
  amountWithin(row.balance, toPay, account, '--amount');
  let recorded = false;
  await runJob(db, { job: 'refund', scope: `${account} ${date}` }, (ctx) => {
    ctx.batch(() => {
      const balance = requireAccount(db, account).balance;
      amountWithin(balance, toPay, account, '--amount');
      const memo = `refund (cl. 17.4)${ref ? ` ${ref}` : ''}`;
      recorded = postEntries(db, [{ account, valueDate: date, kind: 'refund', amount: -toPay, key, runId: ctx.runId, memo }]) === 1;
      return { refunds: recorded ? 1 : 0, refund_tiyn: recorded ? toPay : 0 };
    });
  });
  return { account, amount: toPay, date, recorded, balance: findAccount(db, account)!.balance };
}

export interface TransferResult {
  from: string;
  to: string;
  amount: Tiyn;
  date: IsoDate;
  recorded: boolean;
  restored: boolean;
  /** A retry of a transfer with the same reference: the entry that recorded it, and when. */
  previous?: { id: number; at: string };
}

/**
 * Moves money from one account's positive balance to another account (cl. 17.4 "to another
 * account on request"; also how a payment applied to the wrong account is put right). The
 * receiving account is checked for restoration as after a payment.
 */
export async function transfer(db: Db, from: string, to: string, amount: Tiyn, date: IsoDate, ref?: string): Promise<TransferResult> {
  if (from === to) throw new InputError([{ field: 'TO', message: 'is the same account as FROM' }]);
  const source = requireAccount(db, from);
  requireAccount(db, to);
  const keys = transferKeys(from, to, ref, date, amount);
  const prior = db.sqlite.prepare('SELECT id, amount, value_date AS valueDate, created_at AS at FROM ledger WHERE key = ?').get(keys.out) as
    | { id: number; amount: Tiyn; valueDate: IsoDate; at: string }
    | undefined;
  if (prior) {
    const what = `${formatTenge(-prior.amount)} from account ${from} to account ${to} on ${prior.valueDate} (entry ${prior.id}, recorded ${formatTime(prior.at)})`;
    // Without a reference, the same accounts, day and amount are one key: a person who typed it twice
    // is told so, and one who means two transfers how to record the second (docs: README, transfer).
    if (!ref) {
      throw new InputError([
        {
          field: '--ref',
          message: `a transfer of ${what} is already recorded; nothing new was posted. To record a second one, give it a reference of its own: esep transfer ${from} ${to} ${toTengeString(amount)} --date ${date} --ref SOMETHING`,
        },
      ]);
    }
    // The same reference is the same request: a retry answers what it recorded, or refuses another transfer under it.
    if (prior.amount !== -amount || prior.valueDate !== date) {
      throw new InputError([{ field: '--ref', message: `reference ${ref} is the transfer of ${what}; another transfer needs a reference of its own` }]);
    }
    return { from, to, amount, date, recorded: false, restored: false, previous: { id: prior.id, at: prior.at } };
  }
  amountWithin(source.balance, amount, from, 'AMOUNT');
  heldFrom(db, from, amount, date);
  let recorded = false;
  let restored = false;
  await runJob(db, { job: 'transfer', scope: `${from} ${to} ${date}` }, (ctx) => {
    ctx.batch(() => {
      amountWithin(requireAccount(db, from).balance, amount, from, 'AMOUNT');
      heldFrom(db, from, amount, date);
      const posted = postEntries(db, [
        { account: from, valueDate: date, kind: 'transfer', amount: -amount, key: keys.out, runId: ctx.runId, memo: `to account ${to}${ref ? ` ${ref}` : ''}` },
        { account: to, valueDate: date, kind: 'transfer', amount, key: keys.in, runId: ctx.runId, memo: `from account ${from}${ref ? ` ${ref}` : ''}` },
      ]);
      if (posted !== 0 && posted !== 2) throw new Error(`transfer ${keys.out}: only one of its two entries was new`);
      recorded = posted === 2;
      restored = restoreAfterPayment(db, to, date, ctx.runId) === 'restored';
      return { transfers: recorded ? 1 : 0, transfer_tiyn: recorded ? amount : 0, restored: restored ? 1 : 0 };
    });
  });
  return { from, to, amount, date, recorded, restored };
}
