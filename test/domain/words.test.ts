import { describe, expect, it } from 'vitest';
import { amountInWordsKk, amountInWordsRu } from '../../src/domain/words.js';

/** Whole tenge → tiyn. */
const T = (tenge: number): number => tenge * 100;

describe('amount in words: examples from the invoice', () => {
  it('5000 tenge', () => {
    expect(amountInWordsKk(500000)).toBe('бес мың теңге 00 тиын');
    expect(amountInWordsRu(500000)).toBe('пять тысяч тенге 00 тиын');
  });
  it('zero', () => {
    expect(amountInWordsKk(0)).toBe('нөл теңге 00 тиын');
    expect(amountInWordsRu(0)).toBe('ноль тенге 00 тиын');
  });
  it('2580.65', () => {
    expect(amountInWordsKk(258065)).toBe('екі мың бес жүз сексен теңге 65 тиын');
    expect(amountInWordsRu(258065)).toBe('две тысячи пятьсот восемьдесят тенге 65 тиын');
  });
  it('1 tenge', () => {
    expect(amountInWordsKk(100)).toBe('бір теңге 00 тиын');
    expect(amountInWordsRu(100)).toBe('один тенге 00 тиын');
  });
  it('21 tenge', () => {
    expect(amountInWordsKk(2100)).toBe('жиырма бір теңге 00 тиын');
    expect(amountInWordsRu(2100)).toBe('двадцать один тенге 00 тиын');
  });
  it('1 125 000 tenge', () => {
    expect(amountInWordsKk(112500000)).toBe('бір миллион бір жүз жиырма бес мың теңге 00 тиын');
    expect(amountInWordsRu(112500000)).toBe('один миллион сто двадцать пять тысяч тенге 00 тиын');
  });
});

describe('tiyn', () => {
  it('1 tiyn is printed as 01', () => {
    expect(amountInWordsKk(1)).toBe('нөл теңге 01 тиын');
    expect(amountInWordsRu(1)).toBe('ноль тенге 01 тиын');
  });
  it('two-digit tiyn', () => {
    expect(amountInWordsKk(T(3) + 10)).toBe('үш теңге 10 тиын');
    expect(amountInWordsRu(T(3) + 99)).toBe('три тенге 99 тиын');
  });
});

describe('units and tens', () => {
  const kkUnits: [number, string][] = [
    [1, 'бір'], [2, 'екі'], [3, 'үш'], [4, 'төрт'], [5, 'бес'],
    [6, 'алты'], [7, 'жеті'], [8, 'сегіз'], [9, 'тоғыз'],
  ];
  const ruUnits: [number, string][] = [
    [1, 'один'], [2, 'два'], [3, 'три'], [4, 'четыре'], [5, 'пять'],
    [6, 'шесть'], [7, 'семь'], [8, 'восемь'], [9, 'девять'],
  ];
  it.each(kkUnits)('kk %i', (n, w) => {
    expect(amountInWordsKk(T(n))).toBe(`${w} теңге 00 тиын`);
  });
  it.each(ruUnits)('ru %i', (n, w) => {
    expect(amountInWordsRu(T(n))).toBe(`${w} тенге 00 тиын`);
  });

  const kkTens: [number, string][] = [
    [10, 'он'], [20, 'жиырма'], [30, 'отыз'], [40, 'қырық'], [50, 'елу'],
    [60, 'алпыс'], [70, 'жетпіс'], [80, 'сексен'], [90, 'тоқсан'],
  ];
  const ruTens: [number, string][] = [
    [10, 'десять'], [20, 'двадцать'], [30, 'тридцать'], [40, 'сорок'], [50, 'пятьдесят'],
    [60, 'шестьдесят'], [70, 'семьдесят'], [80, 'восемьдесят'], [90, 'девяносто'],
  ];
  it.each(kkTens)('kk %i', (n, w) => {
    expect(amountInWordsKk(T(n))).toBe(`${w} теңге 00 тиын`);
  });
  it.each(ruTens)('ru %i', (n, w) => {
    expect(amountInWordsRu(T(n))).toBe(`${w} тенге 00 тиын`);
  });

  it('tens with units', () => {
    expect(amountInWordsKk(T(47))).toBe('қырық жеті теңге 00 тиын');
    expect(amountInWordsRu(T(47))).toBe('сорок семь тенге 00 тиын');
    expect(amountInWordsKk(T(99))).toBe('тоқсан тоғыз теңге 00 тиын');
    expect(amountInWordsRu(T(99))).toBe('девяносто девять тенге 00 тиын');
    expect(amountInWordsRu(T(22))).toBe('двадцать два тенге 00 тиын');
  });
});

