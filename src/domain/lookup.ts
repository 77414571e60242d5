// Finding an account the way an accountant asks for it (`esep account find TEXT`): by its number,
// the subscriber's IIN, name or phone, written however the person at the desk writes them.
//
// Names compare folded (foldName): case-insensitive in Kazakh and Russian, with the letters that are
// typed for one another treated as one. Kazakh ө is often entered as ӛ (the two glyphs look alike in
// many fonts, and some old keyboard layouts and 1C bases carry ӛ), so a search for either finds both;
// Russian ё is as often written е. Phones compare by their digits only, with the country prefix
// (+7 or the domestic 8) dropped: `+7 701 123 45 67` and `87011234567` are the same number.

/** One spelling for letters people type for one another: ӛ→ө (both cases folded first), ё→е. */
const SAME_LETTER: Readonly<Record<string, string>> = { ӛ: 'ө', ё: 'е' };

/**
 * A name folded for comparing: Unicode NFC, lower case, ӛ as ө and ё as е, runs of spaces as one,
 * no spaces at the ends. Two spellings of one name fold to the same text.
 */
export function foldName(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[ӛё]/g, (c) => SAME_LETTER[c]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A phone number as its national digits: every non-digit dropped, then the country prefix of an
 * 11-digit number (7, or 8 as dialled inside Kazakhstan) dropped: `+7 701 123 45 67` → `7011234567`.
 */
export function phoneDigits(text: string): string {
  const digits = text.replace(/\D/g, '');
  return digits.length === 11 && (digits[0] === '7' || digits[0] === '8') ? digits.slice(1) : digits;
}

/** What a lookup compares an account by. */
export interface LookupCandidate {
  account: string;
  iin: string;
  name: string;
  phone: string | null;
}

export type LookupField = 'account' | 'iin' | 'name' | 'phone';

/** The fewest digits a query must have to be looked for inside phone numbers and IINs. */
export const MIN_DIGITS_INSIDE = 4;

export interface LookupQuery {
  text: string;
  /** The query folded as a name, split into words: each must occur in the name. */
  words: string[];
  /** The query's national phone digits when it is written as a number (digits, spaces, + ( ) -), else null. */
  digits: string | null;
}

export function lookupQuery(text: string): LookupQuery {
  const folded = foldName(text);
  const numeric = /^[\d\s+()\-.]+$/.test(text.trim()) && /\d/.test(text);
  return { text: text.trim(), words: folded === '' ? [] : folded.split(' '), digits: numeric ? phoneDigits(text) : null };
}

/**
 * Which fields of an account a query matches, best first: the account number (whole, any case),
 * the IIN (whole, or a run of at least MIN_DIGITS_INSIDE of its digits), the phone (its national
 * digits contain the query's), the name (every word of the query occurs in the folded name, in any
 * order). Empty when it does not match.
 */
export function lookupMatches(query: LookupQuery, c: LookupCandidate): LookupField[] {
  const out: LookupField[] = [];
  if (query.text === '') return out;
  if (c.account.toLowerCase() === query.text.toLowerCase()) out.push('account');
  const digits = query.digits;
  if (digits !== null && digits !== '') {
    const raw = query.text.replace(/\D/g, '');
    if (c.iin === raw || (raw.length >= MIN_DIGITS_INSIDE && c.iin.includes(raw))) out.push('iin');
    if (c.phone !== null && digits.length >= MIN_DIGITS_INSIDE && phoneDigits(c.phone).includes(digits)) out.push('phone');
  }
  if (query.words.length > 0 && digits === null) {
    const name = foldName(c.name);
    if (query.words.every((w) => name.includes(w))) out.push('name');
  }
  return out;
}
