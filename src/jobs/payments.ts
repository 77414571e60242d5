// `esep payments import FILE`, `payments assign`, and the lists of suspense and reversals
// (SPEC section 5, cl. 16, 17.3, 21.13). An import reads the statement twice, streaming: the first
// pass checks every row and works out each bank transaction's identity (a refused file changes
// nothing); the second applies the rows in batches, each batch one transaction with its journal
// counts. Every row of money in ends applied to an account, in suspense, or listed as a reversal;
// a transaction already imported is skipped by its identity, so a rerun or an overlapping
// statement adds nothing.
import type { Db } from '../db/connection.js';
import type { Counts } from '../db/journal.js';
import { postEntries } from '../db/ledger.js';
import { paymentKey } from '../domain/keys.js';
import { accountsOf, getOperator } from '../db/operator.js';
import {
  accountLookup,
  findPayment,
  insertPayment,
  markAssigned,
  paymentByIdentity,
  paymentsBetween,
  paymentsStamp,
  paymentMovesOf,
  paymentsWithStatus,
  reversedBy,
  unlinkedReversals,
  sameMoneyElsewhere,
  StatementScratch,
  type PaymentRow,
} from '../db/payments.js';
import { nowIso } from '../db/journal.js';
import { recordSections } from '../db/statement-sections.js';
import { outsideWindow, windowAround, type IsoDate } from '../domain/dates.js';
import { InputError, type InputProblem } from '../domain/errors.js';
import { matchPayment } from '../domain/matching.js';
import { formatTenge, sumTiyn, type Tiyn } from '../domain/money.js';
import { earlierReversalIdentity, factsDiffer, identityBase, identityOf, sameMoneyOf, type StatementRow, type StatementTotals, type TransactionFacts } from '../domain/statement.js';
import { openStatement, type Statement } from '../io/statements/index.js';
import { restoreAfterPayment } from './debit.js';
import { assignAfterUnassign, reverseAtImport } from './payment-corrections.js';
import { requireAccount } from './account-view.js';
import { runJob, type Progress } from './runner.js';

/** Problems listed in full before the rest are only counted. */
export const MAX_LISTED_PROBLEMS = 100;
const SCRATCH_BATCH = 5000;

/** The default of payments.max_amount: 10 000 000 ₸, in tiyn. */
export const DEFAULT_MAX_AMOUNT: Tiyn = 1_000_000_000;
/** The longest payer name and purpose accepted, in characters. */
export const MAX_TEXT = 1000;

export function paymentBatchSize(): number {
  const fromEnv = Number(process.env.ESEP_BATCH_SIZE);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : 1000;
}

export interface PaymentImportOptions {
  file: string;
  format?: string | undefined;
  /** Today (--date): no value date may be later; restorations happen as of this day. */
  date: IsoDate;
  /** No value date may be more days before today than this (configuration imports.value_date_days_back); unset: no bound. */
  valueDateDaysBack?: number | undefined;
  /** The largest row accepted, in tiyn (configuration payments.max_amount); unset: DEFAULT_MAX_AMOUNT. */
  maxAmount?: Tiyn | undefined;
  /** Import a statement of an account that is not one of the operator's (--any-account). */
  anyAccount?: boolean | undefined;
  dryRun?: boolean;
  progress?: Progress;
}

export interface PaymentImportSummary {
  file: string;
  format: string;
  encoding: string | null;
  dryRun: boolean;
  runId: number | null;
  /** Rows of money in (and reversals) in the file. */
  rows: number;
  rowsAmount: Tiyn;
  applied: number;
  appliedAmount: Tiyn;
  byAccount: number;
  byPurpose: number;
  byIin: number;
  suspense: number;
  suspenseAmount: Tiyn;
  reversals: number;
  reversalAmount: Tiyn;
  /** Rows whose transaction was imported before (or is repeated in the file): nothing added. */
  duplicates: number;
  duplicateAmount: Tiyn;
  /** Those rows by the file they were imported from (this file's name for a line repeated in it). */
  knownFrom: { file: string; rows: number; amount: Tiyn }[];
  /** Rows of money in (positive), new or already known: what the bank's «поступило» counts. */
  moneyIn: number;
  moneyInAmount: Tiyn;
  /** Rows of the bank's reversals (negative), new or already known: never netted into money in. */
  reversalRows: number;
  reversalRowsAmount: Tiyn;
  /** What the statement states of itself, section by section, beside the rows read ([]: it states nothing, as the generic CSV). */
  statementTotals: StatementTotals[];
  /** Rows that are not money in: money out, totals and balances, the operator's own transfers. */
  ignored: number;
  restored: number;
}

