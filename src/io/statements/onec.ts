// The 1C «ClientBankExchange» text format (the bank-client → 1C direction): a header of key=value
// lines, account sections (СекцияРасчСчет … КонецРасчСчет: the account, its days and its own
// totals; Halyk writes one per day) and one block per payment document (СекцияДокумент=… …
// КонецДокумента), ending with КонецФайла. Keys are read in any letter case (Halyk writes
// НАЧАЛЬНЫЙОСТАТОК). Windows-1251 as a rule (Кодировка=Windows), also UTF-8, or cp866 when
// Кодировка=DOS. Money in is a document whose recipient account is one of the operator's (and
// whose payer is not). Every document is also summed into the section of its account and day, and
// each section's totals are checked against the sums at the end; the sums are kept per account
// and day, never per document, so memory does not grow with the file.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import iconv from 'iconv-lite';
import type { InputProblem } from '../../domain/errors.js';
import { InputError } from '../../domain/errors.js';
import { MoneyError, sumTiyn, type Tiyn } from '../../domain/money.js';
import {
  chainProblem,
  isOperatorParty,
  readPayerIin,
  readStatementAmount,
  readStatementDate,
  totalsProblems,
  type StatementRow,
  type StatementTotals,
} from '../../domain/statement.js';
import { foreignAccountMessage, NO_ACCOUNT_MESSAGE, normaliseIban } from './tabular.js';
import type { OperatorAccount, StatementItem } from './types.js';

export const ONEC_SIGNATURE = '1CClientBankExchange';

export type OnecEncoding = 'utf-8' | 'windows-1251' | 'cp866';

/** Field by key in lower case, with the key as written and the line it is on. */
type Doc = Map<string, { value: string; line: number; key: string }>;

function first(doc: Doc, ...keys: string[]): { value: string; line: number; key: string } | undefined {
  for (const k of keys) {
    const v = doc.get(k.toLowerCase());
    if (v && v.value.trim() !== '') return { value: v.value.trim(), line: v.line, key: v.key };
  }
  return undefined;
}

const RECIPIENT_ACCOUNT = ['ПолучательСчет', 'ПолучательИИК', 'ПолучательРасчСчет'];
const PAYER_ACCOUNT = ['ПлательщикСчет', 'ПлательщикИИК', 'ПлательщикРасчСчет'];

/** The day a document moved the account: ДатаПоступило (in) or ДатаСписано (out), else Дата. */
function bookingDay(doc: Doc, side: 'in' | 'out'): string | null {
  const f = first(doc, side === 'in' ? 'ДатаПоступило' : 'ДатаСписано', 'Дата');
  return (f && readStatementDate(f.value)) ?? null;
}

/** A document's amount, or undefined when it has none that reads (the document is refused on its own). */
function amountOf(doc: Doc): Tiyn | undefined {
  const f = first(doc, 'Сумма');
  if (!f) return undefined;
  try {
    return readStatementAmount(f.value);
  } catch (error) {
    if (error instanceof MoneyError) return undefined;
    throw error;
  }
}

/** The stated totals of a СекцияРасчСчет, by their keys. */
const TOTAL_KEYS = { opening: 'НачальныйОстаток', in: 'ВсегоПоступило', out: 'ВсегоСписано', closing: 'КонечныйОстаток' } as const;

