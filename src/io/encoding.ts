// Text files from accountants and banks arrive as UTF-8 (with or without a BOM) or Windows-1251.
// One detector for every file read through src/io (accounts, tariffs, payment CSVs, 1C statements).
import { createReadStream } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { InputError, type InputProblem } from '../domain/errors.js';

export type TextEncoding = 'utf-8' | 'windows-1251';

export interface DetectedEncoding {
  encoding: TextEncoding;
  bom: boolean;
}

/** A byte that starts no valid UTF-8 sequence: where it is in the file. */
export interface BadByte {
  /** The file's line (1 = first). */
  line: number;
  /** Byte offset from the start of the file (0 = first byte). */
  offset: number;
  /** Byte offset from the start of its line (1 = first byte of the line). */
  column: number;
  byte: number;
}

/** What a pass over a file's bytes found: valid multi-byte UTF-8 sequences and bytes that are not UTF-8. */
export interface ByteScan {
  bom: boolean;
  /** Valid UTF-8 sequences of two to four bytes (a Cyrillic letter is two). */
  multibyte: number;
  /** Bytes that are not part of any valid UTF-8 sequence. */
  invalid: number;
  /** The first few of them, with their line and offset. */
  bad: BadByte[];
  /** A UTF-16 byte-order mark at the start (FF FE little-endian, FE FF big-endian): a file esep does not read. */
  utf16?: 'LE' | 'BE';
}

/** Bad bytes listed in a refusal; the rest are counted. */
export const MAX_LISTED_BAD_BYTES = 20;

/** The length of the UTF-8 sequence at `i` if it is valid and complete; 0 if invalid; -1 if it runs past the end. */
function sequenceAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) length = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    length = 3;
    if (b === 0xe0) low = 0xa0; // no overlong forms
    if (b === 0xed) high = 0x9f; // no surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    length = 4;
    if (b === 0xf0) low = 0x90;
    if (b === 0xf4) high = 0x8f; // nothing past U+10FFFF
  } else return 0;
  for (let k = 1; k < length; k++) {
    if (i + k >= bytes.length) return -1;
    const c = bytes[i + k]!;
    if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return 0;
  }
  return length;
}

/** Streams over bytes in chunks, counting valid multi-byte sequences and the bytes that are not UTF-8. */
export class Utf8Scanner {
  private readonly scan: ByteScan = { bom: false, multibyte: 0, invalid: 0, bad: [] };
  private carry: Uint8Array = new Uint8Array(0);
  private offset = 0; // file offset of carry[0]
  private line = 1;
  private lineStart = 0;
  private head: number[] = [];

  push(chunk: Uint8Array): void {
    for (let k = 0; k < chunk.length && this.head.length < 3; k++) this.head.push(chunk[k]!);
    this.scan.bom = this.head[0] === 0xef && this.head[1] === 0xbb && this.head[2] === 0xbf;
    if (this.head[0] === 0xff && this.head[1] === 0xfe) this.scan.utf16 = 'LE';
    else if (this.head[0] === 0xfe && this.head[1] === 0xff) this.scan.utf16 = 'BE';
    else delete this.scan.utf16;
    let bytes = chunk;
    if (this.carry.length > 0) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry, 0);
      bytes.set(chunk, this.carry.length);
    }
    const end = this.consume(bytes, false);
    this.carry = bytes.slice(end);
    this.offset += end;
  }

  finish(): ByteScan {
    this.consume(this.carry, true);
    this.carry = new Uint8Array(0);
    return this.scan;
  }

  /** Reads bytes up to where a sequence may continue in the next chunk; returns how far it got. */
  private consume(bytes: Uint8Array, last: boolean): number {
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      if (b < 0x80) {
        if (b === 0x0a) {
          this.line++;
          this.lineStart = this.offset + i + 1;
        }
        i++;
        continue;
      }
      const length = sequenceAt(bytes, i);
      if (length === -1 && !last) return i;
      if (length > 0) {
        this.scan.multibyte++;
        i += length;
        continue;
      }
      this.scan.invalid++;
      if (this.scan.bad.length < MAX_LISTED_BAD_BYTES) {
        const at = this.offset + i;
        this.scan.bad.push({ line: this.line, offset: at, column: at - this.lineStart + 1, byte: b });
      }
      i++;
    }
    return i;
  }
}

/** What a file's bytes are: UTF-8, Windows-1251, or UTF-8 damaged by a few bytes that are not UTF-8. */
export type ScanVerdict = TextEncoding | 'broken-utf-8';

