// Kazakhstan identifiers: IIN (individuals), BIN (legal entities), KZ IBAN, BIC/SWIFT.
//
// Validators take a normalised string (no spaces, upper case, as stored); they never trim or guess.
// For bank details typed by people use normaliseIban / normaliseBic first.
// Each validationErrorX returns a human message for import error reports, or null when valid;
// isValidX(s) is validationErrorX(s) === null.
//
// Pure: no I/O, no clock.

import { monthLength } from './dates.js';

// ---------------------------------------------------------------------------------------------
// IIN / BIN check digit

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;

function weightedMod11(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * (weights[i] ?? 0);
  return sum % 11;
}

/**
 * The 12th digit of an IIN or BIN from its first 11 digits: Σ dᵢ·i (i = 1..11) mod 11; when that is
 * 10, Σ with weights 3,4,5,6,7,8,9,10,11,1,2 mod 11; when that is 10 too, no check digit exists (null).
 * Throws when `first11` is not exactly 11 digits.
 */
export function iinCheckDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) throw new Error(`iinCheckDigit needs exactly 11 digits, got "${first11}"`);
  const first = weightedMod11(first11, WEIGHTS_1);
  if (first !== 10) return first;
  const second = weightedMod11(first11, WEIGHTS_2);
  return second === 10 ? null : second;
}

/** The same algorithm serves BINs. */
export const binCheckDigit = iinCheckDigit;

/** first11 + its check digit (fixtures). Throws when first11 is not 11 digits or has no check digit. */
export function makeIin(first11: string): string {
  const c = iinCheckDigit(first11);
  if (c === null) throw new Error(`no check digit exists for "${first11}" (checksum is 10 under both weight sets)`);
  return `${first11}${c}`;
}

/** makeIin for BINs (same algorithm; does not check the entity-type digit). */
export const makeBin = makeIin;

function checkDigitError(s: string, what: 'IIN' | 'BIN'): string | null {
  const c = iinCheckDigit(s.slice(0, 11));
  if (c === null) return `${what} has no valid check digit (checksum is 10 under both weight sets)`;
  if (c !== Number(s[11])) return `${what} check digit is wrong`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// IIN


/**
 * Why `s` is not a valid IIN, or null. Digits 1–6 are the birth date YYMMDD, digit 7 the century and
 * sex (1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd male, even female), digit 12 the check digit.
 */
export function validationErrorIin(s: string): string | null {
  if (!/^\d{12}$/.test(s)) return 'IIN must be 12 digits';
  const century = Number(s[6]);
  if (century < 1 || century > 6) return 'IIN 7th digit (century and sex) must be 1 to 6';
  const year = 1800 + 100 * Math.floor((century - 1) / 2) + Number(s.slice(0, 2));
  const month = Number(s.slice(2, 4));
  const day = Number(s.slice(4, 6));
  if (month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) return 'IIN birth date is not a date';
  return checkDigitError(s, 'IIN');
}

export function isValidIin(s: string): boolean {
  return validationErrorIin(s) === null;
}

// ---------------------------------------------------------------------------------------------
// BIN

/**
 * Why `s` is not a valid BIN, or null. Digits 1–4 are the registration year and month (not checked),
 * digit 5 the entity type (4 resident legal entity, 5 non-resident, 6 individual entrepreneur in a
 * joint venture), digit 12 the check digit (same algorithm as the IIN).
 */
export function validationErrorBin(s: string): string | null {
  if (!/^\d{12}$/.test(s)) return 'BIN must be 12 digits';
  if (!['4', '5', '6'].includes(s[4] ?? '')) return 'BIN 5th digit (entity type) must be 4, 5 or 6';
  return checkDigitError(s, 'BIN');
}

export function isValidBin(s: string): boolean {
  return validationErrorBin(s) === null;
}

// ---------------------------------------------------------------------------------------------
// KZ IBAN

/** Removes all white space and upper-cases: " kz86 125k zt50 0410 0100 " → "KZ86125KZT5004100100". */
export function normaliseIban(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}

/** ISO 13616 / ISO 7064 mod 97-10 of an alphanumeric string, letters A=10 … Z=35, digit by digit. */
function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48; // 'A' = 65 → 10; '0' = 48 → 0
    rem = value >= 10 ? (rem * 100 + value) % 97 : (rem * 10 + value) % 97;
  }
  return rem;
}

/** Why `s` (normalised) is not a valid Kazakhstan IBAN, or null. KZ + 2 check digits + 16 alphanumerics. */
export function validationErrorKzIban(s: string): string | null {
  if (/\s/.test(s) || /[a-z]/.test(s)) return 'IBAN must be normalised (no spaces, upper case)';
  if (!s.startsWith('KZ')) return 'IBAN must start with KZ';
  if (s.length !== 20) return 'KZ IBAN must be 20 characters';
  if (!/^\d{2}$/.test(s.slice(2, 4))) return 'IBAN check digits (3rd and 4th characters) must be digits';
  if (!/^[A-Z0-9]{16}$/.test(s.slice(4))) return 'IBAN must contain only letters A–Z and digits';
  if (mod97(s.slice(4) + s.slice(0, 4)) !== 1) return 'IBAN check digits are wrong';
  return null;
}

export const validationErrorIban = validationErrorKzIban;

export function isValidKzIban(s: string): boolean {
  return validationErrorKzIban(s) === null;
}

// ---------------------------------------------------------------------------------------------
// BIC / SWIFT

/** Removes all white space and upper-cases. */
export function normaliseBic(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}

/**
 * Why `s` (normalised) is not a BIC, or null: 4 letters bank, 2 letters country, 2 letters/digits
 * location, optionally 3 letters/digits branch (8 or 11 characters).
 */
export function validationErrorBic(s: string): string | null {
  if (s.length !== 8 && s.length !== 11) return 'BIC must be 8 or 11 characters';
  if (/[a-z]/.test(s)) return 'BIC must be upper case';
  if (!/^[A-Z]{4}/.test(s)) return 'BIC bank code (characters 1–4) must be letters';
  if (!/^[A-Z]{2}$/.test(s.slice(4, 6))) return 'BIC country code (characters 5–6) must be letters';
  if (!/^[A-Z0-9]{2}$/.test(s.slice(6, 8))) return 'BIC location code (characters 7–8) must be letters or digits';
  if (s.length === 11 && !/^[A-Z0-9]{3}$/.test(s.slice(8))) {
    return 'BIC branch code (characters 9–11) must be letters or digits';
  }
  return null;
}

export function isValidBic(s: string): boolean {
  return validationErrorBic(s) === null;
}

/** validationErrorBic, and the country must be KZ. */
export function validationErrorKzBic(s: string): string | null {
  const e = validationErrorBic(s);
  if (e !== null) return e;
  if (s.slice(4, 6) !== 'KZ') return 'BIC country code must be KZ';
  return null;
}

export function isValidKzBic(s: string): boolean {
  return validationErrorKzBic(s) === null;
}
