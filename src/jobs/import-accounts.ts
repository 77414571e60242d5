// `esep import accounts FILE.csv [--dry-run]`:
// account,iin,name,address,email,phone,method,tariff,connected_on,premises_owned
// Every row is checked (IIN check digit, known tariff, cl. 7 method for the premises, cl. 6.4 no new
// account while the IIN owes overdue debt, a connection date within the window around today, no
// letter lost to "?"); every problem of the file is listed at once and one refuses the whole file.
// A known account may change its contact data (name, address, email, phone), each change reported
// field by field; the facts its history was billed on (IIN, method, tariff, connection date,
// premises) are refused here, never rewritten.
import { z } from 'zod';
import { inTransaction, type Db } from '../db/connection.js';
import { findAccount, overdueDebtOfIin } from '../db/accounts.js';
import { journalRun, nowIso } from '../db/journal.js';
import { allTariffs, type TariffRow } from '../db/tariffs.js';
import { methodAllowed, parseMethod, parseYesNo, type Method } from '../domain/accounts.js';
import { outsideWindow, parseFileDate, windowAround, type IsoDate } from '../domain/dates.js';
import { InputError, type InputProblem } from '../domain/errors.js';
import { validationErrorIin } from '../domain/identifiers.js';
import { formatTenge } from '../domain/money.js';
import { hasLostLetter, lostLettersOf } from '../domain/text.js';
import { readCsvLines, type CsvFile, type CsvRow } from '../io/csv.js';
import { ImportReportBuilder, journalCounts, lostLetterMessage, type ImportReport, type ImportSummary } from './import-report.js';

export const ACCOUNT_COLUMNS = [
  'account',
  'iin',
  'name',
  'address',
  'email',
  'phone',
  'method',
  'tariff',
  'connected_on',
  'premises_owned',
] as const;

export interface AccountLine {
  line: number;
  account: string;
  iin: string;
  name: string;
  address: string;
  email: string | null;
  phone: string | null;
  method: Method;
  tariff: string;
  connectedOn: IsoDate;
  premisesOwned: boolean;
}

const ACCOUNT_NUMBER = /^[0-9A-Za-z][0-9A-Za-z-]{0,19}$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;
const email = z.email();

export interface AccountCheckOptions {
  /** The stored name and address of a known account, to name the letters a damaged file lost. */
  stored?: (account: string) => { name: string; address: string } | undefined;
}

