// The one encoding detector of every file read through src/io: UTF-8, Windows-1251, or UTF-8
// damaged by a few bytes (refused, never re-read as Windows-1251).
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { InputError } from '../../src/domain/errors.js';
import { detectEncoding, scanBytes, Utf8Scanner, verdictOf } from '../../src/io/encoding.js';
import { tempDir } from '../helpers/tmp.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = tempDir();
const file = (name: string, bytes: Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

const KAZAKH = 'account;name;address\r\n1001;Нұрланов Ерлан;г. Алматы, ул. Әуезова, 5\r\n1002;Иванова Мария;г. Астана\r\n';
const RUSSIAN = 'account;name;address\r\n1001;Петров Иван;г. Алматы, ул. Абая, 5\r\n1002;Иванова Мария;г. Астана\r\n';

describe('scanning bytes', () => {
  it('counts each valid multi-byte character once and every byte that is not UTF-8', () => {
    // "Әб" + Latin "a": Ә = D3 98, б = D0 B1: two sequences; "a" is ASCII
    expect(scanBytes(Buffer.from('Әбa', 'utf8'))).toMatchObject({ multibyte: 2, invalid: 0, bom: false });
    // "Пет" in Windows-1251 = CF E5 F2: CF expects a continuation, E5 too (3-byte lead), F2 too: 3 bad bytes
    expect(scanBytes(iconv.encode('Пет', 'win1251'))).toMatchObject({ multibyte: 0, invalid: 3 });
    // overlong C0 80, a surrogate ED A0 80 and F5 are never UTF-8: 1 + 1 + 1 bytes that start nothing, and
    // the continuation bytes after them are bad on their own: C0 80 → 2, ED A0 80 → 3, F5 → 1
    expect(scanBytes(Buffer.from([0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf5])).invalid).toBe(6);
  });

  it('names the line, the byte of the line and the offset in the file of a bad byte', () => {
    // line 1 "ab\n" (offsets 0-2), line 2: "Ә" (3-4), "x" (5), 0xA0 (6)
    const bytes = Buffer.concat([Buffer.from('ab\nӘx', 'utf8'), Buffer.from([0xa0]), Buffer.from('\n', 'utf8')]);
    expect(scanBytes(bytes).bad).toEqual([{ line: 2, offset: 6, column: 4, byte: 0xa0 }]);
  });

  it('finds the same whatever the chunks the file arrives in (a character split between two)', () => {
    const bytes = Buffer.concat([Buffer.from('Әбенов\nҚанат ', 'utf8'), Buffer.from([0xa0, 0xff]), Buffer.from('\nЖаңа', 'utf8'), Buffer.from([0xef, 0xbb, 0xbf])]);
    const whole = scanBytes(bytes);
    const scanner = new Utf8Scanner();
    for (const b of bytes) scanner.push(Uint8Array.of(b));
    expect(scanner.finish()).toEqual(whole);
    // Ә б е н о в (6) + Қ а н а т (5) + Ж а ң а (4) + the BOM character at the end (1) = 16
    expect(whole).toMatchObject({ multibyte: 16, invalid: 2 });
  });
});

describe('the verdict', () => {
  it('is UTF-8 when every byte is, Windows-1251 when no multi-byte sequence is valid', () => {
    expect(verdictOf({ bom: false, multibyte: 10, invalid: 0 })).toBe('utf-8');
    expect(verdictOf({ bom: false, multibyte: 0, invalid: 10 })).toBe('windows-1251');
  });

  it('is broken UTF-8 when valid sequences are at least as many as bad bytes, or with a BOM', () => {
    expect(verdictOf({ bom: false, multibyte: 5, invalid: 5 })).toBe('broken-utf-8');
    expect(verdictOf({ bom: false, multibyte: 4, invalid: 5 })).toBe('windows-1251');
    expect(verdictOf({ bom: true, multibyte: 0, invalid: 1 })).toBe('broken-utf-8');
  });

  it('reads real Windows-1251 as Windows-1251, even in capitals where a few byte pairs happen to be UTF-8', () => {
    expect(verdictOf(scanBytes(iconv.encode(RUSSIAN, 'win1251')))).toBe('windows-1251');
    // Р І = D0 B2 and Ы » = DB BB are valid two-byte UTF-8 by chance; Б І = C1 B2 is not (C1 starts
    // no UTF-8 sequence). The other bytes: С Е К О В (5), Б І Р Ж А Н (6), Т О О (3), « (1), А Л М А Т (5), № (1) = 21 bad bytes.
    const capitals = 'СЕРІКОВ БІРЖАН;ТОО «АЛМАТЫ»;№ 5';
    const scan = scanBytes(iconv.encode(capitals, 'win1251'));
    expect(scan).toMatchObject({ multibyte: 2, invalid: 21 });
    expect(verdictOf(scan)).toBe('windows-1251');
  });
});

describe('detectEncoding over a file', () => {
  it('UTF-8 with or without a BOM, and Windows-1251', async () => {
    expect(await detectEncoding(file('u.csv', Buffer.from(KAZAKH, 'utf8')))).toEqual({ encoding: 'utf-8', bom: false });
    expect(await detectEncoding(file('b.csv', Buffer.from(`\ufeff${KAZAKH}`, 'utf8')))).toEqual({ encoding: 'utf-8', bom: true });
    expect(await detectEncoding(file('w.csv', iconv.encode(RUSSIAN, 'win1251')))).toEqual({ encoding: 'windows-1251', bom: false });
  });

  it('refuses UTF-8 with one stray byte, naming its line: never read as Windows-1251', async () => {
    const text = Buffer.from(KAZAKH, 'utf8');
    const at = text.indexOf(Buffer.from('Иванова', 'utf8'));
    // a no-break space (0xA0 alone, as a Windows-1251 editor writes it) before the name on line 3
    const damaged = Buffer.concat([text.subarray(0, at), Buffer.from([0xa0]), text.subarray(at)]);
    const p = file('stray.csv', damaged);
    const error = await detectEncoding(p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    // line 3 "1002;" is 5 bytes, so the stray byte is byte 6 of the line
    expect(problems[0]).toMatchObject({ file: path.basename(p), line: 3 });
    expect(problems[0]!.message).toMatch(/^byte 0xA0 at byte 6 of the line \(offset \d+ in the file\) is not UTF-8$/);
    expect(problems[1]!.message).toMatch(/UTF-8 .* but 1 byte\(s\) are not; it is not read as Windows-1251.*"CSV UTF-8"/);
  });
});

describe('UTF-16', () => {
  it('is refused naming UTF-16 and its byte order, whatever the letters after the mark', async () => {
    const text = 'bank_ref,value_date\nR-1,Нұрланов\n';
    const le = file('utf16le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const be = file('utf16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    for (const [f, order, mark] of [[le, 'LE', 'FF FE'], [be, 'BE', 'FE FF']] as const) {
      const error = await detectEncoding(f).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems).toEqual([
        { file: path.basename(f), line: 1, message: `the file is UTF-16 (${order}, it starts with the byte-order mark ${mark}), which esep does not read: save it as CSV UTF-8 (in Excel: "CSV UTF-8 (comma delimited)")` },
      ]);
    }
    // a UTF-8 file is not taken for UTF-16
    expect(scanBytes(Buffer.from(text, 'utf8')).utf16).toBeUndefined();
  });
});
