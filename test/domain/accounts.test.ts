import { describe, expect, it } from 'vitest';
import { stateOn } from '../../src/domain/accounts.js';

describe('stateOn: the status at the end of a day, from the access events', () => {
  const events = [
    { event: 'suspend' as const, cause: 'funds' as const, valueDate: '2026-11-05' },
    { event: 'restore' as const, cause: 'funds' as const, valueDate: '2026-11-05' },
    { event: 'suspend' as const, cause: 'debt' as const, valueDate: '2026-11-26' },
    { event: 'terminate' as const, cause: 'operator' as const, valueDate: '2026-12-26' },
  ];

  it('before any event: active', () => {
    expect(stateOn(events, '2026-11-04')).toEqual({ status: 'active', suspendReason: null });
  });

  it('a suspension and restoration on the same day end active', () => {
    expect(stateOn(events, '2026-11-05')).toEqual({ status: 'active', suspendReason: null });
  });

  it('looked at before its termination, a terminated account is what it was then', () => {
    expect(stateOn(events, '2026-12-25')).toEqual({ status: 'suspended', suspendReason: 'debt' });
    expect(stateOn(events, '2026-12-26')).toEqual({ status: 'terminated', suspendReason: null });
  });
});
