import { describe, expect, it } from 'vitest';
import {
  iinCheckDigit,
  isValidBic,
  isValidBin,
  isValidIin,
  isValidKzBic,
  isValidKzIban,
  makeBin,
  makeIin,
  normaliseBic,
  normaliseIban,
  validationErrorBic,
  validationErrorBin,
  validationErrorIban,
  validationErrorIin,
  validationErrorKzBic,
  validationErrorKzIban,
} from '../../src/domain/identifiers.js';

// Every expected check digit here is computed by hand in the comments (or, for one IBAN, with
// BigInt arithmetic written inline in the test), not taken from the implementation.

describe('IIN check digit', () => {
  it('first weight set: 900101300007 (male, born 1 Jan 1990)', () => {
    // digits    9 0 0 1 0 1 3 0 0 0 0
    // weights   1 2 3 4 5 6 7 8 9 10 11
    // products  9+0+0+4+0+6+21+0+0+0+0 = 40;  40 mod 11 = 7 (40 = 3·11 + 7)  → check digit 7
    expect(iinCheckDigit('90010130000')).toBe(7);
    expect(makeIin('90010130000')).toBe('900101300007');
    expect(isValidIin('900101300007')).toBe(true);
  });

  it('first weight set: 050315600010 (female, born 15 Mar 2005)', () => {
    // digits    0 5 0 3 1 5 6 0 0 0 1
    // products  0+10+0+12+5+30+42+0+0+0+11 = 110;  110 mod 11 = 0  → check digit 0
    expect(iinCheckDigit('05031560001')).toBe(0);
    expect(isValidIin('050315600010')).toBe(true);
  });

  it('second weight set: 900101300811', () => {
    // digits    9 0 0 1 0 1 3 0 0 8 1
    // weights1  1 2 3 4 5 6 7 8 9 10 11
    //   9+0+0+4+0+6+21+0+0+80+11 = 131;  131 = 11·11 + 10 → 10, so use the second set
    // weights2  3 4 5 6 7 8 9 10 11 1 2
    //   27+0+0+6+0+8+27+0+0+8+2 = 78;  78 = 7·11 + 1 → check digit 1
    expect(iinCheckDigit('90010130081')).toBe(1);
    expect(makeIin('90010130081')).toBe('900101300811');
    expect(isValidIin('900101300811')).toBe(true);
  });

  it('no check digit: 10 under both weight sets', () => {
    // digits    9 0 0 1 0 1 3 0 0 8 0
    // weights1: 9+4+6+21+80+0 = 120 = 10·11 + 10 → 10
    // weights2: 27+6+8+27+8+0 = 76 = 6·11 + 10 → 10 → no check digit exists
    expect(iinCheckDigit('90010130080')).toBeNull();
    expect(() => makeIin('90010130080')).toThrow(/no check digit/);
    for (let d = 0; d <= 9; d++) expect(isValidIin(`90010130080${d}`)).toBe(false);
    expect(validationErrorIin('900101300800')).toMatch(/no valid check digit/);
  });

  it('iinCheckDigit / makeIin refuse anything but 11 digits', () => {
    expect(() => iinCheckDigit('9001013000')).toThrow(/11 digits/);
    expect(() => iinCheckDigit('9001013000a')).toThrow(/11 digits/);
    expect(() => makeIin('900101300007')).toThrow(/11 digits/);
  });
});

