// Termination notices with the debt demand (cl. 23.6, 23.8): one PDF per termination by the
// operator, from templates/notice.json, and the day's mailing list as CSV (email, phone, debt).
// Derived from the access journal, so a notice lost to a crash after the termination was committed
// is written by the next run (`esep notices`, or the next `run terminate` / `run day`).
import path from 'node:path';
import type { Db } from './../db/connection.js';
import { findAccount } from '../db/accounts.js';
import { journalRun, nowIso } from '../db/journal.js';
import { factsOf } from '../db/ledger.js';
import { getOperator } from '../db/operator.js';
import { inTransaction } from '../db/connection.js';
import { debtDemand, type DebtDemand } from '../domain/collection.js';
import { invoicesOf, type AccountInvoice } from '../db/invoices.js';
import { addDays, type IsoDate } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import { formatTenge, type Tiyn } from '../domain/money.js';
import { amountInWordsKk, amountInWordsRu } from '../domain/words.js';
import { listCsv } from '../io/csv.js';
import { column, type ListSpec } from '../io/list.js';
import { writeXlsx } from '../io/xlsx.js';
import { displayDate, loadTemplate, renderTemplatePdf, writeFileAtomically, type InvoiceTemplate, type ListRows } from '../io/pdf/render.js';
import { PROJECT_ROOT } from '../db/connection.js';

export const NOTICE_TEMPLATE = path.join(PROJECT_ROOT, 'templates', 'notice.json');

/** The demand gives the subscriber this many calendar days to pay (the contract names no term; decision in the README). */
export const PAY_WITHIN_DAYS = 10;

export interface NoticeRow {
  account: string;
  issuedOn: IsoDate;
  debt: Tiyn;
  penaltyDebt: Tiyn;
  equipmentReturnBy: IsoDate | null;
  file: string;
}

/** Why the operator terminated, as the notice says it (D-5: a credit account for two unpaid invoices, an advance account for two months suspended for funds). */
function reasons(method: 'advance' | 'credit'): { kk: string; ru: string } {
  if (method === 'credit') {
    return { kk: 'қатарынан екі ай қызметтер үшін төлем жасалмады', ru: 'услуги не оплачены два месяца подряд' };
  }
  return { kk: 'дербес шотта қаражат болмауына байланысты қызмет екі ай бойы тоқтатылды', ru: 'оказание услуг приостановлено два месяца подряд из-за отсутствия средств на лицевом счёте' };
}

const monthOf = (period: string) => `${period.slice(5, 7)}.${period.slice(0, 4)}`;

/** The demand's breakdown as the notice prints it (cl. 23.8): by invoice and kind, Kazakh with Russian. */
function demandRows(demand: DebtDemand, invoices: readonly AccountInvoice[], t: InvoiceTemplate): ListRows {
  const number = (id: number | null) => invoices.find((i) => i.id === id)?.number ?? '—';
  return demand.lines.map((l) => {
    const label =
      l.what === 'invoice'
        ? `Шот / Счёт ${number(l.invoiceId)} (${monthOf(l.period)}): негізгі борыш / основной долг`
        : l.what === 'uninvoiced'
          ? `${monthOf(l.period)}, шот әлі берілмеген / счёт ещё не выставлен: ${t.kinds[l.kind] ?? l.kind}`
          : `${t.kinds.penalty ?? 'penalty'}, шот / счёт ${number(l.invoiceId)} (23.7-т. / п. 23.7)`;
    return { label, value: formatTenge(l.amount) };
  });
}

/**
 * Writes the notice of every termination by the operator since `since` that has none yet (and of a
 * termination at the subscriber's request recorded despite a debt), and the
 * mailing CSV of each day that got one. Returns the notices written.
 */
