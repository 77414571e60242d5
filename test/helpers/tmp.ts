// Temporary folders and files for tests; removed after each test file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import iconv from 'iconv-lite';

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'esep-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let counter = 0;
export function writeText(dir: string, name: string, text: string, encoding: 'utf-8' | 'utf-8-bom' | 'windows-1251' = 'utf-8'): string {
  const file = path.join(dir, `${counter++}-${name}`);
  if (encoding === 'windows-1251') writeFileSync(file, iconv.encode(text, 'win1251'));
  else writeFileSync(file, (encoding === 'utf-8-bom' ? '\ufeff' : '') + text, 'utf8');
  return file;
}
