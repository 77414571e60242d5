import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, eachDay } from '../../src/domain/dates.js';
import type { Entry } from '../../src/domain/entries.js';
import {
  dayPenalty,
  expectedPenalties,
  penaltyCorrections,
  penaltyRulesOn,
  unpaidPrincipalAtStart,
  type PenaltyInvoice,
  type PenaltyRules,
} from '../../src/domain/penalty.js';

const OCT_FEE: Entry = { id: 1, valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000 }; // 5 000 ₸
const OCT: PenaltyInvoice = { id: 10, period: '2026-10', dueOn: '2026-11-25', principal: 500_000 };

describe('penalties (cl. 23.7)', () => {
  it('0.5% a day of the unpaid principal from the day after the due date', () => {
    // 0.5% × 5 000 ₸ = 25 ₸ on 26, 27 and 28 Nov; none on the due date itself
    expect(expectedPenalties([OCT_FEE], [OCT], '2026-11-28')).toEqual([
      { invoiceId: 10, day: '2026-11-26', amount: 2_500 },
      { invoiceId: 10, day: '2026-11-27', amount: 2_500 },
      { invoiceId: 10, day: '2026-11-28', amount: 2_500 },
    ]);
    expect(dayPenalty(33_333, '0.005')).toBe(167); // 166.665 tiyn → 167
  });

  it('stops after 30 penalty days', () => {
    const all = expectedPenalties([OCT_FEE], [OCT], '2027-01-31');
    // 26 Nov … 25 Dec is 30 days (5 in November, 25 in December)
    expect(all).toHaveLength(30);
    expect(all[29]?.day).toBe('2026-12-25');
    expect(all.reduce((s, p) => s + p.amount, 0)).toBe(75_000); // 30 × 25 ₸ = 750 ₸
  });

  it('a partial payment pays the penalties first, then principal; the penalty follows what is left', () => {
    const pay: Entry = { id: 2, valueDate: '2026-11-28', kind: 'payment', amount: 300_000 }; // 3 000 ₸
    const got = expectedPenalties([OCT_FEE, pay], [OCT], '2026-11-30');
    // 26, 27, 28 Nov: 25 ₸ each (the payment dated the 28th counts from the 29th)
    // the payment pays 3 × 25 = 75 ₸ of penalties, then 2 925 ₸ of principal: 2 075 ₸ left
    // 29 and 30 Nov: 0.5% × 2 075 ₸ = 10.375 ₸ → 10.38 ₸
    expect(got.map((p) => [p.day, p.amount])).toEqual([
      ['2026-11-26', 2_500],
      ['2026-11-27', 2_500],
      ['2026-11-28', 2_500],
      ['2026-11-29', 1_038],
      ['2026-11-30', 1_038],
    ]);
  });

  it('no penalty on an invoice paid by its due date, nor on penalties', () => {
    const pay: Entry = { id: 2, valueDate: '2026-11-25', kind: 'payment', amount: 500_000 };
    expect(expectedPenalties([OCT_FEE, pay], [OCT], '2026-12-31')).toEqual([]);
    // paid in full on 27 Nov: the penalties of 26 and 27 (25 ₸ each) stay owed, but do not accrue penalties
    const late: Entry = { id: 3, valueDate: '2026-11-27', kind: 'payment', amount: 500_000 };
    const got = expectedPenalties([OCT_FEE, late], [OCT], '2026-12-31');
    // the payment pays 26 Nov's 25 ₸ penalty and 27 Nov's (charged before the day's credits) first,
    // then 4 950 ₸ of principal: 50 ₸ principal left from the 28th: 0.5% × 50 ₸ = 0.25 ₸ a day
    expect(got.map((p) => [p.day, p.amount]).slice(0, 3)).toEqual([
      ['2026-11-26', 2_500],
      ['2026-11-27', 2_500],
      ['2026-11-28', 25],
    ]);
    expect(got).toHaveLength(30);
  });

  it('D-6: termination does not stop penalties; the SPEC worked example to the tiyn', () => {
    // credit account, 4 000 ₸ a month, connected 1 Oct 2026, never pays, terminated on 26 Dec
    const oct: Entry = { id: 1, valueDate: '2026-10-31', kind: 'monthly_fee', amount: -400_000 };
    const nov: Entry = { id: 2, valueDate: '2026-11-30', kind: 'monthly_fee', amount: -400_000 };
    // final December invoice: 1–25 Dec, round(4 000 × 25/31) = round(3 225.806…) = 3 225,81 ₸
    const dec: Entry = { id: 3, valueDate: '2026-12-25', kind: 'monthly_fee', amount: -322_581 };
    const invoices: PenaltyInvoice[] = [
      { id: 10, period: '2026-10', dueOn: '2026-11-25', principal: 400_000 },
      { id: 11, period: '2026-11', dueOn: '2026-12-25', principal: 400_000 },
      { id: 12, period: '2026-12', dueOn: '2027-01-25', principal: 322_581 },
    ];
    const got = expectedPenalties([oct, nov, dec], invoices, '2027-03-31');
    const of = (id: number) => got.filter((p) => p.invoiceId === id);
    // October: 0.5% × 4 000 = 20,00 a day, 26 Nov – 25 Dec (30 days) = 600,00
    expect(of(10)).toHaveLength(30);
    expect(of(10)[0]).toEqual({ invoiceId: 10, day: '2026-11-26', amount: 2_000 });
    expect(of(10)[29]!.day).toBe('2026-12-25');
    // November: 20,00 a day 26 Dec – 24 Jan, after the termination on 26 Dec as before it = 600,00
    expect(of(11).map((p) => p.amount).reduce((a, b) => a + b, 0)).toBe(60_000);
    expect([of(11)[0]!.day, of(11)[29]!.day]).toEqual(['2026-12-26', '2027-01-24']);
    // December: 0.5% × 3 225,81 = 16,129 → 16,13 a day, 26 Jan – 24 Feb = 30 × 16,13 = 483,90
    expect(of(12).every((p) => p.amount === 1_613)).toBe(true);
    expect([of(12)[0]!.day, of(12)[29]!.day]).toEqual(['2027-01-26', '2027-02-24']);
    // in all 600 + 600 + 483,90 = 1 683,90 ₸
    expect(got.reduce((s, p) => s + p.amount, 0)).toBe(168_390);
  });

  it('each invoice has its own 30 days; penalties of two overdue invoices', () => {
    const novFee: Entry = { id: 4, valueDate: '2026-11-30', kind: 'monthly_fee', amount: -300_000 };
    const NOV: PenaltyInvoice = { id: 11, period: '2026-11', dueOn: '2026-12-25', principal: 300_000 };
    const got = expectedPenalties([OCT_FEE, novFee], [OCT, NOV], '2026-12-27');
    // 26 Dec: October is capped (its 30th day was 25 Dec); November: 0.5% × 3 000 = 15 ₸
    expect(got.filter((p) => p.day === '2026-12-26')).toEqual([{ invoiceId: 11, day: '2026-12-26', amount: 1_500 }]);
    expect(got.filter((p) => p.invoiceId === 10)).toHaveLength(30);
  });

  it('D-4: a payment imported a week late corrects the later days; the end state equals paying on time', () => {
    // the job ran every night to 5 Dec without the payment: 10 days × 25 ₸
    const postedLate = [...eachDay('2026-11-26', '2026-12-05')].map((day) => ({ invoiceId: 10, day, amount: 2_500 }));
    const pay: Entry = { id: 2, valueDate: '2026-11-28', kind: 'payment', amount: 300_000 };
    const onTime = expectedPenalties([OCT_FEE, pay], [OCT], '2026-12-05');
    const corrections = penaltyCorrections(onTime, postedLate);
    // 29 Nov … 5 Dec (7 days): 10.38 − 25 = −14.62 ₸ each; nothing for 26–28 Nov
    expect(corrections).toHaveLength(7);
    expect(corrections.every((c) => c.amount === 1_038 - 2_500)).toBe(true);
    expect(corrections[0]?.day).toBe('2026-11-29');
    // posted + corrections = on time, day by day
    const net = new Map(postedLate.map((p) => [p.day, p.amount]));
    for (const c of corrections) net.set(c.day, (net.get(c.day) ?? 0) + c.amount);
    expect([...net].filter(([, a]) => a !== 0)).toEqual(onTime.map((p) => [p.day, p.amount]));
    // and with nothing left to correct, nothing is posted
    expect(penaltyCorrections(onTime, onTime)).toEqual([]);
  });

  it('settings by version: a day\u2019s rate is that day\u2019s, an invoice\u2019s cap the one of its first overdue day', () => {
    const rules = penaltyRulesOn([
      { effectiveFrom: '2026-12-01', rate: '0.003', capDays: 2 },
      { effectiveFrom: '0001-01-01', rate: '0.005', capDays: 30 },
      { effectiveFrom: '2026-11-28', rate: '0.003', capDays: 30 },
    ]);
    // October, due 25 Nov: 26 and 27 Nov at 0.5% × 5 000 ₸ = 25 ₸, then 0.3% × 5 000 ₸ = 15 ₸ a day
    const october = expectedPenalties([OCT_FEE], [OCT], '2026-12-05', rules);
    expect(october.map((p) => [p.day, p.amount])).toEqual([
      ['2026-11-26', 2_500],
      ['2026-11-27', 2_500],
      ...[...eachDay('2026-11-28', '2026-12-05')].map((day) => [day, 1_500]),
    ]);
    // November, due 25 Dec, first overdue on 26 Dec under the cap of 2; October keeps its 30 days
    const NOV: PenaltyInvoice = { id: 11, period: '2026-11', dueOn: '2026-12-25', principal: 500_000 };
    const novFee: Entry = { id: 2, valueDate: '2026-11-30', kind: 'monthly_fee', amount: -500_000 };
    const both = expectedPenalties([OCT_FEE, novFee], [OCT, NOV], '2026-12-31', rules);
    expect(both.filter((p) => p.invoiceId === 11).map((p) => [p.day, p.amount])).toEqual([
      ['2026-12-26', 1_500],
      ['2026-12-27', 1_500],
    ]);
    expect(both.filter((p) => p.invoiceId === 10)).toHaveLength(30);
    // with no version at all, the contract's 0.5% and 30 days
    expect(penaltyRulesOn([])('2026-11-26')).toEqual({ rate: '0.005', capDays: 30 });
  });

  it('property: never more than the cap, never more than 0.5% of the principal, never after full payment', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ offset: fc.integer({ min: -20, max: 60 }), amount: fc.integer({ min: 1, max: 600_000 }) }), { maxLength: 6 }),
        (pays) => {
          const entries: Entry[] = [OCT_FEE, ...pays.map((p, i) => ({ id: 100 + i, valueDate: addDays('2026-11-25', p.offset), kind: 'payment' as const, amount: p.amount }))];
          const got = expectedPenalties(entries, [OCT], '2027-02-28');
          expect(got.length).toBeLessThanOrEqual(30);
          for (const p of got) expect(p.amount).toBeLessThanOrEqual(2_500);
          // once the payments before a day cover principal and the penalties so far, no more penalties
          let penaltiesSoFar = 0;
          for (const p of got) {
            const paidBefore = entries.filter((e) => e.kind === 'payment' && e.valueDate < p.day).reduce((s, e) => s + e.amount, 0);
            expect(paidBefore).toBeLessThan(500_000 + penaltiesSoFar);
            penaltiesSoFar += p.amount;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

/**
 * The rule read literally, day by day: for each day from the first due date, allocate every fact and
 * every penalty found so far dated before the day from scratch (cl. 16), and charge 0.5% of each
 * overdue invoice's unpaid principal, at most `capDays` days per invoice. Slow on purpose.
 */
function penaltiesFromScratch(entries: readonly Entry[], invoices: readonly PenaltyInvoice[], through: string, rules: PenaltyRules): { invoiceId: number; day: string; amount: number }[] {
  const facts = entries.filter((e) => e.kind !== 'penalty');
  const overdue = invoices.filter((i) => i.principal > 0);
  const days = new Map<number, number>();
  const found: Entry[] = [];
  const out: { invoiceId: number; day: string; amount: number }[] = [];
  const first = overdue.map((i) => i.dueOn).sort()[0];
  if (first === undefined) return out;
  for (const day of eachDay(addDays(first, 1), through)) {
    const open = overdue.filter((i) => i.dueOn < day).sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id - b.id));
    const unpaid = unpaidPrincipalAtStart([...facts, ...found], open, day);
    for (const inv of open) {
      const left = unpaid.get(inv.id) ?? 0;
      if (left <= 0 || (days.get(inv.id) ?? 0) >= rules.capDays) continue;
      const amount = dayPenalty(left, rules.rate);
      if (amount === 0) continue; // under a tiyn: no penalty, and no day of the cap used
      out.push({ invoiceId: inv.id, day, amount });
      found.push({ id: -1 - found.length, valueDate: day, kind: 'penalty', amount: -amount });
      days.set(inv.id, (days.get(inv.id) ?? 0) + 1);
    }
  }
  return out;
}

