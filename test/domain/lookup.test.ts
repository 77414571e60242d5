import { describe, expect, it } from 'vitest';
import { foldName, lookupMatches, lookupQuery, phoneDigits, type LookupCandidate } from '../../src/domain/lookup.js';

const who = (over: Partial<LookupCandidate>): LookupCandidate => ({ account: '1001', iin: '900101300001', name: 'Әбенов Қанат', phone: null, ...over });

describe('foldName', () => {
  it('folds case in Kazakh and Russian, and spaces', () => {
    expect(foldName('  ӘБЕНОВ   Қанат ')).toBe('әбенов қанат');
    expect(foldName('ИВАНОВА Мария')).toBe('иванова мария');
  });

  it('takes ӛ (either case) as ө, and ё as е', () => {
    expect(foldName('Ӛмірзақ')).toBe('өмірзақ');
    expect(foldName('ӛмірзақ')).toBe(foldName('Өмірзақ'));
    expect(foldName('Семёнов')).toBe(foldName('Семенов'));
  });

  it('composes a decomposed ӛ (ә + U+0308) before folding', () => {
    expect(foldName('\u04d9\u0308мір')).toBe('өмір');
  });
});

describe('phoneDigits', () => {
  it('keeps the national digits: +7 and the domestic 8 are the same prefix', () => {
    expect(phoneDigits('+7 701 123 45 67')).toBe('7011234567');
    expect(phoneDigits('87011234567')).toBe('7011234567');
    expect(phoneDigits('8 (701) 123-45-67')).toBe('7011234567');
    expect(phoneDigits('701 123 45 67')).toBe('7011234567');
  });

  it('leaves other lengths as their digits', () => {
    expect(phoneDigits('123-45')).toBe('12345');
  });
});

describe('lookupMatches', () => {
  const match = (text: string, c: LookupCandidate) => lookupMatches(lookupQuery(text), c);

  it('a name with ө is found by ӛ and the other way round, in any case and word order', () => {
    expect(match('ӛмірзақ', who({ name: 'Өмірзақ Айгүл' }))).toEqual(['name']);
    expect(match('өмірзақ', who({ name: 'Ӛмірзақ Айгүл' }))).toEqual(['name']);
    expect(match('айгүл ӨМІРЗАҚ', who({ name: 'Ӛмірзақ Айгүл' }))).toEqual(['name']);
    expect(match('Әбенова', who({ name: 'Әбенов Қанат' }))).toEqual([]);
  });

  it('a phone is found by its digits however written', () => {
    const c = who({ phone: '+7 701 123 45 67' });
    expect(match('87011234567', c)).toEqual(['phone']);
    expect(match('+7 (701) 123-45-67', c)).toEqual(['phone']);
    expect(match('123 45 67', c)).toEqual(['phone']);
    expect(match('87011234568', c)).toEqual([]);
  });

  it('an IIN whole or by a run of its digits; an account number whole, any case', () => {
    expect(match('900101300001', who({}))).toEqual(['iin']);
    expect(match('9001013', who({}))).toEqual(['iin']);
    expect(match('1001', who({}))).toEqual(['account']);
    expect(match('a-7', who({ account: 'A-7' }))).toEqual(['account']);
    expect(match('100', who({}))).toEqual([]);
  });

  it('a number is not looked for in names, nor a name in numbers; an empty text matches nothing', () => {
    expect(match('1001', who({ name: 'Дом 1001' }))).toEqual(['account']);
    expect(match('  ', who({}))).toEqual([]);
  });
});
