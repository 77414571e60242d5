// Amounts of money in words, in Kazakh and in Russian, as printed on an invoice:
// "<whole tenge in words, lower case> теңге|тенге <tiyn as two digits> тиын".
//
// Rules chosen here:
// - Kazakh hundreds always carry their multiplier, as accountants write them in documents:
//   100 = "бір жүз", 200 = "екі жүз", 1100 = "бір мың бір жүз". Likewise "бір мың", "бір миллион",
//   "бір миллиард". Kazakh numerals do not inflect, so no agreement is needed.
// - Russian: "тенге" is indeclinable and masculine ("один тенге", "двадцать один тенге", "два тенге");
//   "тиын" is always written "тиын" (accountants' usage). Thousands are feminine
//   (одна/две тысяча/тысячи, пять тысяч; 11–19 → тысяч); millions and billions are masculine.
// - Negative amounts are prefixed with "минус " in both languages; the tiyn of the absolute value
//   are printed ("минус ноль тенге 01 тиын" for -1 tiyn).
// - Up to 999 999 999 999 tenge; beyond that, and for a non-integer or unsafe number, an Error is thrown.
import type { Tiyn } from './money.js';

/** Largest whole tenge amount we spell out. */
const MAX_TENGE = 999_999_999_999;

interface Split {
  negative: boolean;
  tenge: number;
  tiyn: string;
}

function split(amount: Tiyn): Split {
  if (!Number.isSafeInteger(amount)) {
    throw new Error(`amount in words: not a whole, safe number of tiyn: ${String(amount)}`);
  }
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const tenge = Math.floor(abs / 100);
  if (tenge > MAX_TENGE) {
    throw new Error(`amount in words: more than ${MAX_TENGE} tenge: ${String(amount)} tiyn`);
  }
  const tiyn = String(abs % 100).padStart(2, '0');
  return { negative, tenge, tiyn };
}

/** Splits a whole number into groups of three digits, lowest first: 1125000 → [0, 125, 1]. */
function triads(n: number): number[] {
  const groups: number[] = [];
  let rest = n;
  do {
    groups.push(rest % 1000);
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups;
}

function word(list: readonly string[], index: number): string {
  const w = list[index];
  if (w === undefined) throw new Error(`amount in words: no word at index ${index}`);
  return w;
}

// ---------------------------------------------------------------- Kazakh

const KK_UNITS = ['', 'бір', 'екі', 'үш', 'төрт', 'бес', 'алты', 'жеті', 'сегіз', 'тоғыз'] as const;
const KK_TENS = ['', 'он', 'жиырма', 'отыз', 'қырық', 'елу', 'алпыс', 'жетпіс', 'сексен', 'тоқсан'] as const;
const KK_HUNDRED = 'жүз';
/** Scale words by triad index: units, мың, миллион, миллиард. */
const KK_SCALES = ['', 'мың', 'миллион', 'миллиард'] as const;

function kkTriad(n: number): string[] {
  const words: string[] = [];
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  if (h > 0) words.push(word(KK_UNITS, h), KK_HUNDRED); // "бір жүз" for 100, by the rule above
  if (t > 0) words.push(word(KK_TENS, t));
  if (u > 0) words.push(word(KK_UNITS, u));
  return words;
}

function kkNumber(n: number): string {
  if (n === 0) return 'нөл';
  const groups = triads(n);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i] ?? 0;
    if (g === 0) continue;
    words.push(...kkTriad(g));
    if (i > 0) words.push(word(KK_SCALES, i));
  }
  return words.join(' ');
}

/** The amount in Kazakh words: 258065 → "екі мың бес жүз сексен теңге 65 тиын". */
export function amountInWordsKk(amount: Tiyn): string {
  const { negative, tenge, tiyn } = split(amount);
  return `${negative ? 'минус ' : ''}${kkNumber(tenge)} теңге ${tiyn} тиын`;
}

// ---------------------------------------------------------------- Russian

type Gender = 'm' | 'f';

const RU_UNITS_M = ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'] as const;
const RU_UNITS_F = ['', 'одна', 'две', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'] as const;
const RU_TEENS = [
  'десять',
  'одиннадцать',
  'двенадцать',
  'тринадцать',
  'четырнадцать',
  'пятнадцать',
  'шестнадцать',
  'семнадцать',
  'восемнадцать',
  'девятнадцать',
] as const;
const RU_TENS = [
  '',
  '',
  'двадцать',
  'тридцать',
  'сорок',
  'пятьдесят',
  'шестьдесят',
  'семьдесят',
  'восемьдесят',
  'девяносто',
] as const;
const RU_HUNDREDS = [
  '',
  'сто',
  'двести',
  'триста',
  'четыреста',
  'пятьсот',
  'шестьсот',
  'семьсот',
  'восемьсот',
  'девятьсот',
] as const;

/** Scale by triad index: grammatical gender and the forms for 1, 2–4 and 5+ (also 11–14). */
const RU_SCALES: readonly { gender: Gender; forms: readonly [string, string, string] }[] = [
  { gender: 'm', forms: ['', '', ''] }, // тенге: masculine, indeclinable, written after the number
  { gender: 'f', forms: ['тысяча', 'тысячи', 'тысяч'] },
  { gender: 'm', forms: ['миллион', 'миллиона', 'миллионов'] },
  { gender: 'm', forms: ['миллиард', 'миллиарда', 'миллиардов'] },
];

/** Russian plural form index for n: 0 for 1, 21, 31…; 1 for 2–4, 22–24…; 2 otherwise (incl. 11–14). */
function ruPlural(n: number): 0 | 1 | 2 {
  const lastTwo = n % 100;
  const last = n % 10;
  if (lastTwo >= 11 && lastTwo <= 19) return 2;
  if (last === 1) return 0;
  if (last >= 2 && last <= 4) return 1;
  return 2;
}

function ruTriad(n: number, gender: Gender): string[] {
  const words: string[] = [];
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  if (h > 0) words.push(word(RU_HUNDREDS, h));
  if (t === 1) {
    words.push(word(RU_TEENS, u));
    return words;
  }
  if (t > 1) words.push(word(RU_TENS, t));
  if (u > 0) words.push(word(gender === 'f' ? RU_UNITS_F : RU_UNITS_M, u));
  return words;
}

function ruNumber(n: number): string {
  if (n === 0) return 'ноль';
  const groups = triads(n);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i] ?? 0;
    if (g === 0) continue;
    const scale = RU_SCALES[i];
    if (scale === undefined) throw new Error(`amount in words: number too large: ${n}`);
    words.push(...ruTriad(g, scale.gender));
    if (i > 0) words.push(scale.forms[ruPlural(g)]);
  }
  return words.join(' ');
}

/** The amount in Russian words: 258065 → "две тысячи пятьсот восемьдесят тенге 65 тиын". */
export function amountInWordsRu(amount: Tiyn): string {
  const { negative, tenge, tiyn } = split(amount);
  return `${negative ? 'минус ' : ''}${ruNumber(tenge)} тенге ${tiyn} тиын`;
}
