// D-7 for credits: a correction of a payment (moved to another account, or reversed by the bank)
// takes back what is left of it, then re-opens what it settled, last settled first, owed again from
// the correction's value date. Figures worked out by hand in the comments.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, summarise } from '../../src/domain/allocation.js';
import type { Entry, EntryKind } from '../../src/domain/entries.js';
import { expectedPenalties, quietSince, unpaidPrincipalAtStart, type PenaltyInvoice } from '../../src/domain/penalty.js';

let nextId = 1;
const e = (valueDate: string, kind: EntryKind, amount: number, corrects?: number): Entry => ({ id: nextId++, valueDate, kind, amount, corrects: corrects ?? null });

describe('a correction of a credit re-opens what it settled', () => {
  it('taken back on its own value date, the day reads as if the payment never came, the later credits of the day included', () => {
    const oct = e('2026-10-31', 'monthly_fee', -500_000); // 5 000 ₸
    const nov = e('2026-11-30', 'monthly_fee', -500_000); // 5 000 ₸
    const p = e('2026-12-01', 'payment', 500_000); // 5 000 ₸, on the wrong account
    const q = e('2026-12-01', 'payment', 300_000); // 3 000 ₸ the same day, posted after it
    const undo = e('2026-12-01', 'payment', -500_000, p.id); // moved away, dated on its value date
    // without p: q pays 3 000 of October; October owes 2 000, November 5 000
    const without = allocate([oct, nov, q]);
    const s = allocate([oct, nov, p, q, undo]);
    expect(s.unpaid).toEqual(without.unpaid);
    expect(s.unpaid.get(oct.id)).toBe(200_000);
    expect(s.unpaid.get(nov.id)).toBe(500_000);
    // p settled October and gave it back in full: it keeps no allocation; q's 3 000 went to October
    expect(s.allocations).toEqual([{ creditId: q.id, debitId: oct.id, amount: 300_000, asOf: '2026-12-01' }]);
    // balance −10 000 + 5 000 + 3 000 − 5 000 = −7 000 = debt 2 000 + 5 000
    expect(summarise([oct, nov, p, q, undo])).toEqual({ balance: -700_000, debt: 700_000, penaltyDebt: 0, prepayment: 0 });
  });

  it('a bank reversal dated later re-opens the last settled first, from its own value date', () => {
    const oct = e('2026-10-31', 'monthly_fee', -500_000); // 5 000 ₸
    const p = e('2026-11-20', 'payment', 600_000); // 6 000 ₸: October 5 000, 1 000 prepayment
    const pen = e('2026-11-26', 'penalty', -2_500); // 25 ₸ (of another invoice, say): paid from the prepayment
    const nov = e('2026-11-30', 'monthly_fee', -500_000); // November: 975 ₸ from what is left
    const back = e('2026-12-05', 'payment', -600_000, p.id); // the bank takes the 6 000 back on 5 December
    const all = [oct, p, pen, nov, back];
    // before the 5th nothing changes: November owes 5 000 − 975 = 4 025
    expect(summarise(all, '2026-12-04')).toEqual({ balance: -402_500, debt: 402_500, penaltyDebt: 0, prepayment: 0 });
    // from the 5th: November's 975, the penalty's 25 and October's 5 000 are owed again
    expect(summarise(all)).toEqual({ balance: -1_002_500, debt: 1_000_000, penaltyDebt: 2_500, prepayment: 0 });
    expect(allocate(all).allocations).toEqual([]);
  });

  it('what is owed again meets the prepayment there is, as of the correction', () => {
    const oct = e('2026-10-31', 'monthly_fee', -500_000); // 5 000 ₸
    const p = e('2026-11-20', 'payment', 500_000); // pays October
    const q = e('2026-11-22', 'payment', 300_000); // 3 000 ₸ of prepayment
    const back = e('2026-12-05', 'payment', -500_000, p.id);
    const s = allocate([oct, p, q, back]);
    // October re-opened (5 000), q's 3 000 settles it on the 5th: 2 000 owed
    expect(s.allocations).toEqual([{ creditId: q.id, debitId: oct.id, amount: 300_000, asOf: '2026-12-05' }]);
    expect(s.unpaid.get(oct.id)).toBe(200_000);
    expect(s.unallocated.size).toBe(0);
  });

  it('a partial correction takes the unallocated part first, then principal before penalties', () => {
    const oct = e('2026-10-31', 'monthly_fee', -500_000);
    const pen = e('2026-11-26', 'penalty', -2_500);
    const p = e('2026-11-27', 'payment', 600_000); // 25 ₸ penalty, 5 000 October, 975 ₸ left
    const back = e('2026-11-27', 'payment', -200_000, p.id); // 2 000 ₸ of it taken back the same day
    // as a payment of 4 000 would: 25 ₸ penalty, 3 975 ₸ of October; 1 025 ₸ of October owed
    expect(summarise([oct, pen, p, back])).toEqual(summarise([oct, pen, e('2026-11-27', 'payment', 400_000)]));
    expect(summarise([oct, pen, p, back])).toEqual({ balance: -102_500, debt: 102_500, penaltyDebt: 0, prepayment: 0 });
  });
});