export async function writeTerminationNotices(db: Db, dir: string, since: IsoDate): Promise<NoticeRow[]> {
  const operator = getOperator(db);
  const due = db.sqlite
    .prepare(
      `SELECT e.account, e.value_date AS day, a.terminated_by AS terminatedBy FROM access_events e
        JOIN accounts a ON a.account = e.account
        WHERE e.event = 'terminate' AND e.value_date >= ?
          AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.account = e.account AND n.kind = 'termination' AND n.issued_on = e.value_date)
        ORDER BY e.value_date, e.account`,
    )
    .all(since) as { account: string; day: IsoDate; terminatedBy: 'operator' | 'subscriber' }[];
  if (due.length === 0) return [];
  if (!operator) throw new InputError('no operator requisites: run `esep import operator FILE.json` or set them in the configuration');
  const template = loadTemplate(NOTICE_TEMPLATE);
  const written: NoticeRow[] = [];
  for (const n of due) {
    const a = findAccount(db, n.account)!;
    const invoices = invoicesOf(db, n.account);
    const demand = debtDemand(factsOf(db, n.account), invoices, n.day);
    // a termination by the operator always gets its notice; one at the subscriber's request only when
    // it was recorded despite a debt (D-11): then the debt demand follows as for the operator's
    if (n.terminatedBy === 'subscriber' && demand.total === 0) continue;
    const debt = demand.total;
    const why = reasons(a.method);
    const values: Record<string, string> = {
      notice_date: displayDate(n.day),
      operator_name: operator.name,
      operator_bin: operator.bin,
      operator_iban: operator.iban,
      operator_bank: operator.bank,
      operator_bic: operator.bic,
      operator_kbe: operator.kbe,
      operator_knp: operator.knp,
      operator_address: operator.address,
      operator_phone: operator.phone,
      operator_site: operator.site,
      subscriber_name: a.name,
      subscriber_iin: a.iin,
      account: a.account,
      address: a.address,
      terminated_on: displayDate(n.day),
      reason_kk: why.kk,
      reason_ru: why.ru,
      by_operator: n.terminatedBy === 'operator' ? 'yes' : '',
      by_subscriber: n.terminatedBy === 'subscriber' ? 'yes' : '',
      demand: debt > 0 ? 'yes' : '',
      principal: formatTenge(demand.principal),
      penalties: formatTenge(demand.penalties),
      debt: formatTenge(debt),
      debt_words_kk: amountInWordsKk(debt),
      debt_words_ru: amountInWordsRu(debt),
      pay_by: displayDate(addDays(n.day, PAY_WITHIN_DAYS)),
      equipment_return_by: a.equipmentReturnBy ? displayDate(a.equipmentReturnBy) : '',
    };
    const file = path.join(dir, n.day, `notice-${a.account}.pdf`);
    const pdf = await renderTemplatePdf(template, values, {
      title: `Хабарлама / Уведомление ${a.account}`,
      author: operator.name,
      subject: `Шартты бұзу / Расторжение договора, ${a.account}`,
      createdOn: n.day,
    }, undefined, { debt_lines: demandRows(demand, invoices, template) });
    await writeFileAtomically(file, pdf);
    const row: NoticeRow = { account: a.account, issuedOn: n.day, debt, penaltyDebt: demand.penalties, equipmentReturnBy: a.equipmentReturnBy, file };
    inTransaction(db, () => {
      db.sqlite
        .prepare(
          `INSERT INTO notices (account, kind, issued_on, debt, penalty_debt, equipment_return_by, file) VALUES (?, 'termination', ?, ?, ?, ?, ?)
           ON CONFLICT (account, kind, issued_on) DO NOTHING`,
        )
        .run(row.account, row.issuedOn, row.debt, row.penaltyDebt, row.equipmentReturnBy, row.file);
      journalRun(db, 'notice', `${row.account} ${row.issuedOn}`, nowIso(), { debt_tiyn: debt });
    });
    written.push(row);
  }
  for (const day of new Set(written.map((w) => w.issuedOn))) await writeMailingList(db, dir, day);
  return written;
}

interface MailingRow {
  account: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string;
  debt: Tiyn;
  penaltyDebt: Tiyn;
  returnBy: string | null;
  file: string;
}

/** The mailing list's columns, once for its CSV and its xlsx. */
export const MAILING_LIST: ListSpec<MailingRow> = {
  sheet: 'Хабарламалар - Уведомления',
  columns: [
    column('account', 'Дербес шот', 'Лицевой счёт', 'text', (r) => r.account),
    column('name', 'Аты-жөні', 'ФИО', 'text', (r) => r.name, 30),
    column('email', 'Электрондық пошта', 'Электронная почта', 'text', (r) => r.email),
    column('phone', 'Телефон', 'Телефон', 'phone', (r) => r.phone),
    column('address', 'Мекенжай', 'Адрес', 'text', (r) => r.address, 40),
    column('debt', 'Берешек', 'Задолженность', 'amount', (r) => r.debt),
    column('penalty_debt', 'Өсімпұл бойынша берешек', 'Долг по пене', 'amount', (r) => r.penaltyDebt),
    column('equipment_return_by', 'Жабдықты қайтару мерзімі', 'Вернуть оборудование до', 'date', (r) => r.returnBy),
    column('notice', 'Хабарлама', 'Уведомление', 'text', (r) => path.basename(r.file), 20),
  ],
};

/** The day's mailing list: one row per notice, for the letters and calls (cl. 23.8); CSV for scripts, xlsx beside it for people. */
export async function writeMailingList(db: Db, dir: string, day: IsoDate): Promise<string> {
  const rows = db.sqlite
    .prepare(
      `SELECT n.account, s.name, a.email, a.phone, a.address, n.debt, n.penalty_debt AS penaltyDebt, n.equipment_return_by AS returnBy, n.file
         FROM notices n JOIN accounts a ON a.account = n.account JOIN subscribers s ON s.iin = a.iin
        WHERE n.kind = 'termination' AND n.issued_on = ? ORDER BY n.account`,
    )
    .all(day) as MailingRow[];
  const file = path.join(dir, day, `mailing-${day}.csv`);
  await writeFileAtomically(file, Buffer.from(listCsv(MAILING_LIST, rows), 'utf8'));
  await writeXlsx(path.join(dir, day, `mailing-${day}.xlsx`), MAILING_LIST, rows);
  return file;
}