describe('IIN validation', () => {
  it('accepts 29 February in a leap year of the right century', () => {
    // 000229, century digit 5 → 2000-02-29 (2000 is a leap year).
    // digits 0 0 0 2 2 9 5 0 0 0 1: 0+0+0+8+10+54+35+0+0+0+11 = 118 = 10·11 + 8 → 8
    expect(isValidIin('000229500018')).toBe(true);
  });

  it('rejects 29 February 1900 (not a leap year) even with a right check digit', () => {
    // digits 0 0 0 2 2 9 3 0 0 0 1: 8+10+54+21+11 = 104 = 9·11 + 5 → 5
    expect(validationErrorIin('000229300015')).toBe('IIN birth date is not a date');
  });

  it.each([
    ['', 'IIN must be 12 digits'],
    ['90010130000', 'IIN must be 12 digits'],
    ['9001013000077', 'IIN must be 12 digits'],
    ['90010130000A', 'IIN must be 12 digits'],
    [' 900101300007', 'IIN must be 12 digits'],
    ['900101300008', 'IIN check digit is wrong'], // hand-computed digit is 7
    ['901301300007', 'IIN birth date is not a date'], // month 13
    ['900001300007', 'IIN birth date is not a date'], // month 00
    ['900100300007', 'IIN birth date is not a date'], // day 00
    ['900431300007', 'IIN birth date is not a date'], // 31 April
    ['900101000007', 'IIN 7th digit (century and sex) must be 1 to 6'],
    ['900101700007', 'IIN 7th digit (century and sex) must be 1 to 6'],
  ])('%j → %s', (iin, message) => {
    expect(validationErrorIin(iin)).toBe(message);
    expect(isValidIin(iin)).toBe(false);
  });
});

describe('BIN validation', () => {
  it('accepts real-format BINs', () => {
    // 940140000385 (Halyk Bank): 9 4 0 1 4 0 0 0 0 3 8
    //   9+8+0+4+20+0+0+0+0+30+88 = 159 = 14·11 + 5 → 5 ✓
    // 940740000911 (Kazakhtelecom): 9 4 0 7 4 0 0 0 0 9 1
    //   9+8+0+28+20+0+0+0+0+90+11 = 166 = 15·11 + 1 → 1 ✓
    // 990340001230 (made up): 9 9 0 3 4 0 0 0 1 2 3
    //   9+18+0+12+20+0+0+0+9+20+33 = 121 = 11·11 + 0 → 0 ✓
    expect(isValidBin('940140000385')).toBe(true);
    expect(isValidBin('940740000911')).toBe(true);
    expect(isValidBin('990340001230')).toBe(true);
    expect(makeBin('99034000123')).toBe('990340001230');
  });

  it.each([
    ['94014000038', 'BIN must be 12 digits'],
    ['94014000038X', 'BIN must be 12 digits'],
    ['940140000386', 'BIN check digit is wrong'],
    ['940130000385', 'BIN 5th digit (entity type) must be 4, 5 or 6'],
    ['900101300007', 'BIN 5th digit (entity type) must be 4, 5 or 6'], // an IIN is not a BIN
  ])('%j → %s', (bin, message) => {
    expect(validationErrorBin(bin)).toBe(message);
    expect(isValidBin(bin)).toBe(false);
  });
});

