// A list for people (invoice registry, debtors, statement, access, mailing and paper lists,
// suspense, refunds) is described once, as columns: the machine name that heads its CSV for
// scripts, the Kazakh and Russian titles that head its xlsx for people, and the type of its cells.
// The CSV writer (io/csv.ts) and the xlsx writer (io/xlsx.ts) both read these descriptions.
import { BILLING_TZ, type IsoDate } from '../domain/dates.js';
import { toTengeString, type Tiyn } from '../domain/money.js';

/**
 * `text`: a string, never a number (IIN, account, invoice number keep their leading zeros);
 * `phone`: text written as the subscriber gave it (`+7 701 000 00 01`);
 * `amount`: tiyn, shown as tenge with two decimals; `date`: an ISO date; `datetime`: an ISO
 * instant, shown as Almaty time; `int`: a whole number (ids, day counts).
 */
export type ColumnType = 'text' | 'phone' | 'amount' | 'date' | 'datetime' | 'int';

/** What a column's `value` gives for each type (null: an empty cell). */
export interface CellOf {
  text: string;
  phone: string;
  amount: Tiyn;
  date: IsoDate;
  datetime: string;
  int: number;
}

interface ColumnOf<R, T extends ColumnType> {
  /** The CSV header: a stable name for scripts (`total_debt`). */
  key: string;
  /** The xlsx header, in Kazakh and in Russian. */
  kk: string;
  ru: string;
  type: T;
  value: (row: R) => CellOf[T] | null | undefined;
  /** Width in characters in the xlsx (default by type and title). */
  width?: number;
}

export type Column<R> = { [T in ColumnType]: ColumnOf<R, T> }[ColumnType];

export interface ListSpec<R> {
  /** The xlsx sheet's name (at most 31 characters). */
  sheet: string;
  columns: readonly Column<R>[];
}

/** A typed column, checked against its type's value: `column('iin', 'ЖСН', 'ИИН', 'text', (r) => r.iin)`. */
export function column<R, T extends ColumnType>(
  key: string,
  kk: string,
  ru: string,
  type: T,
  value: (row: R) => CellOf[T] | null | undefined,
  width?: number,
): Column<R> {
  return { key, kk, ru, type, value, ...(width === undefined ? {} : { width }) } as Column<R>;
}

/** The header of the xlsx: "Дербес шот / Лицевой счёт". */
export function titleOf(c: { kk: string; ru: string }): string {
  return c.kk === c.ru ? c.kk : `${c.kk} / ${c.ru}`;
}

const almaty = new Intl.DateTimeFormat('en-GB', {
  timeZone: BILLING_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * An instant's Almaty wall-clock time: `iso` with its offset ("2026-12-01T18:05:00+05:00", the same
 * instant as "2026-12-01T13:05:00Z"), and `wall`, a Date whose UTC fields are that wall-clock time
 * (for a spreadsheet, which has no time zones).
 */
export function almatyTime(instant: string | Date): { iso: string; wall: Date } {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(at.getTime())) throw new RangeError(`not an instant: "${String(instant)}"`);
  const p = Object.fromEntries(almaty.formatToParts(at).map((x) => [x.type, x.value])) as Record<string, string>;
  const wall = new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)));
  const offset = Math.round((wall.getTime() - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  return { iso: `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${hh}:${mm}`, wall };
}

/** A cell's value as the CSV dialect writes it (before formula escaping): amounts `1234.50`, dates ISO, times ISO with +05:00. */
export function csvValue(type: ColumnType, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'amount':
      return toTengeString(value as Tiyn);
    case 'datetime':
      return almatyTime(value as string).iso;
    default:
      return String(value);
  }
}
