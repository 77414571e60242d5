// `esep run invoices --period P` (cl. 13–15, 18, 20, 21.10, 23.5, 23.10): month-end.
//
// 1. Issue, in batches (one transaction each, with the journal's counts): for every account active
//    in P without an invoice for P, post what month-end should have charged (domain/invoice.ts
//    monthEndCharges; idempotency keys make a rerun post nothing), compute the invoice's figures from
//    the account's entries and insert the invoice with the year's next number. The number is taken
//    (max + 1) in the transaction that inserts the invoice, so numbers are gapless whatever happens
//    to the PDF afterwards.
// 2. Render the PDFs of P that have none yet (all of P with --reissue) in worker threads, a page at a
//    time, each recomputed from exactly the entries the invoice was issued from (ledger_through) and
//    checked against the stored figures; the file name is recorded once the file is whole.
// 3. Write the registry CSV of P (jobs/registry.ts).
import path from 'node:path';
import type { Db } from '../db/connection.js';
import type { Counts } from '../db/journal.js';
import { chargesByKey, chargesDated, factsOf, KeyConflictError, spannedFactsOf, postEntries } from '../db/ledger.js';
import { getOperator, paymentChannelsOf, penaltyRuleVersions, vatSettings, type OperatorRow } from '../db/operator.js';
import { invoicesOf } from '../db/invoices.js';
import { dailyFee } from '../domain/daily-fee.js';
import { penaltyRulesOn, type PenaltyRulesOn } from '../domain/penalty.js';
import { vatByRate, vatPayerBetween, vatTotal, type VatLine, type VatSettings } from '../domain/vat.js';
import { firstDayOf, lastDayOf, nextPeriod, type IsoDate, type Period } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import {
  ACTIVE_IN_PERIOD_SQL,
  amountToPay,
  paymentToRestore,
  penaltyBreakdown,
  stateAtEndOf,
  topUpToRestore,
  type AccessFact,
  type LinePriceOn,
  defaultIssueDate,
  dueDate,
  invoiceFigures,
  invoiceNumber,
  isFinal,
  issueDateProblem,
  monthCost,
  monthEndCharges,
  monthEndDifferences,
  INVOICED_IN_PERIOD_SQL,
  type InvoiceFigures,
  type LedgerFact,
  type Method,
  type PriceOn,
} from '../domain/invoice.js';
import type { Tiyn } from '../domain/money.js';
import { writeRegistry } from './registry.js';
import { createRenderer, type Renderer } from '../io/pdf/pool.js';
import type { InvoiceDocument } from '../io/pdf/render.js';
import { TariffBook } from './debit.js';
import { runJob, type JobResult, type Progress } from './runner.js';

export const DEFAULT_INVOICE_BATCH = 500;
/** Invoices handed to the renderer at a time; two pages are in flight at most, so memory stays flat. */
export const RENDER_PAGE = 200;
/** Failed PDFs named in the result (all are counted in the journal). */
const MAX_FAILURES_LISTED = 100;

function issueBatchSize(): number {
  const fromEnv = Number(process.env.ESEP_BATCH_SIZE);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_INVOICE_BATCH;
}

export interface InvoiceRunOptions {
  period: Period;
  /** The issue date; default the first day of P+1. */
  issuedOn?: IsoDate;
  /** PDFs go to `outDir/P/`; default ./invoices. */
  outDir?: string;
  /** Regenerate every PDF of P (same numbers, same figures). */
  reissue?: boolean;
  dryRun?: boolean;
  progress?: Progress;
  /** A renderer to use (tests); default worker threads (createRenderer). */
  renderer?: Renderer;
}

export interface RenderFailure {
  number: string;
  account: string;
  error: string;
}

export interface InvoiceRunResult extends JobResult {
  period: Period;
  issuedOn: IsoDate;
  registry: string | null;
  renderMode: Renderer['mode'] | null;
  threads: number;
  failures: RenderFailure[];
}

