// Reports as lists for people, on the project's typed columns (io/list.ts): one description renders
// to a terminal table, the project's CSV dialect (io/csv.ts), and xlsx: a report of one sheet through
// io/xlsx.ts, a workbook of several sheets (aging with its accounts, the month's reports) here. In
// the xlsx an account number or IIN is text, an amount a number in tenge, a date a date; headers in
// Kazakh and Russian, the CSV's headers the columns' stable names.
import { renameSync, unlinkSync } from 'node:fs';
import { toTengeString, formatTenge, type Tiyn } from '../domain/money.js';
import { listCsv } from './csv.js';
import { column, titleOf, type Column, type ListSpec } from './list.js';
import { writeXlsx, xlsxTarget } from './xlsx.js';

export type CellType = 'text' | 'amount' | 'int' | 'date';

export interface SheetColumn {
  key: string;
  type: CellType;
}

export type SheetRow = Record<string, string | number | null>;

export interface Sheet {
  /** The xlsx sheet's name (at most 31 characters). */
  name: string;
  columns: readonly SheetColumn[];
  rows: readonly SheetRow[];
}

/** The Kazakh and Russian titles of the reports' columns (the CSV header is the key itself). */
const TITLES: Record<string, [string, string]> = {
  account: ['Дербес шот', 'Лицевой счёт'],
  opening_debit: ['Кезең басындағы қарыз', 'Сальдо на начало, дебет'],
  opening_credit: ['Кезең басындағы аванс', 'Сальдо на начало, кредит'],
  installation: ['Қосылу', 'Подключение'],
  monthly_fee: ['Айлық абоненттік төлем', 'Абонентская плата (месяц)'],
  daily_fee: ['Күнделікті абоненттік төлем', 'Абонентская плата (день)'],
  port_reservation: ['Портты брондау', 'Бронирование порта'],
  third_party: ['Топтамадағы қызмет', 'Услуга в пакете'],
  equipment: ['Жабдық', 'Оборудование'],
  backbill: ['Қосымша есептеу', 'Доначисление'],
  charges: ['Барлығы есептелді', 'Итого начислено'],
  penalties: ['Өсімпұл', 'Пеня'],
  payments: ['Төлемдер', 'Оплаты'],
  other_credits: ['Өзге кірістер', 'Прочие зачисления'],
  other_debits: ['Өзге шығыстар', 'Прочие списания'],
  closing_debit: ['Кезең соңындағы қарыз', 'Сальдо на конец, дебет'],
  closing_credit: ['Кезең соңындағы аванс', 'Сальдо на конец, кредит'],
  method: ['Төлем тәсілі', 'Способ расчётов'],
  tariff: ['Тариф', 'Тариф'],
  accounts: ['Шоттар', 'Счетов'],
  not_due: ['Мерзімі келмеген', 'Срок не наступил'],
  d1_30: ['1–30 күн', '1–30 дней'],
  d31_60: ['31–60 күн', '31–60 дней'],
  d61_90: ['61–90 күн', '61–90 дней'],
  over_90: ['90 күннен астам', 'Свыше 90 дней'],
  debt: ['Негізгі қарыз', 'Основной долг'],
  oldest_due_on: ['Ең ескі төлем мерзімі', 'Самый ранний срок оплаты'],
  days_overdue: ['Кешіктірілген күндер', 'Дней просрочки'],
  day: ['Күні', 'Дата'],
  format: ['Үзінді пішімі', 'Формат выписки'],
  file: ['Файл', 'Файл'],
  applied_count: ['Есепке алынды, саны', 'Зачислено, шт.'],
  applied: ['Есепке алынды', 'Зачислено'],
  suspense_count: ['Анықталмаған, саны', 'Невыясненные, шт.'],
  suspense: ['Анықталмаған', 'Невыясненные'],
  reversal_count: ['Кері қайтарылған, саны', 'Возвраты банка, шт.'],
  reversal: ['Кері қайтарылған', 'Возвраты банка'],
  date: ['Күні', 'Дата'],
  to: ['Соңғы күні', 'По дату'],
  kind: ['Түрі', 'Вид'],
  amount: ['Сомасы', 'Сумма'],
  balance: ['Сальдо', 'Сальдо'],
  clause: ['Шарт тармағы', 'Пункт договора'],
  rule: ['Ереже', 'Правило'],
  period: ['Кезең', 'Период'],
  section: ['Бөлім', 'Раздел'],
  vat_rate: ['ҚҚС мөлшерлемесі, %', 'Ставка НДС, %'],
  turnover: ['Айналым, ҚҚС-пен', 'Оборот с НДС'],
  vat: ['ҚҚС', 'НДС'],
  net: ['ҚҚС-сыз', 'Без НДС'],
  statement_account: ['Үзінді шоты', 'Счёт выписки'],
  from: ['Бастапқы күні', 'С даты'],
  opening: ['Бастапқы қалдық', 'Входящий остаток'],
  stated_in: ['Үзінді бойынша түсті', 'Поступило по выписке'],
  stated_out: ['Үзінді бойынша шығынданды', 'Списано по выписке'],
  closing: ['Соңғы қалдық', 'Исходящий остаток'],
  esep_payments: ['Абоненттердің төлемдері', 'Платежи абонентов'],
  other_in: ['Өзге түсімдер', 'Прочие поступления'],
};

