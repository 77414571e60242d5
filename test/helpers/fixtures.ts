// Valid identifiers for tests, each worked out from the check-digit rule in identifiers.test.ts.
import { makeIin } from '../../src/domain/identifiers.js';

/** Born 1990-01-01, a man of the 1900s (7th digit 3). */
export const IIN_A = makeIin('90010130000');
export const IIN_B = makeIin('85052540012');
export const IIN_C = makeIin('02071150034');

export const TARIFFS_CSV = [
  'code,name,monthly_fee,port_fee,installation_fee',
  'HOME100,"Үй интернеті 100 / Домашний 100",5000,300,10000',
  'HOME300,Үй интернеті 300,"7 990,00",0,0',
  'TEL,Телефон,1 500,50,2500.50',
].join('\n');

export const ACCOUNT_HEADER = 'account,iin,name,address,email,phone,method,tariff,connected_on,premises_owned';

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHolidayYear, WorkingCalendar } from '../../src/domain/calendar.js';

/** The shipped Kazakhstan calendars (data/calendar/*.json). */
export function shippedCalendar(): WorkingCalendar {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'calendar');
  return new WorkingCalendar(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => parseHolidayYear(JSON.parse(readFileSync(path.join(dir, f), 'utf8')), f)),
  );
}

/** The operator of the unit tests: requisites valid in form (the demo operator's). */
export const TEST_OPERATOR = {
  name: 'ТОО «Мысал Телеком»',
  bin: '190540012345',
  iban: 'KZ12601A861000123456',
  bank: 'АО «Народный Банк Казахстана»',
  bic: 'HSBKKZKX',
  kbe: '17',
  knp: '859',
  address: '050000, г. Алматы, пр. Абая, д. 52, офис 301',
  phone: '+7 727 300 00 00',
  site: 'www.example.kz',
  email: 'billing@example.kz',
  invoicePrefix: 'MT',
  penaltyRate: '0.005',
  penaltyCapDays: 30,
  graceDays: 0,
};

/**
 * An IIN with a valid check digit for the i-th account of a simulation: the first of
 * `{first7}{i·10 …}` that has one (cl. 6.4 looks at the IIN: each account its own subscriber).
 */
export function iinFor(first7: string, i: number): string {
  for (let n = i * 10; ; n++) {
    try {
      return makeIin(`${first7}${String(n).padStart(4, '0')}`);
    } catch {
      // no check digit for this one: the next
    }
  }
}
