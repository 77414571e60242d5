// `esep access`: what the network team switches off and on. Three lists:
//   --since D      events for billing days D and later (default: today's events);
//   --after-id N   events recorded after event N, whatever their billing day: a daily script keeps the
//                  last id it read and misses no catch-up or late event (a payment imported late
//                  restores an account as of an earlier day, after that day's list was taken);
//   --current      the accounts that must be off now (suspended or terminated), with since when.
// CSV for scripts on stdout (times in Almaty time with their offset), --xlsx FILE for people.
import type { Command } from 'commander';
import { accessEventsAfter, accessEventsSince, accountsOffNow, type AccessEventRow, type AccountOffRow } from '../../db/access.js';
import { InputError } from '../../domain/errors.js';
import { listCsv } from '../../io/csv.js';
import { almatyTime, column, type ListSpec } from '../../io/list.js';
import { writeXlsx, xlsxTarget } from '../../io/xlsx.js';
import { dateOption, globals, positiveInt, print, printJson, today, withDb } from '../context.js';

export const ACCESS_EVENTS_LIST: ListSpec<AccessEventRow> = {
  sheet: 'Қосу-ажырату - Доступ',
  columns: [
    column('id', 'Оқиға №', 'Событие №', 'int', (e) => e.id),
    column('account', 'Дербес шот', 'Лицевой счёт', 'text', (e) => e.account),
    column('date', 'Күні', 'Дата', 'date', (e) => e.valueDate),
    column('at', 'Тіркелген уақыты (Алматы)', 'Время записи (Алматы)', 'datetime', (e) => e.at),
    column('event', 'Оқиға', 'Событие', 'text', (e) => e.event, 10),
    column('reason', 'Себебі', 'Причина', 'text', (e) => e.reason, 40),
    column('cause', 'Себеп коды', 'Код причины', 'text', (e) => e.cause, 10),
    column('address', 'Мекенжай', 'Адрес', 'text', (e) => e.address, 40),
  ],
};

export const ACCESS_CURRENT_LIST: ListSpec<AccountOffRow> = {
  sheet: 'Ажыратылғандар - Отключённые',
  columns: [
    column('account', 'Дербес шот', 'Лицевой счёт', 'text', (a) => a.account),
    column('status', 'Күйі', 'Статус', 'text', (a) => a.status, 12),
    column('cause', 'Себеп коды', 'Код причины', 'text', (a) => a.cause, 10),
    column('since', 'Қашаннан бері', 'С какого дня', 'date', (a) => a.since),
    column('event_id', 'Оқиға №', 'Событие №', 'int', (a) => a.eventId),
    column('reason', 'Себебі', 'Причина', 'text', (a) => a.reason, 40),
    column('address', 'Мекенжай', 'Адрес', 'text', (a) => a.address, 40),
  ],
};

export function registerAccess(program: Command): void {
  program
    .command('access')
    .description('suspensions, restorations and terminations for the network team: CSV for scripts, --xlsx for Excel')
    .option('--since <date>', 'events of this billing day and later (default: today)')
    .option('--after-id <id>', 'events recorded after this event id, whatever their day: the cursor of a daily script')
    .option('--current', 'the accounts that must be off now (suspended or terminated)')
    .option('--xlsx <file>', 'write the list as an Excel workbook (typed cells, header in Kazakh and Russian)')
    .action(async (options: { since?: string; afterId?: string; current?: boolean; xlsx?: string }, cmd: Command) => {
      const chosen = [options.since !== undefined && '--since', options.afterId !== undefined && '--after-id', options.current && '--current'].filter(Boolean);
      if (chosen.length > 1) throw new InputError([{ field: chosen.join(', '), message: 'choose one of --since, --after-id and --current' }]);
      const xlsx = options.xlsx === undefined ? undefined : xlsxTarget(options.xlsx);
      const json = globals(cmd).json;

      if (options.current) {
        const rows = withDb(cmd, (db) => accountsOffNow(db));
        if (xlsx !== undefined) await writeXlsx(xlsx, ACCESS_CURRENT_LIST, rows);
        if (json) {
          printJson(rows.map((a) => ({ account: a.account, status: a.status, cause: a.cause, since: a.since, event_id: a.eventId, reason: a.reason, address: a.address })));
        } else if (xlsx !== undefined) print(`${rows.length} account(s) to keep off: ${xlsx}`);
        else process.stdout.write(listCsv(ACCESS_CURRENT_LIST, rows));
        return;
      }

      const afterId = options.afterId === undefined ? undefined : positiveInt(options.afterId, '--after-id');
      const since = afterId === undefined ? (options.since === undefined ? today() : dateOption(options.since, '--since')) : undefined;
      const rows = withDb(cmd, (db) => (afterId !== undefined ? accessEventsAfter(db, afterId) : accessEventsSince(db, since!)));
      if (xlsx !== undefined) await writeXlsx(xlsx, ACCESS_EVENTS_LIST, rows);
      if (json) {
        printJson(
          rows.map((r) => ({
            id: r.id,
            account: r.account,
            date: r.valueDate,
            at: r.at,
            at_almaty: almatyTime(r.at).iso,
            event: r.event,
            cause: r.cause,
            reason: r.reason,
            address: r.address,
          })),
        );
      } else if (xlsx !== undefined) {
        // the cursor for the next --after-id: the largest id written (by day, the last row need not be it)
        const last = rows.reduce((max, r) => Math.max(max, r.id), 0);
        print(`${rows.length} event(s)${rows.length === 0 ? '' : `, last id ${last}`}: ${xlsx}`);
      } else process.stdout.write(listCsv(ACCESS_EVENTS_LIST, rows));
    });
}
