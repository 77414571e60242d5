// A statement must add up (SPEC section 5): the rows read against the totals a section states.
import { describe, expect, it } from 'vitest';
import { chainProblem, totalsProblems, type StatementTotals } from '../../src/domain/statement.js';

// opening 1 000,00 + in 500,00 − out 200,00 = closing 1 300,00; the rows read agree
const section: StatementTotals = {
  section: 'S',
  line: 10,
  account: 'KZ12601A861000123456',
  from: '2026-11-22',
  to: '2026-11-22',
  opening: 100_000,
  statedIn: 50_000,
  statedOut: 20_000,
  closing: 130_000,
  readIn: 50_000,
  readOut: 20_000,
};

describe('totalsProblems', () => {
  it('finds nothing where the rows sum to the stated in and out and opening + in − out = closing', () => {
    // 1 000,00 + 500,00 − 200,00 = 1 300,00
    expect(totalsProblems(section)).toEqual([]);
  });

  it('names a row missing from the money in, and one too many in the money out, in tenge', () => {
    // read 450,00 of 500,00: 50,00 missing
    expect(totalsProblems({ ...section, readIn: 45_000 })).toEqual([
      { total: 'in', message: "S: rows read: money in 450,00, the statement's money in 500,00: 50,00 missing" },
    ]);
    // read 250,00 of 200,00: 50,00 more than stated
    expect(totalsProblems({ ...section, readOut: 25_000 })).toEqual([
      { total: 'out', message: "S: rows read: money out 250,00, the statement's money out 200,00: 50,00 more than stated" },
    ]);
  });

  it('names a closing balance that opening + in − out does not reach, with the statement’s own names', () => {
    // 1 000,00 + 500,00 − 200,00 = 1 300,00, stated 1 290,00: 10,00 apart
    const labels = { opening: 'НачальныйОстаток', in: 'ВсегоПоступило', out: 'ВсегоСписано', closing: 'КонечныйОстаток' };
    expect(totalsProblems({ ...section, closing: 129_000 }, labels)).toEqual([
      {
        total: 'closing',
        message:
          "S: НачальныйОстаток 1 000,00 + ВсегоПоступило 500,00 − ВсегоСписано 200,00 = 1 300,00, the statement's КонечныйОстаток 1 290,00: 10,00 apart",
      },
    ]);
  });

  it('uses the rows read where the statement states no in or out, and checks nothing it does not state', () => {
    const balancesOnly = { ...section, statedIn: null, statedOut: null };
    // 1 000,00 + 500,00 read − 200,00 read = 1 300,00
    expect(totalsProblems(balancesOnly)).toEqual([]);
    // 1 000,00 + 400,00 read − 200,00 read = 1 200,00, stated 1 300,00: 100,00 apart
    expect(totalsProblems({ ...balancesOnly, readIn: 40_000 })).toEqual([
      {
        total: 'closing',
        message: "S: opening balance 1 000,00 + money in read 400,00 − money out read 200,00 = 1 200,00, the statement's closing balance 1 300,00: 100,00 apart",
      },
    ]);
    // no balances, no in or out: nothing to check, whatever was read
    expect(totalsProblems({ ...section, opening: null, statedIn: null, statedOut: null, closing: null, readIn: 1 })).toEqual([]);
    // an opening without a closing: only the in and out are checked (read 0,00 of 500,00)
    expect(totalsProblems({ ...section, closing: null, readIn: 0 }).map((p) => p.total)).toEqual(['in']);
  });

  it('names both a missing row and the closing when the stated totals themselves do not add up', () => {
    // stated in 500,00 and read 300,00: 200,00 missing; 1 000,00 + 500,00 − 200,00 = 1 300,00, stated 1 100,00: 200,00 apart
    expect(totalsProblems({ ...section, readIn: 30_000, closing: 110_000 }).map((p) => p.total)).toEqual(['in', 'closing']);
  });
});

describe('chainProblem', () => {
  const day24 = { ...section, section: 'S 24.11', closing: 97_780_150 };
  const day25 = { ...section, section: 'S 25.11', opening: 97_780_150 };

  it('finds nothing where a section opens with what the one before it closed with', () => {
    expect(chainProblem(day24, day25)).toBeNull();
    // a balance not stated is not chained
    expect(chainProblem({ ...day24, closing: null }, { ...day25, opening: 1 })).toBeNull();
  });

  it('names the later section, both balances and the difference', () => {
    // opens 977 800,00, the day before closed 977 801,50: 1,50 apart
    expect(chainProblem(day24, { ...day25, opening: 97_780_000 })).toBe(
      'S 25.11: opening balance 977 800,00, the section before it (S 24.11) closed with closing balance 977 801,50: 1,50 apart',
    );
  });
});
