// Opening a bank statement: its container (xlsx by the zip magic bytes, 1C by its first line, else
// CSV), its encoding (UTF-8 with or without BOM, Windows-1251) and, without --format, its format
// (the bank profile whose header the file has). A file that is none of these is refused.
import path from 'node:path';
import iconv from 'iconv-lite';
import { InputError } from '../../domain/errors.js';
import { assertReadable } from '../csv.js';
import { decodeBuffer, detectEncoding } from '../encoding.js';
import { ONEC_SIGNATURE, onecItems, type OnecEncoding } from './onec.js';
import { loadProfiles, type BankProfile } from './profile.js';
import { csvDelimiter, headBytes, isZip, rowsFromCsv, rowsFromXlsx } from './sources.js';
import { cellText, composeLabels, matchColumns, tabularItems } from './tabular.js';
import { normaliseLabel } from '../../domain/statement.js';
import type { CellRow, OperatorAccount, Statement } from './types.js';

export type { Statement, StatementItem, OperatorAccount } from './types.js';

/** Every format --format accepts: the profiles' names and 1c. */
export function statementFormats(): string[] {
  return [...loadProfiles().keys(), '1c'];
}

/** How many of a profile's required columns the best header candidate among these rows has. */
export function headerFit(rows: readonly CellRow[], profile: BankProfile): number {
  let previous: string[] | undefined;
  let best = 0;
  for (const row of rows.slice(0, profile.headerSearchRows + profile.headerRows - 1)) {
    const texts = row.cells.map(cellText);
    const labels = profile.headerRows === 1 ? texts.map(normaliseLabel) : previous ? composeLabels(previous, texts) : undefined;
    previous = texts;
    if (labels) best = Math.max(best, profile.required.length - matchColumns(labels, profile).missing.length);
  }
  return best;
}

/**
 * The profile whose header the rows have; the bank's name in the rows above decides between
 * several. When none fits whole, the one that lacks only a few columns (at least 3 found) is
 * taken, so that the refusal names the missing columns rather than "unknown format".
 */
export function detectProfile(rows: readonly CellRow[], profiles: readonly BankProfile[]): BankProfile | undefined {
  const scored = profiles.map((p) => ({ p, found: headerFit(rows, p) }));
  const fits = scored.filter((s) => s.found === s.p.required.length).map((s) => s.p);
  if (fits.length === 1) return fits[0];
  if (fits.length > 1) {
    const text = rows.flatMap((r) => r.cells.map((c) => cellText(c).toLowerCase())).join('\n');
    const named = fits.filter((p) => p.detect.some((d) => text.includes(d)));
    return named.length === 1 ? named[0] : undefined;
  }
  const partial = scored.filter((s) => s.found >= 3).sort((a, b) => b.found / b.p.required.length - a.found / a.p.required.length);
  return partial[0]?.p;
}

async function firstRows(rows: AsyncIterable<CellRow>, n: number): Promise<CellRow[]> {
  const out: CellRow[] = [];
  for await (const row of rows) {
    out.push(row);
    if (out.length >= n) break;
  }
  return out;
}

export interface OpenOptions {
  format?: string | undefined;
  operator: OperatorAccount;
  /** Import a statement of an account that is not one of the operator's (--any-account). */
  anyAccount?: boolean | undefined;
}

export async function openStatement(file: string, options: OpenOptions): Promise<Statement> {
  const name = path.basename(file);
  await assertReadable(file);
  const profiles = loadProfiles();
  const { format } = options;
  if (format !== undefined && format !== '1c' && !profiles.has(format)) {
    throw new InputError([{ field: '--format', message: `unknown format "${format}": one of ${statementFormats().join(', ')}` }]);
  }
  const head = await headBytes(file);
  if (head.length === 0) throw new InputError([{ file: name, line: 1, message: 'the file is empty' }]);
  const unknown = () =>
    new InputError([
      {
        file: name,
        message: `unknown statement format: not an xlsx or CSV export of a known bank (${[...profiles.keys()].filter((p) => p !== 'generic').join(', ')}), not a 1C file (first line ${ONEC_SIGNATURE}), not the generic CSV (header ${profileHeader(profiles.get('generic'))}); name it with --format`,
      },
    ]);

  if (isZip(head)) {
    const usable = [...profiles.values()].filter((p) => p.sources.includes('xlsx'));
    let profile: BankProfile | undefined;
    if (format !== undefined) {
      profile = usable.find((p) => p.name === format);
      if (!profile) throw new InputError([{ file: name, field: '--format', message: `the file is xlsx, which format ${format} is not` }]);
    } else {
      profile = detectProfile(await firstRows(rowsFromXlsx(file, name), 60), usable);
      if (!profile) throw unknown();
    }
    const chosen = profile;
    return {
      file,
      name,
      format: chosen.name,
      container: 'xlsx',
      encoding: null,
      identity: chosen.identity,
      items: () => tabularItems(rowsFromXlsx(file, name), chosen, { name, operator: options.operator, anyAccount: options.anyAccount, container: 'the sheet' }),
    };
  }

  const { encoding, bom } = await detectEncoding(file);
  const text = decodeBuffer(head, encoding);
  const firstLine = (text.split(/\r?\n/, 1)[0] ?? '').trim();
  if (format === '1c' || (format === undefined && firstLine === ONEC_SIGNATURE)) {
    // Кодировка=DOS: cp866, which a Windows-1251 reading would garble.
    const onecEncoding: OnecEncoding = encoding === 'windows-1251' && iconv.decode(head, 'cp866').includes('Кодировка=DOS') ? 'cp866' : encoding;
    return {
      file,
      name,
      format: '1c',
      container: '1c',
      encoding: onecEncoding === 'utf-8' && bom ? 'utf-8 (BOM)' : onecEncoding,
      identity: 'hash',
      items: () => onecItems(file, name, onecEncoding, options.operator, options.anyAccount === true),
    };
  }

  const delimiter = await csvDelimiter(file, encoding);
  const usable = [...profiles.values()].filter((p) => p.sources.includes('csv'));
  let profile: BankProfile | undefined;
  if (format !== undefined) {
    profile = usable.find((p) => p.name === format);
    if (!profile) throw new InputError([{ file: name, field: '--format', message: `the file is text, which format ${format} is not` }]);
  } else {
    profile = detectProfile(await firstRows(rowsFromCsv(file, name, encoding, delimiter), 60), usable);
    if (!profile) throw unknown();
  }
  const chosen = profile;
  return {
    file,
    name,
    format: chosen.name,
    container: 'csv',
    encoding: encoding === 'utf-8' && bom ? 'utf-8 (BOM)' : encoding,
    identity: chosen.identity,
    items: () => tabularItems(rowsFromCsv(file, name, encoding, delimiter), chosen, { name, operator: options.operator, anyAccount: options.anyAccount, container: 'the file' }),
  };
}

function profileHeader(p: BankProfile | undefined): string {
  return p ? p.required.join(',') : '';
}
