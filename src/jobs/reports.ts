// `esep report …`: the accountant's month-end reports. Read-only: each reads the ledger, asks the
// domain (domain/reports/*, allocation, collection) and returns figures; nothing is written.
import type { Db } from '../db/connection.js';
import { factsOf } from '../db/ledger.js';
import { invoicesOf } from '../db/invoices.js';
import { getOperator } from '../db/operator.js';
import { eachDay, firstDayOf, lastDayOf, type IsoDate, type Period } from '../domain/dates.js';
import type { Transition } from '../domain/accounts.js';
import { dayTotals, statusByDay, type DayTotals, type StatusCounts } from '../domain/reports/month.js';
import type { EntryKind } from '../domain/entries.js';
import type { Tiyn } from '../domain/money.js';
import { turnoverLine, turnoverTotals, type KindTurnover, type TurnoverLine, type TurnoverTotals } from '../domain/reports/turnover.js';
import { AGE_BUCKETS, agingOn, type AgeBucket } from '../domain/reports/aging.js';
import { RevenueBook, type RevenueEntry, type RevenueRow } from '../domain/reports/revenue.js';
import { tariffOn } from '../domain/tariffs.js';
import type { VatLine } from '../domain/vat.js';
import { vatSettings } from '../db/operator.js';
import { allTariffs } from '../db/tariffs.js';
import type { PaymentStatus } from '../db/payments.js';
import { sectionsBetween, type StoredSection } from '../db/statement-sections.js';

export interface TurnoverReport {
  period: Period;
  from: IsoDate;
  to: IsoDate;
  accounts: TurnoverLine[];
  totals: TurnoverTotals;
}

/**
 * The turnover sheet of P. The opening balance is the account's cached balance (the sum of all its
 * entries, `verify` checks it) less its entries dated from P's first day on, so only the period's
 * entries and the later ones are read, never the whole history. Every account with an opening
 * balance or an entry in P is listed.
 */
export function turnoverReport(db: Db, period: Period): TurnoverReport {
  const from = firstDayOf(period);
  const to = lastDayOf(period);
  const openings = db.sqlite
    .prepare(
      `SELECT a.account, a.balance - COALESCE((SELECT SUM(l.amount) FROM ledger l WHERE l.account = a.account AND l.value_date >= @from), 0) AS opening
         FROM accounts a ORDER BY a.account`,
    )
    .all({ from }) as { account: string; opening: Tiyn }[];
  const sums = new Map<string, KindTurnover[]>();
  const rows = db.sqlite
    .prepare(
      `SELECT l.account, l.kind, SUM(l.amount) AS amount FROM ledger l WHERE l.value_date >= @from AND l.value_date <= @to
        GROUP BY l.account, l.kind, l.amount < 0`,
    )
    .all({ from, to }) as { account: string; kind: EntryKind; amount: Tiyn }[];
  for (const r of rows) {
    const list = sums.get(r.account) ?? [];
    list.push({ kind: r.kind, amount: r.amount });
    sums.set(r.account, list);
  }
  const accounts: TurnoverLine[] = [];
  for (const { account, opening } of openings) {
    const of = sums.get(account);
    if (opening === 0 && !of) continue;
    accounts.push(turnoverLine(account, opening, of ?? []));
  }
  return { period, from, to, accounts, totals: turnoverTotals(accounts) };
}

export interface AgingRow {
  account: string;
  method: string;
  tariff: string;
  buckets: Record<AgeBucket, Tiyn>;
  penalties: Tiyn;
  debt: Tiyn;
  oldestDueOn: IsoDate | null;
  daysOverdue: number;
}

export interface AgingGroup {
  method: string;
  tariff: string;
  accounts: number;
  buckets: Record<AgeBucket, Tiyn>;
  penalties: Tiyn;
  debt: Tiyn;
}

export interface AgingReport {
  date: IsoDate;
  graceDays: number;
  groups: AgingGroup[];
  accounts: AgingRow[];
  totals: Omit<AgingGroup, 'method' | 'tariff'>;
}

const emptyBuckets = (): Record<AgeBucket, Tiyn> => ({ not_due: 0, d1_30: 0, d31_60: 0, d61_90: 0, over_90: 0 });

/**
 * Debt by age at the end of `date`, by method and tariff (the account's tariff as it stands), with
 * the accounts behind it. Only accounts whose balance at the end of the day is below zero can owe
 * anything (a credit is spent on the oldest debt first, cl. 16, so debt and prepayment never stand
 * together); each is replayed by the domain.
 */
