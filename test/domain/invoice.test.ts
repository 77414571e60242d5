// Month-end rules with hand-worked figures (cl. 13–15, 18, 23.5, 23.10).
import type { ServiceSpan } from '../../src/domain/entries.js';
import { describe, expect, it } from 'vitest';
import {
  activeInPeriod,
  dueDate,
  invoiceFigures,
  isFinal,
  issueDateProblem,
  monthCost,
  monthEndCharges,
  serviceDays,
  type LedgerFact,
  type PriceOn,
  type PriceVersion,
} from '../../src/domain/invoice.js';

const HOME: PriceVersion = { id: 'HOME@0001-01-01', monthlyFee: 500_000, installationFee: 1_000_000, thirdPartyFee: 0, thirdPartyName: null };
const flat: PriceOn = () => HOME;

describe('days of service', () => {
  it('runs from the connection date to the end of P', () => {
    const days = serviceDays('2026-10', '2026-10-16', null);
    // 16..31 October: 31 − 16 + 1 = 16 days
    expect(days.length).toBe(16);
    expect(days[0]).toBe('2026-10-16');
    expect(days[15]).toBe('2026-10-31');
  });

  it('stops the day before termination ("termination stops all charges from D")', () => {
    // terminated on 20 November: served 1..19 = 19 days
    expect(serviceDays('2026-11', '2026-01-10', '2026-11-20').length).toBe(19);
    // terminated on 1 November: no day of November
    expect(serviceDays('2026-11', '2026-01-10', '2026-11-01')).toEqual([]);
  });

  it('an account is invoiced for P when active on at least one day of it', () => {
    expect(activeInPeriod('2026-10', '2026-10-31', null)).toBe(true);
    expect(activeInPeriod('2026-10', '2026-11-01', null)).toBe(false);
    expect(activeInPeriod('2026-11', '2026-01-10', '2026-11-01')).toBe(false);
    expect(activeInPeriod('2026-11', '2026-01-10', '2026-11-02')).toBe(true);
    // service ended on 30 November (terminated 1 December): November is its final invoice
    expect(isFinal('2026-11', '2026-12-01')).toBe(true);
    expect(isFinal('2026-11', '2026-12-02')).toBe(false);
    expect(isFinal('2026-11', null)).toBe(false);
  });
});