/** Checks one row's values; reports each problem by field and returns the line when it can be read. */
export function accountLineChecker(tariffs: ReadonlyMap<string, TariffRow>, options: AccountCheckOptions = {}) {
  const seen = new Map<string, number>();
  const namesByIin = new Map<string, { name: string; line: number }>();
  return (row: CsvRow, problem: (field: string, message: string) => void, info?: CsvFile): AccountLine | undefined => {
    const v = row.values;
    const account = v.account ?? '';
    if (!ACCOUNT_NUMBER.test(account)) problem('account', 'must be 1–20 letters, digits or "-"');
    else if (seen.has(account)) problem('account', `account ${account} appears again (first on line ${seen.get(account)})`);
    else seen.set(account, row.line);
    const stored = ACCOUNT_NUMBER.test(account) ? options.stored?.(account) : undefined;

    const iin = v.iin ?? '';
    const iinError = validationErrorIin(iin);
    if (iinError) problem('iin', iinError);

    const subscriberName = v.name ?? '';
    const address = v.address ?? '';
    if (!subscriberName) problem('name', 'is empty');
    else if (hasLostLetter(subscriberName) || (stored && lostLettersOf(subscriberName, stored.name))) {
      problem('name', lostLetterMessage(subscriberName, stored?.name, info?.encoding));
    } else if (!iinError) {
      const first = namesByIin.get(iin);
      if (first && first.name !== subscriberName) {
        problem('name', `IIN ${iin} is "${first.name}" on line ${first.line}`);
      } else if (!first) namesByIin.set(iin, { name: subscriberName, line: row.line });
    }
    if (!address) problem('address', 'is empty');
    else if (hasLostLetter(address) || (stored && lostLettersOf(address, stored.address))) {
      problem('address', lostLetterMessage(address, stored?.address, info?.encoding));
    }

    const mail = v.email ?? '';
    if (mail && !email.safeParse(mail).success) problem('email', `"${mail}" is not an email address`);
    const phone = v.phone ?? '';
    if (phone && !PHONE.test(phone)) problem('phone', `"${phone}" is not a phone number`);

    const method = parseMethod(v.method ?? '');
    if (!method) problem('method', `must be "advance" or "credit" ("аванс", "кредит"), not "${v.method ?? ''}"`);

    const tariff = v.tariff ?? '';
    const known = tariffs.get(tariff);
    if (!known) problem('tariff', `unknown tariff "${tariff}" (import tariffs first)`);

    const connectedOn = parseFileDate(v.connected_on ?? '');
    if (connectedOn === undefined) problem('connected_on', `"${v.connected_on ?? ''}" is not a date (YYYY-MM-DD or DD.MM.YYYY)`);
    else if (known?.discontinuedOn && known.discontinuedOn <= connectedOn) {
      problem('tariff', `tariff ${tariff} is discontinued from ${known.discontinuedOn}`);
    }

    const premisesOwned = parseYesNo(v.premises_owned ?? '');
    if (premisesOwned === undefined) problem('premises_owned', `must be yes or no, not "${v.premises_owned ?? ''}"`);
    else if (method && !methodAllowed(method, premisesOwned)) {
      problem('method', 'premises not owned by the subscriber: only the advance method is allowed (cl. 7)');
    }
    if (premisesOwned === undefined || !method || connectedOn === undefined) return undefined;
    return {
      line: row.line,
      account,
      iin,
      name: subscriberName,
      address,
      email: mail || null,
      phone: phone || null,
      method,
      tariff,
      connectedOn,
      premisesOwned,
    };
  };
}

/** The days a new account's connection date may fall on, around today (configuration `imports`). */
export interface ConnectionWindow {
  daysBack: number;
  daysAhead: number;
}

export interface AccountImportOptions {
  /** Today (--date): the cl. 6.4 debt check and the connection window are as of this day. */
  today: IsoDate;
  /** Without it (the demo) connection dates are not checked against a window. */
  window?: ConnectionWindow | undefined;
  dryRun?: boolean | undefined;
}

export async function importAccounts(
  db: Db,
  file: string,
  today: IsoDate,
  more: Omit<AccountImportOptions, 'today'> = {},
): Promise<ImportReport> {
  const options: AccountImportOptions = { ...more, today };
  const startedAt = nowIso();
  const stored = (account: string) => {
    const a = findAccount(db, account);
    return a && { name: a.name, address: a.address };
  };
  const read = await readCsvLines(file, ACCOUNT_COLUMNS, accountLineChecker(allTariffs(db), { stored }));
  return accountImportReport(db, read.lines, read.name, options, startedAt, read.problems);
}

/** Writes checked lines (the demo's) in one transaction with the journal row; the counts. */
export function applyAccountLines(db: Db, lines: readonly AccountLine[], name: string, today: IsoDate, startedAt: string): ImportSummary {
  const { added, updated, unchanged } = accountImportReport(db, lines, name, { today }, startedAt);
  return { added, updated, unchanged };
}

/**
 * Compares checked lines with the database and writes them in one transaction with the journal
 * row; the problems found here join those of the file (`earlier`) in one refusal. A dry run writes
 * nothing and returns the same report.
 */
