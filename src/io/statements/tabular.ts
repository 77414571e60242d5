// Reads a bank's tabular statement (xlsx or CSV) by its column profile: metadata rows (the account
// the statement is of, an opening balance), then a header (one row, or a group row over
// sub-columns), maybe a row of column numbers, then data rows among which the statement's own
// totals and balances are read (and other total rows skipped). The rows' movements are summed and
// checked against those totals at the end. One pass, row by row: memory does not grow with the file.
import { InputError, type InputProblem } from '../../domain/errors.js';
import { MoneyError, sumTiyn, type Tiyn } from '../../domain/money.js';
import {
  dateOfCell,
  isOperatorParty,
  isColumnNumbersRow,
  normaliseLabel,
  readPayerIin,
  readStatementAmount,
  readStatementDate,
  totalsProblems,
  type StatedTotal,
  type StatementRow,
  type StatementTotals,
} from '../../domain/statement.js';
import { compiled, type BankProfile, type Field } from './profile.js';
import type { CellRow, OperatorAccount, StatementItem } from './types.js';

/** A cell as a plain value: rich text, formulas and hyperlinks are read for what they show. */
export function cellValue(v: unknown): string | number | Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellValue(o.result);
    // a formula whose value the file does not hold (written by a program, never opened in Excel): no value to read
    if (isFormulaWithoutValue(v)) return null;
    if ('text' in o) return cellValue(o.text);
    if (o.error !== undefined) return String(o.error);
  }
  return String(v);
}

/** An xlsx formula cell with no cached value: `{ formula: 'B2*2' }` or `{ sharedFormula: 'C2' }` and no result. */
export function isFormulaWithoutValue(v: unknown): v is { formula?: string; sharedFormula?: string } {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { formula?: unknown; sharedFormula?: unknown; result?: unknown };
  return (typeof o.formula === 'string' || typeof o.sharedFormula === 'string') && (o.result === undefined || o.result === null);
}

