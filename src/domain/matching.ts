// SPEC section 5: which personal account a bank payment is for. In this order: the account column;
// the account number written in the payment purpose (only an account that exists counts); the payer
// IIN when it holds exactly one account. Otherwise the payment waits in suspense for an accountant.
// Pure: the database is behind the AccountLookup the caller passes in.

export type MatchedBy = 'account' | 'purpose' | 'iin' | 'manual';

export interface AccountLookup {
  exists(account: string): boolean;
  accountsOfIin(iin: string): readonly string[];
}

export type Match = { account: string; by: MatchedBy } | { account: null; reason: string };

export interface Matchable {
  account: string | null;
  payerIin: string | null;
  purpose: string | null;
}

// The words people write before a personal account number, in Russian and Kazakh:
// л/с, л.с., лс, ЛС-, лиц. счет, лицевой счет / счёт / счета, дербес шот / шоты / шотқа, д/ш, д.ш.
const KEYWORD = [
  'лицев(?:ой|ого|ому)\\s+сч[её]т(?:а|у)?',
  'лиц\\.?\\s*сч(?:[её]т(?:а|у)?|\\.)?',
  'л\\s*[/.\\\\]\\s*сч?\\.?',
  'лс',
  'дербес\\s+ш[оө]т(?:ы|қа|тың|ыңыз)?',
  'д\\s*[/.\\\\]\\s*ш\\.?',
  'дш',
].join('|');

// After the keyword: separators (spaces, colon, №, #, dash, dot), then the number: 1–20 letters,
// digits or dashes, starting with a Latin letter or digit (the account numbers of `import accounts`).
const IN_PURPOSE = new RegExp(`(?<![\\p{L}\\p{N}])(?:${KEYWORD})[\\s:№#.\\-]*([0-9A-Za-z][0-9A-Za-z-]{0,19})(?![\\p{L}\\p{N}])`, 'giu');

/** Every account number written after an account keyword in a purpose text, in order, once each. */
export function accountsInPurpose(purpose: string): string[] {
  const out: string[] = [];
  for (const m of purpose.matchAll(IN_PURPOSE)) {
    const number = m[1]!.replace(/-+$/, '');
    if (number !== '' && !out.includes(number)) out.push(number);
  }
  return out;
}

/** SPEC section 5: the account a payment is for, or why it goes to suspense. */
export function matchPayment(row: Matchable, lookup: AccountLookup): Match {
  const reasons: string[] = [];
  const column = row.account?.trim() ?? '';
  if (column !== '') {
    if (lookup.exists(column)) return { account: column, by: 'account' };
    reasons.push(`no account "${column}"`);
  }
  if (row.purpose) {
    const named = accountsInPurpose(row.purpose);
    const known = named.filter((a) => lookup.exists(a));
    if (known.length === 1) return { account: known[0]!, by: 'purpose' };
    if (known.length > 1) reasons.push(`the purpose names several accounts (${known.join(', ')})`);
    else if (named.length > 0) reasons.push(`the purpose names no known account (${named.join(', ')})`);
  }
  if (row.payerIin) {
    const held = lookup.accountsOfIin(row.payerIin);
    if (held.length === 1) return { account: held[0]!, by: 'iin' };
    reasons.push(held.length === 0 ? `IIN ${row.payerIin} holds no account` : `IIN ${row.payerIin} holds ${held.length} accounts`);
  }
  return { account: null, reason: reasons.length > 0 ? reasons.join('; ') : 'no account, purpose or IIN to match' };
}