describe('KZ IBAN', () => {
  it('KZ86125KZT5004100100 (the ISO 13616 registry example for Kazakhstan), mod 97 by hand', () => {
    // Move KZ86 to the end: 125KZT5004100100KZ86
    // Letters to numbers (K=20, Z=35, T=29): 125 20 35 29 5004100100 20 35 86
    //   = 1252035295004100100203586
    // mod 97 piecewise:
    //   125203529 mod 97: 97·1290758 = 125203526 → 3
    //   "03"+5004100 = 35004100 mod 97: 97·360867 = 35004099 → 1
    //   "01"+1002035 = 11002035 mod 97: 97·113423 = 11002031 → 4
    //   "04"+86 = 486 mod 97: 97·5 = 485 → 1 ✓ (must be 1)
    expect(isValidKzIban('KZ86125KZT5004100100')).toBe(true);
    expect(validationErrorKzIban('KZ86125KZT5004100100')).toBeNull();
  });

  it('check digits computed independently with BigInt', () => {
    const bban = '722S000012345678';
    // ISO 13616: check = 98 − (numeric(BBAN + "KZ00") mod 97), letters A=10 … Z=35.
    const numeric = (bban + 'KZ00').replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
    const check = 98n - (BigInt(numeric) % 97n);
    const iban = `KZ${String(check).padStart(2, '0')}${bban}`;
    expect(isValidKzIban(iban)).toBe(true);
    // And every other pair of check digits fails.
    for (let c = 0; c <= 99; c++) {
      const other = `KZ${String(c).padStart(2, '0')}${bban}`;
      if (other !== iban) expect(isValidKzIban(other)).toBe(false);
    }
  });

  it('normaliseIban removes spaces and upper-cases', () => {
    expect(normaliseIban(' kz86 125k zt50 0410 0100 ')).toBe('KZ86125KZT5004100100');
    expect(isValidKzIban(normaliseIban('kz86 125k zt50 0410 0100'))).toBe(true);
  });

  it.each([
    ['KZ86 125K ZT50 0410 0100', 'IBAN must be normalised (no spaces, upper case)'],
    ['kz86125kzt5004100100', 'IBAN must be normalised (no spaces, upper case)'],
    ['DE89370400440532013000', 'IBAN must start with KZ'],
    ['KZ86125KZT500410010', 'KZ IBAN must be 20 characters'],
    ['KZ86125KZT50041001000', 'KZ IBAN must be 20 characters'],
    ['KZ8A125KZT5004100100', 'IBAN check digits (3rd and 4th characters) must be digits'],
    ['KZ86125KZT500410010-', 'IBAN must contain only letters A–Z and digits'],
    ['KZ87125KZT5004100100', 'IBAN check digits are wrong'],
    ['KZ86125KZT5004010100', 'IBAN check digits are wrong'], // two digits swapped
    ['KZ86125KZT5004100101', 'IBAN check digits are wrong'], // last digit changed
  ])('%j → %s', (iban, message) => {
    expect(validationErrorKzIban(iban)).toBe(message);
    expect(validationErrorIban(iban)).toBe(message);
    expect(isValidKzIban(iban)).toBe(false);
  });
});

describe('BIC', () => {
  it.each(['HSBKKZKX', 'CASPKZKA', 'KCJBKZKX', 'HSBKKZKXXXX'])('%s is a valid KZ BIC', (bic) => {
    expect(isValidBic(bic)).toBe(true);
    expect(isValidKzBic(bic)).toBe(true);
    expect(validationErrorKzBic(bic)).toBeNull();
  });

  it('a foreign BIC is a BIC but not a KZ BIC', () => {
    expect(isValidBic('DEUTDEFF')).toBe(true);
    expect(isValidBic('DEUTDEFF500')).toBe(true);
    expect(isValidKzBic('DEUTDEFF')).toBe(false);
    expect(validationErrorKzBic('DEUTDEFF')).toBe('BIC country code must be KZ');
  });

  it('normaliseBic', () => {
    expect(normaliseBic(' hsbk kzkx ')).toBe('HSBKKZKX');
  });

  it.each([
    ['HSBKKZK', 'BIC must be 8 or 11 characters'],
    ['HSBKKZKXX', 'BIC must be 8 or 11 characters'],
    ['HSBKKZKX1', 'BIC must be 8 or 11 characters'],
    ['hsbkkzkx', 'BIC must be upper case'],
    ['HSB1KZKX', 'BIC bank code (characters 1–4) must be letters'],
    ['HSBKK1KX', 'BIC country code (characters 5–6) must be letters'],
    ['HSBKKZK-', 'BIC location code (characters 7–8) must be letters or digits'],
    ['HSBKKZKX1-2', 'BIC branch code (characters 9–11) must be letters or digits'],
  ])('%j → %s', (bic, message) => {
    expect(validationErrorBic(bic)).toBe(message);
    expect(validationErrorKzBic(bic)).toBe(message);
    expect(isValidBic(bic)).toBe(false);
  });
});