export async function* onecItems(
  file: string,
  name: string,
  encoding: OnecEncoding,
  operator: OperatorAccount,
  anyAccount = false,
): AsyncGenerator<StatementItem> {
  const input = createReadStream(file).pipe(iconv.decodeStream(encoding, { stripBOM: true }));
  const lines = createInterface({ input, crlfDelay: Infinity });
  const operatorAccounts = new Set(operator.accounts.map(normaliseIban));
  if (operator.iban) operatorAccounts.add(normaliseIban(operator.iban));
  // Money in is money to one of these: the operator's accounts and those the file is a statement of.
  const own = new Set(operatorAccounts);
  // The accounts the file names as its own (header and sections), with the line of each.
  const named = new Map<string, number>();
  const header: Doc = new Map();
  const sections: { line: number; fields: Doc }[] = [];
  let section: Doc | undefined;
  let sectionLine = 0;
  // Money in and out of each of the own accounts by day (key: account U+001F day, '' when unreadable).
  const moved = new Map<string, { in: Tiyn; out: Tiyn }>();
  const move = (account: string, day: string | null, side: 'in' | 'out', amount: Tiyn) => {
    const key = `${account}\u001f${day ?? ''}`;
    const sums = moved.get(key) ?? { in: 0, out: 0 };
    sums[side] = sumTiyn([sums[side], amount]);
    moved.set(key, sums);
  };
  const nameAccount = (value: string, line: number) => {
    const iban = normaliseIban(value);
    own.add(iban);
    if (named.has(iban)) return;
    named.set(iban, line);
    if (!anyAccount && !operatorAccounts.has(iban)) throw new InputError([{ file: name, line, field: 'РасчСчет', message: foreignAccountMessage(iban, operator) }]);
  };
  const requireNamed = () => {
    if (named.size === 0 && !anyAccount) throw new InputError([{ file: name, line: 1, field: 'РасчСчет', message: NO_ACCOUNT_MESSAGE }]);
  };
  let lineNo = 0;
  let doc: Doc | undefined;
  let docLine = 0;
  let ended = false;
  let cutShort = false;
  for await (const rawLine of lines) {
    lineNo++;
    const line = rawLine.trim();
    if (lineNo === 1) {
      if (line !== ONEC_SIGNATURE) throw new InputError([{ file: name, line: 1, message: `not a 1C exchange file: the first line must be ${ONEC_SIGNATURE}` }]);
      continue;
    }
    if (line === '') continue;
    if (ended) {
      yield { type: 'problem', problem: { file: name, line: lineNo, message: 'text after КонецФайла' } };
      ended = false;
      continue;
    }
    const eq = line.indexOf('=');
    const key = eq >= 0 ? line.slice(0, eq).trim() : line;
    const lower = key.toLowerCase();
    const value = eq >= 0 ? line.slice(eq + 1) : '';
    if (lower === 'секциядокумент') {
      requireNamed();
      if (doc) yield { type: 'problem', problem: { file: name, line: docLine, message: 'the document has no КонецДокумента before the next СекцияДокумент' } };
      doc = new Map();
      docLine = lineNo;
      continue;
    }
    if (lower === 'конецдокумента') {
      if (!doc) yield { type: 'problem', problem: { file: name, line: lineNo, message: 'КонецДокумента without СекцияДокумент' } };
      else {
        yield* readDocument(doc, docLine, name, operator, own);
        const amount = amountOf(doc);
        const recipient = first(doc, ...RECIPIENT_ACCOUNT);
        const payer = first(doc, ...PAYER_ACCOUNT);
        if (amount !== undefined && recipient && own.has(normaliseIban(recipient.value))) move(normaliseIban(recipient.value), bookingDay(doc, 'in'), 'in', amount);
        if (amount !== undefined && payer && own.has(normaliseIban(payer.value))) move(normaliseIban(payer.value), bookingDay(doc, 'out'), 'out', amount);
      }
      doc = undefined;
      continue;
    }
    if (doc) {
      doc.set(lower, { value, line: lineNo, key });
      continue;
    }
    if (lower === 'секциярасчсчет') {
      if (section) yield { type: 'problem', problem: { file: name, line: sectionLine, message: 'the СекцияРасчСчет has no КонецРасчСчет before the next one' } };
      section = new Map();
      sectionLine = lineNo;
      continue;
    }
    if (lower === 'конецрасчсчет') {
      if (!section) yield { type: 'problem', problem: { file: name, line: lineNo, message: 'КонецРасчСчет without СекцияРасчСчет' } };
      else sections.push({ line: sectionLine, fields: section });
      section = undefined;
      continue;
    }
    if (section) {
      section.set(lower, { value, line: lineNo, key });
      if (lower === 'расчсчет' && value.trim() !== '') nameAccount(value, lineNo);
      continue;
    }
    // The header: the accounts the file is a statement of, and its days.
    if (lower === 'конецфайла') ended = true;
    else {
      header.set(lower, { value, line: lineNo, key });
      if (lower === 'расчсчет' && value.trim() !== '') nameAccount(value, lineNo);
    }
  }
  if (doc) {
    cutShort = true;
    yield { type: 'problem', problem: { file: name, line: docLine, message: 'the document has no КонецДокумента: the file is cut short' } };
  } else if (!ended && lineNo > 0) {
    cutShort = true;
    yield { type: 'problem', problem: { file: name, line: lineNo, message: 'no КонецФайла: the file is cut short' } };
  }
  if (lineNo === 0) throw new InputError([{ file: name, line: 1, message: 'the file is empty' }]);
  requireNamed();
  if (section) sections.push({ line: sectionLine, fields: section });
  yield* sectionTotals(name, header, sections, moved, named.size > 0 ? [...named.keys()] : [...own], cutShort);
}

