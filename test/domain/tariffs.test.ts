import { describe, expect, it } from 'vitest';
import { priceOn, tariffOn, versionOn, type TariffPrice, type TariffRow } from '../../src/domain/tariffs.js';

const price = (tariffCode: string, effectiveFrom: string, monthlyFee: number): TariffPrice => ({
  tariffCode,
  effectiveFrom,
  announcedOn: null,
  monthlyFee,
  portFee: 30_000,
  installationFee: 0,
  thirdPartyFee: 0,
  thirdPartyName: null,
});
const tariff = (code: string, discontinuedOn: string | null = null, successorCode: string | null = null): TariffRow => ({ code, name: code, discontinuedOn, successorCode });

describe('tariff prices (cl. 23.14, 28)', () => {
  const prices = new Map([
    // 5 000 ₸, then 5 500 ₸ from 1 Dec
    ['NET', [price('NET', '0001-01-01', 500_000), price('NET', '2026-12-01', 550_000)]],
    ['NEW', [price('NEW', '0001-01-01', 600_000)]],
    ['LAST', [price('LAST', '0001-01-01', 700_000)]],
  ]);

  it('the version in force on a day is the latest that has started', () => {
    const versions = prices.get('NET')!;
    expect(versionOn(versions, '2026-11-30')?.monthlyFee).toBe(500_000);
    expect(versionOn(versions, '2026-12-01')?.monthlyFee).toBe(550_000);
    expect(versionOn([...versions].reverse(), '2027-01-01')?.monthlyFee).toBe(550_000);
    expect(versionOn([price('X', '2027-01-01', 1)], '2026-12-31')).toBeUndefined();
  });

  it('a discontinued tariff hands its days to its successor from the discontinuation date, down the chain', () => {
    // NET discontinued from 15 Dec for NEW; NEW from 1 Feb for LAST
    const tariffs = new Map([
      ['NET', tariff('NET', '2026-12-15', 'NEW')],
      ['NEW', tariff('NEW', '2027-02-01', 'LAST')],
      ['LAST', tariff('LAST')],
    ]);
    expect(tariffOn(tariffs, 'NET', '2026-12-14')).toBe('NET');
    expect(priceOn(tariffs, prices, 'NET', '2026-12-14').monthlyFee).toBe(550_000);
    expect(priceOn(tariffs, prices, 'NET', '2026-12-15')).toMatchObject({ tariffCode: 'NEW', monthlyFee: 600_000 });
    expect(priceOn(tariffs, prices, 'NET', '2027-02-01')).toMatchObject({ tariffCode: 'LAST', monthlyFee: 700_000 });
    expect(priceOn(tariffs, prices, 'NEW', '2027-01-31').tariffCode).toBe('NEW');
  });

  it('refuses a day with no price, and successors that lead back', () => {
    expect(() => priceOn(new Map([['X', tariff('X')]]), new Map([['X', [price('X', '2027-01-01', 1)]]]), 'X', '2026-12-31')).toThrow(
      'tariff X has no price in force on 2026-12-31',
    );
    const loop = new Map([
      ['A', tariff('A', '2026-12-01', 'B')],
      ['B', tariff('B', '2026-12-01', 'A')],
    ]);
    expect(() => tariffOn(loop, 'A', '2026-12-01')).toThrow('lead back');
    expect(tariffOn(loop, 'A', '2026-11-30')).toBe('A');
  });
});