export interface MonthEndAccount {
  account: string;
  method: Method;
  tariffCode: string;
  connectedOn: IsoDate;
  terminatedOn: IsoDate | null;
}

/** A stored invoice: its figures (the columns of InvoiceFigures) and what it was issued to. */
interface InvoiceRow extends StoredFigures {
  id: number;
  number: string;
  account: string;
  period: Period;
  final: number;
  issuedOn: IsoDate;
  dueOn: IsoDate;
  ledgerThrough: number | null;
  file: string | null;
  method: Method;
  tariffCode: string;
  tariffName: string;
  connectedOn: IsoDate;
  terminatedOn: IsoDate | null;
  terminatedBy: 'operator' | 'subscriber' | null;
  refundDueOn: IsoDate | null;
  equipmentReturnBy: IsoDate | null;
  /** D-13: the VAT stored at issue; null for a non-payer or an invoice issued before VAT was stored. */
  vat: Tiyn | null;
  name: string;
  iin: string;
  address: string;
}

/** The figures of an invoice with what else it states: next month's cost and the VAT by rate. */
type DocumentFigures = InvoiceFigures & { nextMonthCost: Tiyn; vatLines: VatLine[]; vat: Tiyn | null };

type StoredFigures = Omit<InvoiceFigures, 'lines' | 'paymentLines' | 'penaltyLines'>;

const ACTIVE = ACTIVE_IN_PERIOD_SQL;

function priceResolver(book: TariffBook, tariffCode: string): PriceOn {
  return (day) => {
    const p = book.priceOn(tariffCode, day);
    return {
      id: `${p.tariffCode}@${p.effectiveFrom}`,
      monthlyFee: p.monthlyFee,
      installationFee: p.installationFee,
      thirdPartyFee: p.thirdPartyFee,
      thirdPartyName: p.thirdPartyName,
    };
  };
}

/**
 * Posts what month-end should have charged an account for P (domain monthEndCharges) and is not on
 * the ledger yet; a charge posted larger than the facts now say (the account was terminated inside
 * its days since) gets a correction naming it (D-7, D-10). Used by month-end and by termination,
 * which posts the final period's fee at once. Inside the caller's transaction.
 */
export function settleMonthEnd(
  db: Db,
  book: TariffBook,
  a: MonthEndAccount,
  period: Period,
  runId: number | null,
): { charges: number; chargedTiyn: Tiyn; corrections: number } {
  const first = firstDayOf(period);
  const last = lastDayOf(period);
  const wanted = monthEndCharges({
    account: a.account,
    method: a.method,
    period,
    connectedOn: a.connectedOn,
    terminatedOn: a.terminatedOn,
    priceOn: priceResolver(book, a.tariffCode),
    advanceFeeDays: a.method === 'advance' ? advanceFeeDays(db, a.account, first, last) : undefined,
  });
  const out = { charges: 0, chargedTiyn: 0, corrections: 0 };
  let changed = false;
  for (const c of wanted) {
    try {
      // A key that exists with the same facts (a rerun, or the daily debit's installation) posts nothing.
      if (postEntries(db, [{ account: a.account, valueDate: c.valueDate, kind: c.kind, amount: c.amount, key: c.key, memo: c.memo, span: c.span, runId }]) === 1) {
        out.charges++;
        out.chargedTiyn += -c.amount;
      }
    } catch (err) {
      if (!(err instanceof KeyConflictError)) throw err;
      changed = true;
    }
  }
  if (!changed && a.terminatedOn === null) return out;
  const posted = new Map(chargesByKey(db, wanted.map((w) => w.key)).map((p) => [p.key, p] as const));
  const { post, corrections } = monthEndDifferences(wanted, posted, chargesDated(db, a.account, ['monthly_fee', 'third_party'], first, last));
  if (post.length > 0) throw new Error(`account ${a.account}: month-end charges of ${period} not posted: ${post.map((p) => p.key).join(', ')}`);
  out.corrections += postEntries(
    db,
    corrections.map((c) => ({
      account: a.account,
      valueDate: c.valueDate,
      kind: c.kind,
      amount: c.amount,
      key: c.key,
      corrects: c.corrects,
      runId,
      memo: `days from the termination on ${a.terminatedOn} credited back (cl. 23.6, 22.15)`,
    })),
  );
  return out;
}