describe('month-end charges', () => {
  it('a credit account connected on the 16th of a 31-day month: installation and the prorated fee', () => {
    const charges = monthEndCharges({ account: '1001', method: 'credit', period: '2026-10', connectedOn: '2026-10-16', terminatedOn: null, priceOn: flat });
    // installation: 10 000,00 ₸ on the connection date (cl. 18)
    // monthly fee: 5000 × 16/31 = 2580.645… → 2580,65 ₸ = 258 065 tiyn (cl. 13, half up)
    expect(charges).toEqual([
      { kind: 'installation', valueDate: '2026-10-16', amount: -1_000_000, key: 'install:1001', memo: 'cl. 18' },
      { kind: 'monthly_fee', valueDate: '2026-10-31', amount: -258_065, key: 'monthly:1001:2026-10', memo: '2026-10-16..2026-10-31 16/31', span: { from: '2026-10-16', to: '2026-10-31', days: 16, periodDays: 31, name: null } },
    ]);
  });

  it('a full month costs M exactly; the installation stays what should exist, under its one key', () => {
    const charges = monthEndCharges({ account: '1001', method: 'credit', period: '2026-11', connectedOn: '2026-10-16', terminatedOn: null, priceOn: flat });
    // the installation key is posted again but exists already (idempotent), so it is listed: that is "what should exist"
    expect(charges.map((c) => [c.kind, c.amount])).toEqual([
      ['installation', -1_000_000],
      // 5000 × 30/30 = 5000,00 ₸
      ['monthly_fee', -500_000],
    ]);
  });

  it('an account terminated mid-month is charged up to the day before termination', () => {
    const charges = monthEndCharges({ account: '1002', method: 'credit', period: '2026-11', connectedOn: '2026-01-10', terminatedOn: '2026-11-20', priceOn: flat });
    // 19 days of 30: 5000 × 19/30 = 3166.666… → 3166,67 ₸ = 316 667 tiyn, dated the last day served
    expect(charges.filter((c) => c.kind === 'monthly_fee')).toEqual([
      { kind: 'monthly_fee', valueDate: '2026-11-19', amount: -316_667, key: 'monthly:1002:2026-11', memo: '2026-11-01..2026-11-19 19/30', span: { from: '2026-11-01', to: '2026-11-19', days: 19, periodDays: 30, name: null } },
    ]);
  });

  it('a price change inside P charges each version’s days on their own, each rounded', () => {
    const v2: PriceVersion = { ...HOME, id: 'HOME@2026-10-15', monthlyFee: 600_000 };
    const priceOn: PriceOn = (day) => (day < '2026-10-15' ? HOME : v2);
    const charges = monthEndCharges({ account: '1003', method: 'credit', period: '2026-10', connectedOn: '2026-01-01', terminatedOn: null, priceOn });
    // 1..14 Oct at 5000: 5000 × 14/31 = 2258.0645… → 2258,06 ₸
    // 15..31 Oct at 6000: 6000 × 17/31 = 3290.3225… → 3290,32 ₸
    expect(charges.filter((c) => c.kind === 'monthly_fee').map((c) => [c.key, c.valueDate, c.amount])).toEqual([
      ['monthly:1003:2026-10', '2026-10-14', -225_806],
      ['monthly:1003:2026-10:2026-10-15', '2026-10-31', -329_032],
    ]);
  });

  it('days suspended for debt are still charged: only dates decide (cl. 23.5)', () => {
    // nothing about suspension goes in; a credit account served all October pays 5000,00 ₸
    const charges = monthEndCharges({ account: '1004', method: 'credit', period: '2026-10', connectedOn: '2026-01-01', terminatedOn: null, priceOn: flat });
    expect(charges.filter((c) => c.kind === 'monthly_fee')).toEqual([{ kind: 'monthly_fee', valueDate: '2026-10-31', amount: -500_000, key: 'monthly:1004:2026-10', memo: '2026-10-01..2026-10-31 31/31', span: { from: '2026-10-01', to: '2026-10-31', days: 31, periodDays: 31, name: null } }]);
  });

  it('a third-party bundle item is its own line, prorated like the fee (cl. 23.10)', () => {
    const tv: PriceVersion = { ...HOME, installationFee: 0, thirdPartyFee: 100_000, thirdPartyName: 'ТВ+' };
    const credit = monthEndCharges({ account: '1005', method: 'credit', period: '2026-10', connectedOn: '2026-10-16', terminatedOn: null, priceOn: () => tv });
    // 1000 × 16/31 = 516.129… → 516,13 ₸
    expect(credit.find((c) => c.kind === 'third_party')).toEqual({
      kind: 'third_party',
      valueDate: '2026-10-31',
      amount: -51_613,
      key: 'third_party:1005:2026-10',
      memo: '2026-10-16..2026-10-31 16/31 ТВ+', span: { from: '2026-10-16', to: '2026-10-31', days: 16, periodDays: 31, name: 'ТВ+' },
    });
    // advance: no monthly fee (the daily debit charges it); the bundle for the days a daily fee was charged
    const served = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09', '2026-10-10'];
    const advance = monthEndCharges({ account: '1006', method: 'advance', period: '2026-10', connectedOn: '2026-09-01', terminatedOn: null, priceOn: () => tv, advanceFeeDays: served });
    // 1000 × 10/31 = 322.580… → 322,58 ₸
    expect(advance).toEqual([{ kind: 'third_party', valueDate: '2026-10-10', amount: -32_258, key: 'third_party:1006:2026-10', memo: '2026-10-01..2026-10-10 10/31 ТВ+', span: { from: '2026-10-01', to: '2026-10-10', days: 10, periodDays: 31, name: 'ТВ+' } }]);
  });


});

describe('dates', () => {
  it('is due on the 25th of the month of issue (cl. 15); a late issue is due on the next 25th', () => {
    expect(dueDate('2026-11-01')).toBe('2026-11-25');
    expect(dueDate('2026-11-25')).toBe('2026-11-25');
    expect(dueDate('2026-11-26')).toBe('2026-12-25');
    expect(dueDate('2026-12-28')).toBe('2027-01-25');
  });

  it('is issued only after the period has ended', () => {
    expect(issueDateProblem('2026-10', '2026-10-31')).toMatch(/only after the period has ended/);
    expect(issueDateProblem('2026-10', '2026-11-01')).toBeUndefined();
  });
});

