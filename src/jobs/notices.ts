// Termination notices with the debt demand (cl. 23.6, 23.8): one PDF per termination by the
// operator, from templates/notice.json, and the day's mailing list as CSV (email, phone, debt).
// Derived from the access journal, so a notice lost to a crash after the termination was committed
// is written by the next run (`esep notices`, or the next `run terminate` / `run day`).
import path from 'node:path';
import type { Db } from './../db/connection.js';
import { findAccount } from '../db/accounts.js';
import { journalRun, nowIso } from '../db/journal.js';
import { factsOf } from '../db/ledger.js';
import { getOperator, paymentChannelsOf } from '../db/operator.js';
import { noticeNumber } from '../domain/invoice.js';
import { inTransaction } from '../db/connection.js';
import { debtDemand, type DebtDemand } from '../domain/collection.js';
import { invoicesOf, type AccountInvoice } from '../db/invoices.js';
import { addDays, yearOf, type IsoDate } from '../domain/dates.js';
import { InputError } from '../domain/errors.js';
import { formatTenge, type Tiyn } from '../domain/money.js';
import { amountInWordsKk, amountInWordsRu } from '../domain/words.js';
import { listCsv } from '../io/csv.js';
import { column, type ListSpec } from '../io/list.js';
import { writeXlsx } from '../io/xlsx.js';
import { displayDate, loadTemplate, renderTemplatePdf, unbreakable, writeFileAtomically, type InvoiceTemplate, type ListRows } from '../io/pdf/render.js';
import { PROJECT_ROOT } from '../db/connection.js';

/** An amount as the notice prints it, never split over two lines. */
const tenge = (amount: Tiyn) => unbreakable(formatTenge(amount));

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

/** A period for people: 2026-10 → 10.2026. */
const monthOf = (period: string) => {
  const [y, m] = period.split('-');
  return `${m}.${y}`;
};

/**
 * The demand's breakdown as the notice prints it (cl. 23.8): each invoice's unpaid principal and what
 * it is made of by kind, the charges not invoiced yet by kind, each invoice's unpaid penalties. The
 * rows carry values; the wording of each kind of row is the template's (`what` picks it).
 */
function demandRows(demand: DebtDemand, invoices: readonly AccountInvoice[], t: InvoiceTemplate): ListRows {
  const number = (id: number | null) => invoices.find((i) => i.id === id)?.number ?? '—';
  const rows: Record<string, string>[] = [];
  for (const l of demand.lines) {
    if (l.what === 'invoice') {
      // one kind: named on the invoice's row; several: a row for each under it
      const single = l.kinds.length === 1 ? l.kinds[0]! : undefined;
      const kindNote = single ? `${t.words.kind_note ?? ': '}${t.kinds[single.kind] ?? single.kind}` : '';
      rows.push({ what: 'invoice', invoice: number(l.invoiceId), period: monthOf(l.period), amount: tenge(l.amount), kind_note: kindNote });
      if (!single) for (const k of l.kinds) rows.push({ what: 'kind', kind: t.kinds[k.kind] ?? k.kind, amount: tenge(k.amount) });
    } else if (l.what === 'uninvoiced') {
      rows.push({ what: 'uninvoiced', period: monthOf(l.period), kind: t.kinds[l.kind] ?? l.kind, amount: tenge(l.amount) });
    } else {
      rows.push({ what: l.invoiceId === null ? 'penalties_other' : 'penalties', invoice: number(l.invoiceId), amount: tenge(l.amount) });
    }
  }
  return rows;
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
  const countInYear = db.sqlite.prepare(`SELECT COUNT(*) AS n FROM notices WHERE number IS NOT NULL AND issued_on BETWEEN ? AND ?`);
  const equipmentOut = db.sqlite.prepare(
    `SELECT serial, model, cost FROM equipment WHERE account = ? AND rented = 1 AND (returned_on IS NULL OR returned_on > ?) ORDER BY handed_out_on, serial`,
  );
  const channels = paymentChannelsOf(operator).map((text) => ({ text }));
  for (const n of due) {
    const a = findAccount(db, n.account)!;
    const invoices = invoicesOf(db, n.account);
    const demand = debtDemand(factsOf(db, n.account), invoices, n.day);
    // a termination by the operator always gets its notice; one at the subscriber's request only when
    // it was recorded despite a debt (D-11): then the debt demand follows as for the operator's
    if (n.terminatedBy === 'subscriber' && demand.total === 0) continue;
    const debt = demand.total;
    const why = reasons(a.method);
    // cl. 23.8: the outgoing number, in the order notices are written within the year of their date
    const year = yearOf(n.day);
    const seq = (countInYear.get(`${year}-01-01`, `${year}-12-31`) as { n: number }).n + 1;
    const number = noticeNumber(operator.invoicePrefix, year, seq);
    const equipment = a.equipmentReturnBy
      ? (equipmentOut.all(a.account, n.day) as { serial: string; model: string | null; cost: Tiyn }[]).map((e) => ({ serial: e.serial, model: e.model ?? '', cost: tenge(e.cost) }))
      : [];
    const values: Record<string, string> = {
      notice_number: number,
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
      principal: tenge(demand.principal),
      penalties: tenge(demand.penalties),
      debt: tenge(debt),
      debt_words_kk: amountInWordsKk(debt),
      debt_words_ru: amountInWordsRu(debt),
      pay_by: displayDate(addDays(n.day, PAY_WITHIN_DAYS)),
      equipment_return_by: a.equipmentReturnBy ? displayDate(a.equipmentReturnBy) : '',
      has_equipment: equipment.length > 0 ? 'yes' : '',
      has_channels: channels.length > 0 && debt > 0 ? 'yes' : '',
    };
    const file = path.join(dir, n.day, `notice-${a.account}.pdf`);
    const pdf = await renderTemplatePdf(template, values, {
      title: `Хабарлама / Уведомление ${a.account}`,
      author: operator.name,
      subject: `Шартты бұзу / Расторжение договора, ${a.account}`,
      createdOn: n.day,
    }, undefined, { debt_lines: demandRows(demand, invoices, template), equipment, channels });
    await writeFileAtomically(file, pdf);
    const row: NoticeRow = { account: a.account, issuedOn: n.day, debt, penaltyDebt: demand.penalties, equipmentReturnBy: a.equipmentReturnBy, file };
    inTransaction(db, () => {
      db.sqlite
        .prepare(
          `INSERT INTO notices (account, kind, number, issued_on, debt, penalty_debt, equipment_return_by, file) VALUES (?, 'termination', ?, ?, ?, ?, ?, ?)
           ON CONFLICT (account, kind, issued_on) DO NOTHING`,
        )
        .run(row.account, number, row.issuedOn, row.debt, row.penaltyDebt, row.equipmentReturnBy, row.file);
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
