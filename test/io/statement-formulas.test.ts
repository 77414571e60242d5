// An xlsx formula cell whose value the file does not hold (a workbook written by a program and never
// opened in Excel) is refused with its cell name, never read as "[object Object]".
import { describe, expect, it } from 'vitest';
import { loadProfiles } from '../../src/io/statements/profile.js';
import { cellText, columnLetters, isFormulaWithoutValue, tabularItems } from '../../src/io/statements/tabular.js';
import type { CellRow, StatementItem } from '../../src/io/statements/types.js';

async function* rowsOf(rows: CellRow[]): AsyncGenerator<CellRow> {
  yield* rows;
}

async function itemsOf(rows: CellRow[]): Promise<StatementItem[]> {
  const out: StatementItem[] = [];
  for await (const item of tabularItems(rowsOf(rows), loadProfiles().get('generic')!, { name: 'f.xlsx', operator: { iban: null, bin: null, accounts: [] } })) out.push(item);
  return out;
}

const HEADER: CellRow = { line: 1, cells: ['bank_ref', 'value_date', 'amount', 'account', 'payer_iin', 'payer_name', 'purpose'] };

describe('formula cells', () => {
  it('names columns as a spreadsheet does', () => {
    expect([0, 2, 25, 26, 27, 701, 702].map(columnLetters)).toEqual(['A', 'C', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });

  it('reads a formula by its cached value, and none without one', () => {
    expect(cellText({ formula: 'B2*2', result: 5000 })).toBe('5000');
    expect(isFormulaWithoutValue({ formula: 'B2*2' })).toBe(true);
    expect(isFormulaWithoutValue({ sharedFormula: 'C2' })).toBe(true);
    expect(isFormulaWithoutValue({ formula: 'B2*2', result: 0 })).toBe(false);
    expect(cellText({ formula: 'B2*2' })).toBe('');
  });

  it('refuses a row with a formula without a value, naming the cell; a cached value is read', async () => {
    const items = await itemsOf([
      HEADER,
      { line: 2, cells: ['R-1', '2026-11-24', { formula: 'H2*2' }, '1001', '', 'Payer', 'Оплата'] },
      { line: 3, cells: ['R-2', '2026-11-24', { formula: 'H3*2', result: 2500 }, '1001', '', 'Payer', { sharedFormula: 'G2' }] },
      { line: 4, cells: ['R-3', '2026-11-24', 700, '1001', '', 'Payer', 'Оплата'] },
    ]);
    expect(items.filter((i) => i.type === 'problem').map((i) => i.type === 'problem' && i.problem)).toEqual([
      { file: 'f.xlsx', line: 2, field: 'amount', message: 'cell C2 is a formula (=H2*2) with no value saved in the file: open it in Excel and save it again, or paste the values' },
      { file: 'f.xlsx', line: 3, field: 'purpose', message: 'cell G3 is a formula (=G2) with no value saved in the file: open it in Excel and save it again, or paste the values' },
    ]);
    // 700 ₸ = 70 000 tiyn; nothing stored reads "[object Object]"
    const rows = items.flatMap((i) => (i.type === 'row' ? [i.row] : []));
    expect(rows.map((r) => [r.line, r.amount, r.purpose])).toEqual([[4, 70_000, 'Оплата']]);
  });
});