/** Each section's stated totals beside what its account's documents of its days add up to. */
function* sectionTotals(
  name: string,
  header: Doc,
  sections: readonly { line: number; fields: Doc }[],
  moved: ReadonlyMap<string, { in: Tiyn; out: Tiyn }>,
  fileAccounts: readonly string[],
  cutShort: boolean,
): Generator<StatementItem> {
  const sumsOf = (accounts: readonly string[], from: string | null, to: string | null, undated: boolean) => {
    let readIn: Tiyn = 0;
    let readOut: Tiyn = 0;
    for (const [key, sums] of moved) {
      const [account, day] = key.split('\u001f') as [string, string];
      if (!accounts.includes(account)) continue;
      if (day === '' ? !undated : (from !== null && day < from) || (to !== null && day > to)) continue;
      readIn = sumTiyn([readIn, sums.in]);
      readOut = sumTiyn([readOut, sums.out]);
    }
    return { readIn, readOut };
  };
  const dayOf = (doc: Doc, key: string) => {
    const f = first(doc, key) ?? first(header, key);
    return f ? (readStatementDate(f.value) ?? null) : null;
  };
  // no СекцияРасчСчет: the file states no totals
  const accountOf = (s: Doc) => {
    const f = first(s, 'РасчСчет') ?? first(header, 'РасчСчет');
    return f ? normaliseIban(f.value) : null;
  };
  // the last section read of each account, to chain the next one's opening balance to its closing
  const lastOf = new Map<string, StatementTotals>();
  for (const { line, fields } of sections) {
    const account = accountOf(fields);
    const from = dayOf(fields, 'ДатаНачала');
    const to = dayOf(fields, 'ДатаКонца');
    const problems: InputProblem[] = [];
    const stated = (total: keyof typeof TOTAL_KEYS): Tiyn | null => {
      const f = first(fields, TOTAL_KEYS[total]);
      if (!f) return null;
      try {
        return readStatementAmount(f.value);
      } catch (error) {
        if (!(error instanceof MoneyError)) throw error;
        problems.push({ file: name, line: f.line, field: f.key, message: error.message });
        return null;
      }
    };
    const dates = [first(fields, 'ДатаНачала')?.value, first(fields, 'ДатаКонца')?.value].filter((d): d is string => d !== undefined);
    const days = dates.length === 2 && dates[0] === dates[1] ? dates[0]! : dates.join('–');
    // a document whose day cannot be read belongs to its account's section when the account has one only
    const alone = sections.filter((s) => accountOf(s.fields) === account).length === 1;
    const totals: StatementTotals = {
      section: ['СекцияРасчСчет', account ?? '', days].filter((p) => p !== '').join(' '),
      line,
      account,
      from,
      to,
      opening: stated('opening'),
      statedIn: stated('in'),
      statedOut: stated('out'),
      closing: stated('closing'),
      ...sumsOf(account ? [account] : fileAccounts, from, to, alone),
    };
    for (const p of problems) yield { type: 'problem', problem: p };
    if (!cutShort) {
      const keyOf = (total: keyof typeof TOTAL_KEYS) => first(fields, TOTAL_KEYS[total])?.key ?? TOTAL_KEYS[total];
      const labels = { opening: keyOf('opening'), in: keyOf('in'), out: keyOf('out'), closing: keyOf('closing') };
      for (const p of totalsProblems(totals, labels)) {
        const f = first(fields, TOTAL_KEYS[p.total]);
        yield { type: 'problem', problem: { file: name, line: f?.line ?? line, field: labels[p.total], message: p.message } };
      }
      const before = lastOf.get(account ?? '');
      const chain = before && before.to !== null && totals.from !== null && before.to < totals.from ? chainProblem(before, totals, labels) : null;
      if (chain) yield { type: 'problem', problem: { file: name, line: first(fields, TOTAL_KEYS.opening)?.line ?? line, field: labels.opening, message: chain } };
    }
    lastOf.set(account ?? '', totals);
    yield { type: 'totals', totals };
  }
}

