// What `esep tariffs` prints: every tariff with the price in force on a day (cl. 23.14), the next
// price already announced, and whether it is discontinued (cl. 28: its accounts go to the successor).
// Which version is in force is the domain's rule (versionOn, tariffOn).
import type { Db } from '../db/connection.js';
import { allPrices, allTariffs, type TariffPrice } from '../db/tariffs.js';
import type { IsoDate } from '../domain/dates.js';
import { tariffOn, versionOn } from '../domain/tariffs.js';

export interface TariffListing {
  code: string;
  name: string;
  /** The tariff's own price in force on the day (null: none yet). */
  price: TariffPrice | null;
  /** The first price version after the day, already announced. */
  next: TariffPrice | null;
  discontinuedOn: IsoDate | null;
  successorCode: string | null;
  /** cl. 28: discontinued on or before the day: its accounts pay the tariff named here (the successor chain's end). */
  chargedAs: string | null;
}

/** Every tariff, by code, as it stands on `day`. */
export function tariffList(db: Db, day: IsoDate): TariffListing[] {
  const tariffs = allTariffs(db);
  const prices = allPrices(db);
  return [...tariffs.values()]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((t) => {
      const versions = prices.get(t.code) ?? [];
      const current = tariffOn(tariffs, t.code, day);
      return {
        code: t.code,
        name: t.name,
        price: versionOn(versions, day) ?? null,
        next: versions.find((v) => v.effectiveFrom > day) ?? null,
        discontinuedOn: t.discontinuedOn,
        successorCode: t.successorCode,
        chargedAs: current === t.code ? null : current,
      };
    });
}