describe('penalties over several invoices and a year of payments', () => {
  const PERIODS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
  // money brought, a credit that gives a charge back (never pays penalties), a charge mid-period
  const kinds = ['payment', 'payment', 'transfer', 'recalc', 'equipment'] as const;

  it('property: the forward replay gives exactly the penalties of allocating from scratch every day', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 900_000 }), { minLength: PERIODS.length, maxLength: PERIODS.length }),
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 240 }), amount: fc.integer({ min: 1, max: 800_000 }), kind: fc.constantFrom(...kinds) }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 40 }),
        (fees, credits, capDays) => {
          const rules = { rate: '0.005', capDays };
          const entries: Entry[] = [];
          const invoices: PenaltyInvoice[] = [];
          PERIODS.forEach((period, i) => {
            const last = addDays(`${PERIODS[i + 1] ?? '2026-07'}-01`, -1);
            entries.push({ id: 1 + i, valueDate: last, kind: 'monthly_fee', amount: -fees[i]! });
            invoices.push({ id: 100 + i, period, dueOn: addDays(last, 25), principal: fees[i]! });
          });
          credits.forEach((c, i) =>
            entries.push({ id: 50 + i, valueDate: addDays('2026-01-15', c.day), kind: c.kind, amount: c.kind === 'equipment' ? -c.amount : c.amount }),
          );
          expect(expectedPenalties(entries, invoices, '2026-09-30', rules)).toEqual(
            penaltiesFromScratch(entries, invoices, '2026-09-30', rules).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