/**
 * The rule (see README, Data files):
 * - every byte sequence valid UTF-8: UTF-8;
 * - bytes that are not UTF-8 and a UTF-8 BOM: UTF-8 with damaged bytes;
 * - bytes that are not UTF-8 and no valid multi-byte sequence at all: Windows-1251 (every Cyrillic
 *   letter of a Windows-1251 text is one high byte, which alone is never UTF-8);
 * - both: UTF-8 with damaged bytes when the valid multi-byte sequences are at least as many as the
 *   bytes that are not UTF-8, else Windows-1251. In a Windows-1251 text a valid sequence happens
 *   only by chance (a capital letter followed by «, », №, ё, і or a no-break space), far less often
 *   than a letter that is not UTF-8; in a UTF-8 file damaged by a stray byte nearly every high byte
 *   is part of a valid sequence. A damaged file is refused, never read as Windows-1251, which would
 *   turn every Cyrillic letter of it into two wrong ones.
 */
export function verdictOf(scan: Pick<ByteScan, 'bom' | 'multibyte' | 'invalid'>): ScanVerdict {
  if (scan.invalid === 0) return 'utf-8';
  if (scan.bom) return 'broken-utf-8';
  if (scan.multibyte === 0) return 'windows-1251';
  return scan.multibyte >= scan.invalid ? 'broken-utf-8' : 'windows-1251';
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The refusal of a damaged UTF-8 file: each bad byte's line and offset (the first 20), and the count. */
export function brokenUtf8Problems(name: string, scan: ByteScan): InputProblem[] {
  const problems: InputProblem[] = scan.bad.map((b) => ({
    file: name,
    line: b.line,
    message: `byte ${hex(b.byte)} at byte ${b.column} of the line (offset ${b.offset} in the file) is not UTF-8`,
  }));
  const more = scan.invalid - scan.bad.length;
  problems.push({
    file: name,
    message:
      `the file is UTF-8 (${scan.multibyte} multi-byte characters${scan.bom ? ', and a UTF-8 BOM' : ''}) but ${scan.invalid} byte(s) are not` +
      `${more > 0 ? ` (${more} more not listed)` : ''}; it is not read as Windows-1251, which would garble every Cyrillic letter: ` +
      'correct the character(s) on the line(s) named, or save the file again from Excel as "CSV UTF-8"',
  });
  return problems;
}

/** Counts a file's bytes in one streamed pass (bounded memory whatever its size). */
export async function scanFile(file: string): Promise<ByteScan> {
  const scanner = new Utf8Scanner();
  for await (const chunk of createReadStream(file)) scanner.push(chunk as Buffer);
  return scanner.finish();
}

/** Counts the bytes of a buffer. */
export function scanBytes(bytes: Uint8Array): ByteScan {
  const scanner = new Utf8Scanner();
  scanner.push(bytes);
  return scanner.finish();
}

/**
 * Reads the whole file once as a stream and decides by `verdictOf`: UTF-8 or Windows-1251; a UTF-8
 * file with a few bytes that are not UTF-8 is refused (InputError naming each bad byte's line).
 */
export async function detectEncoding(file: string): Promise<DetectedEncoding> {
  const scan = await scanFile(file);
  return encodingOfScan(path.basename(file), scan);
}

export function encodingOfScan(name: string, scan: ByteScan): DetectedEncoding {
  if (scan.utf16 !== undefined) {
    const mark = scan.utf16 === 'LE' ? 'FF FE' : 'FE FF';
    throw new InputError([{ file: name, line: 1, message: `the file is UTF-16 (${scan.utf16}, it starts with the byte-order mark ${mark}), which esep does not read: save it as CSV UTF-8 (in Excel: "CSV UTF-8 (comma delimited)")` }]);
  }
  const verdict = verdictOf(scan);
  if (verdict === 'broken-utf-8') throw new InputError(brokenUtf8Problems(name, scan));
  return { encoding: verdict, bom: verdict === 'utf-8' && scan.bom };
}

/** A stream that decodes the file's bytes to text (a UTF-8 BOM is dropped). */
export function decodingStream(encoding: TextEncoding): NodeJS.ReadWriteStream {
  return iconv.decodeStream(encoding, { stripBOM: true });
}

export function decodeBuffer(bytes: Buffer, encoding: TextEncoding): string {
  return iconv.decode(bytes, encoding, { stripBOM: true });
}

/** A whole small file's text (the operator's JSON), by the same detector. */
export function decodeDetected(name: string, bytes: Buffer): { text: string; encoding: TextEncoding } {
  const { encoding } = encodingOfScan(name, scanBytes(bytes));
  return { text: decodeBuffer(bytes, encoding), encoding };
}
