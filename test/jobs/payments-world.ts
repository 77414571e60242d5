// The world the statement fixtures in fixtures/statements/ are written for (see make-fixtures.mjs):
// the demo operator, the test tariffs and five accounts of four subscribers.
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { importAccounts } from '../../src/jobs/import-accounts.js';
import { importOperator } from '../../src/jobs/import-operator.js';
import { importTariffs } from '../../src/jobs/import-tariffs.js';
import { ROOT } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B, IIN_C, TARIFFS_CSV } from '../helpers/fixtures.js';
import { writeText } from '../helpers/tmp.js';

export const STATEMENTS = path.join(ROOT, 'fixtures', 'statements');
export const OPERATOR_JSON = path.join(ROOT, 'fixtures', 'demo', 'operator.json');
export const statement = (name: string) => path.join(STATEMENTS, name);

/** Holds account 2001 only. */
export const IIN_D = '880302400054';
/** Holds no account. */
export const IIN_E = '951212500174';

export const WORLD_ACCOUNTS = [
  ACCOUNT_HEADER,
  `1001,${IIN_A},Әбенов Қанат,"г. Алматы, пр. Абая, 1",kanat@example.kz,,credit,HOME100,2026-10-16,yes`,
  `1002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",,,advance,HOME300,2026-11-01,no`,
  `1003,${IIN_C},Сейтқали Айгерім,"г. Шымкент, ул. Байтурсынова, 7",,,credit,TEL,2026-10-01,yes`,
  `1004,${IIN_C},Сейтқали Айгерім,"г. Шымкент, ул. Байтурсынова, 9",,,credit,HOME100,2026-10-01,yes`,
  `2001,${IIN_D},Нұрланов Ерлан,"г. Караганда, ул. Ерубаева, 12",,,credit,HOME100,2026-10-01,yes`,
].join('\n');

export async function paymentsWorld(dir: string, file = ':memory:'): Promise<Db> {
  const db = openDatabase(file, { create: true });
  await importOperator(db, OPERATOR_JSON);
  await importTariffs(db, writeText(dir, 'tariffs.csv', TARIFFS_CSV));
  await importAccounts(db, writeText(dir, 'accounts.csv', WORLD_ACCOUNTS), '2026-10-01');
  return db;
}
