// What an import adds and changes, field by field: printed by a dry run before anything is written,
// and by the import itself, so that an email blanked by a re-import is seen, not just "1 updated".
import { lostLettersOf } from '../domain/text.js';
import type { TextEncoding } from '../io/encoding.js';

/** How many rows were added, changed, found as they are. */
export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
}

/** One field of a known record that the file changes; null is an empty field. */
export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

/** A record the file adds: its key (account number, tariff code) and the values it gets. */
export interface ImportAddition {
  line: number;
  key: string;
  values: Record<string, string | null>;
}

/** A known record the file changes. */
export interface ImportChange {
  line: number;
  key: string;
  fields: FieldChange[];
}

export interface ImportReport extends ImportSummary {
  /** The file's name. */
  file: string;
  /** True when nothing was written: the report of what the import would do. */
  dryRun: boolean;
  /** Per field, how many records the file changes it in. */
  changedFields: Record<string, number>;
  additions: ImportAddition[];
  changes: ImportChange[];
}

/** Collects additions and changes while a file is compared with the database. */
export class ImportReportBuilder {
  readonly additions: ImportAddition[] = [];
  readonly changes: ImportChange[] = [];
  readonly changedFields: Record<string, number> = {};
  unchanged = 0;

  add(line: number, key: string, values: Record<string, string | null>): void {
    this.additions.push({ line, key, values });
  }

  /** Records the fields that differ; returns whether any did. */
  compare(line: number, key: string, pairs: readonly (readonly [field: string, from: string | null, to: string | null])[]): boolean {
    const fields = pairs.filter(([, from, to]) => from !== to).map(([field, from, to]) => ({ field, from, to }));
    if (fields.length === 0) return false;
    for (const f of fields) this.changedFields[f.field] = (this.changedFields[f.field] ?? 0) + 1;
    this.changes.push({ line, key, fields });
    return true;
  }

  report(file: string, dryRun: boolean): ImportReport {
    return {
      file,
      dryRun,
      added: this.additions.length,
      updated: this.changes.length,
      unchanged: this.unchanged,
      changedFields: { ...this.changedFields },
      additions: this.additions,
      changes: this.changes,
    };
  }
}

/** The journal's counts of an import: added, updated, unchanged and `changed_<field>` per field. */
export function journalCounts(report: ImportReport): Record<string, number> {
  const counts: Record<string, number> = { added: report.added, updated: report.updated, unchanged: report.unchanged };
  for (const [field, n] of Object.entries(report.changedFields)) counts[`changed_${field}`] = n;
  return counts;
}

/**
 * The refusal of a name or address with a letter lost to "?" (domain/text.ts): what the database
 * holds when it shows the letter, and what to do about the file.
 */
export function lostLetterMessage(value: string, stored: string | undefined, encoding: TextEncoding | undefined): string {
  const known = stored !== undefined && lostLettersOf(value, stored) ? ` (the database has "${stored}")` : '';
  const advice =
    encoding === 'windows-1251'
      ? 'the file was saved as Windows-1251 ("CSV (разделители - запятые)"), which has no ә ғ қ ң ө ұ ү һ: save it from Excel as "CSV UTF-8" and import it again'
      : 'the letter was lost before this file was saved (by an earlier save as "CSV (разделители - запятые)"): type the letter back, save as "CSV UTF-8"';
  return `"${value}" has "?" where a letter was${known}: ${advice}`;
}
