// `esep explain ACCOUNT`: the reconciliation statement (акт сверки) of one account. Reads the
// account's facts, asks the domain (domain/explain.ts) and returns the statement with what the
// PDF prints about both sides. Read-only.
import type { Db } from '../db/connection.js';
import { findAccount, type AccountRow } from '../db/accounts.js';
import { invoicesOf } from '../db/invoices.js';
import { factsOf, spannedFactsOf } from '../db/ledger.js';
import { getOperator, type OperatorRow } from '../db/operator.js';
import { TariffBook } from '../db/tariffs.js';
import { isIsoDate, type IsoDate } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import { reconcile, type ExplainEntry, type Reconciliation } from '../domain/explain.js';
import { penaltyRules } from './penalties.js';

export interface ReconciliationDocument {
  statement: Reconciliation;
  account: AccountRow;
  operator: OperatorRow | undefined;
  /** The day the statement is drawn up. */
  today: IsoDate;
}

export interface ExplainOptions {
  from?: IsoDate | undefined;
  to?: IsoDate | undefined;
  today: IsoDate;
}

/** The statement from `from` (default: the connection date) to `to` (default: today). Unknown account or a bad range: bad input. */
export function explainAccount(db: Db, account: string, options: ExplainOptions): ReconciliationDocument {
  const row = findAccount(db, account);
  if (!row) throw new InputError([{ field: 'ACCOUNT', message: `no account "${account}"` }]);
  const from = options.from ?? row.connectedOn;
  const to = options.to ?? options.today;
  for (const [flag, d] of [['--from', from], ['--to', to]] as const) {
    if (!isIsoDate(d)) throw new InputError([{ field: flag, message: `"${d}" is not a date (YYYY-MM-DD)` }]);
  }
  if (to < from) throw new InputError([{ field: '--to', message: `${to} is before --from ${from}` }]);
  const invoiceOf = new Map(factsOf(db, account).map((f) => [f.id, f.invoiceId] as const));
  const entries: ExplainEntry[] = spannedFactsOf(db, account).map((e) => ({ ...e, invoiceId: invoiceOf.get(e.id) ?? null }));
  const book = TariffBook.load(db);
  const equipment = (
    db.sqlite.prepare('SELECT serial, model, cost, rented, returned_on AS returnedOn FROM equipment WHERE account = ? ORDER BY id').all(account) as {
      serial: string;
      model: string | null;
      cost: number;
      rented: number;
      returnedOn: IsoDate | null;
    }[]
  ).map((q) => ({ ...q, rented: Boolean(q.rented), returnBy: row.equipmentReturnBy }));
  const restoredOn = (
    db.sqlite.prepare(`SELECT value_date AS day FROM access_events WHERE account = ? AND event = 'restore' AND cause = 'funds'`).all(account) as { day: IsoDate }[]
  ).map((r) => r.day);
  const statement = reconcile(
    {
      account,
      connectedOn: row.connectedOn,
      terminatedOn: row.terminatedOn,
      terminatedBy: row.terminatedBy,
      entries,
      invoices: invoicesOf(db, account),
      priceOn: (day) => book.priceOn(row.tariffCode, day),
      penaltyRules: penaltyRules(db),
      equipment,
      restoredOn,
    },
    from,
    to,
  );
  return { statement, account: row, operator: getOperator(db), today: options.today };
}