/** Advance accounts: the days of P on which the daily debit charged a daily fee (served, not suspended for funds). */
function advanceFeeDays(db: Db, account: string, first: IsoDate, last: IsoDate): IsoDate[] {
  return (
    db.sqlite
      .prepare(
        `SELECT value_date AS day FROM ledger WHERE account = ? AND kind = 'daily_fee' AND value_date BETWEEN ? AND ?
          GROUP BY value_date HAVING SUM(amount) < 0 ORDER BY value_date`,
      )
      .all(account, first, last) as { day: IsoDate }[]
  ).map((r) => r.day);
}

/** The checks made before anything is written: bad input, exit 2. */
function refuseUnready(db: Db, period: Period, issuedOn: IsoDate, reissue: boolean): OperatorRow {
  const operator = getOperator(db);
  if (!operator) throw new InputError([{ field: 'operator', message: 'no operator requisites: run `esep import operator FILE.json` first' }]);
  const problem = issueDateProblem(period, issuedOn);
  if (problem) throw new InputError([{ field: '--date', message: problem }]);
  if (reissue) return operator;
  // An advance account's statement needs every daily debit of P decided first (cl. 17).
  const first = firstDayOf(period);
  const last = lastDayOf(period);
  const behind = db.sqlite
    .prepare(
      `SELECT a.account FROM accounts a
        WHERE a.method = 'advance' AND ${ACTIVE}
          AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.account = a.account AND i.period = @period)
          AND (a.terminated_on IS NULL OR a.terminated_on > a.connected_on)
          AND (a.debited_through IS NULL OR a.debited_through <
               CASE WHEN a.terminated_on IS NOT NULL AND date(a.terminated_on, '-1 day') < @last THEN date(a.terminated_on, '-1 day') ELSE @last END)
        ORDER BY a.account LIMIT 11`,
    )
    .all({ first, last, period }) as { account: string }[];
  if (behind.length > 0) {
    const list = behind.slice(0, 10).map((r) => r.account).join(', ');
    throw new InputError([
      {
        field: '--period',
        message: `daily debits of ${period} are not complete for advance account(s) ${list}${behind.length > 10 ? ', …' : ''}: run \`esep run debit --date ${last}\` first`,
      },
    ]);
  }
  return operator;
}

class Issuer {
  private readonly last: IsoDate;
  private readonly year: number;
  private readonly dueOn: IsoDate;
  private readonly q;
  private readonly vatSettings: VatSettings;
  private readonly penaltyRules: PenaltyRulesOn;
  private readonly graceDays: number;
  private channels: { of: OperatorRow; texts: string[] } | undefined;

  constructor(
    private readonly db: Db,
    private readonly book: TariffBook,
    private readonly period: Period,
    private readonly issuedOn: IsoDate,
    private readonly prefix: string,
    private readonly runId: number | null,
  ) {
    this.last = lastDayOf(period);
    this.year = Number(issuedOn.slice(0, 4));
    this.dueOn = dueDate(issuedOn);
    this.vatSettings = vatSettings(db);
    this.penaltyRules = penaltyRulesOn(penaltyRuleVersions(db));
    this.graceDays = getOperator(db)?.graceDays ?? 0;
    this.q = {
      accessEvents: db.sqlite.prepare(`SELECT value_date AS valueDate, event, cause FROM access_events WHERE account = ? AND value_date <= ? ORDER BY value_date, id`),
      equipmentOut: db.sqlite.prepare(
        `SELECT serial, model, cost FROM equipment WHERE account = ? AND rented = 1 AND (returned_on IS NULL OR returned_on > ?) ORDER BY handed_out_on, serial`,
      ),
      maxLedgerId: db.sqlite.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM ledger'),
      // gapless per prefix and year (docs/invoices.md): a new prefix starts its own series
      maxSeq: db.sqlite.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM invoices WHERE prefix = ? AND year = ?'),
      insert: db.sqlite.prepare(
        `INSERT INTO invoices (number, prefix, year, seq, account, period, final, issued_on, due_on, opening_balance, charges, credits,
           payments, penalties, closing_balance, principal, amount_due, advised_topup, vat, run_id, ledger_through)
         VALUES (@number, @prefix, @year, @seq, @account, @period, @final, @issuedOn, @dueOn, @openingBalance, @charges, @credits,
           @payments, @penalties, @closingBalance, @principal, @amountDue, @advisedTopup, @vat, @runId, @ledgerThrough)`,
      ),
    };
  }

