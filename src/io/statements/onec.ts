// The 1C «ClientBankExchange» text format (the bank-client → 1C direction): a header of key=value
// lines, account sections (СекцияРасчСчет … КонецРасчСчет) and one block per payment document
// (СекцияДокумент=… … КонецДокумента), ending with КонецФайла. Windows-1251 as a rule (Кодировка=
// Windows), also UTF-8, or cp866 when Кодировка=DOS. Money in is a document whose recipient account
// is the operator's (its IBAN, or the account the file is a statement of) and whose payer is not.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import iconv from 'iconv-lite';
import type { InputProblem } from '../../domain/errors.js';
import { InputError } from '../../domain/errors.js';
import { MoneyError } from '../../domain/money.js';
import { readPayerIin, readStatementAmount, readStatementDate, type StatementRow } from '../../domain/statement.js';
import { normaliseIban } from './tabular.js';
import type { OperatorAccount, StatementItem } from './types.js';

export const ONEC_SIGNATURE = '1CClientBankExchange';

export type OnecEncoding = 'utf-8' | 'windows-1251' | 'cp866';

/** Field by key, with the line it is on. */
type Doc = Map<string, { value: string; line: number }>;

function first(doc: Doc, ...keys: string[]): { value: string; line: number } | undefined {
  for (const k of keys) {
    const v = doc.get(k);
    if (v && v.value.trim() !== '') return { value: v.value.trim(), line: v.line };
  }
  return undefined;
}

export async function* onecItems(file: string, name: string, encoding: OnecEncoding, operator: OperatorAccount): AsyncGenerator<StatementItem> {
  const input = createReadStream(file).pipe(iconv.decodeStream(encoding, { stripBOM: true }));
  const lines = createInterface({ input, crlfDelay: Infinity });
  const own = new Set<string>();
  if (operator.iban) own.add(normaliseIban(operator.iban));
  let lineNo = 0;
  let doc: Doc | undefined;
  let docLine = 0;
  let ended = false;
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
    const value = eq >= 0 ? line.slice(eq + 1) : '';
    if (key === 'СекцияДокумент') {
      if (doc) yield { type: 'problem', problem: { file: name, line: docLine, message: 'the document has no КонецДокумента before the next СекцияДокумент' } };
      doc = new Map();
      docLine = lineNo;
      continue;
    }
    if (key === 'КонецДокумента') {
      if (!doc) yield { type: 'problem', problem: { file: name, line: lineNo, message: 'КонецДокумента without СекцияДокумент' } };
      else yield* readDocument(doc, docLine, name, operator, own);
      doc = undefined;
      continue;
    }
    if (doc) {
      doc.set(key, { value, line: lineNo });
      continue;
    }
    // The accounts the file is a statement of (in the header and in each СекцияРасчСчет).
    if (key === 'КонецФайла') ended = true;
    else if (key === 'РасчСчет' && value.trim() !== '') own.add(normaliseIban(value));
  }
  if (doc) yield { type: 'problem', problem: { file: name, line: docLine, message: 'the document has no КонецДокумента: the file is cut short' } };
  else if (!ended && lineNo > 0) yield { type: 'problem', problem: { file: name, line: lineNo, message: 'no КонецФайла: the file is cut short' } };
  if (lineNo === 0) throw new InputError([{ file: name, line: 1, message: 'the file is empty' }]);
}

function readDocument(doc: Doc, docLine: number, name: string, operator: OperatorAccount, own: ReadonlySet<string>): StatementItem[] {
  const problems: InputProblem[] = [];
  const problem = (field: string, line: number, message: string) => problems.push({ file: name, line, field, message });
  const recipient = first(doc, 'ПолучательСчет', 'ПолучательИИК', 'ПолучательРасчСчет');
  const payerAccount = first(doc, 'ПлательщикСчет', 'ПлательщикИИК', 'ПлательщикРасчСчет');
  const payerIinField = first(doc, 'ПлательщикИИН', 'ПлательщикБИН', 'ПлательщикИИН_БИН', 'ПлательщикИИНБИН');
  const payerIin = payerIinField ? readPayerIin(payerIinField.value) : null;

  if (own.size === 0 && !operator.bin) {
    throw new InputError([{ file: name, line: docLine, message: 'cannot tell money in from money out: the file names no РасчСчет and no operator is imported (esep import operator)' }]);
  }
  const toOperator = recipient !== undefined && own.has(normaliseIban(recipient.value));
  if (!toOperator) return [{ type: 'ignored', line: docLine, reason: 'money out (the recipient is not the operator)' }];
  const fromOperator = (payerAccount && own.has(normaliseIban(payerAccount.value))) || (payerIin && operator.bin && payerIin === operator.bin);
  if (fromOperator) return [{ type: 'ignored', line: docLine, reason: "a transfer between the operator's own accounts" }];

  const dateField = first(doc, 'ДатаПоступило', 'Дата');
  const valueDate = dateField ? readStatementDate(dateField.value) : undefined;
  if (!dateField) problem('Дата', docLine, 'is missing (neither ДатаПоступило nor Дата)');
  else if (valueDate === undefined) problem(dateField.line === doc.get('ДатаПоступило')?.line ? 'ДатаПоступило' : 'Дата', dateField.line, `"${dateField.value}" is not a date (DD.MM.YYYY)`);

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
  if (payerIin === undefined) problem(doc.has('ПлательщикИИН') ? 'ПлательщикИИН' : 'ПлательщикБИН', payerIinField!.line, `"${payerIinField!.value}" is not an IIN or BIN (12 digits)`);
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
  };
  return [{ type: 'row', row }];
}