describe('invoice figures', () => {
  let id = 0;
  // a prorated fee's span written as its memo reads: "2026-09-01..2026-09-30 30/30"
  const spanOf = (text: string | null): ServiceSpan | null => {
    const m = text ? /^(\S+)\.\.(\S+) (\d+)\/(\d+)(?: (.+))?$/.exec(text) : null;
    return m ? { from: m[1]!, to: m[2]!, days: Number(m[3]), periodDays: Number(m[4]), name: m[5] ?? null } : null;
  };
  const e = (valueDate: string, kind: LedgerFact['kind'], amount: number, span: string | null = null): LedgerFact => ({ id: ++id, valueDate, kind, amount, span: spanOf(span) });

  it('a credit account: opening, charges by kind, payments, penalties, closing, principal, amount due', () => {
    const entries = [
      e('2026-09-30', 'monthly_fee', -500_000, '2026-09-01..2026-09-30 30/30'),
      e('2026-09-10', 'payment', 200_000),
      e('2026-10-05', 'penalty', -1_500),
      e('2026-10-06', 'penalty', -1_500),
      e('2026-10-07', 'payment', 300_000),
      e('2026-10-31', 'monthly_fee', -500_000, '2026-10-01..2026-10-31 31/31'),
      e('2026-10-20', 'recalc', 32_258),
      e('2026-11-02', 'payment', 999_999), // after P: not on P's invoice
    ];
    const f = invoiceFigures({ period: '2026-10', method: 'credit', entries, nextMonthCost: 0 });
    // opening = −5000 + 2000 = −3000,00
    expect(f.openingBalance).toBe(-300_000);
    // charges −5000,00; credits +322,58; payments +3000,00; penalties −30,00
    expect(f.charges).toBe(-500_000);
    expect(f.credits).toBe(32_258);
    expect(f.payments).toBe(300_000);
    expect(f.penalties).toBe(-3_000);
    // closing = −3000 − 5000 + 322,58 + 3000 − 30 = −4707,42
    expect(f.closingBalance).toBe(-470_742);
    // principal = 5000 − 322,58 = 4677,42 (penalties and payments excluded)
    expect(f.principal).toBe(467_742);
    // amount due = max(0, 4707,42)
    expect(f.amountDue).toBe(470_742);
    expect(f.advisedTopup).toBeNull();
    expect(f.lines.map((l) => [l.kind, l.from, l.to, l.days, l.amount])).toEqual([
      ['monthly_fee', '2026-10-01', '2026-10-31', 31, -500_000],
      ['recalc', '2026-10-20', '2026-10-20', null, 32_258],
    ]);
    expect(f.paymentLines.map((l) => [l.from, l.amount])).toEqual([['2026-10-07', 300_000]]);
    // penalties summarised: one line, 2 days, −30,00
    expect(f.penaltyLines).toEqual([{ kind: 'penalty', from: '2026-10-05', to: '2026-10-06', days: 2, amount: -3_000, memo: null }]);
  });

  it('an advance account: daily kinds summarised with their day counts, and the advised top-up', () => {
    const entries: LedgerFact[] = [e('2026-10-01', 'payment', 200_000)];
    for (let d = 1; d <= 20; d++) entries.push(e(`2026-10-${String(d).padStart(2, '0')}`, 'daily_fee', -10_000));
    for (let d = 21; d <= 31; d++) entries.push(e(`2026-10-${d}`, 'port_reservation', -10_000));
    // a restoration on the 31st reverses the day's port fee and charges the day's fee (D-3)
    entries.push(e('2026-10-31', 'port_reservation', 10_000), e('2026-10-31', 'daily_fee', -10_000), e('2026-10-31', 'payment', 50_000));
    const f = invoiceFigures({ period: '2026-10', method: 'advance', entries, nextMonthCost: 310_000 });
    // daily fees: days 1..20 and 31 = 21 days × 100 = 2100,00; port: 21..30 = 10 days × 100 = 1000,00 (the 31st nets to 0)
    expect(f.lines).toEqual([
      { kind: 'daily_fee', from: '2026-10-01', to: '2026-10-31', days: 21, amount: -210_000, memo: null },
      { kind: 'port_reservation', from: '2026-10-21', to: '2026-10-30', days: 10, amount: -100_000, memo: null },
    ]);
    // closing = 2000 + 500 − 2100 − 1000 = −600,00; amount due 600,00
    expect(f.closingBalance).toBe(-60_000);
    expect(f.amountDue).toBe(60_000);
    // principal = 2100 + 1000 (the reversal is inside the port line's net) = 3100,00
    expect(f.principal).toBe(310_000);
    // top-up = max(0, next month 3100 − (−600)) = 3700,00
    expect(f.advisedTopup).toBe(370_000);
    // with a prepayment larger than next month's cost nothing is advised
    expect(invoiceFigures({ period: '2026-10', method: 'advance', entries: [e('2026-10-01', 'payment', 500_000)], nextMonthCost: 310_000 }).advisedTopup).toBe(0);
  });

  it('next month’s cost follows the same proration', () => {
    // November, 30 days, full month at 5000: 5000,00; terminated on 16 Nov: 15 days → 5000 × 15/30 = 2500,00
    expect(monthCost('2026-11', '2026-01-01', null, flat)).toBe(500_000);
    expect(monthCost('2026-11', '2026-01-01', '2026-11-16', flat)).toBe(250_000);
  });
});
