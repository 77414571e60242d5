// SPEC section 5: which personal account a bank payment is for. In this order: the account column;
// the account number written in the payment purpose (only an account that exists counts); the payer
// IIN when it holds exactly one account. Otherwise the payment waits in suspense for an accountant.
// Pure: the database is behind the AccountLookup the caller passes in.

export type MatchedBy = 'account' | 'purpose' | 'iin' | 'manual';

export interface AccountLookup {
  exists(account: string): boolean;
  accountsOfIin(iin: string): readonly string[];
}

/**
 * Why a payment waits in suspense, as a code stored with it (payments.suspense_reason); the words
 * for people come from the code (suspenseWords), never the other way round.
 * - `no_account`: no account number found (no account column, none after a keyword in the purpose,
 *   and no payer IIN, or an IIN that holds no account);
 * - `unknown_account`: an account number was given (the account column or the purpose) and no such
 *   account exists;
 * - `purpose_several`: the purpose names two or more existing accounts (ambiguous: never decided by
 *   the IIN, which could point at a third);
 * - `iin_several`: nothing else decides and the payer IIN holds several accounts.
 */
/** `unassigned`: taken off the account it was on by `esep payments unassign` (never a matching result); its account is the one of `accounts`. */
export const SUSPENSE_REASONS = ['no_account', 'unknown_account', 'purpose_several', 'iin_several', 'unassigned'] as const;
export type SuspenseReason = (typeof SUSPENSE_REASONS)[number];

export type Match =
  | { account: string; by: MatchedBy }
  | {
      account: null;
      reason: SuspenseReason;
      /** The accounts the reason is about: the unknown numbers, the accounts named, the IIN's accounts. */
      accounts: readonly string[];
    };

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
  const unknown: string[] = [];
  const column = row.account?.trim() ?? '';
  if (column !== '') {
    if (lookup.exists(column)) return { account: column, by: 'account' };
    unknown.push(column);
  }
  if (row.purpose) {
    const named = accountsInPurpose(row.purpose);
    const known = named.filter((a) => lookup.exists(a));
    if (known.length === 1) return { account: known[0]!, by: 'purpose' };
    // Two accounts named: the payer said something the rule cannot decide; the IIN must not guess.
    if (known.length > 1) return { account: null, reason: 'purpose_several', accounts: known };
    for (const a of named) if (!unknown.includes(a)) unknown.push(a);
  }
  const held = row.payerIin ? lookup.accountsOfIin(row.payerIin) : [];
  if (held.length === 1) return { account: held[0]!, by: 'iin' };
  if (unknown.length > 0) return { account: null, reason: 'unknown_account', accounts: unknown };
  if (held.length > 1) return { account: null, reason: 'iin_several', accounts: [...held] };
  return { account: null, reason: 'no_account', accounts: [] };
}

/** What a suspense reason says to an accountant (null: stored before reasons were recorded). */
export function suspenseWords(reason: SuspenseReason | null, p: { accounts: readonly string[]; payerIin: string | null }): string {
  const list = p.accounts.join(', ');
  switch (reason) {
    case null:
      return 'not recorded (before this version)';
    case 'no_account':
      return 'no account number found';
    case 'unknown_account':
      return p.accounts.length === 1 ? `account ${list} unknown` : `accounts ${list} unknown`;
    case 'purpose_several':
      return `the purpose names ${p.accounts.length} accounts (${list})`;
    case 'iin_several':
      return `IIN ${p.payerIin ?? ''} holds ${p.accounts.length} accounts (${list})`;
    case 'unassigned':
      return `taken off account ${list} (esep payments unassign)`;
  }
}