export function accountImportReport(
  db: Db,
  lines: readonly AccountLine[],
  name: string,
  options: AccountImportOptions,
  startedAt: string,
  earlier: readonly InputProblem[] = [],
): ImportReport {
  const { today } = options;
  const window = options.window && windowAround(today, options.window.daysBack, options.window.daysAhead);
  return inTransaction(db, () => {
    const problems: InputProblem[] = [...earlier];
    const report = new ImportReportBuilder();
    const subscriberName = db.sqlite.prepare('SELECT name FROM subscribers WHERE iin = ?');
    const debtChecked = new Map<string, Map<string, number>>();
    const writes: { line: AccountLine; kind: 'add' | 'update' }[] = [];

    for (const l of lines) {
      const existing = findAccount(db, l.account);
      if (existing) {
        for (const [field, now, was] of [
          ['iin', l.iin, existing.iin],
          ['method', l.method, existing.method],
          ['tariff', l.tariff, existing.tariffCode],
          ['connected_on', l.connectedOn, existing.connectedOn],
          ['premises_owned', String(l.premisesOwned), String(existing.premisesOwned)],
        ] as const) {
          if (now !== was) {
            problems.push({
              file: name,
              line: l.line,
              field,
              message: `account ${l.account} has ${field} "${was}"; it is part of the account's history and cannot be changed by import`,
            });
          }
        }
        const changed = report.compare(l.line, l.account, [
          ['name', existing.name, l.name],
          ['address', existing.address, l.address],
          ['email', existing.email, l.email],
          ['phone', existing.phone, l.phone],
        ]);
        if (changed) writes.push({ line: l, kind: 'update' });
        else report.unchanged++;
        continue;
      }
      if (window) {
        const outside = outsideWindow(l.connectedOn, window);
        if (outside) {
          const setting = outside === 'before' ? 'connected_on_days_back' : 'connected_on_days_ahead';
          const days = outside === 'before' ? options.window!.daysBack : options.window!.daysAhead;
          const bound = outside === 'before' ? window.earliest : window.latest;
          problems.push({
            file: name,
            line: l.line,
            field: 'connected_on',
            message:
              `${l.connectedOn} is ${outside === 'before' ? 'before' : 'after'} ${bound}, ${days} days ${outside === 'before' ? 'before' : 'after'} today (${today})` +
              `${outside === 'before' ? ': a new account is charged for every day since its connection' : ''}; ` +
              `a typing slip? (the window is the setting imports.${setting} of the configuration file)`,
          });
          continue;
        }
      }
      // cl. 6.4: a new account for an IIN that owes overdue debt elsewhere is refused.
      let owing = debtChecked.get(l.iin);
      if (!owing) {
        owing = overdueDebtOfIin(db, l.iin, today);
        debtChecked.set(l.iin, owing);
      }
      if (owing.size > 0) {
        const list = [...owing].map(([acc, amount]) => `${acc} owes ${formatTenge(amount)}`).join(', ');
        problems.push({ file: name, line: l.line, field: 'iin', message: `IIN ${l.iin} has overdue debt (${list}): no new account (cl. 6.4)` });
        continue;
      }
      const knownName = subscriberName.get(l.iin) as { name: string } | undefined;
      if (knownName) report.compare(l.line, l.account, [['name', knownName.name, l.name]]);
      report.add(l.line, l.account, {
        iin: l.iin,
        name: l.name,
        address: l.address,
        email: l.email,
        phone: l.phone,
        method: l.method,
        tariff: l.tariff,
        connected_on: l.connectedOn,
        premises_owned: l.premisesOwned ? 'yes' : 'no',
      });
      writes.push({ line: l, kind: 'add' });
    }
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (problems.length > 0) throw new InputError(problems);
    const result = report.report(name, options.dryRun === true);
    if (result.dryRun) return result;

    const upsertSubscriber = db.sqlite.prepare(
      `INSERT INTO subscribers (iin, name) VALUES (?, ?)
       ON CONFLICT (iin) DO UPDATE SET name = excluded.name, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE subscribers.name <> excluded.name`,
    );
    const insertAccount = db.sqlite.prepare(
      `INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address, email, phone)
       VALUES (@account, @iin, @method, @tariff, @connectedOn, @premisesOwned, @address, @email, @phone)`,
    );
    const updateContact = db.sqlite.prepare(
      `UPDATE accounts SET address = @address, email = @email, phone = @phone,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE account = @account`,
    );
    for (const { line: l, kind } of writes) {
      upsertSubscriber.run(l.iin, l.name);
      if (kind === 'add') insertAccount.run({ ...l, premisesOwned: l.premisesOwned ? 1 : 0 });
      else updateContact.run({ account: l.account, address: l.address, email: l.email, phone: l.phone });
    }
    journalRun(db, 'import-accounts', name, startedAt, journalCounts(result));
    return result;
  });
}

export type { ImportReport, ImportSummary };
