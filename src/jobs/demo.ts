// `esep demo`: a fictional operator, its tariffs and n generated subscribers, loaded through the same
// checks and writers as the real imports (fixtures in fixtures/demo/).
//
// demoAccountRows is deterministic for a seed: the same (n, seed, tariffs, start date) always gives
// the same rows, so a second load with the same seed finds every row unchanged.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inTransaction, PROJECT_ROOT, type Db } from '../db/connection.js';
import { journalRun, nowIso } from '../db/journal.js';
import { getOperator, saveOperator, type OperatorRow } from '../db/operator.js';
import { allTariffs } from '../db/tariffs.js';
import { addDays, addMonths, daysBetween, firstDayOf, isIsoDate, monthLength, periodOf, type IsoDate } from '../domain/dates.js';
import { InputError, type InputProblem } from '../domain/errors.js';
import { iinCheckDigit } from '../domain/identifiers.js';
import { readCsvChecked, type CsvRow } from '../io/csv.js';
import { ACCOUNT_COLUMNS, accountLineChecker, applyAccountLines, type AccountLine } from './import-accounts.js';
import { parseOperator, readJsonFile } from './import-operator.js';
import { importTariffs, TARIFF_COLUMNS, tariffLineChecker, type ImportSummary } from './import-tariffs.js';

export const DEMO_FIXTURES_DIR = path.join(PROJECT_ROOT, 'fixtures', 'demo');
export const DEMO_SEED = 20261125;

// ---------------------------------------------------------------------------------------------
// Name lists (fixtures/demo/people.json)

export interface SurnamePair {
  male: string;
  female: string;
}

export interface NameList {
  male: string[];
  female: string[];
  surnames: SurnamePair[];
}

export interface People {
  kazakh: NameList;
  russian: NameList;
  /** "Kazakh name / Russian name", e.g. "Абай даңғылы / пр. Абая". */
  streets: { almaty: string[]; astana: string[] };
}

let cachedPeople: People | undefined;

