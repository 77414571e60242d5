// The totals each imported statement states of itself, per section, beside the sums of the rows
// read (the import refuses a file where they disagree, so what is kept here agrees): what the
// payments report sets beside the money esep took in.
import type { Db } from './connection.js';
import type { IsoDate } from '../domain/dates.js';
import type { StatementTotals } from '../domain/statement.js';

export interface StoredSection extends StatementTotals {
  file: string;
  format: string;
}

const COLUMNS = `file, format, section, line, account, date_from AS "from", date_to AS "to", opening, stated_in AS statedIn,
  stated_out AS statedOut, closing, read_in AS readIn, read_out AS readOut`;

/**
 * Keeps a statement's sections, with the run that imported it; returns how many were new. A section
 * kept before (the same statement imported again) is kept once. Inside the import's transaction.
 */
export function recordSections(db: Db, runId: number | null, file: string, format: string, sections: readonly StatementTotals[]): number {
  const insert = db.sqlite.prepare(
    `INSERT INTO statement_sections (run_id, file, format, section, line, account, date_from, date_to, opening, stated_in, stated_out, closing, read_in, read_out)
     SELECT @runId, @file, @format, @section, @line, @account, @from, @to, @opening, @statedIn, @statedOut, @closing, @readIn, @readOut
      WHERE NOT EXISTS (SELECT 1 FROM statement_sections WHERE format = @format AND section = @section AND account IS @account
        AND date_from IS @from AND date_to IS @to AND opening IS @opening AND stated_in IS @statedIn AND stated_out IS @statedOut
        AND closing IS @closing AND read_in = @readIn AND read_out = @readOut)`,
  );
  let added = 0;
  for (const s of sections) added += insert.run({ runId, file, format, ...s }).changes;
  return added;
}

/**
 * The sections that fall within from..to (a section of no dates is taken by the value dates of
 * its file's payments, which the caller matches by file): by start date, file and line.
 */
export function sectionsBetween(db: Db, from: IsoDate, to: IsoDate): StoredSection[] {
  return db.sqlite
    .prepare(
      `SELECT ${COLUMNS} FROM statement_sections
        WHERE date_from IS NOT NULL AND date_from <= @to AND COALESCE(date_to, date_from) >= @from
        ORDER BY date_from, file, line, id`,
    )
    .all({ from, to }) as StoredSection[];
}
