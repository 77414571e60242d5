// The registry of a period's invoices: what the accountant checks and files at month-end. Its
// columns are described once (REGISTRY_LIST) for the CSV written beside the PDFs (DIR/P/registry-P.csv,
// for scripts) and for `run invoices --xlsx FILE` (for Excel). A new column is a field of
// RegistryRow, a column of the SELECT below and an entry of REGISTRY_LIST.
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Db } from '../db/connection.js';
import type { IsoDate, Period } from '../domain/dates.js';
import type { Tiyn } from '../domain/money.js';
import { csvHeader, csvRecords } from '../io/csv.js';
import { column, type ListSpec } from '../io/list.js';

export interface RegistryRow {
  number: string;
  account: string;
  name: string;
  iin: string;
  period: Period;
  issuedOn: IsoDate;
  dueOn: IsoDate;
  principal: Tiyn;
  amountDue: Tiyn;
  advisedTopup: Tiyn | null;
  final: boolean;
  /** The PDF's file name, once written. */
  file: string | null;
  /** D-13: the VAT included in the period's service charges; null when the operator was not a VAT payer. */
  vat: Tiyn | null;
}

export const REGISTRY_LIST: ListSpec<RegistryRow> = {
  sheet: 'Шоттар тізілімі - Реестр счетов',
  columns: [
    column('number', 'Шот нөмірі', 'Номер счёта', 'text', (r) => r.number, 16),
    column('account', 'Дербес шот', 'Лицевой счёт', 'text', (r) => r.account),
    column('name', 'Аты-жөні', 'ФИО', 'text', (r) => r.name, 30),
    column('iin', 'ЖСН', 'ИИН', 'text', (r) => r.iin, 14),
    column('period', 'Кезең', 'Период', 'text', (r) => r.period, 10),
    column('issued_on', 'Берілген күні', 'Дата выставления', 'date', (r) => r.issuedOn),
    column('due_on', 'Төлеу мерзімі', 'Оплатить до', 'date', (r) => r.dueOn),
    column('principal', 'Негізгі сома', 'Основная сумма', 'amount', (r) => r.principal),
    column('amount_due', 'Төлеуге', 'К оплате', 'amount', (r) => r.amountDue),
    column('advised_topup', 'Ұсынылатын толықтыру', 'Рекомендуемое пополнение', 'amount', (r) => r.advisedTopup),
    column('final', 'Қорытынды шот', 'Итоговый счёт', 'text', (r) => (r.final ? 'yes' : 'no'), 10),
    column('file', 'Файл', 'Файл', 'text', (r) => (r.file ? path.basename(r.file) : null), 24),
    column('vat', 'оның ішінде ҚҚС', 'в т.ч. НДС', 'amount', (r) => r.vat),
  ],
};

/** The registry's rows in number order (by series, then sequence), read in pages of 1 000 (a period of 100 000 invoices needs little memory). */
export function* registryRows(db: Db, period: Period): Generator<RegistryRow> {
  const page = db.sqlite.prepare(
    `SELECT i.number, i.account, s.name, s.iin, i.period, i.issued_on AS issuedOn, i.due_on AS dueOn, i.principal, i.amount_due AS amountDue,
            i.advised_topup AS advisedTopup, i.final, i.file, i.vat, i.prefix, i.year, i.seq
       FROM invoices i JOIN accounts a ON a.account = i.account JOIN subscribers s ON s.iin = a.iin
      WHERE i.period = @period AND (i.prefix, i.year, i.seq) > (@prefix, @year, @seq) ORDER BY i.prefix, i.year, i.seq LIMIT 1000`,
  );
  // a number's series is its prefix and year (docs/invoices.md): a period issued under two prefixes
  // holds the same (year, seq) twice, so a page starts after the last (prefix, year, seq)
  let after = { prefix: '', year: 0, seq: 0 };
  for (;;) {
    const rows = page.all({ period, ...after }) as (Omit<RegistryRow, 'final'> & { final: number; prefix: string; year: number; seq: number })[];
    if (rows.length === 0) return;
    for (const { prefix: _prefix, year: _year, seq: _seq, final, ...r } of rows) yield { ...r, final: final === 1 };
    const last = rows[rows.length - 1]!;
    after = { prefix: last.prefix, year: last.year, seq: last.seq };
  }
}

/** The registry of P's invoices as CSV, written in pages and renamed into place when whole. */
export async function writeRegistry(db: Db, period: Period, outDir: string): Promise<string> {
  const dir = path.resolve(outDir, period);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `registry-${period}.csv`);
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  const write = async (text: string) => {
    if (text !== '' && !out.write(text)) await once(out, 'drain');
  };
  await write(csvHeader(REGISTRY_LIST));
  let page: RegistryRow[] = [];
  for (const row of registryRows(db, period)) {
    page.push(row);
    if (page.length === 1000) {
      await write(csvRecords(REGISTRY_LIST, page));
      page = [];
    }
  }
  await write(csvRecords(REGISTRY_LIST, page));
  out.end();
  await once(out, 'finish');
  await rename(tmp, file);
  return file;
}
