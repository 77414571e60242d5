// Tariffs and their price versions: the reads. Which price applies on a day is a rule
// (domain/tariffs.ts); the book below only holds what was read and asks the rule.
import type { Db } from './connection.js';
import type { IsoDate } from '../domain/dates.js';
import { priceOn, type TariffPrice, type TariffRow } from '../domain/tariffs.js';
export type { TariffPrice, TariffRow } from '../domain/tariffs.js';

/** The first price of a tariff is in force from the beginning of time. */
export const ALWAYS = '0001-01-01';

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

/** Tariffs and prices, read once per run; `priceOn` is the domain's (a discontinued tariff's days go to its successor, cl. 28). */
export class TariffBook {
  /** A night's run asks the same few (tariff, day) pairs for every account; the answer never changes within a run. */
  private readonly known = new Map<string, Map<IsoDate, TariffPrice>>();

  constructor(
    private readonly tariffs: ReadonlyMap<string, TariffRow>,
    private readonly prices: ReadonlyMap<string, readonly TariffPrice[]>,
  ) {}

  static load(db: Db): TariffBook {
    return new TariffBook(allTariffs(db), allPrices(db));
  }

  priceOn(code: string, day: IsoDate): TariffPrice {
    let byDay = this.known.get(code);
    if (byDay === undefined) this.known.set(code, (byDay = new Map()));
    let price = byDay.get(day);
    if (price === undefined) byDay.set(day, (price = priceOn(this.tariffs, this.prices, code, day)));
    return price;
  }
}