describe('penalties after a credit is taken back (D-4)', () => {
  const fee = e('2026-10-31', 'monthly_fee', -500_000); // October 5 000 ₸
  const inv: PenaltyInvoice = { id: 10, period: '2026-10', dueOn: '2026-11-25', principal: 500_000 };
  const paid = e('2026-11-20', 'payment', 500_000);

  it('a bank reversal on 1 December: 25 ₸ a day from the 2nd, none before', () => {
    const back = e('2026-12-01', 'payment', -500_000, paid.id);
    // 0.5% × 5 000 ₸ = 25 ₸ on 2, 3 and 4 December; 26–30 November the invoice was paid
    expect(expectedPenalties([fee, paid, back], [inv], '2026-12-04')).toEqual([
      { invoiceId: 10, day: '2026-12-02', amount: 2_500 },
      { invoiceId: 10, day: '2026-12-03', amount: 2_500 },
      { invoiceId: 10, day: '2026-12-04', amount: 2_500 },
    ]);
    // the forward replay agrees with allocating from scratch on the 3rd
    expect(unpaidPrincipalAtStart([fee, paid, back], [inv], '2026-12-03').get(10)).toBe(500_000);
    expect(unpaidPrincipalAtStart([fee, paid, back], [inv], '2026-12-01').get(10)).toBe(0);
  });

  it('moved away on its value date: the penalties of never having paid, from the 26th', () => {
    const moved = e('2026-11-20', 'payment', -500_000, paid.id);
    const never = expectedPenalties([fee], [inv], '2026-11-28');
    expect(never.map((p) => [p.day, p.amount])).toEqual([
      ['2026-11-26', 2_500],
      ['2026-11-27', 2_500],
      ['2026-11-28', 2_500],
    ]);
    expect(expectedPenalties([fee, paid, moved], [inv], '2026-11-28')).toEqual(never);
  });

  it('an account that owes nothing now is not quiet when a credit was taken back since the last run', () => {
    // the last run (mark 100, 2026-11-30) saw the payment; the correction (id 101) came since, and a
    // later payment of 5 100 ₸ (id 50, dated 11-28) keeps the balance at 100 ₸: 26–28 November owe penalties again
    const run = { mark: 100, day: '2026-11-30' };
    const f = { id: 1, valueDate: '2026-10-31', kind: 'monthly_fee' as const, amount: -500_000 };
    const p = { id: 2, valueDate: '2026-11-20', kind: 'payment' as const, amount: 500_000 };
    const later = { id: 50, valueDate: '2026-11-28', kind: 'payment' as const, amount: 510_000 };
    const back = { id: 101, valueDate: '2026-11-20', kind: 'payment' as const, amount: -500_000, corrects: 2 };
    const invoices = [{ period: '2026-10', dueOn: '2026-11-25', ledgerThrough: 1 }];
    expect(quietSince(run, '2026-12-01', 10_000, [f, p, later], invoices)).toBe(true);
    expect(quietSince(run, '2026-12-01', 10_000, [f, p, later, back], invoices)).toBe(false);
    // and the penalties that should exist: 25 ₸ on 26, 27 and 28 November; from the 29th the later
    // payment has paid them (75 ₸) and the 5 000 ₸ of October, 25 ₸ to spare
    expect(expectedPenalties([f, p, later, back], [inv], '2026-11-30').map((x) => x.day)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28']);
  });
});

describe('property: a credit taken back in full on its own value date is as if it never came', () => {
  const kinds: EntryKind[] = ['monthly_fee', 'daily_fee', 'penalty', 'payment'];
  const entryArb = fc.record({ day: fc.integer({ min: 1, max: 9 }), kind: fc.constantFrom(...kinds), amount: fc.integer({ min: 1, max: 50_000 }) });
  it('every charge owes what it would, every credit keeps what it would, on every day', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 25 }), fc.nat(), (raw, pick) => {
        const entries: Entry[] = raw.map((r, i) => ({ id: i + 1, valueDate: `2026-11-0${r.day}`, kind: r.kind, amount: r.kind === 'payment' ? r.amount : -r.amount, corrects: null }));
        const credits = entries.filter((x) => x.amount > 0);
        fc.pre(credits.length > 0);
        const p = credits[pick % credits.length]!;
        const undo: Entry = { id: 1000, valueDate: p.valueDate, kind: 'payment', amount: -p.amount, corrects: p.id };
        const without = entries.filter((x) => x.id !== p.id);
        for (let d = 1; d <= 9; d++) {
          const asOf = `2026-11-0${d}`;
          const a = allocate([...entries, undo], asOf);
          const b = allocate(without, asOf);
          expect(a.unpaid).toEqual(b.unpaid);
          // p keeps nothing; the other credits keep what they would (prepayment, by credit)
          expect(a.unallocated).toEqual(b.unallocated);
        }
      }),
      { seed: 15, numRuns: 300 },
    );
  });
});