  /** One batch: post month-end charges, then number and insert the invoices. Inside the batch's transaction. */
  issue(accounts: readonly MonthEndAccount[]): Counts {
    const counts: Counts = { accounts: accounts.length, charges: 0, charged_tiyn: 0, invoices: 0 };
    for (const a of accounts) {
      const posted = settleMonthEnd(this.db, this.book, a, this.period, this.runId);
      counts.charges! += posted.charges;
      counts.charged_tiyn! += posted.chargedTiyn;
      if (posted.corrections > 0) counts.corrections = (counts.corrections ?? 0) + posted.corrections;
    }
    // Figures from the ledger as it stands after this batch's postings; the invoice remembers how far it read.
    const ledgerThrough = (this.q.maxLedgerId.get() as { id: number }).id;
    let seq = (this.q.maxSeq.get(this.prefix, this.year) as { seq: number }).seq;
    for (const a of accounts) {
      const figures = this.figures(a, ledgerThrough);
      seq++;
      this.q.insert.run({
        number: invoiceNumber(this.prefix, this.year, seq),
        prefix: this.prefix,
        year: this.year,
        seq,
        account: a.account,
        period: this.period,
        final: isFinal(this.period, a.terminatedOn) ? 1 : 0,
        issuedOn: this.issuedOn,
        dueOn: this.dueOn,
        openingBalance: figures.openingBalance,
        charges: figures.charges,
        credits: figures.credits,
        payments: figures.payments,
        penalties: figures.penalties,
        closingBalance: figures.closingBalance,
        principal: figures.principal,
        amountDue: figures.amountDue,
        advisedTopup: figures.advisedTopup,
        vat: figures.vat,
        runId: this.runId,
        ledgerThrough,
      });
      counts.invoices!++;
    }
    return counts;
  }

  figures(a: { account: string; method: Method; tariffCode: string; connectedOn: IsoDate; terminatedOn: IsoDate | null }, ledgerThrough: number): DocumentFigures {
    const entries: LedgerFact[] = spannedFactsOf(this.db, a.account, this.last).filter((e) => e.id <= ledgerThrough);
    const nextMonthCost = a.method === 'advance' ? monthCost(nextPeriod(this.period), a.connectedOn, a.terminatedOn, priceResolver(this.book, a.tariffCode)) : 0;
    const figures = invoiceFigures({ period: this.period, method: a.method, entries, nextMonthCost, linePrice: this.linePrice(a.tariffCode) });
    // D-13: the VAT included in the period's turnover, per rate by value date
    const first = firstDayOf(this.period);
    const vatLines = vatByRate(entries.filter((e) => e.valueDate >= first), this.vatSettings);
    const vat = vatPayerBetween(this.vatSettings.rates, first, this.last) ? vatTotal(vatLines) : null;
    return { ...figures, nextMonthCost, vatLines, vat };
  }

