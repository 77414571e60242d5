// Who the operator is on a statement row (isOperatorParty, domain/statement.ts): one rule for the
// 1C reader and the bank profiles, for money to the operator and for its own transfers.
import { describe, expect, it } from 'vitest';
import { isOperatorParty } from '../../src/domain/statement.js';

const OWN = new Set(['KZ12601A861000123456', 'KZ18722S000012345678']);
const BIN = '190540012345';

describe('isOperatorParty', () => {
  it('is the operator by one of its accounts or by its BIN', () => {
    expect(isOperatorParty('KZ18722S000012345678', null, OWN, BIN)).toBe(true);
    expect(isOperatorParty('KZ49722C000022223333', BIN, OWN, BIN)).toBe(true);
    expect(isOperatorParty(null, BIN, OWN, BIN)).toBe(true);
  });
  it('is not the operator by another account and IIN, by nothing, or by an unreadable IIN', () => {
    expect(isOperatorParty('KZ49722C000022223333', '900101300007', OWN, BIN)).toBe(false);
    expect(isOperatorParty('', null, OWN, BIN)).toBe(false);
    expect(isOperatorParty(null, undefined, OWN, BIN)).toBe(false);
    // no operator imported: only the accounts can tell
    expect(isOperatorParty(null, BIN, OWN, null)).toBe(false);
    expect(isOperatorParty('KZ12601A861000123456', BIN, OWN, null)).toBe(true);
  });
});