function operatorAccount(db: Db) {
  const op = getOperator(db);
  return { iban: op?.iban ?? null, bin: op?.bin ?? null, accounts: op ? accountsOf(op) : [] };
}

export async function importPayments(db: Db, options: PaymentImportOptions): Promise<PaymentImportSummary> {
  const statement = await openStatement(options.file, { format: options.format, operator: operatorAccount(db), anyAccount: options.anyAccount });
  const limits = { today: options.date, daysBack: options.valueDateDaysBack, maxAmount: options.maxAmount ?? DEFAULT_MAX_AMOUNT };
  // The whole file is checked before the job takes its lock and journal row: a refused file
  // changes nothing, not even the journal.
  let scratch = new StatementScratch(db);
  const knownFrom: KnownFrom = new Map();
  try {
    const stamp = paymentsStamp(db);
    let checked = await validate(db, statement, scratch, limits);
    const result = await runJob(
      db,
      { job: 'payments-import', scope: `${statement.name} ${options.date}`, dryRun: options.dryRun, progress: options.progress },
      async (ctx) => {
        // Another import came in between the check and the lock: its payments are checked against too.
        if (paymentsStamp(db) !== stamp) {
          scratch.drop();
          scratch = new StatementScratch(db);
          checked = await validate(db, statement, scratch, limits);
        }
        ctx.progress.start(checked.rows, `payments ${statement.name}`);
        const lookup = accountLookup(db);
        knownFrom.clear();
        const reversals: number[] = [];
        const size = paymentBatchSize();
        let batch: StatementRow[] = [];
        const apply = () => {
          const rows = batch;
          batch = [];
          if (rows.length === 0) return;
          ctx.batch(() => applyRows(db, statement, scratch, rows, lookup, options.date, ctx.runId, knownFrom, reversals));
          ctx.progress.increment(rows.length);
        };
        for await (const item of statement.items()) {
          if (item.type === 'problem') throw new Error(`${statement.name} changed while it was imported (line ${item.problem.line ?? '?'})`);
          if (item.type !== 'row') continue;
          batch.push(item.row);
          if (batch.length >= size) apply();
        }
        apply();
        // A bank reversal whose reference names its payment is linked and reversed (docs/payments.md,
        // «Undoing a mistake») after every row of the file is posted: the payment may come after it.
        if (reversals.length > 0) {
          ctx.batch(() => {
            let linked = 0;
            for (const id of reversals) if (reverseAtImport(db, id, options.date, ctx.runId) !== null) linked++;
            return { reversals_linked: linked };
          });
        }
        // the statement's own totals, as checked, for the payments report beside what was taken in
        if (checked.totals.length > 0) ctx.batch(() => ({ sections: recordSections(db, ctx.runId, statement.name, statement.format, checked.totals) }));
      },
    );
    return { ...summaryOf(statement, result, checked.ignored, knownFrom), statementTotals: checked.totals };
  } finally {
    scratch.drop();
  }
}