describe('teens 11–19', () => {
  const kk: [number, string][] = [
    [11, 'он бір'], [12, 'он екі'], [13, 'он үш'], [14, 'он төрт'], [15, 'он бес'],
    [16, 'он алты'], [17, 'он жеті'], [18, 'он сегіз'], [19, 'он тоғыз'],
  ];
  const ru: [number, string][] = [
    [11, 'одиннадцать'], [12, 'двенадцать'], [13, 'тринадцать'], [14, 'четырнадцать'],
    [15, 'пятнадцать'], [16, 'шестнадцать'], [17, 'семнадцать'], [18, 'восемнадцать'],
    [19, 'девятнадцать'],
  ];
  it.each(kk)('kk %i', (n, w) => {
    expect(amountInWordsKk(T(n))).toBe(`${w} теңге 00 тиын`);
  });
  it.each(ru)('ru %i', (n, w) => {
    expect(amountInWordsRu(T(n))).toBe(`${w} тенге 00 тиын`);
  });
  it('teen after hundreds', () => {
    expect(amountInWordsKk(T(315))).toBe('үш жүз он бес теңге 00 тиын');
    expect(amountInWordsRu(T(315))).toBe('триста пятнадцать тенге 00 тиын');
  });
});

describe('hundreds', () => {
  const kk: [number, string][] = [
    [100, 'бір жүз'], [200, 'екі жүз'], [300, 'үш жүз'], [400, 'төрт жүз'],
    [500, 'бес жүз'], [600, 'алты жүз'], [700, 'жеті жүз'], [800, 'сегіз жүз'], [900, 'тоғыз жүз'],
  ];
  const ru: [number, string][] = [
    [100, 'сто'], [200, 'двести'], [300, 'триста'], [400, 'четыреста'], [500, 'пятьсот'],
    [600, 'шестьсот'], [700, 'семьсот'], [800, 'восемьсот'], [900, 'девятьсот'],
  ];
  it.each(kk)('kk %i', (n, w) => {
    expect(amountInWordsKk(T(n))).toBe(`${w} теңге 00 тиын`);
  });
  it.each(ru)('ru %i', (n, w) => {
    expect(amountInWordsRu(T(n))).toBe(`${w} тенге 00 тиын`);
  });
  it('hundreds with tens and units', () => {
    expect(amountInWordsKk(T(101))).toBe('бір жүз бір теңге 00 тиын');
    expect(amountInWordsRu(T(101))).toBe('сто один тенге 00 тиын');
    expect(amountInWordsKk(T(999))).toBe('тоғыз жүз тоқсан тоғыз теңге 00 тиын');
    expect(amountInWordsRu(T(999))).toBe('девятьсот девяносто девять тенге 00 тиын');
  });
});

describe('thousands (feminine in Russian)', () => {
  const cases: [number, string, string][] = [
    [1000, 'бір мың', 'одна тысяча'],
    [2000, 'екі мың', 'две тысячи'],
    [3000, 'үш мың', 'три тысячи'],
    [4000, 'төрт мың', 'четыре тысячи'],
    [5000, 'бес мың', 'пять тысяч'],
    [10000, 'он мың', 'десять тысяч'],
    [11000, 'он бір мың', 'одиннадцать тысяч'],
    [12000, 'он екі мың', 'двенадцать тысяч'],
    [14000, 'он төрт мың', 'четырнадцать тысяч'],
    [19000, 'он тоғыз мың', 'девятнадцать тысяч'],
    [21000, 'жиырма бір мың', 'двадцать одна тысяча'],
    [22000, 'жиырма екі мың', 'двадцать две тысячи'],
    [25000, 'жиырма бес мың', 'двадцать пять тысяч'],
    [101000, 'бір жүз бір мың', 'сто одна тысяча'],
    [111000, 'бір жүз он бір мың', 'сто одиннадцать тысяч'],
    [1100, 'бір мың бір жүз', 'одна тысяча сто'],
    [1001, 'бір мың бір', 'одна тысяча один'],
    [2002, 'екі мың екі', 'две тысячи два'],
  ];
  it.each(cases)('%i', (n, kk, ru) => {
    expect(amountInWordsKk(T(n))).toBe(`${kk} теңге 00 тиын`);
    expect(amountInWordsRu(T(n))).toBe(`${ru} тенге 00 тиын`);
  });
});

