// `esep status [--json] [--now INSTANT]`: where things stand, on one screen, with an exit code for
// monitoring (domain/status.ts: 0 fine, 1 behind, 3 a night job failed, 4 something needs a person).
import type { Command } from 'commander';
import { formatDay, formatTime } from '../../domain/dates.js';
import { InputError } from '../../domain/errors.js';
import { formatTenge, toTengeString } from '../../domain/money.js';
import { almatyMoment, formatAlmaty, type LocalMoment } from '../../domain/schedule.js';
import { STATUS_EXIT } from '../../domain/status.js';
import { statusReport, type StatusReport } from '../../jobs/status.js';
import { configOf, globals, print, printJson, today, withDb } from '../context.js';

/**
 * The moment status judges at: --now (an ISO instant with its zone); else, when ESEP_TODAY fixes the
 * day (replays, tests), the end of that day, so every run due on it counts as due; else the clock.
 */
function moment(now: string | undefined): LocalMoment {
  if (now !== undefined) {
    const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(now);
    const at = new Date(now);
    if (!ok || Number.isNaN(at.getTime())) {
      throw new InputError([{ field: '--now', message: `"${now}" is not an ISO instant with its zone (2026-12-01T09:00:00+05:00)` }]);
    }
    return almatyMoment(at);
  }
  if (process.env.ESEP_TODAY) return { date: today(), time: '23:59:59' };
  return almatyMoment(new Date());
}

const stateOf = (code: number) => (Object.entries(STATUS_EXIT).find(([, c]) => c === code)?.[0] ?? 'ok') as keyof typeof STATUS_EXIT;

export function statusJson(r: StatusReport) {
  const v = r.verdict;
  return {
    now: `${r.now.date}T${r.now.time}`,
    today: r.now.date,
    state: stateOf(v.exitCode),
    exit_code: v.exitCode,
    daily: {
      due: v.dailyDue,
      jobs: Object.entries(r.completed.jobs).map(([job, last]) => ({ job, last_completed: last, behind: v.behindJobs.includes(job) })),
      day: r.completed.day,
      done_through: r.completed.daily,
    },
    month_end: { due: v.monthEndDue, last_completed: r.completed.invoices, behind: v.monthEndBehind },
    running: r.running.map((l) => ({ lock: l.name, job: l.job, pid: l.pid, host: l.host, since: formatAlmaty(new Date(l.acquiredAt)) })),
    failed_runs: r.failedRuns.map((f) => ({
      id: f.id,
      job: f.job,
      scope: f.scope,
      outcome: f.outcome,
      started_at: formatAlmaty(new Date(f.startedAt)),
      finished_at: f.finishedAt === null ? null : formatAlmaty(new Date(f.finishedAt)),
      message: f.message,
    })),
    outbox: { failed: r.outbox.failed },
    suspense: {
      count: r.suspense.count,
      amount: toTengeString(r.suspense.amount),
      oldest_value_date: r.suspense.oldestValueDate,
      oldest_age_days: r.suspense.oldestDays,
      threshold_days: r.suspense.thresholdDays,
      over_threshold: r.suspense.overdue,
    },
    reversals: { count: r.reversals.count, amount: toTengeString(r.reversals.amount), latest_value_date: r.reversals.latestValueDate },
    calendar: { last_date: r.calendar.lastDate, ends_soon: r.calendar.warns },
    last_backup: r.lastBackup === null ? null : { file: r.lastBackup.file, at: formatAlmaty(r.lastBackup.at) },
    problems: v.problems,
  };
}

function statusText(r: StatusReport): string {
  const v = r.verdict;
  const day = (d: string | null) => (d === null ? 'never' : formatDay(d));
  const lines = [`esep status at ${formatDay(r.now.date)} ${r.now.time} (Almaty)`, '', `daily jobs (due through ${formatDay(v.dailyDue)}):`];
  for (const [job, last] of Object.entries(r.completed.jobs)) {
    lines.push(`  ${job.padEnd(12)}${day(last).padEnd(12)}${v.behindJobs.includes(job) ? 'BEHIND' : ''}`.trimEnd());
  }
  lines.push(`  ${'run day'.padEnd(12)}${day(r.completed.day)}`);
  lines.push(`month-end     ${r.completed.invoices ?? 'never'} (due through ${v.monthEndDue})${v.monthEndBehind ? '  BEHIND' : ''}`);
  lines.push(
    `running       ${r.running.length === 0 ? 'nothing' : r.running.map((l) => `${l.job} since ${formatTime(l.acquiredAt)} (pid ${l.pid} on ${l.host})`).join('; ')}`,
  );
  lines.push(`failed runs   ${r.failedRuns.length === 0 ? 'none' : `${r.failedRuns.length}, not completed since:`}`);
  for (const f of r.failedRuns) {
    lines.push(`  ${f.job} ${f.scope}: ${f.outcome} ${formatTime(f.finishedAt ?? f.startedAt)}${f.message ? `: ${f.message}` : ''}`);
  }
  lines.push(`outbox        ${r.outbox.failed === 0 ? 'no failures' : `${r.outbox.failed} failed`}`);
  const s = r.suspense;
  lines.push(
    `suspense      ${
      s.count === 0
        ? 'empty'
        : `${s.count} payment(s), ${formatTenge(s.amount)}, oldest ${s.oldestDays} day(s) (value date ${day(s.oldestValueDate)}); ${s.overdue} for ${s.thresholdDays} days or more`
    }`,
  );
  const rv = r.reversals;
  lines.push(`reversals     ${rv.count === 0 ? 'none' : `${rv.count}, ${formatTenge(rv.amount)}, latest ${day(rv.latestValueDate)} (\`esep payments reversals\`)`}`);
  lines.push(`calendar      working days known through ${formatDay(r.calendar.lastDate)}`);
  lines.push(`last backup   ${r.lastBackup === null ? 'none in the backups folder' : `${formatTime(r.lastBackup.at)}: ${r.lastBackup.file}`}`);
  lines.push('');
  for (const p of v.problems) lines.push(`${p.level}: ${p.message}`);
  lines.push(`state: ${stateOf(v.exitCode)} (exit ${v.exitCode})`);
  return lines.join('\n');
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('where things stand: last completed day of each job, month-end, failures, outbox, suspense, calendar, last backup; exit 1 when behind, 3 when a night job failed, 4 when something needs a person')
    .option('--now <instant>', 'judge as at this ISO instant (2026-12-01T09:00:00+05:00), for replays and tests')
    .action((options: { now?: string }, cmd: Command) => {
      const now = moment(options.now);
      const config = configOf(cmd);
      const report = withDb(cmd, (db) => statusReport(db, config, now));
      if (globals(cmd).json) printJson(statusJson(report));
      else print(statusText(report));
      process.exitCode = report.verdict.exitCode;
    });
}
