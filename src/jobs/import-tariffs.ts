// `esep import tariffs FILE.csv`: code,name,monthly_fee,port_fee,installation_fee.
// A new code creates a tariff with its first price. A known code may change its name; a changed
// price is refused here, because a price change is a new price version with 30 days' notice
// (cl. 23.14), never a rewrite of the price that history was charged at.
import path from 'node:path';
import { inTransaction, type Db } from '../db/connection.js';
import { journalRun, nowIso } from '../db/journal.js';
import { allPrices, allTariffs, ALWAYS } from '../db/tariffs.js';
import { InputError, type InputProblem } from '../domain/errors.js';
import { formatTenge, MoneyError, parseTenge, type Tiyn } from '../domain/money.js';
import { readCsvChecked, type CsvRow } from '../io/csv.js';

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

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
}

export function tariffLineChecker() {
  const seen = new Map<string, number>();
  return (row: CsvRow, problem: (field: string, message: string) => void): TariffLine | undefined => {
    const v = row.values;
    const code = v.code ?? '';
    if (!CODE.test(code)) problem('code', 'must be 1–32 letters, digits, "_", "." or "-"');
    else if (seen.has(code)) problem('code', `"${code}" appears again (first on line ${seen.get(code)})`);
    else seen.set(code, row.line);
    if (!v.name) problem('name', 'is empty');
    const monthlyFee = parseFee(v.monthly_fee ?? '', (m) => problem('monthly_fee', m));
    const portFee = parseFee(v.port_fee ?? '', (m) => problem('port_fee', m));
    const installationFee = parseFee(v.installation_fee ?? '', (m) => problem('installation_fee', m));
    if (monthlyFee === undefined || portFee === undefined || installationFee === undefined) return undefined;
    return { line: row.line, code, name: v.name ?? '', monthlyFee, portFee, installationFee };
  };
}

export async function importTariffs(db: Db, file: string): Promise<ImportSummary> {
  const startedAt = nowIso();
  const lines = await readCsvChecked(file, TARIFF_COLUMNS, tariffLineChecker());
  return applyTariffLines(db, lines, path.basename(file), startedAt);
}

export function applyTariffLines(db: Db, lines: readonly TariffLine[], name: string, startedAt: string): ImportSummary {
  return inTransaction(db, () => {
    const tariffs = allTariffs(db);
    const prices = allPrices(db);
    const problems: InputProblem[] = [];
    const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0 };
    const insertTariff = db.sqlite.prepare('INSERT INTO tariffs (code, name) VALUES (?, ?)');
    const insertPrice = db.sqlite.prepare(
      `INSERT INTO tariff_prices (tariff_code, effective_from, monthly_fee, port_fee, installation_fee) VALUES (?, ?, ?, ?, ?)`,
    );
    const rename = db.sqlite.prepare('UPDATE tariffs SET name = ? WHERE code = ?');
    for (const t of lines) {
      const existing = tariffs.get(t.code);
      if (!existing) {
        insertTariff.run(t.code, t.name);
        insertPrice.run(t.code, ALWAYS, t.monthlyFee, t.portFee, t.installationFee);
        summary.added++;
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
      if (existing.name !== t.name) {
        rename.run(t.name, t.code);
        summary.updated++;
      } else summary.unchanged++;
    }
    if (problems.length > 0) throw new InputError(problems); // rolls the transaction back
    journalRun(db, 'import-tariffs', name, startedAt, { ...summary });
    return summary;
  });
}