describe('property: a credit taken back later keeps the books whole', () => {
  const kinds: EntryKind[] = ['monthly_fee', 'daily_fee', 'penalty', 'payment'];
  const entryArb = fc.record({ day: fc.integer({ min: 1, max: 9 }), kind: fc.constantFrom(...kinds), amount: fc.integer({ min: 1, max: 50_000 }) });
  it('balance = prepayment − debt − penalty debt on every day; no allocation beyond its credit or charge; before the reversal nothing changes', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 25 }), fc.nat(), fc.integer({ min: 0, max: 8 }), (raw, pick, later) => {
        const entries: Entry[] = raw.map((r, i) => ({ id: i + 1, valueDate: `2026-11-0${r.day}`, kind: r.kind, amount: r.kind === 'payment' ? r.amount : -r.amount, corrects: null }));
        const credits = entries.filter((x) => x.amount > 0);
        fc.pre(credits.length > 0);
        const p = credits[pick % credits.length]!;
        const day = Math.min(9, raw[p.id - 1]!.day + later);
        const back: Entry = { id: 1000, valueDate: `2026-11-0${day}`, kind: 'payment', amount: -p.amount, corrects: p.id };
        const all = [...entries, back];
        for (let d = 1; d <= 9; d++) {
          const asOf = `2026-11-0${d}`;
          const s = summarise(all, asOf);
          expect(s.balance).toBe(s.prepayment - s.debt - s.penaltyDebt);
          if (d < day) expect(s).toEqual(summarise(entries, asOf));
          const a = allocate(all, asOf);
          const used = new Map<number, number>();
          for (const al of a.allocations) {
            expect(al.amount).toBeGreaterThan(0);
            used.set(al.creditId, (used.get(al.creditId) ?? 0) + al.amount);
            used.set(al.debitId, (used.get(al.debitId) ?? 0) + al.amount);
          }
          for (const e of all) expect(used.get(e.id) ?? 0).toBeLessThanOrEqual(Math.abs(e.amount));
        }
      }),
      { seed: 16, numRuns: 300 },
    );
  });
});