export function agingReport(db: Db, date: IsoDate): AgingReport {
  const graceDays = getOperator(db)?.graceDays ?? 0;
  const candidates = db.sqlite
    .prepare(
      `SELECT account, method, tariff, closing FROM (
         SELECT a.account, a.method, a.tariff_code AS tariff,
                a.balance - COALESCE((SELECT SUM(l.amount) FROM ledger l WHERE l.account = a.account AND l.value_date > @date), 0) AS closing
           FROM accounts a)
        WHERE closing < 0 ORDER BY account`,
    )
    .all({ date }) as { account: string; method: string; tariff: string; closing: Tiyn }[];
  const accounts: AgingRow[] = [];
  const groups = new Map<string, AgingGroup>();
  const totals = { accounts: 0, buckets: emptyBuckets(), penalties: 0, debt: 0 };
  for (const c of candidates) {
    const a = agingOn(factsOf(db, c.account), invoicesOf(db, c.account), date, graceDays);
    if (a.debt === 0 && a.penalties === 0) continue;
    const oldest = a.invoices[0];
    accounts.push({ account: c.account, method: c.method, tariff: c.tariff, buckets: a.buckets, penalties: a.penalties, debt: a.debt, oldestDueOn: oldest?.dueOn ?? null, daysOverdue: oldest?.days ?? 0 });
    const key = `${c.method}|${c.tariff}`;
    const g = groups.get(key) ?? { method: c.method, tariff: c.tariff, accounts: 0, buckets: emptyBuckets(), penalties: 0, debt: 0 };
    for (const target of [g, totals]) {
      target.accounts++;
      for (const b of AGE_BUCKETS) target.buckets[b] += a.buckets[b];
      target.penalties += a.penalties;
      target.debt += a.debt;
    }
    groups.set(key, g);
  }
  const sorted = [...groups.values()].sort((x, y) => (x.method < y.method ? -1 : x.method > y.method ? 1 : x.tariff < y.tariff ? -1 : x.tariff > y.tariff ? 1 : 0));
  return { date, graceDays, groups: sorted, accounts, totals };
}

/** The columns of the payments report: the statuses of a payment (db/payments.ts); a payment the bank reversed is counted with the reversals (it nets with its reversal row). */
export type PaymentStatusColumn = Exclude<PaymentStatus, 'reversed'>;

export interface PaymentsRow {
  day: IsoDate;
  format: string;
  file: string;
  applied: { count: number; amount: Tiyn };
  suspense: { count: number; amount: Tiyn };
  reversal: { count: number; amount: Tiyn };
}

export interface PaymentsReport {
  from: IsoDate;
  to: IsoDate;
  rows: PaymentsRow[];
  totals: Omit<PaymentsRow, 'day' | 'format' | 'file'>;
  /** The payments applied in the range as the ledger holds them (their entries, net): equal to `totals.applied.amount`. */
  onLedger: Tiyn;
  /** The statements' own totals, section by section, of the sections within the range, beside what esep took in. */
  statements: StatementBeside[];
}

/** A statement section's own totals (as the import checked them against its rows) beside the payments esep took from it. */
export interface StatementBeside extends StoredSection {
  /**
   * What esep holds as bank rows into the section's account over its dates: payments less the
   * bank's reversals (negative rows), as the statement's money in counts them, from whichever file
   * brought them (the same money through two formats is one payment); null when the section names
   * no account or no dates. The rest of the stated money in is not subscribers' payments (the
   * operator's own transfers, other income), which the import leaves out.
   */
  payments: Tiyn | null;
}

/**
 * Money received from D1 to D2 by value date, bank statement format and file: applied to an account
 * (matched on import or assigned from suspense since), waiting in suspense, and bank reversals
 * (listed, never applied). `onLedger` is what the ledger holds of the applied ones.
 */
export function paymentsReport(db: Db, from: IsoDate, to: IsoDate): PaymentsReport {
  const rows = db.sqlite
    .prepare(
      `SELECT value_date AS day, format, COALESCE(file, '') AS file, status, COUNT(*) AS count, SUM(amount) AS amount
         FROM payments WHERE value_date >= @from AND value_date <= @to GROUP BY value_date, format, file, status ORDER BY value_date, format, file`,
    )
    .all({ from, to }) as { day: IsoDate; format: string; file: string; status: PaymentStatus; count: number; amount: Tiyn }[];
  const out = new Map<string, PaymentsRow>();
  const zero = () => ({ count: 0, amount: 0 });
  const totals = { applied: zero(), suspense: zero(), reversal: zero() };
  for (const r of rows) {
    const key = `${r.day}|${r.format}|${r.file}`;
    const row = out.get(key) ?? { day: r.day, format: r.format, file: r.file, applied: zero(), suspense: zero(), reversal: zero() };
    const status: PaymentStatusColumn = r.status === 'reversed' ? 'reversal' : r.status;
    row[status].count += r.count;
    row[status].amount += r.amount;
    totals[status].count += r.count;
    totals[status].amount += r.amount;
    out.set(key, row);
  }
  const onLedger = (
    db.sqlite
      .prepare(
        `SELECT COALESCE(SUM(l.amount), 0) AS s FROM ledger l JOIN payments p ON p.id = l.payment_id
          WHERE l.kind = 'payment' AND p.status = 'applied' AND p.value_date >= @from AND p.value_date <= @to`,
      )
      .get({ from, to }) as { s: Tiyn }
  ).s;
  const taken = db.sqlite.prepare(
    `SELECT COALESCE(SUM(amount), 0) FROM payments WHERE statement_account = @account AND value_date >= @from AND value_date <= @to`,
  ).pluck();
  const statements = sectionsBetween(db, from, to).map((s) => ({
    ...s,
    payments: s.account === null || s.from === null ? null : (taken.get({ account: s.account, from: s.from, to: s.to ?? s.from }) as Tiyn),
  }));
  return { from, to, rows: [...out.values()], totals, onLedger, statements };
}

