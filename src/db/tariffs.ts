// Tariffs and their price versions.
import type { Db } from './connection.js';
import type { IsoDate } from '../domain/dates.js';
import type { Tiyn } from '../domain/money.js';

/** The first price of a tariff is in force from the beginning of time. */
export const ALWAYS = '0001-01-01';

export interface TariffRow {
  code: string;
  name: string;
  discontinuedOn: IsoDate | null;
  successorCode: string | null;
}

export interface TariffPrice {
  tariffCode: string;
  effectiveFrom: IsoDate;
  announcedOn: IsoDate | null;
  monthlyFee: Tiyn;
  portFee: Tiyn;
  installationFee: Tiyn;
  /** cl. 23.10: a bundled third-party service, charged monthly (0 = none). */
  thirdPartyFee: Tiyn;
  thirdPartyName: string | null;
}

const PRICE_COLUMNS = `tariff_code AS tariffCode, effective_from AS effectiveFrom, announced_on AS announcedOn,
  monthly_fee AS monthlyFee, port_fee AS portFee, installation_fee AS installationFee,
  third_party_fee AS thirdPartyFee, third_party_name AS thirdPartyName`;

export function allTariffs(db: Db): Map<string, TariffRow> {
  const rows = db.sqlite
    .prepare('SELECT code, name, discontinued_on AS discontinuedOn, successor_code AS successorCode FROM tariffs')
    .all() as TariffRow[];
  return new Map(rows.map((r) => [r.code, r]));
}

/** Every price version of every tariff, each list ordered by effective date. */
export function allPrices(db: Db): Map<string, TariffPrice[]> {
  const rows = db.sqlite.prepare(`SELECT ${PRICE_COLUMNS} FROM tariff_prices ORDER BY tariff_code, effective_from`).all() as TariffPrice[];
  const out = new Map<string, TariffPrice[]>();
  for (const r of rows) {
    const list = out.get(r.tariffCode) ?? [];
    list.push(r);
    out.set(r.tariffCode, list);
  }
  return out;
}

/** The version in force on a day: the latest with effective_from ≤ day. */
export function priceOn(versions: readonly TariffPrice[], day: IsoDate): TariffPrice | undefined {
  let found: TariffPrice | undefined;
  for (const v of versions) if (v.effectiveFrom <= day) found = v;
  return found;
}
