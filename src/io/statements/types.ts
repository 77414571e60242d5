// What every statement reader yields, whatever the file: rows of money in (or bank reversals),
// problems with their line and field, rows ignored with the reason (money out, totals), and at the
// end of the file what each section states of itself beside what its rows add up to.
import type { InputProblem } from '../../domain/errors.js';
import type { IdentityRule, StatementRow, StatementTotals } from '../../domain/statement.js';

export type StatementItem =
  | { type: 'row'; row: StatementRow }
  | { type: 'problem'; problem: InputProblem }
  | { type: 'ignored'; line: number; reason: string }
  | { type: 'totals'; totals: StatementTotals };

/** The operator's requisites a reader needs to tell money in from money out. */
export interface OperatorAccount {
  iban: string | null;
  bin: string | null;
  /** The operator's accounts (normalised IBANs, its iban among them): a statement must be of one of them. */
  accounts: string[];
}

export interface Statement {
  file: string;
  /** The file's name as problems name it. */
  name: string;
  format: string;
  container: 'csv' | 'xlsx' | '1c';
  encoding: string | null;
  identity: IdentityRule;
  /** A fresh pass over the file (called twice: validate, then apply). Streams: bounded memory. */
  items(): AsyncGenerator<StatementItem>;
}

/** A row of cells as a sheet or a CSV gives it; `line` is the file line or sheet row number. */
export interface CellRow {
  line: number;
  cells: readonly unknown[];
}