function summaryOf(
  statement: Statement,
  result: { counts: Counts; dryRun: boolean; runId: number | null },
  ignored: number,
  knownFrom: KnownFrom,
): Omit<PaymentImportSummary, 'statementTotals'> {
  const c = result.counts;
  const n = (k: string) => c[k] ?? 0;
  return {
    file: statement.file,
    format: statement.format,
    encoding: statement.encoding,
    dryRun: result.dryRun,
    runId: result.runId,
    rows: n('rows'),
    rowsAmount: n('rows_tiyn'),
    applied: n('applied'),
    appliedAmount: n('applied_tiyn'),
    byAccount: n('by_account'),
    byPurpose: n('by_purpose'),
    byIin: n('by_iin'),
    suspense: n('suspense'),
    suspenseAmount: n('suspense_tiyn'),
    reversals: n('reversals'),
    reversalAmount: n('reversal_tiyn'),
    duplicates: n('duplicates'),
    duplicateAmount: n('duplicate_tiyn'),
    knownFrom: [...knownFrom.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, k]) => ({ file, rows: k.rows, amount: k.amount })),
    moneyIn: n('in_rows'),
    moneyInAmount: n('in_tiyn'),
    reversalRows: n('reversal_rows'),
    reversalRowsAmount: n('reversal_rows_tiyn'),
    ignored,
    restored: n('restored'),
  };
}

/**
 * The first pass: every row is read and checked, and its identity worked out into the scratch
 * tables. Any problem refuses the whole file (InputError): nothing has been written yet.
 */
async function validate(
  db: Db,
  statement: Statement,
  scratch: StatementScratch,
  limits: { today: IsoDate; daysBack: number | undefined; maxAmount: Tiyn },
): Promise<{ rows: number; ignored: number; totals: StatementTotals[] }> {
  const { today, daysBack, maxAmount } = limits;
  // Sums in tiyn must stay exact integers (2^53) wherever they are added up: the file's total is
  // checked here, before anything is written (the per-row cap keeps it far below in practice).
  let total = 0n;
  const earliest = daysBack === undefined ? undefined : windowAround(today, daysBack, 0).earliest;
  const problems: InputProblem[] = [];
  let problemCount = 0;
  const problem = (p: InputProblem) => {
    problemCount++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
  };
  let rows = 0;
  let ignored = 0;
  // what each section of the statement states of itself (the readers have checked the rows against it)
  const totals: StatementTotals[] = [];
  let pending: StatementRow[] = [];
  const flush = () => {
    const list = pending;
    pending = [];
    scratch.inBatch(() => {
      for (const row of list) {
        const base = identityBase(statement.format, statement.identity, row);
        const facts = factsOf(row);
        const earlier = scratch.earlier(base);
        if (statement.identity === 'hash') {
          scratch.record(row.line, base, facts, identityOf(base, (earlier?.n ?? 0) + 1));
          knownElsewhere(row);
          continue;
        }
        // bank_ref: one reference (of one bank) is one transaction; met again it must be the same one.
        if (earlier) {
          const differ = factsDiffer(earlier, facts);
          if (differ.length > 0) {
            problem({
              file: statement.name,
              line: row.line,
              field: 'bank_ref',
              message: `reference ${row.bankRef} is on line ${earlier.line} too, with another ${differ.join(', ')}: one transaction cannot be two`,
            });
          }
          scratch.record(row.line, base, facts, null);
          continue;
        }
        // a reversal imported before reversals had an identity of their own is known by its earlier one
        const earlierIdentity = earlierReversalIdentity(statement.format, statement.identity, row);
        const earlierReversal = earlierIdentity === null ? undefined : paymentByIdentity(db, earlierIdentity);
        const known = paymentByIdentity(db, base) ?? (earlierReversal?.status === 'reversal' || earlierReversal?.status === 'reversed' ? earlierReversal : undefined);
        const differ = known ? factsDiffer({ ...known, account: known.accountHint ?? undefined }, facts) : [];
        if (known && differ.length > 0) {
          const where = known.file === null ? '' : ` from ${known.file}${known.line === null ? '' : ` line ${known.line}`}`;
          problem({
            file: statement.name,
            line: row.line,
            field: 'bank_ref',
            message: `reference ${row.bankRef} was imported before${where} (payment ${known.id}, ${known.valueDate}, ${formatTenge(known.amount)}) with another ${differ.join(', ')}`,
          });
        }
        scratch.record(row.line, base, facts, base);
        if (known && known.identity !== base && differ.length === 0) scratch.knownFrom(row.line, known.file ?? `payment ${known.id}`);
        knownElsewhere(row);
      }
    });
  };
  // The same money through another format (the 1C export and the xlsx of one account and day) is
  // imported once: the n-th such row of this file is the n-th one known from the other format.
  const knownElsewhere = (row: StatementRow) => {
    const money = sameMoneyOf(row);
    if (money === null) return;
    const known = sameMoneyElsewhere(db, money, statement.format, scratch.sameMoneyCount(money));
    if (known) scratch.knownFrom(row.line, known.file ?? `payment ${known.id}`);
  };
  for await (const item of statement.items()) {
    if (item.type === 'problem') problem(item.problem);
    else if (item.type === 'ignored') ignored++;
    else if (item.type === 'totals') totals.push(item.totals);
    else {
      rows++;
      const tooLong = textTooLong(item.row);
      for (const [field, length] of tooLong) {
        problem({ file: statement.name, line: item.row.line, field, message: `is ${length} characters long, more than the ${MAX_TEXT} a payment keeps` });
      }
      const size = item.row.amount < 0 ? -item.row.amount : item.row.amount;
      if (size > maxAmount) {
        problem({
          file: statement.name,
          line: item.row.line,
          field: 'amount',
          message: `${formatTenge(item.row.amount)} is more than the largest payment accepted, ${formatTenge(maxAmount)} (the setting payments.max_amount of the configuration file)`,
        });
        continue;
      }
      total += BigInt(size);
      if (tooLong.length > 0) continue;
      if (item.row.valueDate > today) {
        problem({ file: statement.name, line: item.row.line, field: 'value_date', message: `${item.row.valueDate} is after today (${today}): a statement cannot hold tomorrow's money` });
        continue;
      }
      if (earliest !== undefined && outsideWindow(item.row.valueDate, { earliest, latest: today }) === 'before') {
        problem({
          file: statement.name,
          line: item.row.line,
          field: 'value_date',
          message: `${item.row.valueDate} is before ${earliest}, ${daysBack} days before today (${today}): not a date of this statement's money? (the window is the setting imports.value_date_days_back of the configuration file)`,
        });
        continue;
      }
      pending.push(item.row);
      if (pending.length >= SCRATCH_BATCH) flush();
    }
  }
  flush();
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
    problem({ file: statement.name, field: 'amount', message: `the rows add up to more than ${formatTenge(Number.MAX_SAFE_INTEGER)}, beyond what can be summed exactly` });
  }
  if (problemCount > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (problemCount > problems.length) {
      problems.push({ file: statement.name, message: `and ${problemCount - problems.length} more problems (${problemCount} in all)` });
    }
    throw new InputError(problems);
  }
  return { rows, ignored, totals };
}

