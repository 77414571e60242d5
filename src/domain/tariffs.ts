// cl. 23.14, 28: tariffs and their prices. A price is a version in force from its date; a tariff
// discontinued with notice hands its accounts to its named successor from the discontinuation date.
import type { IsoDate } from './dates.js';
import type { Tiyn } from './money.js';

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

/** The version in force on a day: the latest with effectiveFrom ≤ day (versions in any order). */
export function versionOn(versions: readonly TariffPrice[], day: IsoDate): TariffPrice | undefined {
  let found: TariffPrice | undefined;
  for (const v of versions) if (v.effectiveFrom <= day && (found === undefined || v.effectiveFrom >= found.effectiveFrom)) found = v;
  return found;
}

/**
 * cl. 28: the tariff an account of `code` is charged at on `day`: a tariff discontinued on or before
 * the day hands it to its successor, and so on down the chain.
 */
export function tariffOn(tariffs: ReadonlyMap<string, TariffRow>, code: string, day: IsoDate): string {
  const seen = new Set<string>();
  let current = code;
  for (;;) {
    const t = tariffs.get(current);
    if (!t?.discontinuedOn || !t.successorCode || t.discontinuedOn > day) return current;
    seen.add(current);
    if (seen.has(t.successorCode)) throw new Error(`tariff ${code}: the successors of ${current} lead back to ${t.successorCode}`);
    current = t.successorCode;
  }
}

/** The price an account of tariff `code` pays on `day`: the version in force of the tariff in force (cl. 28). */
export function priceOn(
  tariffs: ReadonlyMap<string, TariffRow>,
  prices: ReadonlyMap<string, readonly TariffPrice[]>,
  code: string,
  day: IsoDate,
): TariffPrice {
  const current = tariffOn(tariffs, code, day);
  const price = versionOn(prices.get(current) ?? [], day);
  if (!price) throw new Error(`tariff ${current} has no price in force on ${day}`);
  return price;
}
