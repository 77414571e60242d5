// `esep import tariffs FILE.csv [--dry-run]`: code,name,monthly_fee,port_fee,installation_fee.
// A new code creates a tariff with its first price. A known code may change its name (reported as
// a change); a changed price is refused here, because a price change is a new price version with
// 30 days' notice (cl. 23.14), never a rewrite of the price that history was charged at. Every
// problem of the file, and against the database, is listed at once.
import { inTransaction, type Db } from '../db/connection.js';
import { journalRun, nowIso } from '../db/journal.js';
import { allPrices, allTariffs, ALWAYS } from '../db/tariffs.js';
import { InputError, type InputProblem } from '../domain/errors.js';
import { formatTenge, MoneyError, parseTenge, toTengeString, type Tiyn } from '../domain/money.js';
import { hasLostLetter, lostLettersOf } from '../domain/text.js';
import { readCsvLines, type CsvFile, type CsvRow } from '../io/csv.js';
import { ImportReportBuilder, journalCounts, lostLetterMessage, type ImportReport, type ImportSummary } from './import-report.js';

export const TARIFF_COLUMNS = ['code', 'name', 'monthly_fee', 'port_fee', 'installation_fee'] as const;

export interface TariffLine {
  line: number;
  code: string;
  name: string;
  monthlyFee: Tiyn;
  portFee: Tiyn;
  installationFee: Tiyn;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

export function parseFee(text: string, problem: (message: string) => void): Tiyn | undefined {
  try {
    const value = parseTenge(text);
    if (value < 0) {
      problem('must not be negative');
      return undefined;
    }
    return value;
  } catch (error) {
    if (error instanceof MoneyError) {
      problem(error.message);
      return undefined;
    }
    throw error;
  }
}

export type { ImportReport, ImportSummary };

/** Checks one row; `storedName` gives a known tariff's name, to name the letters a damaged file lost. */
export function tariffLineChecker(storedName: (code: string) => string | undefined = () => undefined) {
  const seen = new Map<string, number>();
  return (row: CsvRow, problem: (field: string, message: string) => void, info?: CsvFile): TariffLine | undefined => {
    const v = row.values;
    const code = v.code ?? '';
    if (!CODE.test(code)) problem('code', 'must be 1–32 letters, digits, "_", "." or "-"');
    else if (seen.has(code)) problem('code', `"${code}" appears again (first on line ${seen.get(code)})`);
    else seen.set(code, row.line);
    if (!v.name) problem('name', 'is empty');
    else {
      const stored = CODE.test(code) ? storedName(code) : undefined;
      if (hasLostLetter(v.name) || (stored !== undefined && lostLettersOf(v.name, stored))) {
        problem('name', lostLetterMessage(v.name, stored, info?.encoding));
      }
    }
    const monthlyFee = parseFee(v.monthly_fee ?? '', (m) => problem('monthly_fee', m));
    const portFee = parseFee(v.port_fee ?? '', (m) => problem('port_fee', m));
    const installationFee = parseFee(v.installation_fee ?? '', (m) => problem('installation_fee', m));
    if (monthlyFee === undefined || portFee === undefined || installationFee === undefined) return undefined;
    return { line: row.line, code, name: v.name ?? '', monthlyFee, portFee, installationFee };
  };
}

/** `esep import tariffs`: the counts (the demo loads its tariffs so). */
export async function importTariffs(db: Db, file: string): Promise<ImportSummary> {
  const { added, updated, unchanged } = await importTariffsReport(db, file);
  return { added, updated, unchanged };
}

export async function importTariffsReport(db: Db, file: string, options: { dryRun?: boolean | undefined } = {}): Promise<ImportReport> {
  const startedAt = nowIso();
  const known = allTariffs(db);
  const read = await readCsvLines(file, TARIFF_COLUMNS, tariffLineChecker((code) => known.get(code)?.name));
  return tariffImportReport(db, read.lines, read.name, startedAt, { dryRun: options.dryRun, earlier: read.problems });
}

/**
 * Compares checked lines with the database and writes them in one transaction with the journal
 * row; the problems found here join those of the file in one refusal. A dry run writes nothing.
 */
export function tariffImportReport(
  db: Db,
  lines: readonly TariffLine[],
  name: string,
  startedAt: string,
  options: { dryRun?: boolean | undefined; earlier?: readonly InputProblem[] } = {},
): ImportReport {
  return inTransaction(db, () => {
    const tariffs = allTariffs(db);
    const prices = allPrices(db);
    const problems: InputProblem[] = [...(options.earlier ?? [])];
    const report = new ImportReportBuilder();
    const writes: { line: TariffLine; kind: 'add' | 'rename' }[] = [];
    for (const t of lines) {
      const existing = tariffs.get(t.code);
      if (!existing) {
        report.add(t.line, t.code, {
          name: t.name,
          monthly_fee: toTengeString(t.monthlyFee),
          port_fee: toTengeString(t.portFee),
          installation_fee: toTengeString(t.installationFee),
        });
        writes.push({ line: t, kind: 'add' });
        continue;
      }
      const versions = prices.get(t.code) ?? [];
      const latest = versions[versions.length - 1];
      if (latest) {
        for (const [field, now, was] of [
          ['monthly_fee', t.monthlyFee, latest.monthlyFee],
          ['port_fee', t.portFee, latest.portFee],
          ['installation_fee', t.installationFee, latest.installationFee],
        ] as const) {
          if (now !== was) {
            problems.push({
              file: name,
              line: t.line,
              field,
              message: `tariff ${t.code} costs ${formatTenge(was)} now; a price change is a new price version announced 30 days ahead (cl. 23.14): use \`esep tariff reprice\``,
            });
          }
        }
      }
      if (report.compare(t.line, t.code, [['name', existing.name, t.name]])) writes.push({ line: t, kind: 'rename' });
      else report.unchanged++;
    }
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (problems.length > 0) throw new InputError(problems);
    const result = report.report(name, options.dryRun === true);
    if (result.dryRun) return result;
    const insertTariff = db.sqlite.prepare('INSERT INTO tariffs (code, name) VALUES (?, ?)');
    const insertPrice = db.sqlite.prepare(
      `INSERT INTO tariff_prices (tariff_code, effective_from, monthly_fee, port_fee, installation_fee) VALUES (?, ?, ?, ?, ?)`,
    );
    const rename = db.sqlite.prepare('UPDATE tariffs SET name = ? WHERE code = ?');
    for (const { line: t, kind } of writes) {
      if (kind === 'add') {
        insertTariff.run(t.code, t.name);
        insertPrice.run(t.code, ALWAYS, t.monthlyFee, t.portFee, t.installationFee);
      } else rename.run(t.name, t.code);
    }
    journalRun(db, 'import-tariffs', name, startedAt, journalCounts(result));
    return result;
  });
}
