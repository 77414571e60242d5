import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, overdueDebt, summarise } from '../../src/domain/allocation.js';
import type { Entry, EntryKind } from '../../src/domain/entries.js';

let nextId = 1;
const e = (valueDate: string, kind: EntryKind, amount: number): Entry => ({ id: nextId++, valueDate, kind, amount });

describe('allocation by cl. 16', () => {
  it('pays penalties first, then the oldest principal', () => {
    const oct = e('2026-10-31', 'monthly_fee', -500_000); // October: 5 000 ₸
    const nov = e('2026-11-30', 'monthly_fee', -500_000); // November: 5 000 ₸
    const pen = e('2026-11-26', 'penalty', -2_500); // 0.5% of 5 000 ₸ = 25 ₸
    const pay = e('2026-12-01', 'payment', 300_000); // 3 000 ₸
    const s = allocate([oct, nov, pen, pay]);
    // 3 000 ₸ → 25 ₸ penalty, then 2 975 ₸ of October; November untouched
    expect(s.allocations).toEqual([
      { creditId: pay.id, debitId: pen.id, amount: 2_500, asOf: '2026-12-01' },
      { creditId: pay.id, debitId: oct.id, amount: 297_500, asOf: '2026-12-01' },
    ]);
    expect(s.unpaid.get(oct.id)).toBe(202_500); // 5 000 − 2 975 = 2 025 ₸
    expect(s.unpaid.get(nov.id)).toBe(500_000);
    expect(s.unpaid.has(pen.id)).toBe(false);
    expect(summarise([oct, nov, pen, pay])).toEqual({ balance: -702_500, debt: 702_500, penaltyDebt: 0, prepayment: 0 });
  });

  it('keeps what is left as prepayment and spends it on later charges as they arrive', () => {
    const pay = e('2026-11-01', 'payment', 1_000_000); // 10 000 ₸
    const d1 = e('2026-11-01', 'daily_fee', -16_667);
    const d2 = e('2026-11-02', 'daily_fee', -16_666);
    const s = summarise([pay, d1, d2]);
    // 10 000 − 166.67 − 166.66 = 9 666.67 ₸ left
    expect(s).toEqual({ balance: 966_667, debt: 0, penaltyDebt: 0, prepayment: 966_667 });
    const a = allocate([pay, d1, d2]);
    expect(a.allocations.map((x) => [x.debitId, x.amount, x.asOf])).toEqual([
      [d1.id, 16_667, '2026-11-01'],
      [d2.id, 16_666, '2026-11-02'],
    ]);
  });

  it('counts a payment for its value date, not for when it was posted', () => {
    const fee = e('2026-11-01', 'monthly_fee', -500_000);
    const pen = e('2026-11-27', 'penalty', -2_500);
    // posted after the penalty, but its value date is earlier: it paid the fee before the penalty existed
    const pay = e('2026-11-20', 'payment', 500_000);
    expect(summarise([fee, pen, pay])).toEqual({ balance: -2_500, debt: 0, penaltyDebt: 2_500, prepayment: 0 });
    // as of the 25th the penalty did not exist yet
    expect(summarise([fee, pen, pay], '2026-11-25')).toEqual({ balance: 0, debt: 0, penaltyDebt: 0, prepayment: 0 });
  });

  it('never lets a recalculation credit pay a penalty', () => {
    const fee = e('2026-10-31', 'monthly_fee', -300_000);
    const pen = e('2026-11-26', 'penalty', -1_500);
    const recalc = e('2026-11-27', 'recalc', 10_000); // 100 ₸ back for an outage
    const s = summarise([fee, pen, recalc]);
    // the 100 ₸ goes to principal: 3 000 − 100 = 2 900 ₸ left; the 15 ₸ penalty stays
    expect(s).toEqual({ balance: -291_500, debt: 290_000, penaltyDebt: 1_500, prepayment: 0 });
  });

  it('finds overdue debt from the invoices\u2019 due dates (cl. 6.4)', () => {
    const oct = e('2026-10-15', 'monthly_fee', -500_000);
    const nov = e('2026-11-15', 'monthly_fee', -500_000);
    const pay = e('2026-11-20', 'payment', 200_000);
    const due = new Map([
      ['2026-10', '2026-11-25'],
      ['2026-11', '2026-12-25'],
    ]);
    // on the due date itself nothing is overdue yet
    expect(overdueDebt([oct, nov, pay], due, '2026-11-25')).toBe(0);
    // the day after: October's 5 000 less the 2 000 paid = 3 000 ₸
    expect(overdueDebt([oct, nov, pay], due, '2026-11-26')).toBe(300_000);
    // after December 25 both months are overdue: 10 000 − 2 000 = 8 000 ₸
    expect(overdueDebt([oct, nov, pay], due, '2026-12-26')).toBe(800_000);
  });
});

const kinds: EntryKind[] = ['daily_fee', 'monthly_fee', 'penalty', 'port_reservation', 'payment', 'recalc', 'adjustment', 'installation'];
const entryArb = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  kind: fc.constantFrom(...kinds),
  amount: fc.integer({ min: 1, max: 1_000_000 }),
});
function build(raw: { day: number; kind: EntryKind; amount: number }[], ids: number[]): Entry[] {
  return raw.map((r, i) => ({
    id: ids[i]!,
    valueDate: `2026-11-${String(r.day).padStart(2, '0')}`,
    kind: r.kind,
    // payments, recalculations and adjustments in the subscriber's favour; the rest are charges
    amount: ['payment', 'recalc', 'adjustment'].includes(r.kind) ? r.amount : -r.amount,
  }));
}

describe('allocation properties', () => {
  it('balance = prepayment − debt − penalty debt, and nothing is over-allocated', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 40 }), (raw) => {
        const entries = build(raw, raw.map((_, i) => i + 1));
        const s = summarise(entries);
        const sum = entries.reduce((acc, x) => acc + x.amount, 0);
        expect(s.balance).toBe(sum);
        expect(s.prepayment - s.debt - s.penaltyDebt).toBe(sum);
        const byCredit = new Map<number, number>();
        const byDebit = new Map<number, number>();
        for (const a of allocate(entries).allocations) {
          expect(a.amount).toBeGreaterThan(0);
          byCredit.set(a.creditId, (byCredit.get(a.creditId) ?? 0) + a.amount);
          byDebit.set(a.debitId, (byDebit.get(a.debitId) ?? 0) + a.amount);
        }
        for (const x of entries) {
          if (x.amount > 0) expect(byCredit.get(x.id) ?? 0).toBeLessThanOrEqual(x.amount);
          else expect(byDebit.get(x.id) ?? 0).toBeLessThanOrEqual(-x.amount);
          if (x.amount > 0) expect(byDebit.has(x.id)).toBe(false);
        }
      }),
    );
  });

  it('the order entries were posted in does not change what is owed', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { minLength: 1, maxLength: 30 }).chain((raw) =>
          fc.tuple(fc.constant(raw), fc.shuffledSubarray(raw.map((_, i) => i + 1), { minLength: raw.length })),
        ),
        ([raw, shuffled]) => {
          const inOrder = summarise(build(raw, raw.map((_, i) => i + 1)));
          const posted = summarise(build(raw, shuffled));
          expect(posted).toEqual(inOrder);
        },
      ),
    );
  });
});