/** What must agree when a bank reference is met twice; a new row always records its account column ('' when empty). */
function factsOf(row: StatementRow): TransactionFacts {
  return { valueDate: row.valueDate, amount: row.amount, account: row.account ?? '', payerIin: row.payerIin, payerName: row.payerName };
}

/** The text fields longer than MAX_TEXT characters, with their length. */
function textTooLong(row: StatementRow): [string, number][] {
  const out: [string, number][] = [];
  for (const [field, value] of [['payer_name', row.payerName], ['purpose', row.purpose], ['account', row.account]] as const) {
    const length = value === null ? 0 : value.length;
    if (length > MAX_TEXT) out.push([field, length]);
  }
  return out;
}

/** Rows already imported, by the file they came from first: what the summary names. */
export type KnownFrom = Map<string, { rows: number; amount: Tiyn }>;

function applyRows(
  db: Db,
  statement: Statement,
  scratch: StatementScratch,
  rows: readonly StatementRow[],
  lookup: ReturnType<typeof accountLookup>,
  today: IsoDate,
  runId: number | null,
  knownFrom: KnownFrom,
  reversals: number[],
): Counts {
  const counts: Counts = {};
  const add = (key: string, n: number) => {
    counts[key] = (counts[key] ?? 0) + n;
  };
  const known = (file: string, amount: Tiyn) => {
    add('duplicates', 1);
    add('duplicate_tiyn', amount);
    const k = knownFrom.get(file) ?? { rows: 0, amount: 0 };
    k.rows += 1;
    k.amount += amount;
    knownFrom.set(file, k);
  };
  const touched = new Set<string>();
  for (const row of rows) {
    add('rows', 1);
    add('rows_tiyn', row.amount);
    // money in and the bank's reversals apart: a reversal is never netted into what came in
    if (row.amount > 0) {
      add('in_rows', 1);
      add('in_tiyn', row.amount);
    } else {
      add('reversal_rows', 1);
      add('reversal_rows_tiyn', row.amount);
    }
    const identity = scratch.identityAt(row.line);
    if (identity === undefined) throw new Error(`${statement.name} changed while it was imported (line ${row.line})`);
    if (identity === null) {
      // a repeat of an earlier line of this file, or the same money imported from another statement
      known(scratch.knownFileOf(row.line) ?? statement.name, row.amount);
      continue;
    }
    const match = matchPayment(row, lookup);
    const status = row.amount < 0 ? 'reversal' : match.account !== null ? 'applied' : 'suspense';
    const id = insertPayment(db, {
      identity,
      format: statement.format,
      bankRef: row.bankRef,
      valueDate: row.valueDate,
      amount: row.amount,
      account: match.account,
      status,
      matchedBy: match.account !== null ? match.by : null,
      payerIin: row.payerIin,
      payerName: row.payerName,
      purpose: row.purpose,
      file: statement.name,
      line: row.line,
      suspenseReason: status === 'suspense' && match.account === null ? match.reason : null,
      accountHint: row.account ?? '',
      reasonAccounts: status === 'suspense' && match.account === null ? [...match.accounts] : [],
      statementAccount: row.statementAccount ?? null,
    });
    if (id === null) {
      const earlier = paymentByIdentity(db, identity);
      known(earlier?.file ?? statement.name, row.amount);
      // a rerun after a crash: a reversal committed before the link was made is linked now
      if (earlier?.status === 'reversal' && reversedBy(db, earlier.id) === null) reversals.push(earlier.id);
      continue;
    }
    if (status === 'reversal') {
      add('reversals', 1);
      add('reversal_tiyn', row.amount);
      // linked to the payment it takes back once the whole file is applied (the payment may come later in it)
      reversals.push(id);
    } else if (status === 'suspense') {
      add('suspense', 1);
      add('suspense_tiyn', row.amount);
    } else if (match.account !== null) {
      postPayment(db, { id, account: match.account, valueDate: row.valueDate, amount: row.amount, format: statement.format, bankRef: row.bankRef, payerName: row.payerName }, runId);
      touched.add(match.account);
      add('applied', 1);
      add('applied_tiyn', row.amount);
      add(`by_${match.by}`, 1);
    }
  }
  for (const account of [...touched].sort()) {
    if (restoreAfterPayment(db, account, today, runId) === 'restored') add('restored', 1);
  }
  return counts;
}

