import type { Command } from 'commander';
import { calendarSources, workingCalendar } from '../../config/calendar.js';
import { printableConfig } from '../../config/config.js';
import { configOf, globals, print, printJson } from '../context.js';

function flatten(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

/** `esep config show`: the effective configuration, defaults filled in, the SMTP password masked. */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('the configuration file (esep.config.json)');
  config
    .command('show')
    .description('print the effective configuration: defaults filled in, where each value comes from, the SMTP password masked')
    .action((_options: unknown, cmd: Command) => {
      const loaded = configOf(cmd);
      const shown = printableConfig(loaded);
      workingCalendar(loaded); // checks the calendar files: a bad one is exit 2 here too
      const calendar = calendarSources(loaded);
      if (globals(cmd).json) {
        printJson({ file: loaded.file, config: shown, sources: loaded.sources, calendar });
        return;
      }
      print(`configuration: ${loaded.file ?? 'no file (every value is a default)'}`);
      const { operator, ...rest } = shown;
      if (!operator) print('operator: not in the configuration (the database keeps what `esep import operator` loaded)');
      const rows = flatten(operator ? shown : rest).map(([key, value]) => [key, JSON.stringify(value), loaded.sources[key] ?? 'default'] as const);
      const width = Math.min(64, Math.max(...rows.map(([key, value]) => key.length + value.length)) + 3);
      for (const [key, value, source] of rows) print(`${`${key} = ${value}`.padEnd(width)} (${source})`);
      print(`calendar: ${calendar.map((c) => `${c.year} ${c.file}`).join('; ')}`);
    });
}
