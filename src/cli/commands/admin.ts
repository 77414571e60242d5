import type { Command } from 'commander';
import { addEquipment, backbill, discontinue, recalc, reprice, returnEquipment, terminateBySubscriber } from '../../jobs/admin.js';
import { parseFee } from '../../jobs/import-tariffs.js';
import { formatTenge, toTengeString } from '../../domain/money.js';
import { InputError } from '../../domain/errors.js';
import { workingCalendar } from '../../config/calendar.js';
import { ALLOW_FUTURE, ALLOW_FUTURE_HELP, configOf, dateOption, globals, jobDate, print, printJson, requiredDate, today, withDb } from '../context.js';

const TODAY_HELP = 'today: the effective date may not be before it (default today)';

function amount(text: string | undefined, flag: string) {
  if (text === undefined) throw new InputError([{ field: flag, message: 'is required' }]);
  let problem: string | undefined;
  const value = parseFee(text, (m) => (problem = m));
  if (value === undefined) throw new InputError([{ field: flag, message: problem ?? 'not an amount' }]);
  return value;
}

export function registerAdmin(program: Command, account: Command): void {
  program
    .command('recalc')
    .argument('<account>')
    .requiredOption('--from <date>', 'first day of the outage')
    .requiredOption('--to <date>', 'last day of the outage')
    .requiredOption('--reason <text>', 'why (printed on the invoice)')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .description('credit back the fees of outage days not caused by the subscriber (cl. 21.5, 24.3); never days suspended for debt')
    .action((id: string, o: { from: string; to: string; reason: string; allowFuture?: boolean }, cmd: Command) => {
      const from = jobDate(requiredDate(o.from, '--from'), o, '--from');
      const to = jobDate(requiredDate(o.to, '--to'), o, '--to');
      const r = withDb(cmd, (db) => recalc(db, id, from, to, o.reason));
      if (globals(cmd).json) printJson(r);
      else print(`recalc ${id}: ${r.days} days credited, ${formatTenge(r.credited)}${r.skippedSuspendedForDebt ? `; ${r.skippedSuspendedForDebt} days suspended for debt not credited` : ''}`);
    });

  program
    .command('backbill')
    .argument('<account>')
    .requiredOption('--amount <tenge>', 'the undercharge')
    .requiredOption('--reason <text>', 'why')
    .option('--date <date>', 'value date, default today')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .description('charge an undercharge found later (cl. 23.18); refused more than a month after termination')
    .action((id: string, o: { amount: string; reason: string; date?: string; allowFuture?: boolean }, cmd: Command) => {
      const value = amount(o.amount, '--amount');
      const date = jobDate(o.date, o);
      const r = withDb(cmd, (db) => backbill(db, id, value, o.reason, date));
      print(r.posted ? `backbill ${id}: ${formatTenge(value)} charged` : `backbill ${id}: already charged, nothing done`);
    });

  const tariff = program.command('tariff').description('tariff price changes and discontinuation (30 days notice, cl. 23.14, 28)');
  tariff
    .command('reprice')
    .argument('<code>')
    .requiredOption('--fee <tenge>', 'the new monthly fee')
    .option('--port <tenge>', 'the new port reservation fee')
    .option('--installation <tenge>', 'the new installation fee')
    .requiredOption('--effective <date>', 'first day of the new price')
    .option('--announced <date>', 'when it was announced, default --date')
    .option('--date <date>', TODAY_HELP)
    .action((code: string, o: { fee: string; port?: string; installation?: string; effective: string; announced?: string; date?: string }, cmd: Command) => {
      const change = {
        monthlyFee: amount(o.fee, '--fee'),
        portFee: o.port === undefined ? undefined : amount(o.port, '--port'),
        installationFee: o.installation === undefined ? undefined : amount(o.installation, '--installation'),
      };
      const today = dateOption(o.date);
      const announced = o.announced === undefined ? today : dateOption(o.announced, '--announced');
      withDb(cmd, (db) => reprice(db, code, change, requiredDate(o.effective, '--effective'), announced, today));
      print(`tariff ${code}: ${formatTenge(change.monthlyFee)} a month from ${o.effective}`);
    });
  tariff
    .command('discontinue')
    .argument('<code>')
    .requiredOption('--successor <code>', 'the tariff its accounts move to')
    .requiredOption('--effective <date>', 'first day on the successor')
    .option('--announced <date>', 'when it was announced, default --date')
    .option('--date <date>', TODAY_HELP)
    .action((code: string, o: { successor: string; effective: string; announced?: string; date?: string }, cmd: Command) => {
      const today = dateOption(o.date);
      const announced = o.announced === undefined ? today : dateOption(o.announced, '--announced');
      const moved = withDb(cmd, (db) => discontinue(db, code, o.successor, requiredDate(o.effective, '--effective'), announced, today));
      print(`tariff ${code}: discontinued from ${o.effective}; ${moved} accounts move to ${o.successor}`);
    });

  const equipment = program.command('equipment').description('equipment handed to subscribers (cost from the acceptance act)');
  equipment
    .command('add')
    .argument('<account>')
    .argument('<serial>')
    .requiredOption('--cost <tenge>', 'cost from the acceptance act')
    .option('--date <date>', 'handed out on, default today')
    .option('--model <text>', 'model')
    .option('--owned', 'sold to the subscriber, not rented')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .action((id: string, serial: string, o: { cost: string; date?: string; model?: string; owned?: boolean; allowFuture?: boolean }, cmd: Command) => {
      const cost = amount(o.cost, '--cost');
      const date = jobDate(o.date, o);
      withDb(cmd, (db) => addEquipment(db, id, serial, cost, date, o.model ?? null, !o.owned));
      print(`equipment ${serial} on ${id}: ${formatTenge(cost)}`);
    });
  equipment
    .command('return')
    .argument('<account>')
    .argument('<serial>')
    .option('--date <date>', 'handed back on, default today')
    .option(ALLOW_FUTURE, ALLOW_FUTURE_HELP)
    .action((id: string, serial: string, o: { date?: string; allowFuture?: boolean }, cmd: Command) => {
      const date = jobDate(o.date, o);
      const r = withDb(cmd, (db) => returnEquipment(db, id, serial, date, workingCalendar(configOf(cmd))));
      print(`equipment ${serial} returned${r.terminated ? `; account ${id} terminated as requested` : ''}`);
    });

  account
    .command('terminate')
    .argument('<account>')
    .requiredOption('--by <who>', 'subscriber (the operator terminates through `esep run terminate`)')
    .option('--date <date>', 'first day without service, default today')
    .option('--despite-debt', 'record it although debt is owed on --date (refused otherwise, D-11)')
    .option(ALLOW_FUTURE, 'record it for a day after today: service stops now, not on that day; refused otherwise (D-12)')
    .description('terminate at the subscriber\u2019s request once the debt to that date is paid (D-11); with rented equipment out, charges run to its hand-over (cl. 35)')
    .action((id: string, o: { by: string; date?: string; despiteDebt?: boolean; allowFuture?: boolean }, cmd: Command) => {
      if (o.by !== 'subscriber') throw new InputError([{ field: '--by', message: 'only "subscriber": the operator terminates through `esep run terminate`' }]);
      const date = jobDate(o.date, o);
      const r = withDb(cmd, (db) => terminateBySubscriber(db, id, date, workingCalendar(configOf(cmd)), { despiteDebt: o.despiteDebt, recordedOn: today() }));
      const { despiteDebt, ...rest } = r;
      const debt = despiteDebt === undefined ? '' : `, despite a debt of ${formatTenge(despiteDebt)}`;
      if (globals(cmd).json) printJson({ ...rest, despite_debt: despiteDebt === undefined ? null : toTengeString(despiteDebt) });
      else if (r.state === 'terminated') print(`account ${id} terminated from ${r.date}${debt}`);
      else print(`account ${id}: termination requested from ${date}${debt}; charges run until the equipment is returned: ${r.serials.join(', ')}`);
    });
}