/** The payment's one ledger entry: kind payment, as of its value date, keyed by the payment's id. */
function postPayment(
  db: Db,
  p: { id: number; account: string; valueDate: IsoDate; amount: Tiyn; format: string; bankRef: string; payerName: string | null },
  runId: number | null,
): number {
  const memo = [`${p.format} ${p.bankRef}`.trim(), p.payerName].filter((s) => s !== null && s !== '').join(' · ');
  return postEntries(db, [
    { account: p.account, valueDate: p.valueDate, kind: 'payment', amount: p.amount, key: paymentKey(p.id), paymentId: p.id, runId, memo },
  ]);
}

/** Money of one day or one statement file in the register: what came in, what waits, what the bank reversed. */
export interface RegisterTotal {
  /** The value date, or the file's name. */
  key: string;
  payments: number;
  /** Money in (positive rows): applied and in suspense. */
  received: Tiyn;
  applied: Tiyn;
  suspense: Tiyn;
  /** Bank reversals (negative rows), never applied. */
  reversals: Tiyn;
}

export interface PaymentRegister {
  from: IsoDate;
  to: IsoDate;
  file: string | null;
  account: string | null;
  payments: PaymentRow[];
  byDay: RegisterTotal[];
  byFile: RegisterTotal[];
  total: RegisterTotal;
}

