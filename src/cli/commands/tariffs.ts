// `esep tariffs [--date D]`: the list of tariffs with the prices in force (the `tariff` group in
// admin.ts changes them).
import type { Command } from 'commander';
import { tariffList, type TariffListing } from '../../jobs/tariff-list.js';
import { formatDay } from '../../domain/dates.js';
import { formatTenge, toTengeString } from '../../domain/money.js';
import type { TariffPrice } from '../../domain/tariffs.js';
import { dateOption, globals, print, printJson, withDb } from '../context.js';
import { renderTable } from '../table.js';

function priceJson(p: TariffPrice | null) {
  if (p === null) return null;
  return {
    effective_from: p.effectiveFrom,
    announced_on: p.announcedOn,
    monthly_fee: toTengeString(p.monthlyFee),
    port_fee: toTengeString(p.portFee),
    installation_fee: toTengeString(p.installationFee),
    third_party_fee: toTengeString(p.thirdPartyFee),
    third_party_name: p.thirdPartyName,
  };
}

export function tariffJson(t: TariffListing) {
  return {
    code: t.code,
    name: t.name,
    price: priceJson(t.price),
    next_price: priceJson(t.next),
    discontinued_on: t.discontinuedOn,
    successor: t.successorCode,
    charged_as: t.chargedAs,
  };
}

/** What a person needs to know beside the price: discontinued, a successor, a new price coming. */
function note(t: TariffListing, day: string): string {
  const notes: string[] = [];
  if (t.discontinuedOn !== null && t.discontinuedOn <= day) {
    notes.push(`discontinued ${formatDay(t.discontinuedOn)}, accounts moved to ${t.successorCode ?? '—'}${t.chargedAs && t.chargedAs !== t.successorCode ? ` (now ${t.chargedAs})` : ''}`);
  } else if (t.discontinuedOn !== null) {
    notes.push(`to be discontinued ${formatDay(t.discontinuedOn)}, successor ${t.successorCode ?? '—'}`);
  }
  if (t.price !== null && t.price.thirdPartyFee > 0) notes.push(`with ${t.price.thirdPartyName ?? 'a third-party service'} ${formatTenge(t.price.thirdPartyFee)} a month (cl. 23.10)`);
  if (t.next !== null) notes.push(`from ${formatDay(t.next.effectiveFrom)}: ${formatTenge(t.next.monthlyFee)} a month`);
  if (t.price === null) notes.push('no price in force yet');
  return notes.join('; ');
}

export function registerTariffs(program: Command): void {
  program
    .command('tariffs')
    .description('the tariffs with the prices in force today (or on --date), discontinued ones and their successors noted')
    .option('--date <date>', 'prices in force on this day, default today')
    .action((options: { date?: string }, cmd: Command) => {
      const day = dateOption(options.date);
      withDb(cmd, (db) => {
        const list = tariffList(db, day);
        if (globals(cmd).json) {
          printJson({ date: day, tariffs: list.map(tariffJson) });
          return;
        }
        const money = (f: (p: TariffPrice) => number) => (t: TariffListing) => (t.price === null ? '—' : formatTenge(f(t.price)));
        print(`Tariffs in force on ${formatDay(day)}`);
        print(
          renderTable(list, [
            { title: 'code', value: (t) => t.code },
            { title: 'name', value: (t) => t.name },
            { title: 'monthly', value: money((p) => p.monthlyFee), align: 'right' },
            { title: 'port', value: money((p) => p.portFee), align: 'right' },
            { title: 'installation', value: money((p) => p.installationFee), align: 'right' },
            { title: 'since', value: (t) => (t.price === null || t.price.announcedOn === null ? '' : formatDay(t.price.effectiveFrom)) },
            { title: 'note', value: (t) => note(t, day) },
          ]),
        );
      });
    });
}
