// Rules about opening and describing accounts.
import type { Tiyn } from './money.js';

export const METHODS = ['advance', 'credit'] as const;
export type Method = (typeof METHODS)[number];

export type AccountStatus = 'active' | 'suspended' | 'terminated';
export type SuspendReason = 'funds' | 'debt';

/** Why an access event happened, as a code the rules read (the prose beside it is for people). */
export const ACCESS_CAUSES = ['funds', 'debt', 'operator', 'subscriber'] as const;
export type AccessCause = (typeof ACCESS_CAUSES)[number];

export interface AccountState {
  status: AccountStatus;
  suspendReason: SuspendReason | null;
}

export type Transition =
  /** cl. 17.2 (funds), cl. 23.5 (debt). */
  | { event: 'suspend'; cause: SuspendReason }
  /** cl. 17.3 (funds), cl. 21.13 (debt): only what suspended the account restores it. */
  | { event: 'restore'; cause: SuspendReason }
  /** cl. 23.6 (operator), cl. 10 and 24.6 (subscriber). */
  | { event: 'terminate'; cause: 'operator' | 'subscriber' };

/**
 * The one transition function of an account's status: the state after the transition, or null when
 * it does not apply (a suspended account is not suspended again, a restoration restores only what
 * its own cause suspended, nothing moves a terminated account).
 */
export function transition(state: AccountState, t: Transition): AccountState | null {
  if (state.status === 'terminated') return null;
  switch (t.event) {
    case 'suspend':
      return state.status === 'active' ? { status: 'suspended', suspendReason: t.cause } : null;
    case 'restore':
      return state.status === 'suspended' && state.suspendReason === t.cause ? { status: 'active', suspendReason: null } : null;
    case 'terminate':
      return { status: 'terminated', suspendReason: null };
  }
}

/**
 * The status an account had at the end of `day`: its access events up to that day (in the order they
 * happened) replayed through `transition` from active. A terminated account looked at before its
 * termination is what it was then.
 */
export function stateOn(events: readonly (Transition & { valueDate: string })[], day: string): AccountState {
  let state: AccountState = { status: 'active', suspendReason: null };
  for (const e of events) {
    if (e.valueDate > day) break;
    state = transition(state, e) ?? state;
  }
  return state;
}

/** cl. 7: in premises the subscriber does not own, only the advance (prepaid) method is allowed. */
export function methodAllowed(method: Method, premisesOwned: boolean): boolean {
  return premisesOwned || method === 'advance';
}

/** cl. 6.4: no new account while the same IIN has unpaid overdue debt on another account. */
export function mayOpenAccount(overdueDebtOfIin: Tiyn): boolean {
  return overdueDebtOfIin <= 0;
}

const YES = new Set(['1', 'true', 'yes', 'y', 'да', 'д', 'иә', 'ия', 'owned', 'own']);
const NO = new Set(['0', 'false', 'no', 'n', 'нет', 'н', 'жоқ', 'rented', 'rent', '']);

/** Reads a yes/no cell as people write it (also in Russian and Kazakh). Undefined when it is neither. */
export function parseYesNo(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (YES.has(t)) return true;
  if (NO.has(t) && t !== '') return false;
  return undefined;
}

/** The payment method as people write it in a file: advance/credit, or in Russian and Kazakh. */
const METHOD_WORDS: ReadonlyMap<string, Method> = new Map([
  ['advance', 'advance'],
  ['аванс', 'advance'],
  ['credit', 'credit'],
  ['кредит', 'credit'],
  ['несие', 'credit'],
]);

/** Reads a method cell (any case); undefined when it is none of the words. */
export function parseMethod(text: string): Method | undefined {
  return METHOD_WORDS.get(text.trim().toLowerCase());
}