function totalsOf(key: string, rows: readonly PaymentRow[]): RegisterTotal {
  const of = (status: PaymentRow['status']) => sumTiyn(rows.filter((p) => p.status === status).map((p) => p.amount));
  const applied = of('applied');
  const suspense = of('suspense');
  return { key, payments: rows.length, received: sumTiyn([applied, suspense]), applied, suspense, reversals: of('reversal') };
}

function groupTotals(rows: readonly PaymentRow[], keyOf: (p: PaymentRow) => string): RegisterTotal[] {
  const groups = new Map<string, PaymentRow[]>();
  for (const p of rows) {
    const k = keyOf(p);
    const g = groups.get(k);
    if (g) g.push(p);
    else groups.set(k, [p]);
  }
  return [...groups.keys()].sort().map((k) => totalsOf(k, groups.get(k)!));
}

/** `payments list`: the register of payments with value dates from..to, with totals per day and per file. */
export function paymentRegister(db: Db, f: { from: IsoDate; to: IsoDate; file?: string | undefined; account?: string | undefined }): PaymentRegister {
  if (f.to < f.from) throw new InputError([{ field: '--to', message: `${f.to} is before --from ${f.from}` }]);
  if (f.account !== undefined && !accountLookup(db).exists(f.account)) throw new InputError([{ field: '--account', message: `no account "${f.account}"` }]);
  const payments = paymentsBetween(db, f);
  return {
    from: f.from,
    to: f.to,
    file: f.file ?? null,
    account: f.account ?? null,
    payments,
    byDay: groupTotals(payments, (p) => p.valueDate),
    byFile: groupTotals(payments, (p) => p.file ?? ''),
    total: totalsOf('total', payments),
  };
}

export function unmatchedPayments(db: Db): PaymentRow[] {
  return paymentsWithStatus(db, 'suspense');
}

export function reversalPayments(db: Db): PaymentRow[] {
  return unlinkedReversals(db);
}

function assignable(db: Db, id: number, account: string, today: IsoDate): PaymentRow {
  const p = findPayment(db, id);
  if (!p) throw new InputError([{ field: 'PAYMENT_ID', message: `no payment ${id}` }]);
  if (p.status === 'applied') throw new InputError([{ field: 'PAYMENT_ID', message: `payment ${id} is applied to account ${p.account ?? '?'} already; to put it on another account: esep payments move ${id} ACCOUNT` }]);
  if (p.status === 'reversed') throw new InputError([{ field: 'PAYMENT_ID', message: `payment ${id} was reversed by the bank: it is on no account` }]);
  if (p.status === 'reversal') throw new InputError([{ field: 'PAYMENT_ID', message: `payment ${id} is a bank reversal of ${formatTenge(p.amount)}: it is never applied to an account` }]);
  requireAccount(db, account);
  if (p.valueDate > today) throw new InputError([{ field: '--date', message: `${today} is before the payment's value date ${p.valueDate}` }]);
  return p;
}

export interface AssignResult {
  payment: PaymentRow;
  account: string;
  restored: boolean;
}

/** `esep payments assign`: a payment from suspense onto an account, as of its value date. */
export async function assignPayment(db: Db, id: number, account: string, today: IsoDate): Promise<AssignResult> {
  assignable(db, id, account, today);
  // returned to suspense by `payments unassign`: its first key is on the ledger already
  if (paymentMovesOf(db, id).length > 0) return assignAfterUnassign(db, id, account, today);
  let restored = false;
  await runJob(db, { job: 'payments-assign', scope: `${id} ${account}` }, (ctx) => {
    ctx.batch(() => {
      const p = assignable(db, id, account, today);
      markAssigned(db, id, account, nowIso());
      postPayment(db, { id, account, valueDate: p.valueDate, amount: p.amount, format: p.format, bankRef: p.bankRef, payerName: p.payerName }, ctx.runId);
      restored = restoreAfterPayment(db, account, today, ctx.runId) === 'restored';
      return { assigned: 1, assigned_tiyn: p.amount, restored: restored ? 1 : 0 };
    });
  });
  return { payment: findPayment(db, id)!, account, restored };
}
