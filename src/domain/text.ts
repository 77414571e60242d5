// Text damaged on its way to us. Excel's "CSV (разделители - запятые)" saves in Windows-1251, which
// has no ә ғ қ ң ө ұ ү һ (nor ü, ö, ş…): each such letter is written as "?", and the letter is gone.
// Pure: the caller says which fields are names and addresses.

/** A "?" with a letter right before or after it: a letter lost by a save in a code page without it. */
const LOST_LETTER = /(?<=\p{L})\?|\?(?=\p{L})/u;

/**
 * Whether a name or address has a letter lost to "?". The rule: a "?" touching a letter
 * ("Н?рлан", "?сел", "Жа?а") is a lost letter; a "?" between spaces or digits is left alone. A
 * real question mark inside a word of a name or an address does not occur.
 */
export function hasLostLetter(text: string): boolean {
  return LOST_LETTER.test(text);
}

/**
 * Whether `damaged` is `stored` with some of its letters turned into "?": same length, and where
 * they differ, "?" in one and a letter in the other. On a re-import this tells for certain that the
 * file lost letters the database has.
 */
export function lostLettersOf(damaged: string, stored: string): boolean {
  const a = [...damaged];
  const b = [...stored];
  if (a.length !== b.length) return false;
  let lost = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== '?' || !/\p{L}/u.test(b[i]!)) return false;
    lost = true;
  }
  return lost;
}
