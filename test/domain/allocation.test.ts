import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, summarise } from '../../src/domain/allocation.js';
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

  it('a recalculation cancels its own fee, never a penalty (D-7)', () => {
    const fee = e('2026-10-31', 'monthly_fee', -300_000);
    const pen = e('2026-11-26', 'penalty', -1_500);
    const recalc = { ...e('2026-11-27', 'recalc', 10_000), corrects: fee.id }; // 100 ₸ back for an outage
    const s = summarise([fee, pen, recalc]);
    // the 100 ₸ lowers its own fee: 3 000 − 100 = 2 900 ₸ left; the 15 ₸ penalty stays
    expect(s).toEqual({ balance: -291_500, debt: 290_000, penaltyDebt: 1_500, prepayment: 0 });
  });
});

describe('corrections net against the entry they name (D-7)', () => {
  it('a penalty correction lowers the penalty debt, never the principal', () => {
    const oct = e('2026-10-31', 'monthly_fee', -400_000); // 4 000 ₸
    const pen = e('2026-11-26', 'penalty', -2_000); // 0.5% × 4 000 = 20 ₸
    const fix = { ...e('2026-11-26', 'penalty', 2_000), corrects: pen.id }; // the day turned out paid
    // the correction cancels the 20 ₸ penalty: principal 4 000 untouched, no penalty left
    expect(summarise([oct, pen, fix])).toEqual({ balance: -400_000, debt: 400_000, penaltyDebt: 0, prepayment: 0 });
    // an unlinked credit of 20 ₸ would have been spread by cl. 16 instead: the same here (penalties first)
    // but not once the penalty is paid; see the next case
  });

  it('a reversed port fee lowers its own day, not the oldest invoice', () => {
    const oct = e('2026-10-31', 'monthly_fee', -500_000); // October: 5 000 ₸ unpaid
    const port = e('2026-11-10', 'port_reservation', -5_000); // 50 ₸ on 10 Nov
    const back = { ...e('2026-11-10', 'port_reservation', 5_000), corrects: port.id };
    const s = allocate([oct, port, back]);
    // October still owes all 5 000 ₸; the port fee owes nothing
    expect(s.unpaid.get(oct.id)).toBe(500_000);
    expect(s.unpaid.has(port.id)).toBe(false);
    expect(s.unallocated.size).toBe(0);
  });

  it('gives back as a credit only what had been paid of the entry, spent by cl. 16', () => {
    const pay = e('2026-11-01', 'payment', 5_000); // 50 ₸ paid
    const port = e('2026-11-10', 'port_reservation', -5_000); // paid by the prepayment
    const oct = e('2026-11-15', 'backbill', -3_000); // 30 ₸ found later
    const back = { ...e('2026-11-20', 'port_reservation', 5_000), corrects: port.id };
    const s = summarise([pay, port, oct, back]);
    // the port fee was paid in full, so all 50 ₸ come back as a credit: 30 ₸ pay the back-bill, 20 ₸ prepayment
    // balance 50 − 50 − 30 + 50 = 20 ₸
    expect(s).toEqual({ balance: 2_000, debt: 0, penaltyDebt: 0, prepayment: 2_000 });
  });

  it('a correction dated before the entry it names takes effect when that entry arrives', () => {
    // credit account: 17 Nov recalculated, its share of the November fee dated 30 Nov
    const nov = e('2026-11-30', 'monthly_fee', -300_000); // 3 000 ₸
    const day = { ...e('2026-11-17', 'recalc', 10_000), corrects: nov.id }; // 3 000 / 30 = 100 ₸
    const pen = e('2026-11-20', 'penalty', -1_000); // an older invoice's 10 ₸ penalty
    const s = summarise([nov, day, pen]);
    // the 100 ₸ waits for the fee (it never pays the penalty of 20 Nov): 3 000 − 100 = 2 900 ₸ owed, 10 ₸ penalty
    expect(s).toEqual({ balance: -291_000, debt: 290_000, penaltyDebt: 1_000, prepayment: 0 });
    // as of 18 Nov the fee does not exist yet: the 100 ₸ is held as a credit of its own, so the
    // balance (+100) is still prepayment − debt − penalty debt
    expect(summarise([nov, day, pen], '2026-11-18')).toEqual({ balance: 10_000, debt: 0, penaltyDebt: 0, prepayment: 10_000 });
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