/** The sheet as a list of the project's typed columns. */
export function listOf(sheet: Sheet): ListSpec<SheetRow> {
  return {
    sheet: sheet.name.slice(0, 31),
    columns: sheet.columns.map((c): Column<SheetRow> => {
      const [kk, ru] = TITLES[c.key] ?? [c.key, c.key];
      if (c.type === 'amount' || c.type === 'int') return column(c.key, kk, ru, c.type, (r) => r[c.key] as number | null);
      return column(c.key, kk, ru, c.type, (r) => (r[c.key] === null || r[c.key] === undefined ? null : String(r[c.key])));
    }),
  };
}

/** A cell as people read it on a terminal: amounts as "5 000,00". */
function displayCell(type: CellType, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return type === 'amount' ? formatTenge(value as Tiyn, { symbol: false }) : String(value);
}

export function sheetCsv(sheet: Sheet): string {
  return listCsv(listOf(sheet), sheet.rows);
}

/** A plain-text table: columns padded, numbers right-aligned. */
export function sheetTable(sheet: Sheet): string {
  const cells = sheet.rows.map((r) => sheet.columns.map((c) => displayCell(c.type, r[c.key])));
  const widths = sheet.columns.map((c, i) => Math.max([...c.key].length, ...cells.map((row) => [...row[i]!].length)));
  const right = sheet.columns.map((c) => c.type === 'amount' || c.type === 'int');
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat(Math.max(0, widths[i]! - [...text].length));
    return right[i] ? gap + text : text + gap;
  };
  const lines = [sheet.columns.map((c, i) => pad(c.key, i)).join('  '), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of cells) lines.push(row.map((t, i) => pad(t, i)).join('  ').trimEnd());
  return `${lines.join('\n')}\n`;
}

const FORMAT: Record<CellType, string> = { text: '@', amount: '#,##0.00', date: 'dd.mm.yyyy', int: '0' };

/** Writes the sheets as one xlsx workbook (one sheet: io/xlsx.ts's list writer). The path is checked first: bad usage exits 2. */
export async function writeSheetsXlsx(file: string, sheets: readonly Sheet[]): Promise<void> {
  if (sheets.length === 1) {
    await writeXlsx(file, listOf(sheets[0]!), sheets[0]!.rows);
    return;
  }
  const target = xlsxTarget(file);
  // exceljs is large: loaded only when a workbook is written
  const { default: excel } = await import('exceljs');
  const book = new excel.Workbook();
  book.creator = 'esep';
  for (const sheet of sheets) {
    const list = listOf(sheet);
    const ws = book.addWorksheet(list.sheet, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    ws.columns = sheet.columns.map((c, i) => ({ key: c.key, width: Math.max(10, Math.min(40, titleOf(list.columns[i]!).length + 2)), style: { numFmt: FORMAT[c.type] } }));
    const header = ws.addRow(list.columns.map((c) => titleOf(c)));
    header.font = { bold: true };
    for (const r of sheet.rows) {
      ws.addRow(
        sheet.columns.map((c) => {
          const v = r[c.key];
          if (v === null || v === undefined) return null;
          if (c.type === 'amount') return Number(toTengeString(v as Tiyn));
          if (c.type === 'int') return Number(v);
          if (c.type === 'date') {
            const [y, m, d] = String(v).split('-').map(Number) as [number, number, number];
            return new Date(Date.UTC(y, m - 1, d));
          }
          return String(v);
        }),
      );
    }
  }
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await book.xlsx.writeFile(tmp);
    renameSync(tmp, target);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // not written
    }
    throw error;
  }
}