export interface RevenueReport {
  period: Period;
  rows: RevenueRow[];
  /** The VAT per rate as each account's invoice rounds it, summed. */
  vatByRate: VatLine[];
  /** The VAT the period's invoices state (null: no invoice states one), for the check beside. */
  invoicesVat: Tiyn | null;
}

/**
 * Revenue of P: every entry dated in P, account by account, with the tariff it was charged under
 * on its value date (cl. 28: a discontinued tariff's days are its successor's).
 */
export function revenueReport(db: Db, period: Period): RevenueReport {
  const from = firstDayOf(period);
  const to = lastDayOf(period);
  const book = new RevenueBook(vatSettings(db));
  const tariffs = allTariffs(db);
  const rows = db.sqlite
    .prepare(
      `SELECT l.account, a.tariff_code AS tariff, l.value_date AS valueDate, l.kind, l.amount, k.corrects_id AS corrects
         FROM ledger l JOIN accounts a ON a.account = l.account LEFT JOIN ledger_links k ON k.entry_id = l.id
        WHERE l.value_date >= @from AND l.value_date <= @to ORDER BY l.account`,
    )
    .iterate({ from, to }) as IterableIterator<RevenueEntry & { account: string; tariff: string }>;
  let account: string | null = null;
  let batch: (RevenueEntry & { tariff: string })[] = [];
  for (const r of rows) {
    if (r.account !== account) {
      if (batch.length > 0) book.add(batch);
      account = r.account;
      batch = [];
    }
    batch.push({ valueDate: r.valueDate, kind: r.kind, amount: r.amount, corrects: r.corrects, tariff: tariffOn(tariffs, r.tariff, r.valueDate) });
  }
  if (batch.length > 0) book.add(batch);
  const invoicesVat = (db.sqlite.prepare('SELECT SUM(vat) AS v FROM invoices WHERE period = ?').get(period) as { v: Tiyn | null }).v;
  return { period, ...book.result(), invoicesVat };
}

export interface MonthReport {
  period: Period;
  turnover: TurnoverReport;
  revenue: RevenueReport;
  aging: AgingReport;
  payments: PaymentsReport;
  days: DayTotals[];
  status: ({ day: IsoDate } & StatusCounts)[];
}

/** Every report of P, and the figures of its charts: charges and payments by day, accounts by status at the end of each day. */
export function monthReport(db: Db, period: Period): MonthReport {
  const from = firstDayOf(period);
  const to = lastDayOf(period);
  const sums = db.sqlite
    .prepare(`SELECT value_date AS day, kind, SUM(amount) AS amount FROM ledger WHERE value_date >= @from AND value_date <= @to GROUP BY value_date, kind, amount < 0`)
    .all({ from, to }) as { day: IsoDate; kind: EntryKind; amount: Tiyn }[];
  const events = new Map<string, (Transition & { valueDate: IsoDate })[]>();
  for (const e of db.sqlite
    .prepare(`SELECT account, event, cause, value_date AS valueDate FROM access_events WHERE cause IS NOT NULL AND value_date <= ? ORDER BY account, value_date, id`)
    .iterate(to) as IterableIterator<{ account: string } & Transition & { valueDate: IsoDate }>) {
    const { account, ...t } = e;
    const list = events.get(account) ?? [];
    list.push(t);
    events.set(account, list);
  }
  const accounts = (db.sqlite.prepare('SELECT account, connected_on AS connectedOn FROM accounts WHERE connected_on <= ?').all(to) as { account: string; connectedOn: IsoDate }[]).map((a) => ({
    connectedOn: a.connectedOn,
    events: events.get(a.account) ?? [],
  }));
  return {
    period,
    turnover: turnoverReport(db, period),
    revenue: revenueReport(db, period),
    aging: agingReport(db, to),
    payments: paymentsReport(db, from, to),
    days: dayTotals([...eachDay(from, to)], sums),
    status: statusByDay(accounts, from, to),
  };
}
