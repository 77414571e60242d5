// A bank statement row as the rules see it, whatever file it came from, and the rules that turn a
// bank's cells into dates, amounts and an identity. Pure: no files, no database, no clock.
import { createHash } from 'node:crypto';
import { isIsoDate, parseFileDate, type IsoDate } from './dates.js';
import { formatTenge, MoneyError, parseTenge, type Tiyn } from './money.js';

/** One movement of money into the operator's account (amount > 0) or a bank reversal (amount < 0). */
export interface StatementRow {
  /** Line of the file (CSV, 1C) or row number of the sheet (xlsx) where the row is. */
  line: number;
  /** The bank's reference or document number ('' when the bank gives none). */
  bankRef: string;
  valueDate: IsoDate;
  amount: Tiyn;
  /** The personal account, when the file has a column for it (the generic CSV). */
  account: string | null;
  payerIin: string | null;
  payerName: string | null;
  payerAccount: string | null;
  purpose: string | null;
  /** The bank (its BIC) when the file names it (the generic CSV's optional `bank` column). */
  bank?: string | null;
  /**
   * The account the statement is of, into which the money came (normalised IBAN): the recipient
   * РасчСчет of a 1C document, the account in the metadata rows of a bank's xlsx; null for the
   * generic CSV. Not part of the identity.
   */
  statementAccount: string | null;
}

/** How a format identifies a bank transaction (see docs/payments.md, "Identity"). */
export type IdentityRule = 'bank_ref' | 'hash';

