// Suspension and termination judge an account as it stands: a debt unpaid at the end of the day
// judged, and unpaid still with every credit on the ledger.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { debtDemand, overdueOn, stillUnpaidAtEndOf, unpaidAtEndOf } from '../../src/domain/collection.js';
import { addDays } from '../../src/domain/dates.js';
import type { Entry } from '../../src/domain/entries.js';
import type { PenaltyInvoice } from '../../src/domain/penalty.js';

const OCT_FEE: Entry = { id: 1, valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000 };
const NOV_FEE: Entry = { id: 2, valueDate: '2026-11-30', kind: 'monthly_fee', amount: -500_000 };
const OCT: PenaltyInvoice = { id: 10, period: '2026-10', dueOn: '2026-11-25', principal: 500_000 };
const NOV: PenaltyInvoice = { id: 11, period: '2026-11', dueOn: '2026-12-25', principal: 500_000 };

describe('still unpaid at the end of a day', () => {
  it('a payment after the day pays the oldest first: what it covers is not owed any more', () => {
    // 26 Dec judged on 30 Dec's ledger: 6 000 ₸ dated 28 Dec pays October's 5 000 ₸ and 1 000 ₸ of November
    const pay: Entry = { id: 3, valueDate: '2026-12-28', kind: 'payment', amount: 600_000 };
    expect(unpaidAtEndOf([OCT_FEE, NOV_FEE, pay], [OCT, NOV], '2026-12-26')).toEqual(new Map([[10, 500_000], [11, 500_000]]));
    expect(stillUnpaidAtEndOf([OCT_FEE, NOV_FEE, pay], [OCT, NOV], '2026-12-26')).toEqual(new Map([[10, 0], [11, 400_000]]));
  });

  it('a debt that arose after the day is not owed on it', () => {
    // judged on 20 Nov: November's fee (dated 30 Nov) did not exist yet
    expect(stillUnpaidAtEndOf([OCT_FEE, NOV_FEE], [OCT, NOV], '2026-11-20')).toEqual(new Map([[10, 500_000], [11, 0]]));
  });

  it('property: with nothing dated after the day, the same as unpaid at the end of the day; never more', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 90 }), amount: fc.integer({ min: 1, max: 700_000 }), kind: fc.constantFrom('payment', 'recalc', 'penalty') }), {
          maxLength: 8,
        }),
        fc.integer({ min: 0, max: 90 }),
        (rows, judged) => {
          const entries: Entry[] = [
            OCT_FEE,
            NOV_FEE,
            ...rows.map((r, i) => ({ id: 100 + i, valueDate: addDays('2026-11-01', r.day), kind: r.kind, amount: r.kind === 'penalty' ? -r.amount : r.amount })),
          ];
          const day = addDays('2026-11-01', judged);
          const still = stillUnpaidAtEndOf(entries, [OCT, NOV], day);
          const then = unpaidAtEndOf(entries, [OCT, NOV], day);
          for (const [id, left] of still) expect(left).toBeLessThanOrEqual(then.get(id)!);
          const upToDay = entries.filter((e) => e.valueDate <= day);
          expect(stillUnpaidAtEndOf(upToDay, [OCT, NOV], day)).toEqual(unpaidAtEndOf(upToDay, [OCT, NOV], day));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('overdue, one definition (D-8)', () => {
  const pay = (id: number, valueDate: string, amount: number): Entry => ({ id, valueDate, kind: 'payment', amount });
  const penalty = (id: number, valueDate: string, amount: number): Entry => ({ id, valueDate, kind: 'penalty', amount: -amount });

  it('counts an invoice from the day after its due date plus the grace days', () => {
    // October 5 000 ₸ due 25 Nov; 2 000 ₸ paid on 20 Nov leaves 3 000 ₸
    const entries = [OCT_FEE, NOV_FEE, pay(3, '2026-11-20', 200_000)];
    expect(overdueOn(entries, [OCT, NOV], '2026-11-25', 0).total).toBe(0); // the due date itself: not yet
    expect(overdueOn(entries, [OCT, NOV], '2026-11-26', 0).total).toBe(300_000);
    // 5 grace days: 25 Nov + 5 = 30 Nov, overdue from 1 Dec
    expect(overdueOn(entries, [OCT, NOV], '2026-11-30', 5).total).toBe(0);
    expect(overdueOn(entries, [OCT, NOV], '2026-12-01', 5).total).toBe(300_000);
    // after 25 Dec both: 10 000 − 2 000 = 8 000 ₸
    expect(overdueOn(entries, [OCT, NOV], '2026-12-26', 0)).toMatchObject({ principal: 800_000, penalties: 0, total: 800_000 });
  });

  it('counts unpaid penalties: a penalty alone keeps the account overdue (cl. 21.13)', () => {
    // 26 Nov: 25 ₸ penalty on October; 27 Nov: 5 000 ₸ paid → 25 ₸ penalty, then 4 975 ₸ of October (cl. 16)
    const entries = [OCT_FEE, penalty(3, '2026-11-26', 2_500), pay(4, '2026-11-27', 500_000)];
    const o = overdueOn(entries, [OCT, NOV], '2026-11-27', 0);
    // October still owes 5 000 − 4 975 = 25 ₸ of principal; no penalty left
    expect(o).toMatchObject({ principal: 2_500, penalties: 0, total: 2_500 });
    // paid 5 025 ₸ instead: nothing overdue
    const paid = [OCT_FEE, penalty(3, '2026-11-26', 2_500), pay(4, '2026-11-27', 502_500)];
    expect(overdueOn(paid, [OCT, NOV], '2026-11-27', 0).total).toBe(0);
    // principal paid in full before the penalty of 26 Nov was charged: the 25 ₸ penalty alone is overdue
    const penaltyOnly = [OCT_FEE, pay(4, '2026-11-26', 500_000), penalty(3, '2026-11-26', 2_500)];
    // replay of 26 Nov: penalty first (charges before credits), so the payment pays it; 25 ₸ of October stays
    expect(overdueOn(penaltyOnly, [OCT, NOV], '2026-11-26', 0)).toMatchObject({ principal: 2_500, penalties: 0 });
    const later = [OCT_FEE, pay(4, '2026-11-25', 500_000), penalty(3, '2026-11-26', 2_500)];
    // paid on the due date, penalty posted anyway (a correction would remove it): 25 ₸ of penalties overdue
    expect(overdueOn(later, [OCT, NOV], '2026-11-26', 0)).toMatchObject({ principal: 0, penalties: 2_500, total: 2_500 });
  });
});

describe('the debt demand (cl. 23.8)', () => {
  it('breaks the whole debt at termination down by invoice, uninvoiced charge and penalties; zero when nothing is owed', () => {
    // October 5 000 invoiced, November 5 000 invoiced, December 1–25 charged at termination: round(5 000 × 25/31) = 4 032,26
    const dec: Entry = { id: 3, valueDate: '2026-12-25', kind: 'monthly_fee', amount: -403_226 };
    const pen = (id: number, day: string, invoiceId: number) => ({ id, valueDate: day, kind: 'penalty' as const, amount: -2_500, invoiceId });
    // 25,00 a day on October 26–27 Nov; 3 000 paid on 28 Nov: 50,00 of penalties, then 2 950,00 of October (cl. 16)
    const paid: Entry = { id: 6, valueDate: '2026-11-28', kind: 'payment', amount: 300_000 };
    const entries = [OCT_FEE, NOV_FEE, dec, pen(4, '2026-11-26', 10), pen(5, '2026-11-27', 10), paid, pen(7, '2026-12-26', 11)];
    const d = debtDemand(entries, [OCT, NOV], '2026-12-26');
    expect(d.lines).toEqual([
      // 5 000 − 2 950, all of it October's monthly fee
      { what: 'invoice', invoiceId: 10, period: '2026-10', amount: 205_000, kinds: [{ kind: 'monthly_fee', amount: 205_000 }] },
      { what: 'invoice', invoiceId: 11, period: '2026-11', amount: 500_000, kinds: [{ kind: 'monthly_fee', amount: 500_000 }] },
      { what: 'uninvoiced', period: '2026-12', kind: 'monthly_fee', amount: 403_226 },
      { what: 'penalties', invoiceId: 11, amount: 2_500 }, // 26 Dec, on November's invoice
    ]);
    // 2 050 + 5 000 + 4 032,26 = 11 082,26 of principal; 25,00 of penalties
    expect(d).toMatchObject({ principal: 1_108_226, penalties: 2_500, total: 1_110_726 });
    // a penalty dated after the day is not in it
    expect(debtDemand(entries, [OCT, NOV], '2026-12-25').penalties).toBe(0);
    // everything paid: no demand
    const all: Entry = { id: 8, valueDate: '2026-12-26', kind: 'payment', amount: 1_110_726 };
    expect(debtDemand([...entries, all], [OCT, NOV], '2026-12-26')).toEqual({ lines: [], principal: 0, penalties: 0, total: 0 });
  });
});
