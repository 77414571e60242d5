// Rules about opening and describing accounts.
import type { Tiyn } from './money.js';

export const METHODS = ['advance', 'credit'] as const;
export type Method = (typeof METHODS)[number];

export type AccountStatus = 'active' | 'suspended' | 'terminated';
export type SuspendReason = 'funds' | 'debt';

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