/** A time of day after a value date: `10:15`, `10:15:30`, `T10:15:30.000+05:00`. */
const TIME_OF_DAY = /(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/;

/**
 * A value date as banks write it: `2026-11-15`, `15.11.2026` (the file-date parser of dates.ts),
 * either with a time of day (which is dropped: the value date is the bank's calendar day).
 * Anything else is refused, never guessed.
 */
export function readStatementDate(text: string): IsoDate | undefined {
  return parseFileDate(text.trim().replace(TIME_OF_DAY, ''));
}

/**
 * A spreadsheet date cell: spreadsheet readers hand the wall-clock date and time as if it were UTC,
 * so the calendar day is read from the UTC fields.
 */
export function dateOfCell(value: Date): IsoDate | undefined {
  if (Number.isNaN(value.getTime())) return undefined;
  const iso = `${String(value.getUTCFullYear()).padStart(4, '0')}-${String(value.getUTCMonth() + 1).padStart(2, '0')}-${String(value.getUTCDate()).padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : undefined;
}

/**
 * An amount cell: text as people write tenge ("2 500,50", "-5000.00", "5 000,00 KZT") or a number
 * from a spreadsheet. A number is read through its shortest decimal form (2500.5 → "2500.5"), so a
 * cell that holds more than two decimals is refused rather than rounded.
 */
export function readStatementAmount(value: string | number): Tiyn {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyError(`not an amount: ${value}`);
    return parseTenge(String(value));
  }
  return parseTenge(value.replace(/\u2212/g, '-'));
}

/** A payer IIN/BIN: 12 digits (spaces dropped); '' is none; anything else is not an IIN. */
export function readPayerIin(text: string): string | null | undefined {
  const s = text.replace(/\s/g, '');
  if (s === '') return null;
  return /^\d{12}$/.test(s) ? s : undefined;
}

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u001f'), 'utf8').digest('hex').slice(0, 32);
}

/**
 * The identity of a bank transaction before repeats within one file are told apart.
 * - `bank_ref`: the bank's reference is unique (the generic CSV): `{format}:{bank_ref}`.
 * - `hash`: the bank gives only a document number, which the payer chooses and which repeats:
 *   `{format}:` + SHA-256 of value date, document number, amount, payer IIN, payer account, payer
 *   name and purpose. Two identical rows in one file are two transactions: the second gets `#2`
 *   (see `identityOf`).
 */
export function identityBase(format: string, rule: IdentityRule, row: StatementRow): string {
  // A reference is unique within its bank only: with the bank named, `{format}:{bank}:{bank_ref}`
  // (without it, as before: `{format}:{bank_ref}`, the identities of payments already imported).
  // A bank's storno may carry the reference of the payment it takes back (SPEC section 5: a
  // reversal names its payment by the same reference): the negative row under a reference is
  // another transaction than the payment under it, `…:reversal`.
  if (rule === 'bank_ref') return row.amount < 0 ? `${referenceIdentity(format, row)}:reversal` : referenceIdentity(format, row);
  return `${format}:${hash([
    row.valueDate,
    row.bankRef,
    String(row.amount),
    row.payerIin ?? '',
    row.payerAccount ?? '',
    (row.payerName ?? '').trim().toLowerCase(),
    (row.purpose ?? '').trim(),
  ])}`;
}

function referenceIdentity(format: string, row: StatementRow): string {
  return row.bank ? `${format}:${row.bank}:${row.bankRef}` : `${format}:${row.bankRef}`;
}

/**
 * The identity a bank reversal under the `bank_ref` rule had before reversals got one of their own
 * (`{format}:{bank_ref}`, as it was imported then): a statement imported again must not bring it a
 * second time. Null for a payment and under the `hash` rule (their identities never changed).
 */
export function earlierReversalIdentity(format: string, rule: IdentityRule, row: StatementRow): string | null {
  return rule === 'bank_ref' && row.amount < 0 ? referenceIdentity(format, row) : null;
}

/** The n-th identical row of a file (n from 1) under the `hash` rule. */
export function identityOf(base: string, occurrence: number): string {
  return occurrence <= 1 ? base : `${base}#${occurrence}`;
}

/**
 * What must agree when one bank reference is met twice (one transaction): the day, the amount, the
 * account column, the payer's IIN and name. `account` undefined: not recorded (a payment imported
 * before migration 0015), not compared.
 */
export interface TransactionFacts {
  valueDate: IsoDate;
  amount: Tiyn;
  account: string | null | undefined;
  payerIin: string | null;
  payerName: string | null;
}

const FACT_NAMES = { valueDate: 'value date', amount: 'amount', account: 'account', payerIin: 'payer IIN', payerName: 'payer name' } as const;

/** The facts (by their names for people) in which two rows with one bank reference differ; [] when the same transaction. */
export function factsDiffer(a: TransactionFacts, b: TransactionFacts): string[] {
  const text = (v: string | null | undefined) => (v ?? '').trim();
  const out: string[] = [];
  if (a.valueDate !== b.valueDate) out.push(FACT_NAMES.valueDate);
  if (a.amount !== b.amount) out.push(FACT_NAMES.amount);
  if (a.account !== undefined && b.account !== undefined && text(a.account) !== text(b.account)) out.push(FACT_NAMES.account);
  if (text(a.payerIin) !== text(b.payerIin)) out.push(FACT_NAMES.payerIin);
  if (text(a.payerName).toLowerCase() !== text(b.payerName).toLowerCase()) out.push(FACT_NAMES.payerName);
  return out;
}

/** A column-numbers row under a header: 1, 2, 3, … in its non-empty cells. */
export function isColumnNumbersRow(cells: readonly string[]): boolean {
  const filled = cells.map((c) => c.trim()).filter((c) => c !== '');
  if (filled.length < 3) return false;
  return filled.every((c, i) => c === String(i + 1));
}

/** Text for comparing header labels: lower case, ё as е, one space, no trailing colon or star. */
export function normaliseLabel(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/[\s:*]+$/u, '')
    .trim();
}

/**
 * What a statement states about one of its sections (a 1C СекцияРасчСчет, the sheet of a bank's
 * xlsx), beside what its rows add up to. Stated totals are null where the statement gives none.
 */
export interface StatementTotals {
  /** For people: "СекцияРасчСчет KZ… 20.11.2026", "the sheet Выписка". */
  section: string;
  line: number;
  /** The account the section is of (normalised IBAN), when the statement names it. */
  account: string | null;
  from: IsoDate | null;
  to: IsoDate | null;
  opening: Tiyn | null;
  statedIn: Tiyn | null;
  statedOut: Tiyn | null;
  closing: Tiyn | null;
  /** Every movement of the account read from the section's rows: money in (reversals negative), and out. */
  readIn: Tiyn;
  readOut: Tiyn;
}

/** Which stated total a problem is about. */
export type StatedTotal = 'in' | 'out' | 'closing';

/** How the statement itself calls its totals, for the messages ("ВсегоПоступило", "«Итого обороты», credit"). */
export type TotalsLabels = Record<'opening' | StatedTotal, string>;

export const PLAIN_TOTALS_LABELS: TotalsLabels = { opening: 'opening balance', in: 'money in', out: 'money out', closing: 'closing balance' };

export interface TotalsProblem {
  total: StatedTotal;
  message: string;
}

function difference(read: Tiyn, stated: Tiyn): string {
  const d = read - stated;
  return d < 0 ? `${formatTenge(-d, { symbol: false })} missing` : `${formatTenge(d, { symbol: false })} more than stated`;
}

/**
 * Where a section does not add up: the rows read must sum to the money in and out it states, and
 * opening + in − out must be its closing balance (with the rows' sums where it states no in or
 * out). A total it does not state is not checked. [] when it adds up.
 */
export function totalsProblems(t: StatementTotals, labels: TotalsLabels = PLAIN_TOTALS_LABELS): TotalsProblem[] {
  const out: TotalsProblem[] = [];
  const tenge = (v: Tiyn) => formatTenge(v, { symbol: false });
  if (t.statedIn !== null && t.statedIn !== t.readIn) {
    out.push({
      total: 'in',
      message: `${t.section}: rows read: money in ${tenge(t.readIn)}, the statement's ${labels.in} ${tenge(t.statedIn)}: ${difference(t.readIn, t.statedIn)}`,
    });
  }
  if (t.statedOut !== null && t.statedOut !== t.readOut) {
    out.push({
      total: 'out',
      message: `${t.section}: rows read: money out ${tenge(t.readOut)}, the statement's ${labels.out} ${tenge(t.statedOut)}: ${difference(t.readOut, t.statedOut)}`,
    });
  }
  if (t.opening !== null && t.closing !== null) {
    const inn = t.statedIn ?? t.readIn;
    const outgoing = t.statedOut ?? t.readOut;
    const expected = t.opening + inn - outgoing;
    if (expected !== t.closing) {
      const inWord = t.statedIn === null ? `money in read ${tenge(inn)}` : `${labels.in} ${tenge(inn)}`;
      const outWord = t.statedOut === null ? `money out read ${tenge(outgoing)}` : `${labels.out} ${tenge(outgoing)}`;
      out.push({
        total: 'closing',
        message: `${t.section}: ${labels.opening} ${tenge(t.opening)} + ${inWord} − ${outWord} = ${tenge(expected)}, the statement's ${labels.closing} ${tenge(t.closing)}: ${tenge(Math.abs(expected - t.closing))} apart`,
      });
    }
  }
  return out;
}

/**
 * Two sections of one account in a row (Halyk's one per day): the later must open with what the
 * earlier closed with, or money moved between them that no section holds. Null when they chain,
 * or when either does not state its balance.
 */
export function chainProblem(earlier: StatementTotals, later: StatementTotals, labels: Pick<TotalsLabels, 'opening' | 'closing'> = PLAIN_TOTALS_LABELS): string | null {
  if (earlier.closing === null || later.opening === null || earlier.closing === later.opening) return null;
  const tenge = (v: Tiyn) => formatTenge(v, { symbol: false });
  return `${later.section}: ${labels.opening} ${tenge(later.opening)}, the section before it (${earlier.section}) closed with ${labels.closing} ${tenge(earlier.closing)}: ${tenge(Math.abs(later.opening - earlier.closing))} apart`;
}

/**
 * The same money through two formats (SPEC section 5: the 1C export and the xlsx of the same account
 * and day): the operator's account it came into, its value date, its amount and the document
 * number. Null when the row does not carry both the account and a document number: then only its
 * identity within its format tells it apart.
 */
export interface SameMoney {
  statementAccount: string;
  valueDate: IsoDate;
  amount: Tiyn;
  bankRef: string;
}

export function sameMoneyOf(row: StatementRow): SameMoney | null {
  const ref = row.bankRef.trim();
  if (row.statementAccount === null || row.statementAccount === '' || ref === '') return null;
  return { statementAccount: row.statementAccount, valueDate: row.valueDate, amount: row.amount, bankRef: ref };
}

/**
 * Whether a party of a movement (its account, its IIN/BIN) is the operator: the account is one of
 * the operator's (the statement's own among them), or the IIN/BIN is the operator's BIN. Money from
 * the operator is a transfer between its own accounts, never a subscriber's payment.
 */
export function isOperatorParty(account: string | null, iin: string | null | undefined, own: ReadonlySet<string>, operatorBin: string | null): boolean {
  return (account !== null && account !== '' && own.has(account)) || (!!operatorBin && !!iin && iin === operatorBin);
}
