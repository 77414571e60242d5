import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { hasLostLetter, lostLettersOf } from '../../src/domain/text.js';

describe('letters lost to "?"', () => {
  it('is what a Windows-1251 save makes of the Kazakh letters', () => {
    // Windows-1251 has no ә ғ қ ң ө ұ ү һ: the encoder writes "?" for each (і is in it, as in Ukrainian)
    const saved = iconv.decode(iconv.encode('Нұрланов Әлия, Жаңа көше 5, Серік', 'win1251'), 'win1251');
    expect(saved).toBe('Н?рланов ?лия, Жа?а к?ше 5, Серік');
    expect(hasLostLetter(saved)).toBe(true);
  });

  it('is a "?" touching a letter, at the start, inside or at the end of a word', () => {
    for (const text of ['?сел', 'Н?рлан', 'Жа?а', 'Müller → M?ller', 'Қ?']) expect(hasLostLetter(text), text).toBe(true);
  });

  it('is not a "?" between spaces, digits or punctuation', () => {
    for (const text of ['кв. ?', 'д. 5?', '(?)', 'Абая 10, ?', 'Нурланов Ерлан']) expect(hasLostLetter(text), text).toBe(false);
  });

  it('tells for certain against the stored value: same text with letters where the file has "?"', () => {
    expect(lostLettersOf('Н?рланов Ерлан', 'Нұрланов Ерлан')).toBe(true);
    expect(lostLettersOf('??', 'Әң')).toBe(true);
    expect(lostLettersOf('Нурланов Ерлан', 'Нұрланов Ерлан')).toBe(false); // a real change of a letter
    expect(lostLettersOf('Н?рланов', 'Нұрланов Ерлан')).toBe(false); // not the same text
    expect(lostLettersOf('д. 5?', 'д. 5,')).toBe(false); // "?" for a comma is no lost letter
    expect(lostLettersOf('Ерлан', 'Ерлан')).toBe(false); // nothing lost
  });
});
