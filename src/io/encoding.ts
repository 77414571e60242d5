// Text files from accountants and banks arrive as UTF-8 (with or without a BOM) or Windows-1251.
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'windows-1251';

export interface DetectedEncoding {
  encoding: TextEncoding;
  bom: boolean;
}

/**
 * Reads the whole file once as a stream: UTF-8 if every byte sequence is valid UTF-8, else
 * Windows-1251 (which decodes any byte). Bounded memory whatever the file's size.
 */
export async function detectEncoding(file: string): Promise<DetectedEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let first = true;
  let bom = false;
  try {
    for await (const chunk of createReadStream(file)) {
      const bytes = chunk as Buffer;
      if (first) {
        bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
        first = false;
      }
      decoder.decode(bytes, { stream: true });
    }
    decoder.decode();
  } catch (error) {
    if (error instanceof TypeError) return { encoding: 'windows-1251', bom: false };
    throw error;
  }
  return { encoding: 'utf-8', bom };
}

/** A stream that decodes the file's bytes to text (a UTF-8 BOM is dropped). */
export function decodingStream(encoding: TextEncoding): NodeJS.ReadWriteStream {
  return iconv.decodeStream(encoding, { stripBOM: true });
}

export function decodeBuffer(bytes: Buffer, encoding: TextEncoding): string {
  return iconv.decode(bytes, encoding, { stripBOM: true });
}
