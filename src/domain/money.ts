// Money: integer tiyn (1/100 tenge) in storage and across modules; decimal.js inside computations.
// One rounding rule for the whole system: half up to the tiyn at the moment an amount is posted (D-1).
import { Decimal } from 'decimal.js';

/** An amount in tiyn. Always a safe integer; positive = in the subscriber's favour on the ledger. */
export type Tiyn = number;

export const TIYN_PER_TENGE = 100;

/** A Decimal with enough precision for any amount we meet (18 tenge digits and then some). */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/** Asserts that a value is a whole, safe number of tiyn. */
export function tiyn(value: number): Tiyn {
  if (!Number.isSafeInteger(value)) throw new MoneyError(`not a whole number of tiyn: ${value}`);
  return value;
}

/** Rounds a tiyn amount held as a Decimal half up (away from zero at .5) to a whole tiyn. */
export function roundTiyn(value: Decimal.Value): Tiyn {
  const rounded = new Dec(value).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return tiyn(rounded.toNumber());
}

/** amount × numerator / denominator, rounded half up once at the end (proration, rates). */
export function mulDivRound(amount: Tiyn, numerator: Decimal.Value, denominator: Decimal.Value): Tiyn {
  const d = new Dec(denominator);
  if (d.isZero()) throw new MoneyError('division by zero');
  return roundTiyn(new Dec(amount).mul(numerator).div(d));
}

/** Sums tiyn exactly (integers below 2^53 add exactly; the check guards the bound). */
export function sumTiyn(values: Iterable<Tiyn>): Tiyn {
  let total = 0;
  for (const v of values) total += v;
  return tiyn(total);
}

const GROUPED = /^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?$/;
const PLAIN = /^[+-]?\d+(?:[.,]\d{1,2})?$/;

/**
 * Parses tenge as people and banks write it: "5000", "5000.5", "5 000,50", "-125.40", "5 000 ₸".
 * Thousands may be grouped by spaces (also no-break spaces); the decimal mark is "." or ",";
 * at most two decimals. Anything else is refused, never guessed.
 */
export function parseTenge(text: string): Tiyn {
  let s = text.trim().replace(/\s*(₸|тг\.?|тенге|KZT)$/iu, '').trim();
  if (s === '') throw new MoneyError('empty amount');
  if (!GROUPED.test(s) && !PLAIN.test(s)) throw new MoneyError(`not an amount in tenge: "${text}"`);
  s = s.replace(/[ \u00a0\u202f]/g, '').replace(',', '.');
  const value = new Dec(s).mul(TIYN_PER_TENGE);
  if (!value.isInteger()) throw new MoneyError(`more than two decimals: "${text}"`);
  if (value.abs().gt(Number.MAX_SAFE_INTEGER)) throw new MoneyError(`amount too large: "${text}"`);
  return value.toNumber();
}

/** Tenge as a plain decimal string with two places: -12540 → "-125.40" (JSON, CSV). */
export function toTengeString(amount: Tiyn): string {
  tiyn(amount);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const whole = Math.trunc(abs / TIYN_PER_TENGE);
  const frac = abs % TIYN_PER_TENGE;
  return `${sign}${whole}.${String(frac).padStart(2, '0')}`;
}

/** Tenge for people: 500000 → "5 000,00 ₸" (space between thousands, comma decimals). */
export function formatTenge(amount: Tiyn, options: { symbol?: boolean } = {}): string {
  const [whole = '0', frac = '00'] = toTengeString(amount).split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const text = `${negative ? '-' : ''}${grouped},${frac}`;
  return options.symbol === false ? text : `${text} ₸`;
}
