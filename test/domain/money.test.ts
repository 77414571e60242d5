import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatTenge, MoneyError, mulDivRound, parseTenge, roundTiyn, toTengeString } from '../../src/domain/money.js';

describe('parseTenge', () => {
  it.each([
    ['5000', 500_000],
    ['5000.5', 500_050],
    ['5000,5', 500_050],
    ['5 000,50', 500_050],
    ['5\u00a0000,50', 500_050], // a no-break space, as Excel writes it
    ['1 234 567,89', 123_456_789],
    ['-125.40', -12_540],
    ['0', 0],
    ['0.01', 1],
    ['5 000,00 ₸', 500_000],
    ['7 990 тг', 799_000],
    ['  12500  ', 1_250_000],
  ])('"%s" is %i tiyn', (text, expected) => {
    expect(parseTenge(text)).toBe(expected);
  });

  it.each(['', 'abc', '5,000.50', '5 00', '5000.505', '1e5', '50 00,00', '--5', '5.', '.5', '12 3456'])('refuses "%s"', (text) => {
    expect(() => parseTenge(text)).toThrow(MoneyError);
  });
});

describe('formatTenge', () => {
  it.each([
    [500_000, '5 000,00 ₸'],
    [-12_540, '-125,40 ₸'],
    [0, '0,00 ₸'],
    [1, '0,01 ₸'],
    [99, '0,99 ₸'],
    [123_456_789, '1 234 567,89 ₸'],
    [100_000_000, '1 000 000,00 ₸'],
  ])('%i tiyn is "%s"', (amount, expected) => {
    expect(formatTenge(amount)).toBe(expected);
  });

  it('leaves out the symbol on request', () => {
    expect(formatTenge(258_065, { symbol: false })).toBe('2 580,65');
  });

  it('writes plain decimal strings for machines', () => {
    expect(toTengeString(-12_540)).toBe('-125.40');
    expect(toTengeString(5)).toBe('0.05');
    expect(toTengeString(-5)).toBe('-0.05');
    expect(toTengeString(500_000)).toBe('5000.00');
  });

  it('refuses a fraction of a tiyn', () => {
    expect(() => formatTenge(1.5)).toThrow(MoneyError);
  });
});

describe('rounding half up to the tiyn (D-1)', () => {
  it('rounds .5 away from zero and everything else to the nearest tiyn', () => {
    expect(roundTiyn('0.5')).toBe(1);
    expect(roundTiyn('1.49')).toBe(1);
    expect(roundTiyn('2.5')).toBe(3);
    expect(roundTiyn('2.4999999')).toBe(2);
    expect(roundTiyn('-0.5')).toBe(-1);
    expect(roundTiyn('-2.4')).toBe(-2);
  });

  it('prorates with one rounding at the end', () => {
    // 5000 ₸ × 16/31 = 2580.6451… ₸ = 258064.51… tiyn → 258065 tiyn = 2 580,65 ₸
    expect(mulDivRound(500_000, 16, 31)).toBe(258_065);
    // 0.5% of 5000 ₸ = 25 ₸ exactly
    expect(mulDivRound(500_000, '0.005', 1)).toBe(2_500);
    // 0.5% of 333.33 ₸ = 1.66665 ₸ = 166.665 tiyn → 167 tiyn
    expect(mulDivRound(33_333, '0.005', 1)).toBe(167);
  });
});

describe('properties', () => {
  const amounts = fc.integer({ min: -1e13, max: 1e13 });
  it('parse(toTengeString(x)) = x', () => {
    fc.assert(fc.property(amounts, (x) => parseTenge(toTengeString(x)) === x));
  });
  it('parse(formatTenge(x)) = x', () => {
    fc.assert(fc.property(amounts, (x) => parseTenge(formatTenge(x)) === x));
  });
  it('the formatted text has groups of three digits and a comma before two decimals', () => {
    fc.assert(
      fc.property(amounts, (x) => /^-?\d{1,3}( \d{3})*,\d{2} ₸$/.test(formatTenge(x))),
    );
  });
});
