import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDatabase } from '../../src/db/connection.js';
import { addDays, eachDay } from '../../src/domain/dates.js';
import type { Entry } from '../../src/domain/entries.js';
import {
  dayPenalty,
  expectedPenalties,
  firstDayToRecompute,
  firstDayToRecomputeSql,
  penaltyCorrections,
  penaltyRanges,
  penaltyRulesOn,
  quietSince,
  quietSinceSql,
  unpaidPrincipalAtStart,
  type ExpectedPenalty,
  type PenaltyInvoice,
  type PenaltyRules,
  type PenaltyRun,
  type RunInvoice,
} from '../../src/domain/penalty.js';
import { addAccount, addTariff } from '../helpers/db.js';

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

/**
 * The nightly run's shortcuts (domain/penalty.ts): a run posted the penalties of the facts it saw
 * through its day; then more facts come (and invoices issued late). Left out (quietSince), an
 * account must need no correction; replayed from firstDayToRecompute, its days before must need
 * none, and the replay resumed there from the posted penalties must give the from-scratch answer.
 */
describe('the nightly run: what can differ since the last run', () => {
  const PERIODS = ['2026-01', '2026-02', '2026-03', '2026-04'];
  const kinds = ['payment', 'payment', 'transfer', 'recalc', 'equipment', 'backbill'] as const;
  const credit = (k: (typeof kinds)[number]) => k !== 'equipment' && k !== 'backbill';

  interface World {
    run: PenaltyRun;
    date: string;
    rules: PenaltyRules;
    facts: Entry[];
    /** The run's penalties (net per invoice and day), with their entry ids. */
    posted: (Entry & { invoiceId: number })[];
    invoices: (PenaltyInvoice & RunInvoice)[];
  }

  const world = fc
    .record({
      fees: fc.array(fc.integer({ min: 1, max: 900_000 }), { minLength: PERIODS.length, maxLength: PERIODS.length }),
      lateInvoice: fc.array(fc.integer({ min: 0, max: 4 }).map((n) => n === 0), { minLength: PERIODS.length, maxLength: PERIODS.length }),
      prepaid: fc.option(fc.record({ day: fc.integer({ min: 0, max: 200 }), ahead: fc.integer({ min: 0, max: 3 }) }), { nil: null }),
      // the facts the run saw, mostly dated by its day (a fraction ahead of it)
      before: fc.array(fc.record({ day: fc.integer({ min: 0, max: 160 }), amount: fc.integer({ min: 1, max: 800_000 }), kind: fc.constantFrom(...kinds), ahead: fc.integer({ min: 0, max: 5 }) }), { maxLength: 8 }),
      after: fc.array(fc.record({ day: fc.integer({ min: 0, max: 200 }), amount: fc.integer({ min: 1, max: 800_000 }), kind: fc.constantFrom(...kinds) }), { maxLength: 3 }),
      runDay: fc.integer({ min: 20, max: 170 }),
      ahead: fc.integer({ min: 0, max: 30 }),
      capDays: fc.integer({ min: 1, max: 40 }),
      firstRun: fc.boolean(),
    })
    .map((g): World => {
      const rules = { rate: '0.005', capDays: g.capDays };
      const run = { mark: 0, day: addDays('2026-01-15', g.runDay) };
      const date = addDays(run.day, g.ahead);
      let id = 0;
      const facts: Entry[] = [];
      const invoices: (PenaltyInvoice & RunInvoice)[] = [];
      const dated = (day: number) => addDays('2026-01-15', day);
      PERIODS.forEach((_, i) => {
        const last = addDays(`${PERIODS[i + 1] ?? '2026-05'}-01`, -1);
        facts.push({ id: ++id, valueDate: last, kind: 'monthly_fee', amount: -g.fees[i]! });
      });
      for (const c of g.before) facts.push({ id: ++id, valueDate: dated(c.ahead === 0 ? c.day : c.day % (g.runDay + 1)), kind: c.kind, amount: credit(c.kind) ? c.amount : -c.amount });
      // money enough for every fee, paid on some day (before or after due dates)
      if (g.prepaid !== null) facts.push({ id: ++id, valueDate: dated(g.prepaid.ahead === 0 ? g.prepaid.day : g.prepaid.day % (g.runDay + 1)), kind: 'payment', amount: 5_000_000 });
      const seen = id;
      // what the run posted: every penalty of the facts and invoices it saw, through its day; the
      // days before its own posted by earlier runs (ids up to its mark) unless it was the first run
      PERIODS.forEach((period, i) => {
        const last = addDays(`${PERIODS[i + 1] ?? '2026-05'}-01`, -1);
        invoices.push({ id: 100 + i, period, dueOn: addDays(last, 25), principal: g.fees[i]!, ledgerThrough: g.lateInvoice[i] ? null : seen });
      });
      const known = invoices.filter((_, i) => !g.lateInvoice[i]);
      const computed = expectedPenalties(facts, known, run.day, rules);
      const byTheRun = (p: ExpectedPenalty) => g.firstRun || p.day === run.day;
      const posted: World['posted'] = [];
      const postPenalty = (p: ExpectedPenalty) => posted.push({ id: ++id, valueDate: p.day, kind: 'penalty', amount: -p.amount, invoiceId: p.invoiceId });
      computed.filter((p) => !byTheRun(p)).forEach(postPenalty);
      run.mark = id;
      computed.filter(byTheRun).forEach(postPenalty);
      for (const c of g.after) facts.push({ id: ++id, valueDate: dated(c.day), kind: c.kind, amount: credit(c.kind) ? c.amount : -c.amount });
      // an invoice issued after the run began, from the ledger as it stood then (its due date may be past)
      invoices.forEach((inv, i) => {
        if (g.lateInvoice[i]) inv.ledgerThrough = id;
      });
      return { run, date, rules, facts, posted, invoices };
    });

  const netOf = (list: readonly { invoiceId: number; day: string; amount: number }[]) =>
    list.filter((p) => p.amount !== 0).map((p) => `${p.invoiceId} ${p.day} ${p.amount}`).sort();
  const postedAsExpected = (w: World) => w.posted.map((p) => ({ invoiceId: p.invoiceId, day: p.valueDate, amount: -p.amount }));
  const ledger = (w: World) => [...w.facts, ...w.posted].sort((a, b) => a.id - b.id);

  /** The replay resumed on `from` from what was posted before it, as the job reads it. */
  function resumed(w: World, from: string) {
    const before = penaltyRanges(w.facts, from).map((r) => ({
      through: r.through,
      amount: w.posted.filter((p) => (r.after === null || p.valueDate > r.after) && p.valueDate <= r.through).reduce((s, p) => s + p.amount, 0),
    }));
    const daysUsed = (invoiceId: number) => new Set(w.posted.filter((p) => p.invoiceId === invoiceId && p.valueDate < from && p.amount < 0).map((p) => p.valueDate)).size;
    return expectedPenalties(w.facts, w.invoices, w.date, w.rules, { from, before, daysUsed });
  }

  it('a charge found later in an invoiced period takes the account out of the quiet ones', () => {
    // October 5 000 ₸ due 25 Nov, paid 5 000 ₸ on 20 Nov and 2 000 ₸ more on 1 Dec: no penalty; the
    // run of 10 Dec saw all of it (mark 3)
    const seen: Entry[] = [
      { id: 1, valueDate: '2026-10-31', kind: 'monthly_fee', amount: -500_000 },
      { id: 2, valueDate: '2026-11-20', kind: 'payment', amount: 500_000 },
      { id: 3, valueDate: '2026-12-01', kind: 'payment', amount: 200_000 },
    ];
    const invoices = [{ ...OCT, ledgerThrough: 1 }];
    const run = { mark: 3, day: '2026-12-10' };
    expect(expectedPenalties(seen, invoices, run.day)).toEqual([]);
    // then 1 000 ₸ back-billed for 15 Oct: the payment of 20 Nov pays it first (older), so 1 000 ₸ of
    // the fee is unpaid from 26 Nov until 1 Dec: 0.5% × 1 000 = 5 ₸ a day, 26–30 Nov and 1 Dec
    const facts = [...seen, { id: 4, valueDate: '2026-10-15', kind: 'backbill' as const, amount: -100_000 }];
    expect(expectedPenalties(facts, invoices, '2026-12-11').map((p) => p.amount)).toEqual([500, 500, 500, 500, 500, 500]);
    // the balance is 1 000 ₸ in the subscriber's favour, no credit came: only the charge's period tells
    expect(quietSince(run, '2026-12-11', 100_000, facts, invoices)).toBe(false);
    expect(firstDayToRecompute(run, facts, invoices)).toBe('2026-10-16');
    expect(quietSince(run, '2026-12-11', 200_000, seen, invoices)).toBe(true);
  });

  it('property: an account left out needs no correction; one replayed needs none before its first day, and the resumed replay is exact', () => {
    let quiet = 0;
    let resumedLater = 0;
    fc.assert(
      fc.property(world, (w) => {
        const full = expectedPenalties(w.facts, w.invoices, w.date, w.rules);
        const all = ledger(w);
        const balance = all.reduce((s, e) => s + e.amount, 0);
        const posted = postedAsExpected(w);
        if (quietSince(w.run, w.date, balance, all, w.invoices)) {
          quiet++;
          expect(netOf(penaltyCorrections(full, posted))).toEqual([]);
        }
        const from = firstDayToRecompute(w.run, all, w.invoices);
        expect(netOf(penaltyCorrections(full, posted).filter((c) => c.day < from))).toEqual([]);
        if (from > addDays(w.run.day, -30)) resumedLater++;
        expect(resumed(w, from)).toEqual(full.filter((p) => p.day >= from));
      }),
      { numRuns: 400 },
    );
    // the generated worlds reach both shortcuts (of 400, some 15 are quiet and some 180 resume within a month of the run)
    expect(quiet).toBeGreaterThan(0);
    expect(resumedLater).toBeGreaterThan(0);
  });

  it('property: resumed on any day from the penalties of the days before it, the replay gives exactly the days from it', () => {
    fc.assert(
      fc.property(world, fc.integer({ min: 0, max: 220 }), (w, offset) => {
        const full = expectedPenalties(w.facts, w.invoices, w.date, w.rules);
        const from = addDays('2026-01-01', offset);
        const exact = { ...w, posted: full.filter((p) => p.day < from).map((p, i) => ({ id: 10_000 + i, valueDate: p.day, kind: 'penalty' as const, amount: -p.amount, invoiceId: p.invoiceId })) };
        expect(resumed(exact, from)).toEqual(full.filter((p) => p.day >= from));
      }),
      { numRuns: 300 },
    );
  });

  it('property: the SQL of quietSince and firstDayToRecompute answers as the rules do', () => {
    fc.assert(
      fc.property(world, (w) => {
        const db = openDatabase(':memory:');
        addTariff(db, 'T', { monthly: 1 });
        addAccount(db, 'A', { method: 'credit', tariff: 'T', connectedOn: '2025-12-01' });
        const entry = db.sqlite.prepare(`INSERT INTO ledger (id, account, value_date, kind, amount, key, invoice_id) VALUES (?, 'A', ?, ?, ?, ?, ?)`);
        const all = ledger(w);
        for (const e of all) entry.run(e.id, e.valueDate, e.kind, e.amount, `k${e.id}`, 'invoiceId' in e ? e.invoiceId : null);
        db.sqlite.prepare(`UPDATE accounts SET balance = (SELECT SUM(amount) FROM ledger) WHERE account = 'A'`).run();
        const invoice = db.sqlite.prepare(
          `INSERT INTO invoices (id, number, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
             penalties, closing_balance, principal, amount_due, ledger_through) VALUES (?, ?, 2026, ?, 'A', ?, ?, ?, 0, 0, 0, 0, 0, 0, ?, ?, ?)`,
        );
        for (const i of w.invoices) invoice.run(i.id, `N-${i.id}`, i.id, i.period, addDays(i.dueOn, -24), i.dueOn, i.principal, i.principal, i.ledgerThrough);
        const got = db.sqlite
          .prepare(`SELECT ${quietSinceSql('a')} AS quiet, ${firstDayToRecomputeSql('a')} AS fromDay FROM accounts a WHERE a.account = 'A'`)
          .get({ runMark: w.run.mark, runDay: w.run.day, date: w.date }) as { quiet: number; fromDay: string };
        const balance = all.reduce((s, e) => s + e.amount, 0);
        expect({ quiet: Boolean(got.quiet), fromDay: got.fromDay }).toEqual({
          quiet: quietSince(w.run, w.date, balance, all, w.invoices),
          fromDay: firstDayToRecompute(w.run, all, w.invoices),
        });
        db.close();
      }),
      { numRuns: 150 },
    );
  });
});