describe('millions and billions (masculine in Russian)', () => {
  const cases: [number, string, string][] = [
    [1_000_000, 'бір миллион', 'один миллион'],
    [2_000_000, 'екі миллион', 'два миллиона'],
    [4_000_000, 'төрт миллион', 'четыре миллиона'],
    [5_000_000, 'бес миллион', 'пять миллионов'],
    [11_000_000, 'он бір миллион', 'одиннадцать миллионов'],
    [21_000_000, 'жиырма бір миллион', 'двадцать один миллион'],
    [1_000_001, 'бір миллион бір', 'один миллион один'],
    [1_001_000, 'бір миллион бір мың', 'один миллион одна тысяча'],
    [1_000_000_000, 'бір миллиард', 'один миллиард'],
    [2_000_000_000, 'екі миллиард', 'два миллиарда'],
    [5_000_000_000, 'бес миллиард', 'пять миллиардов'],
    [12_000_000_000, 'он екі миллиард', 'двенадцать миллиардов'],
    [1_000_000_100, 'бір миллиард бір жүз', 'один миллиард сто'],
    [3_002_001_000, 'үш миллиард екі миллион бір мың', 'три миллиарда два миллиона одна тысяча'],
  ];
  it.each(cases)('%i', (n, kk, ru) => {
    expect(amountInWordsKk(T(n))).toBe(`${kk} теңге 00 тиын`);
    expect(amountInWordsRu(T(n))).toBe(`${ru} тенге 00 тиын`);
  });

  it('the largest amount: 999 999 999 999.99', () => {
    const amount = 99_999_999_999_999;
    expect(amountInWordsKk(amount)).toBe(
      'тоғыз жүз тоқсан тоғыз миллиард тоғыз жүз тоқсан тоғыз миллион ' +
        'тоғыз жүз тоқсан тоғыз мың тоғыз жүз тоқсан тоғыз теңге 99 тиын',
    );
    expect(amountInWordsRu(amount)).toBe(
      'девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов ' +
        'девятьсот девяносто девять тысяч девятьсот девяносто девять тенге 99 тиын',
    );
  });
});

describe('negative amounts', () => {
  it('are prefixed with "минус "', () => {
    expect(amountInWordsKk(-258065)).toBe('минус екі мың бес жүз сексен теңге 65 тиын');
    expect(amountInWordsRu(-258065)).toBe('минус две тысячи пятьсот восемьдесят тенге 65 тиын');
  });
  it('less than one tenge', () => {
    expect(amountInWordsKk(-1)).toBe('минус нөл теңге 01 тиын');
    expect(amountInWordsRu(-1)).toBe('минус ноль тенге 01 тиын');
  });
});

describe('invalid input', () => {
  const bad = [0.5, 100.25, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53];
  it.each(bad)('throws for %s', (v) => {
    expect(() => amountInWordsKk(v)).toThrow(Error);
    expect(() => amountInWordsRu(v)).toThrow(Error);
  });
  it('throws above 999 999 999 999 tenge', () => {
    expect(() => amountInWordsKk(100_000_000_000_000)).toThrow(Error);
    expect(() => amountInWordsRu(-100_000_000_000_000)).toThrow(Error);
  });
});

describe('Kazakh letters', () => {
  it('uses ө (U+04E9), never the look-alike U+04DB', () => {
    const text = [0, 4, 7, 9, 40, 90, 1000, 1_000_000, 1_000_000_000, 123_456_789]
      .map((n) => amountInWordsKk(T(n)))
      .join(' ');
    expect(text).not.toMatch(/\u04db/);
    expect(amountInWordsKk(0)).toContain('\u04e9'); // нөл
    expect(amountInWordsKk(T(4))).toContain('\u04e9'); // төрт
    expect(amountInWordsKk(T(3))).toContain('\u04af'); // үш
    expect(amountInWordsKk(T(40))).toContain('\u049b'); // қырық
    expect(amountInWordsKk(T(9))).toContain('\u0493'); // тоғыз
    expect(amountInWordsKk(T(1000))).toContain('\u04a3'); // мың, теңге
    expect(amountInWordsKk(T(1))).toContain('\u0456'); // бір
  });
});