function readDocument(doc: Doc, docLine: number, name: string, operator: OperatorAccount, own: ReadonlySet<string>): StatementItem[] {
  const problems: InputProblem[] = [];
  const problem = (field: string, line: number, message: string) => problems.push({ file: name, line, field, message });
  const recipient = first(doc, ...RECIPIENT_ACCOUNT);
  const payerAccount = first(doc, ...PAYER_ACCOUNT);
  const payerIinField = first(doc, 'ПлательщикИИН', 'ПлательщикБИН', 'ПлательщикИИН_БИН', 'ПлательщикИИНБИН');
  const payerIin = payerIinField ? readPayerIin(payerIinField.value) : null;

  if (own.size === 0 && !operator.bin) {
    throw new InputError([{ file: name, line: docLine, message: 'cannot tell money in from money out: the file names no РасчСчет and no operator is imported (esep import operator)' }]);
  }
  const toOperator = recipient !== undefined && own.has(normaliseIban(recipient.value));
  if (!toOperator) return [{ type: 'ignored', line: docLine, reason: 'money out (the recipient is not the operator)' }];
  const fromOperator = isOperatorParty(payerAccount ? normaliseIban(payerAccount.value) : null, payerIin, own, operator.bin);
  if (fromOperator) return [{ type: 'ignored', line: docLine, reason: "a transfer between the operator's own accounts" }];

  // the value date: ДатаВалютирования where the bank gives it (format 2.0, BCC), else the day the money came
  const dateField = first(doc, 'ДатаВалютирования', 'ДатаПоступило', 'Дата');
  const valueDate = dateField ? readStatementDate(dateField.value) : undefined;
  if (!dateField) problem('Дата', docLine, 'is missing (neither ДатаПоступило nor Дата)');
  else if (valueDate === undefined) problem(dateField.key, dateField.line, `"${dateField.value}" is not a date (DD.MM.YYYY)`);

  const sumField = first(doc, 'Сумма');
  let amount: number | undefined;
  if (!sumField) problem('Сумма', docLine, 'is missing');
  else {
    try {
      amount = readStatementAmount(sumField.value);
      if (amount === 0) problem('Сумма', sumField.line, 'is zero');
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      problem('Сумма', sumField.line, error.message);
    }
  }
  if (payerIin === undefined) problem(payerIinField!.key, payerIinField!.line, `"${payerIinField!.value}" is not an IIN or BIN (12 digits)`);
  const number = first(doc, 'Номер');
  if (number && number.value.length > 100) problem('Номер', number.line, 'is longer than 100 characters');

  if (problems.length > 0 || valueDate === undefined || amount === undefined || payerIin === undefined) {
    return problems.map((p) => ({ type: 'problem', problem: p }));
  }
  const purposeParts = [first(doc, 'НазначениеПлатежа')?.value];
  for (let i = 1; i <= 6; i++) purposeParts.push(first(doc, `НазначениеПлатежа${i}`)?.value);
  const purpose = purposeParts.filter((p): p is string => p !== undefined).join(' ').trim();
  const row: StatementRow = {
    line: docLine,
    bankRef: number?.value ?? '',
    valueDate,
    amount,
    account: null,
    payerIin,
    payerName: first(doc, 'Плательщик', 'Плательщик1')?.value ?? null,
    payerAccount: payerAccount ? normaliseIban(payerAccount.value) : null,
    purpose: purpose === '' ? null : purpose,
    statementAccount: normaliseIban(recipient.value),
  };
  return [{ type: 'row', row }];
}