  /** The tariff's price each line was charged at: a monthly fee (and the daily fees spread from it) per month, a port reservation per day. */
  private linePrice(tariffCode: string): LinePriceOn {
    return (kind, day) => {
      if (kind !== 'monthly_fee' && kind !== 'daily_fee' && kind !== 'port_reservation' && kind !== 'third_party') return null;
      const p = this.book.priceOn(tariffCode, day);
      if (kind === 'port_reservation') return { amount: p.portFee, per: 'day' };
      return { amount: kind === 'third_party' ? p.thirdPartyFee : p.monthlyFee, per: 'month' };
    };
  }

  /**
   * Everything the invoice says, from exactly the entries it was issued from: the figures (checked
   * against the stored ones), the one amount to pay, the account's state at the end of P with what
   * restores it, the VAT, the penalties of each overdue invoice and how to pay.
   */
  document(row: InvoiceRow, operator: OperatorRow): InvoiceDocument {
    if (row.ledgerThrough === null) throw new Error(`invoice ${row.number} has no ledger_through`);
    const f = this.figures(row, row.ledgerThrough);
    // an invoice issued before VAT was stored has none to compare (null): it prints the VAT its entries include
    if (row.vat !== null && row.vat !== f.vat) {
      throw new Error(`invoice ${row.number} (account ${row.account}): stored vat ${String(row.vat)} disagrees with the ledger's ${String(f.vat)}`);
    }
    // the state at the end of P; a final invoice's at its termination (which may be P+1's first day)
    const asOf = row.final === 1 && row.terminatedOn !== null && row.terminatedOn > this.last ? row.terminatedOn : this.last;
    const events = this.q.accessEvents.all(row.account, asOf) as AccessFact[];
    const state = stateAtEndOf(events, asOf);
    const needsFacts = state.status === 'suspended' && state.suspendReason === 'debt' ? true : f.penaltyLines.length > 0;
    const facts = needsFacts ? factsOf(this.db, row.account).filter((e) => e.id <= row.ledgerThrough! && e.valueDate <= this.last) : [];
    const invoices = needsFacts ? invoicesOf(this.db, row.account).filter((i) => i.period <= this.period) : [];
    let restoreWith: Tiyn | null = null;
    if (state.status === 'suspended' && state.suspendReason === 'funds') {
      // cl. 17.3: what restores it on the next day to decide, the first of P+1, at that day's fee
      const day = firstDayOf(nextPeriod(this.period));
      restoreWith = topUpToRestore(f.closingBalance, dailyFee(this.book.priceOn(row.tariffCode, day).monthlyFee, day));
    } else if (state.status === 'suspended' && state.suspendReason === 'debt') {
      restoreWith = paymentToRestore(facts, invoices, this.last, this.graceDays);
    }
    const terminated = state.status === 'terminated';
    const equipment = terminated ? (this.q.equipmentOut.all(row.account, asOf) as { serial: string; model: string | null; cost: Tiyn }[]) : [];
    const numbers = new Map(invoices.map((i) => [i.id, i.number] as const));
    return toDocument(row, f, operator, {
      toPay: amountToPay(f, row.method, row.final === 1, row.dueOn, f.nextMonthCost),
      state: {
        status: state.status,
        suspendReason: state.suspendReason,
        since: state.since,
        restoreWith,
        terminatedBy: terminated ? row.terminatedBy : null,
        refundDueOn: terminated ? row.refundDueOn : null,
        equipment: row.equipmentReturnBy ? equipment : [],
        equipmentReturnBy: row.equipmentReturnBy,
      },
      vat: f.vatLines,
      penaltyDetails: penaltyBreakdown(facts, invoices, this.period, this.penaltyRules).map((d) => ({ ...d, invoiceNumber: d.invoiceId === null ? null : (numbers.get(d.invoiceId) ?? null) })),
      paymentChannels: this.paymentChannels(operator),
    });
  }

  /** The operator's payment channels, read once per run. */
  private paymentChannels(operator: OperatorRow): string[] {
    if (this.channels?.of !== operator) this.channels = { of: operator, texts: paymentChannelsOf(operator) };
    return this.channels.texts;
  }
}