/** fixtures/demo/people.json, read once. */
export function demoPeople(fixturesDir: string = DEMO_FIXTURES_DIR): People {
  if (fixturesDir === DEMO_FIXTURES_DIR && cachedPeople) return cachedPeople;
  const people = JSON.parse(readFileSync(path.join(fixturesDir, 'people.json'), 'utf8').replace(/^\ufeff/, '')) as People;
  for (const list of [people.kazakh, people.russian]) {
    if (!list?.male?.length || !list.female?.length || !list.surnames?.length) throw new Error('people.json: a name list is empty');
  }
  if (!people.streets?.almaty?.length || !people.streets.astana?.length) throw new Error('people.json: a street list is empty');
  if (fixturesDir === DEMO_FIXTURES_DIR) cachedPeople = people;
  return people;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('pick from an empty list');
    return list[Math.floor(this.next() * list.length)] as T;
  }

  digits(count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += String(this.int(0, 9));
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Pieces of a subscriber

type Sex = 'male' | 'female';

const LATIN: Record<string, string> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y',
  к: 'k', қ: 'k', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u',
  ұ: 'u', ү: 'u', ф: 'f', х: 'kh', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', і: 'i',
  ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** Cyrillic (Russian and Kazakh) to lower-case Latin letters for e-mail addresses. */
export function transliterate(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) {
    const latin = LATIN[ch];
    if (latin !== undefined) out += latin;
    else if (/[a-z0-9]/.test(ch)) out += ch;
  }
  return out;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A valid IIN for someone born 1950–2004: YYMMDD, century-and-sex digit, 4-digit serial, check digit. */
function randomIin(rnd: Random, sex: Sex, taken: Set<string>): string {
  for (;;) {
    const year = rnd.int(1950, 2004);
    const month = rnd.int(1, 12);
    const day = rnd.int(1, monthLength(year, month));
    const century = year < 2000 ? (sex === 'male' ? 3 : 4) : sex === 'male' ? 5 : 6;
    const first11 = `${pad2(year % 100)}${pad2(month)}${pad2(day)}${century}${rnd.digits(4)}`;
    const check = iinCheckDigit(first11);
    if (check === null) continue; // no check digit exists for this serial: draw another
    const iin = `${first11}${check}`;
    if (taken.has(iin)) continue;
    taken.add(iin);
    return iin;
  }
}

const MOBILE_CODES = ['700', '701', '702', '705', '707', '708', '747', '771', '775', '776', '777', '778'] as const;

function randomPhone(rnd: Random): string {
  return `+7 ${rnd.pick(MOBILE_CODES)} ${rnd.digits(3)} ${rnd.digits(2)} ${rnd.digits(2)}`;
}

/** "Абай даңғылы / пр. Абая" → "пр. Абая" (addresses are written in Russian, as on most contracts). */
function russianStreet(street: string): string {
  const parts = street.split(' / ');
  return (parts[1] ?? parts[0] ?? street).trim();
}

function randomAddress(rnd: Random, people: People): string {
  const astana = rnd.chance(0.35);
  const city = astana ? 'г. Астана' : 'г. Алматы';
  const street = russianStreet(rnd.pick(astana ? people.streets.astana : people.streets.almaty));
  const house = rnd.chance(0.15) ? `${rnd.int(1, 180)}${rnd.pick(['а', 'б', '/1', '/2'])}` : String(rnd.int(1, 240));
  return `${city}, ${street}, д. ${house}, кв. ${rnd.int(1, 180)}`;
}

interface Person {
  iin: string;
  name: string;
  /** firstname.surname in Latin letters, before making it unique. */
  mailbox: string;
}

function randomPerson(rnd: Random, people: People, iins: Set<string>): Person {
  const list = rnd.chance(0.7) ? people.kazakh : people.russian;
  const sex: Sex = rnd.chance(0.5) ? 'male' : 'female';
  const first = rnd.pick(list[sex]);
  const surname = rnd.pick(list.surnames)[sex];
  return {
    iin: randomIin(rnd, sex, iins),
    name: `${surname} ${first}`,
    mailbox: `${transliterate(first)}.${transliterate(surname)}`,
  };
}

function uniqueEmail(mailbox: string, emails: Set<string>): string {
  for (let i = 1; ; i++) {
    const email = `${mailbox}${i === 1 ? '' : i}@example.kz`;
    if (!emails.has(email)) {
      emails.add(email);
      return email;
    }
  }
}

/** A connection date: 95% within the `monthsBack` months before startDate, 5% from the 1st of its month to startDate itself (never in the future). */
function randomConnectedOn(rnd: Random, startDate: IsoDate, monthsBack: number): IsoDate {
  if (rnd.chance(0.05)) {
    const first = firstDayOf(periodOf(startDate));
    return addDays(first, rnd.int(0, daysBetween(first, startDate)));
  }
  const earliest = addMonths(startDate, -monthsBack);
  return addDays(earliest, rnd.int(0, daysBetween(earliest, startDate) - 1));
}

// ---------------------------------------------------------------------------------------------
// Rows

/** Share of accounts on the credit method overall; rented premises are always advance (cl. 7). */
const CREDIT_SHARE = 0.4;
const RENTED_SHARE = 0.15;

/**
 * n account rows with exactly the ACCOUNT_COLUMNS keys, as a CSV file for `esep import accounts`
 * would hold them. Deterministic for a seed. Accounts are numbered 100001, 100002, …; about 10% of
 * subscribers hold a second account (the next number, same IIN and name, its own address).
 */
export function demoAccountRows(
  n: number,
  seed: number,
  tariffCodes: string[],
  startDate: string,
  people: People = demoPeople(),
  monthsBack = 12,
): Record<string, string>[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`demo account count must be a whole number ≥ 0, got ${n}`);
  if (n > 899_999) throw new RangeError('at most 899 999 demo accounts (numbers 100001–999999)');
  if (tariffCodes.length === 0) throw new RangeError('no tariffs to choose from');
  if (!isIsoDate(startDate)) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${startDate}"`);
  if (!Number.isInteger(monthsBack) || monthsBack < 1) throw new RangeError(`demo months must be a whole number ≥ 1, got ${monthsBack}`);

  const rnd = new Random(seed);
  const iins = new Set<string>();
  const emails = new Set<string>();
  const rows: Record<string, string>[] = [];

  const accountRow = (person: Person): Record<string, string> => {
    const premisesOwned = !rnd.chance(RENTED_SHARE);
    const credit = premisesOwned && rnd.chance(CREDIT_SHARE / (1 - RENTED_SHARE));
    const row: Record<string, string> = {
      account: String(100001 + rows.length),
      iin: person.iin,
      name: person.name,
      address: randomAddress(rnd, people),
      email: rnd.chance(0.8) ? uniqueEmail(person.mailbox, emails) : '',
      phone: rnd.chance(0.9) ? randomPhone(rnd) : '',
      method: credit ? 'credit' : 'advance',
      tariff: rnd.pick(tariffCodes),
      connected_on: randomConnectedOn(rnd, startDate, monthsBack),
      premises_owned: premisesOwned ? 'yes' : 'no',
    };
    // The same keys in the same order as the import file's header.
    return Object.fromEntries(ACCOUNT_COLUMNS.map((c) => [c, row[c] ?? '']));
  };

  while (rows.length < n) {
    const person = randomPerson(rnd, people, iins);
    rows.push(accountRow(person));
    if (rows.length < n && rnd.chance(0.1)) rows.push(accountRow(person));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Loading

export interface DemoOptions {
  /** Seed for the generated subscribers (default DEMO_SEED). */
  seed?: number;
  /** The billing day of the load; also the start date the connection dates are drawn around. */
  today: IsoDate;
  /** Where operator.json, tariffs.csv and people.json are (default fixtures/demo in the project). */
  fixturesDir?: string;
  /** Connection dates are spread over this many months before `today` (default 12). */
  monthsBack?: number;
}

export interface DemoSummary {
  /** Account rows loaded (added or found unchanged). */
  accounts: number;
  /** Tariff rows loaded from tariffs.csv. */
  tariffs: number;
  operator: OperatorRow;
  tariffImport: ImportSummary;
  accountImport: ImportSummary;
}

function sameOperator(a: OperatorRow | undefined, b: OperatorRow): boolean {
  if (!a) return false;
  return (Object.keys(b) as (keyof OperatorRow)[]).every((k) => String(a[k]) === String(b[k]));
}

/**
 * Loads the demo: the operator (fixtures/demo/operator.json), the tariffs (tariffs.csv, through
 * importTariffs) and n generated accounts, each row checked exactly as a row of an accounts CSV
 * would be. Any refused row is an InputError and nothing of the accounts is written. Loading the
 * same seed again changes nothing: the imports find every row unchanged.
 */
export async function loadDemo(db: Db, n: number, options: DemoOptions): Promise<DemoSummary> {
  const dir = options.fixturesDir ?? DEMO_FIXTURES_DIR;
  const seed = options.seed ?? DEMO_SEED;
  const { today } = options;
  if (!isIsoDate(today)) throw new RangeError(`not an ISO date (YYYY-MM-DD): "${today}"`);

  // 1. Operator.
  const operatorFile = path.join(dir, 'operator.json');
  const operatorStartedAt = nowIso();
  const operator = parseOperator(await readJsonFile(operatorFile), path.basename(operatorFile));
  inTransaction(db, () => {
    const changed = !sameOperator(getOperator(db), operator);
    if (changed) saveOperator(db, operator);
    journalRun(db, 'import-operator', path.basename(operatorFile), operatorStartedAt, { saved: changed ? 1 : 0 });
  });

  // 2. Tariffs.
  // The generated accounts take their tariffs from the file only (not from whatever else the database
  // holds), so that the rows depend on the fixtures, the seed and the day alone.
  const tariffsFile = path.join(dir, 'tariffs.csv');
  const tariffImport = await importTariffs(db, tariffsFile);
  const tariffs = allTariffs(db);
  const fileCodes = (await readCsvChecked(tariffsFile, TARIFF_COLUMNS, tariffLineChecker())).map((t) => t.code);
  const codes = fileCodes.filter((code) => {
    const discontinuedOn = tariffs.get(code)?.discontinuedOn ?? null;
    return discontinuedOn === null || discontinuedOn > today;
  });

  // 3. Accounts, checked row by row as `esep import accounts` would (the header is line 1).
  const rows = demoAccountRows(n, seed, codes, today, demoPeople(dir), options.monthsBack ?? 12);
  const check = accountLineChecker(tariffs);
  const problems: InputProblem[] = [];
  const lines: AccountLine[] = [];
  rows.forEach((values, i) => {
    const row: CsvRow = { line: i + 2, values };
    let bad = false;
    const line = check(row, (field, message) => {
      bad = true;
      problems.push({ file: 'demo', line: row.line, field, message });
    });
    if (!bad && line !== undefined) lines.push(line);
  });
  if (problems.length > 0) throw new InputError(problems);
  const accountImport = applyAccountLines(db, lines, 'demo', today, nowIso());

  return {
    accounts: lines.length,
    tariffs: tariffImport.added + tariffImport.updated + tariffImport.unchanged,
    operator,
    tariffImport,
    accountImport,
  };
}
