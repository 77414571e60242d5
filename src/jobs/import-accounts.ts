// `esep import accounts FILE.csv`:
// account,iin,name,address,email,phone,method,tariff,connected_on,premises_owned
// Every row is checked (IIN check digit, known tariff, cl. 7 method for the premises, cl. 6.4 no new
// account while the IIN owes overdue debt); one bad row refuses the whole file. A known account may
// change its contact data (name, address, email, phone); the facts its history was billed on
// (IIN, method, tariff, connection date, premises) are refused here, never rewritten.
import path from 'node:path';
import { z } from 'zod';
import { inTransaction, type Db } from '../db/connection.js';
import { findAccount, overdueDebtOfIin } from '../db/accounts.js';
import { journalRun, nowIso } from '../db/journal.js';
import { allTariffs, type TariffRow } from '../db/tariffs.js';
import { methodAllowed, METHODS, parseYesNo, type Method } from '../domain/accounts.js';
import { isIsoDate, type IsoDate } from '../domain/dates.js';
import { InputError, type InputProblem } from '../domain/errors.js';
import { validationErrorIin } from '../domain/identifiers.js';
import { formatTenge } from '../domain/money.js';
import { readCsvChecked, type CsvRow } from '../io/csv.js';
import type { ImportSummary } from './import-tariffs.js';

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

/** Checks one row's values; reports each problem by field and returns the line when it can be read. */
export function accountLineChecker(tariffs: ReadonlyMap<string, TariffRow>) {
  const seen = new Map<string, number>();
  const namesByIin = new Map<string, { name: string; line: number }>();
  return (row: CsvRow, problem: (field: string, message: string) => void): AccountLine | undefined => {
    const v = row.values;
    const account = v.account ?? '';
    if (!ACCOUNT_NUMBER.test(account)) problem('account', 'must be 1–20 letters, digits or "-"');
    else if (seen.has(account)) problem('account', `account ${account} appears again (first on line ${seen.get(account)})`);
    else seen.set(account, row.line);

    const iin = v.iin ?? '';
    const iinError = validationErrorIin(iin);
    if (iinError) problem('iin', iinError);

    const subscriberName = v.name ?? '';
    if (!subscriberName) problem('name', 'is empty');
    else if (!iinError) {
      const first = namesByIin.get(iin);
      if (first && first.name !== subscriberName) {
        problem('name', `IIN ${iin} is "${first.name}" on line ${first.line}`);
      } else if (!first) namesByIin.set(iin, { name: subscriberName, line: row.line });
    }
    if (!v.address) problem('address', 'is empty');

    const mail = v.email ?? '';
    if (mail && !email.safeParse(mail).success) problem('email', `"${mail}" is not an email address`);
    const phone = v.phone ?? '';
    if (phone && !PHONE.test(phone)) problem('phone', `"${phone}" is not a phone number`);

    const method = (v.method ?? '').toLowerCase();
    const methodOk = (METHODS as readonly string[]).includes(method);
    if (!methodOk) problem('method', `must be "advance" or "credit", not "${v.method ?? ''}"`);

    const tariff = v.tariff ?? '';
    const known = tariffs.get(tariff);
    if (!known) problem('tariff', `unknown tariff "${tariff}" (import tariffs first)`);

    const connectedOn = v.connected_on ?? '';
    if (!isIsoDate(connectedOn)) problem('connected_on', `"${connectedOn}" is not a date (YYYY-MM-DD)`);
    else if (known?.discontinuedOn && known.discontinuedOn <= connectedOn) {
      problem('tariff', `tariff ${tariff} is discontinued from ${known.discontinuedOn}`);
    }

    const premisesOwned = parseYesNo(v.premises_owned ?? '');
    if (premisesOwned === undefined) problem('premises_owned', `must be yes or no, not "${v.premises_owned ?? ''}"`);
    else if (methodOk && !methodAllowed(method as Method, premisesOwned)) {
      problem('method', 'premises not owned by the subscriber: only the advance method is allowed (cl. 7)');
    }
    if (premisesOwned === undefined || !methodOk) return undefined;
    return {
      line: row.line,
      account,
      iin,
      name: subscriberName,
      address: v.address ?? '',
      email: mail || null,
      phone: phone || null,
      method: method as Method,
      tariff,
      connectedOn,
      premisesOwned,
    };
  };
}

export async function importAccounts(db: Db, file: string, today: IsoDate): Promise<ImportSummary> {
  const startedAt = nowIso();
  const lines = await readCsvChecked(file, ACCOUNT_COLUMNS, accountLineChecker(allTariffs(db)));
  return applyAccountLines(db, lines, path.basename(file), today, startedAt);
}

/** Writes checked lines in one transaction with the journal row; any refusal rolls all of it back. */
export function applyAccountLines(db: Db, lines: readonly AccountLine[], name: string, today: IsoDate, startedAt: string): ImportSummary {
  return inTransaction(db, () => {
    const problems: InputProblem[] = [];
    const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0 };
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
    const subscriberName = db.sqlite.prepare('SELECT name FROM subscribers WHERE iin = ?');
    const debtChecked = new Map<string, Map<string, number>>();

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
        const contactChanged =
          existing.address !== l.address || existing.email !== l.email || existing.phone !== l.phone || existing.name !== l.name;
        if (contactChanged) {
          updateContact.run({ account: l.account, address: l.address, email: l.email, phone: l.phone });
          upsertSubscriber.run(l.iin, l.name);
          summary.updated++;
        } else summary.unchanged++;
        continue;
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
      upsertSubscriber.run(l.iin, l.name);
      if (knownName && knownName.name !== l.name) summary.updated++;
      insertAccount.run({ ...l, premisesOwned: l.premisesOwned ? 1 : 0 });
      summary.added++;
    }
    if (problems.length > 0) throw new InputError(problems); // rolls the transaction back
    journalRun(db, 'import-accounts', name, startedAt, { ...summary });
    return summary;
  });
}