const STORED: readonly (keyof InvoiceFigures & keyof InvoiceRow)[] = [
  'openingBalance',
  'charges',
  'credits',
  'payments',
  'penalties',
  'closingBalance',
  'principal',
  'amountDue',
  'advisedTopup',
];

function toDocument(
  row: InvoiceRow,
  f: InvoiceFigures & { nextMonthCost: Tiyn },
  operator: OperatorRow,
  says: Pick<InvoiceDocument, 'toPay' | 'state' | 'vat' | 'penaltyDetails' | 'paymentChannels'>,
): InvoiceDocument {
  for (const k of STORED) {
    if (row[k] !== f[k]) {
      throw new Error(`invoice ${row.number} (account ${row.account}): stored ${k} ${String(row[k])} disagrees with the ledger's ${String(f[k])}`);
    }
  }
  return {
    number: row.number,
    period: row.period,
    issuedOn: row.issuedOn,
    dueOn: row.dueOn,
    final: row.final === 1,
    terminatedOn: row.terminatedOn,
    method: row.method,
    operator: {
      name: operator.name,
      bin: operator.bin,
      iban: operator.iban,
      bank: operator.bank,
      bic: operator.bic,
      kbe: operator.kbe,
      knp: operator.knp,
      address: operator.address,
      phone: operator.phone,
      site: operator.site,
      email: operator.email,
    },
    subscriber: { name: row.name, iin: row.iin },
    account: row.account,
    address: row.address,
    tariff: row.tariffName === row.tariffCode ? row.tariffCode : `${row.tariffName} (${row.tariffCode})`,
    openingBalance: f.openingBalance,
    closingBalance: f.closingBalance,
    principal: f.principal,
    payments: f.payments,
    penalties: f.penalties,
    amountDue: f.amountDue,
    advisedTopup: f.advisedTopup,
    nextMonthCost: f.nextMonthCost,
    lines: f.lines,
    paymentLines: f.paymentLines,
    penaltyLines: f.penaltyLines,
    ...says,
  };
}

const INVOICE_COLUMNS = `i.id, i.number, i.account, i.period, i.final, i.issued_on AS issuedOn, i.due_on AS dueOn,
  i.opening_balance AS openingBalance, i.charges, i.credits, i.payments, i.penalties, i.closing_balance AS closingBalance,
  i.principal, i.amount_due AS amountDue, i.advised_topup AS advisedTopup, i.ledger_through AS ledgerThrough, i.file,
  a.method, a.tariff_code AS tariffCode, t.name AS tariffName, a.connected_on AS connectedOn, a.terminated_on AS terminatedOn,
  a.terminated_by AS terminatedBy, a.refund_due_on AS refundDueOn, a.equipment_return_by AS equipmentReturnBy, i.vat,
  s.name, s.iin, a.address`;
const INVOICE_FROM = `invoices i JOIN accounts a ON a.account = i.account JOIN subscribers s ON s.iin = a.iin JOIN tariffs t ON t.code = a.tariff_code`;

/** The PDF file of an invoice: DIR/P/{number}.pdf. */
export function invoiceFile(outDir: string, period: Period, number: string): string {
  return path.resolve(outDir, period, `${number}.pdf`);
}