/** A spreadsheet column's letters from its index (0 = A, 26 = AA). */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export function cellText(v: unknown): string {
  const value = cellValue(v);
  if (value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return String(value).trim();
}

const IBAN_IN_TEXT = /KZ\d{2}[0-9A-Z]{16}/g;

export function normaliseIban(text: string): string {
  return text.replace(/\s/g, '').toUpperCase();
}

/**
 * Labels of a two-row header: a group cell («Плательщик») heads the sub-columns under it up to
 * the next group cell (merged cells keep their text in the first cell only); a column with no
 * sub-label (merged down both rows) is labelled by its group row alone.
 */
export function composeLabels(group: readonly string[], sub: readonly string[]): string[] {
  const width = Math.max(group.length, sub.length);
  const out: string[] = [];
  let carried = '';
  for (let i = 0; i < width; i++) {
    const g = normaliseLabel(group[i] ?? '');
    const s = normaliseLabel(sub[i] ?? '');
    if (g !== '') carried = g;
    if (s === '') {
      out.push(g);
      if (g === '') carried = '';
    } else out.push(carried !== '' ? `${carried} / ${s}` : s);
  }
  return out;
}

export interface HeaderMatch {
  columns: Map<Field, number>;
  labels: string[];
  missing: Field[];
}

/** Finds each field's column by the profile's patterns (first pattern that matches any column wins). */
export function matchColumns(labels: readonly string[], profile: BankProfile): HeaderMatch {
  const columns = new Map<Field, number>();
  for (const [field, patterns] of Object.entries(profile.columns) as [Field, string[]][]) {
    for (const re of compiled(patterns)) {
      const index = labels.findIndex((label, i) => label !== '' && re.test(label) && ![...columns.values()].includes(i));
      if (index >= 0) {
        columns.set(field, index);
        break;
      }
    }
  }
  const missing = profile.required.filter((f) => !columns.has(f));
  return { columns, labels: [...labels], missing };
}

export interface TabularContext {
  name: string;
  operator: OperatorAccount;
  /** Import a statement of an account that is not the operator's (--any-account). */
  anyAccount?: boolean | undefined;
  /** What the file is, for the totals' messages: "the sheet", "the file". */
  container?: string;
}

/** The refusal of a statement of an account that is not one of the operator's. */
export function foreignAccountMessage(iban: string, operator: OperatorAccount): string {
  const theirs = operator.accounts.length === 0 ? 'no operator is imported (esep import operator)' : `the operator's accounts are ${operator.accounts.join(', ')}`;
  return `the statement is of account ${iban}, which is not one of the operator's accounts (${theirs}): another company's statement? --any-account imports it anyway`;
}

/** The refusal of a bank statement that does not say which account it is of. */
export const NO_ACCOUNT_MESSAGE = "the statement names no account of its own, so whose it is cannot be checked: --any-account imports it anyway";

/** An amount read from a cell, or undefined when the cell holds none. */
function amountIn(cell: unknown): Tiyn | undefined {
  const v = cellValue(cell);
  if (v === null || v === '' || v instanceof Date) return undefined;
  try {
    return readStatementAmount(v);
  } catch {
    return undefined;
  }
}

/** The first DD.MM.YYYY (or YYYY-MM-DD) and the last in a text: a statement's period. */
function periodIn(text: string): { from: string; to: string } | undefined {
  const dates = [...text.matchAll(/\d{2}\.\d{2}\.\d{4}|\d{4}-\d{2}-\d{2}/g)].map((m) => readStatementDate(m[0])).filter((d): d is string => d !== undefined);
  return dates.length === 0 ? undefined : { from: dates[0]!, to: dates[dates.length - 1]! };
}

interface Stated {
  amount: Tiyn;
  line: number;
  /** The statement's own words for it: «Итого обороты» (credit). */
  label: string;
}

function isZeroOrEmpty(text: string): boolean {
  if (text === '') return true;
  try {
    return readStatementAmount(text) === 0;
  } catch {
    return false;
  }
}

/** The statement's rows by the profile, with every problem named by line and field. */
export async function* tabularItems(rows: AsyncIterable<CellRow>, profile: BankProfile, ctx: TabularContext): AsyncGenerator<StatementItem> {
  const skip = compiled(profile.skipRows);
  const searchLimit = profile.headerSearchRows + profile.headerRows - 1;
  let header: HeaderMatch | undefined;
  let best: (HeaderMatch & { line: number }) | undefined;
  let previous: string[] | undefined;
  let seen = 0;
  let firstDataRow = true;
  const own = new Set<string>(ctx.operator.accounts.map(normaliseIban));
  if (ctx.operator.iban) own.add(normaliseIban(ctx.operator.iban));
  // The accounts the rows above the header name (the account the statement is of), with their line.
  const named = new Map<string, number>();
  let statementAccount: string | null = null;
  const totalsRe = profile.totals && {
    opening: compiled(profile.totals.opening),
    closing: compiled(profile.totals.closing),
    in: compiled(profile.totals.in),
    out: compiled(profile.totals.out),
    turnover: compiled(profile.totals.turnover),
    period: compiled(profile.totals.period),
  };
  const stated: Partial<Record<'opening' | StatedTotal, Stated>> = {};
  let period: { from: string; to: string } | undefined;
  let readIn: Tiyn = 0;
  let readOut: Tiyn = 0;
  let headerLine = 0;

  /** A row of the statement's own totals (a balance, in, out, or the turnover row): read into `stated`. */
  const statedRow = (row: CellRow, texts: readonly string[]): StatementItem[] | undefined => {
    if (!totalsRe) return undefined;
    const at = texts.findIndex((t) => t !== '');
    if (at < 0) return undefined;
    const written = texts[at]!;
    const label = normaliseLabel(written);
    if (!header && totalsRe.period.some((re) => re.test(label))) {
      period = periodIn(texts.slice(at).join(' ')) ?? period;
      return [];
    }
    const problem = (message: string): StatementItem[] => [{ type: 'problem', problem: { file: ctx.name, line: row.line, field: `«${written}»`, message } }];
    for (const kind of ['opening', 'closing', 'in', 'out'] as const) {
      if (!totalsRe[kind].some((re) => re.test(label))) continue;
      // the amount: the first cell after the label that holds one, else the label's text after its colon
      let amount: Tiyn | undefined;
      for (let i = at + 1; i < row.cells.length && amount === undefined; i++) amount = amountIn(row.cells[i]);
      if (amount === undefined && written.includes(':')) amount = amountIn(written.slice(written.indexOf(':') + 1).trim());
      if (amount === undefined) return problem('a total or balance row with no amount');
      stated[kind] = { amount, line: row.line, label: `«${written}»` };
      // above the header a metadata row, below it a row of the table counted as not money in
      return header ? [{ type: 'ignored', line: row.line, reason: `total or balance row «${written}»` }] : [];
    }
    if (header && totalsRe.turnover.some((re) => re.test(label))) {
      const debitAt = header.columns.get('debit');
      const creditAt = header.columns.get('credit');
      const debitText = debitAt === undefined ? '' : (texts[debitAt] ?? '');
      const creditText = creditAt === undefined ? '' : (texts[creditAt] ?? '');
      const debit = debitText === '' ? 0 : amountIn(row.cells[debitAt!]);
      const credit = creditText === '' ? 0 : amountIn(row.cells[creditAt!]);
      if (debit === undefined || credit === undefined) return problem(`"${debit === undefined ? debitText : creditText}" is not an amount`);
      stated.in = { amount: credit, line: row.line, label: `«${written}», credit` };
      stated.out = { amount: debit, line: row.line, label: `«${written}», debit` };
      return [{ type: 'ignored', line: row.line, reason: `total or balance row «${written}»` }];
    }
    return undefined;
  };

  for await (const row of rows) {
    const texts = row.cells.map(cellText);
    if (!header) {
      seen++;
      for (const t of texts) {
        for (const m of t.toUpperCase().replace(/\s/g, '').matchAll(IBAN_IN_TEXT)) {
          own.add(m[0]);
          if (!named.has(m[0])) named.set(m[0], row.line);
        }
      }
      const labels = profile.headerRows === 1 ? texts.map(normaliseLabel) : previous ? composeLabels(previous, texts) : undefined;
      previous = texts;
      if (labels) {
        const m = matchColumns(labels, profile);
        if (m.missing.length === 0) {
          header = m;
          headerLine = row.line;
          statementAccount = named.keys().next().value ?? null;
          if (profile.ownAccount === 'metadata' && !ctx.anyAccount) {
            if (named.size === 0) throw new InputError([{ file: ctx.name, line: row.line, message: NO_ACCOUNT_MESSAGE }]);
            const operatorAccounts = new Set(ctx.operator.accounts.map(normaliseIban));
            for (const [iban, line] of named) {
              if (!operatorAccounts.has(iban)) throw new InputError([{ file: ctx.name, line, field: 'account', message: foreignAccountMessage(iban, ctx.operator) }]);
            }
          }
          if (profile.incoming === 'recipient' && own.size === 0 && !ctx.operator.bin) {
            throw new InputError([{ file: ctx.name, line: row.line, message: 'cannot tell money in from money out: the statement names no account and no operator is imported (esep import operator)' }]);
          }
          continue;
        }
        if (!best || m.missing.length < best.missing.length) best = { ...m, line: row.line };
      }
      const balance = statedRow(row, texts);
      if (balance) yield* balance;
      if (seen >= searchLimit) break;
      continue;
    }
    if (texts.every((t) => t === '')) continue;
    if (firstDataRow) {
      firstDataRow = false;
      if (isColumnNumbersRow(texts)) continue;
    }
    const total = statedRow(row, texts);
    if (total) {
      yield* total;
      continue;
    }
    const first = normaliseLabel(texts.find((t) => t !== '') ?? '');
    if (skip.some((re) => re.test(first))) {
      yield { type: 'ignored', line: row.line, reason: `total or balance row «${texts.find((t) => t !== '')}»` };
      continue;
    }
    if (profile.strictColumns && row.cells.length !== header.labels.length) {
      yield { type: 'problem', problem: { file: ctx.name, line: row.line, message: `${row.cells.length} fields where the header has ${header.labels.length}` } };
      continue;
    }
    const formulas = [...header.columns.entries()].filter(([, i]) => isFormulaWithoutValue(row.cells[i])).sort((a, b) => a[1] - b[1]);
    if (formulas.length > 0) {
      for (const [field, i] of formulas) {
        const f = row.cells[i] as { formula?: string; sharedFormula?: string };
        const cell = `${columnLetters(i)}${row.line}`;
        yield {
          type: 'problem',
          problem: {
            file: ctx.name,
            line: row.line,
            field,
            message: `cell ${cell} is a formula (=${f.formula ?? f.sharedFormula ?? ''}) with no value saved in the file: open it in Excel and save it again, or paste the values`,
          },
        };
      }
      continue;
    }
    const moved = movementOf(row, texts, header, profile, ctx, own, statementAccount);
    readIn = sumTiyn([readIn, moved.in]);
    readOut = sumTiyn([readOut, moved.out]);
    yield* parseRow(row, texts, header, profile, ctx, own, statementAccount);
  }
  // a statement that states none of its totals (the generic CSV never does) has no section to tell
  if (header && Object.keys(stated).length > 0) {
    const where = ctx.container ?? 'the statement';
    const totals: StatementTotals = {
      section: statementAccount ? `${where} of ${statementAccount}` : where,
      line: headerLine,
      account: statementAccount,
      from: period?.from ?? null,
      to: period?.to ?? null,
      opening: stated.opening?.amount ?? null,
      statedIn: stated.in?.amount ?? null,
      statedOut: stated.out?.amount ?? null,
      closing: stated.closing?.amount ?? null,
      readIn,
      readOut,
    };
    const labels = {
      opening: stated.opening?.label ?? 'opening balance',
      in: stated.in?.label ?? 'money in',
      out: stated.out?.label ?? 'money out',
      closing: stated.closing?.label ?? 'closing balance',
    };
    for (const p of totalsProblems(totals, labels)) {
      const at = stated[p.total];
      yield { type: 'problem', problem: { file: ctx.name, line: at?.line ?? headerLine, field: at?.label ?? p.total, message: p.message } };
    }
    yield { type: 'totals', totals };
  }
  if (!header) {
    const where = best ? `closest is line ${best.line}, which lacks ${best.missing.join(', ')}` : 'no header row';
    throw new InputError([
      {
        file: ctx.name,
        line: best?.line,
        field: best?.missing.join(', '),
        message: `not a ${profile.title}: no header row with the columns ${profile.required.join(', ')} in the first ${searchLimit} rows (${where})`,
      },
    ]);
  }
}

/**
 * What a data row moves on the statement's account, for its totals: the credit and the debit
 * column; or the amount as money in when it goes to the operator (and not from the statement's own
 * account), else as money out; or (the generic CSV) every amount as money in. An unreadable amount
 * moves nothing here (the row is refused on its own).
 */
function movementOf(
  row: CellRow,
  texts: readonly string[],
  header: HeaderMatch,
  profile: BankProfile,
  ctx: TabularContext,
  own: ReadonlySet<string>,
  statementAccount: string | null,
): { in: Tiyn; out: Tiyn } {
  const amount = (f: Field) => {
    const i = header.columns.get(f);
    return (i === undefined ? undefined : amountIn(row.cells[i])) ?? 0;
  };
  const text = (f: Field) => {
    const i = header.columns.get(f);
    return i === undefined ? '' : (texts[i] ?? '');
  };
  if (profile.incoming === 'credit') return { in: amount('credit'), out: amount('debit') };
  if (profile.incoming === 'recipient') {
    const a = amount('amount');
    const recipient = normaliseIban(text('recipient_account'));
    const toOperator = isOperatorParty(recipient, readPayerIin(text('recipient_iin')), own, ctx.operator.bin);
    const fromStatementAccount = statementAccount !== null && normaliseIban(text('payer_account')) === statementAccount;
    return toOperator && !fromStatementAccount ? { in: a, out: 0 } : { in: 0, out: a };
  }
  return { in: amount('amount'), out: 0 };
}

function parseRow(
  row: CellRow,
  texts: readonly string[],
  header: HeaderMatch,
  profile: BankProfile,
  ctx: TabularContext,
  own: ReadonlySet<string>,
  statementAccount: string | null,
): StatementItem[] {
  const problems: InputProblem[] = [];
  const col = (f: Field) => header.columns.get(f);
  const raw = (f: Field) => {
    const i = col(f);
    return i === undefined ? null : cellValue(row.cells[i]);
  };
  const text = (f: Field) => {
    const i = col(f);
    return i === undefined ? '' : (texts[i] ?? '');
  };
  const fieldName = (f: Field) => {
    const i = col(f);
    const label = i === undefined ? '' : (header.labels[i] ?? '');
    return label === '' || label === f ? f : `${f} («${label}»)`;
  };
  const problem = (f: Field, message: string) => problems.push({ file: ctx.name, line: row.line, field: fieldName(f), message });

  let valueDate: string | undefined;
  const dateCell = raw('value_date');
  if (dateCell instanceof Date) valueDate = dateOfCell(dateCell);
  else if (typeof dateCell === 'string') valueDate = readStatementDate(dateCell);
  if (valueDate === undefined) problem('value_date', dateCell === null || dateCell === '' ? 'is empty' : `"${text('value_date')}" is not a date (YYYY-MM-DD or DD.MM.YYYY)`);

  const amountOf = (f: Field): Tiyn | undefined => {
    const cell = raw(f);
    if (cell === null || cell === '') {
      problem(f, 'is empty');
      return undefined;
    }
    if (cell instanceof Date) {
      problem(f, 'is a date, not an amount');
      return undefined;
    }
    try {
      return readStatementAmount(cell);
    } catch (error) {
      if (error instanceof MoneyError) {
        problem(f, error.message);
        return undefined;
      }
      throw error;
    }
  };

  const payerIin = readPayerIin(text('payer_iin'));
  const payerAccount = normaliseIban(text('payer_account'));
  // Money between the operator's own accounts is no subscriber's payment.
  const fromOperator = () => isOperatorParty(payerAccount, payerIin, own, ctx.operator.bin);
  const ownTransfer: StatementItem = { type: 'ignored', line: row.line, reason: "a transfer between the operator's own accounts" };

  let amount: Tiyn | undefined;
  if (profile.incoming === 'credit') {
    if (isZeroOrEmpty(text('credit'))) {
      if (!isZeroOrEmpty(text('debit'))) {
        amountOf('debit');
        if (problems.length === 0) return [{ type: 'ignored', line: row.line, reason: 'money out (debit)' }];
      } else problem('credit', 'no amount in the credit or the debit column');
    } else {
      if (fromOperator()) return [ownTransfer];
      amount = amountOf('credit');
    }
  } else if (profile.incoming === 'recipient') {
    const recipient = normaliseIban(text('recipient_account'));
    const toOperator = isOperatorParty(recipient, readPayerIin(text('recipient_iin')), own, ctx.operator.bin);
    if (!toOperator) {
      if (problems.length === 0) return [{ type: 'ignored', line: row.line, reason: 'money out (the recipient is not the operator)' }];
    } else {
      if (fromOperator()) return [ownTransfer];
      amount = amountOf('amount');
    }
  } else {
    amount = amountOf('amount');
  }
  if (amount === 0) problem(profile.incoming === 'credit' ? 'credit' : 'amount', 'is zero');

  if (profile.currencies && col('currency') !== undefined) {
    const currency = normaliseLabel(text('currency'));
    if (currency !== '' && !profile.currencies.includes(currency)) problem('currency', `"${text('currency')}": only payments in tenge can be applied`);
  }
  if (payerIin === undefined) problem('payer_iin', `"${text('payer_iin')}" is not an IIN or BIN (12 digits)`);
  if (text('bank').length > 20) problem('bank', 'is longer than 20 characters (a bank code, e.g. its BIC HSBKKZKX)');
  const bankRef = text('bank_ref');
  if (profile.identity === 'bank_ref' && bankRef === '') problem('bank_ref', 'is empty');
  else if (bankRef.length > 100) problem('bank_ref', 'is longer than 100 characters');

  if (problems.length > 0 || valueDate === undefined || amount === undefined || payerIin === undefined) {
    return problems.map((p) => ({ type: 'problem', problem: p }));
  }
  const optional = (f: Field) => (text(f) === '' ? null : text(f));
  const statementRow: StatementRow = {
    line: row.line,
    bankRef,
    valueDate,
    amount,
    account: optional('account'),
    payerIin,
    payerName: optional('payer_name'),
    payerAccount: payerAccount === '' ? null : payerAccount,
    purpose: optional('purpose'),
    statementAccount,
  };
  // The bank's code, so that two banks' references are two identities (upper case: BICs are written either way).
  if (col('bank') !== undefined) statementRow.bank = text('bank') === '' ? null : text('bank').toUpperCase();
  return [{ type: 'row', row: statementRow }];
}