export async function runInvoices(db: Db, options: InvoiceRunOptions): Promise<InvoiceRunResult> {
  const { period } = options;
  const issuedOn = options.issuedOn ?? defaultIssueDate(period);
  const outDir = options.outDir ?? 'invoices';
  const reissue = options.reissue ?? false;
  const operator = refuseUnready(db, period, issuedOn, reissue);
  const failures: RenderFailure[] = [];
  let registry: string | null = null;
  let renderer: Renderer | undefined;

  const result = await runJob(db, { job: 'invoices', scope: period, dryRun: options.dryRun, progress: options.progress }, async (ctx) => {
    const book = TariffBook.load(db);
    const first = firstDayOf(period);
    const last = lastDayOf(period);

    // 1. Issue
    if (!reissue) {
      const issuer = new Issuer(db, book, period, issuedOn, operator.invoicePrefix, ctx.runId);
      // D-9: every account served in P, and every account with a charge dated in P though terminated before it
      const pending = `${INVOICED_IN_PERIOD_SQL} AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.account = a.account AND i.period = @period)`;
      const total = (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM accounts a WHERE ${pending}`).get({ first, last, period }) as { n: number }).n;
      ctx.progress.start(total, `invoices ${period}: issue`);
      const page = db.sqlite.prepare(
        `SELECT a.account, a.method, a.tariff_code AS tariffCode, a.connected_on AS connectedOn, a.terminated_on AS terminatedOn
           FROM accounts a WHERE ${pending} AND a.account > @after ORDER BY a.account LIMIT @limit`,
      );
      const size = issueBatchSize();
      let after = '';
      for (;;) {
        const rows = page.all({ first, last, period, after, limit: size }) as MonthEndAccount[];
        if (rows.length === 0) break;
        ctx.batch(() => issuer.issue(rows));
        ctx.progress.increment(rows.length);
        after = rows[rows.length - 1]!.account;
      }
      ctx.progress.stop();
    }
    if (ctx.dryRun) return;

    // 2. Render
    renderer = options.renderer ?? createRenderer();
    const issuer = new Issuer(db, book, period, issuedOn, operator.invoicePrefix, ctx.runId);
    const which = reissue ? '' : 'AND i.file IS NULL';
    const total = (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM invoices i WHERE i.period = ? ${which}`).get(period) as { n: number }).n;
    ctx.progress.start(total, `invoices ${period}: PDF`);
    const page = db.sqlite.prepare(`SELECT ${INVOICE_COLUMNS} FROM ${INVOICE_FROM} WHERE i.period = @period ${which} AND i.id > @after ORDER BY i.id LIMIT @limit`);
    const setFile = db.sqlite.prepare('UPDATE invoices SET file = ? WHERE id = ?');
    const r = renderer;
    const submit = (rows: InvoiceRow[]) =>
      Promise.allSettled(
        rows.map((row) => {
          const doc = issuer.document(row, operator);
          return r.render({ invoice: doc, file: invoiceFile(outDir, period, row.number) });
        }),
      ).then((settled) => ({ rows, settled }));
    const record = ({ rows, settled }: { rows: InvoiceRow[]; settled: PromiseSettledResult<{ file: string }>[] }) => {
      ctx.batch(() => {
        let pdfs = 0;
        settled.forEach((s, i) => {
          const row = rows[i]!;
          if (s.status === 'fulfilled') {
            setFile.run(s.value.file, row.id);
            pdfs++;
          } else if (failures.length < MAX_FAILURES_LISTED) {
            failures.push({ number: row.number, account: row.account, error: (s.reason as Error)?.message ?? String(s.reason) });
          }
        });
        return { pdfs, pdf_failures: rows.length - pdfs };
      });
      ctx.progress.increment(rows.length);
    };
    // Keyset pages; the next page is read and handed out while the previous one renders.
    let after = 0;
    let inFlight: Promise<{ rows: InvoiceRow[]; settled: PromiseSettledResult<{ file: string }>[] }> | undefined;
    for (;;) {
      const rows = page.all({ period, after, limit: RENDER_PAGE }) as InvoiceRow[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      const next = submit(rows);
      if (inFlight) record(await inFlight);
      inFlight = next;
    }
    if (inFlight) record(await inFlight);
    ctx.progress.stop();

    // 3. Registry
    registry = await writeRegistry(db, period, outDir);
  }).finally(async () => {
    await renderer?.close();
  });

  return {
    ...result,
    period,
    issuedOn,
    registry,
    renderMode: renderer ? renderer.mode : null,
    threads: renderer ? renderer.threads : 0,
    failures,
  };
}
