// `esep status`: whether the nightly work is done, and what needs a person. Pure: the moment (Almaty
// wall clock), the journal's facts and the settings are parameters; no clock, no database.
//
// When is a daily job behind? The night run for day D starts at `jobs.daily_at` (01:00 Almaty) on D
// itself, after midnight, not at D's end: the daily fee of D is charged at the start of the day it
// pays for (cl. 17), and the cron line `0 1 * * * esep run day` runs for today. So from D 01:00 the
// last completed day of every daily job should be D; before that, D − 1. A run takes time (and a busy
// database is retried), so a day counts as late only LATE_AFTER_MINUTES after its scheduled time:
// from 03:00 on D, a daily job whose last completed day is before D is behind; before 03:00, one
// before D − 1 is. The month-end run for P is due on `jobs.invoices_on_day` of the next month at
// `jobs.invoices_at`, late by the same allowance.
import { addDays, daysBetween, formatDay, nextPeriod, periodOf, previousPeriod, type IsoDate, type Period } from './dates.js';
import { invoicingDay, type Clock, type LocalMoment } from './schedule.js';

/** How long after its scheduled time a run may still be going (or being retried) before it counts as late. */
export const LATE_AFTER_MINUTES = 120;

/** The jobs cron and the scheduler run: one of them failed and not done since is worth a page. */
export const NIGHT_JOBS: ReadonlySet<string> = new Set(['day', 'debit', 'penalties', 'suspend', 'terminate', 'invoices']);

/** Exit codes of `esep status` for monitoring: behind wins over failed, failed over attention. */
export const STATUS_EXIT = { ok: 0, behind: 1, failed: 3, attention: 4 } as const;

export type StatusLevel = 'behind' | 'failed' | 'attention';

export interface StatusProblem {
  level: StatusLevel;
  message: string;
}

export interface StatusSettings {
  dailyAt: Clock;
  invoicesOnDay: number;
  invoicesAt: Clock;
  /** cl. 21.13: a payment in suspense this many days after its value date needs a person (operator setting). */
  suspenseDays: number;
  /** Default LATE_AFTER_MINUTES. */
  lateAfterMinutes?: number;
}

/** What the journal and the tables say (jobs/status.ts reads them). */
export interface StatusFacts {
  /** Each daily job's last completed day, null when it never completed. */
  dailyJobs: Readonly<Record<string, IsoDate | null>>;
  /** The last period month-end completed, null when never. */
  lastInvoiced: Period | null;
  /** Whether there is any account to bill (with none, nothing that never ran is missed). */
  hasAccounts: boolean;
  /** Runs that failed or were interrupted (or whose process is gone) after their job's last successful run. */
  failedRuns: readonly { job: string; scope: string; outcome: string }[];
  /** Outbox messages given up (failed) and not sent again since. */
  outboxFailed: number;
  /** The value dates of the payments in suspense. */
  suspense: readonly IsoDate[];
  /** The working-day calendar's last day with data, and whether runs already warn about it (90 days). */
  calendar: { lastDate: IsoDate; warns: boolean };
}

export interface StatusVerdict {
  /** The day every daily job should have completed by this moment. */
  dailyDue: IsoDate;
  /** The period month-end should have completed by this moment. */
  monthEndDue: Period;
  /** Per daily job: behind (its last completed day is before dailyDue, or it never ran while there are accounts). */
  behindJobs: string[];
  monthEndBehind: boolean;
  /** Payments in suspense at least `suspenseDays` days after their value date. */
  suspenseOverdue: number;
  /** The oldest suspense item's age in days, null when none. */
  oldestSuspenseDays: number | null;
  problems: StatusProblem[];
  exitCode: number;
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h! * 60 + m!;
}

/** A wall-clock moment `minutes` later (over midnight into the next days). */
export function laterBy(m: LocalMoment, minutes: number): LocalMoment {
  const [h, min, s] = m.time.split(':').map(Number);
  const total = h! * 60 + min! + minutes;
  const days = Math.floor(total / 1440);
  const rest = total - days * 1440;
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: addDays(m.date, days), time: `${pad(Math.floor(rest / 60))}:${pad(rest % 60)}:${pad(s ?? 0)}` };
}

function notBefore(a: LocalMoment, b: LocalMoment): boolean {
  return `${a.date}T${a.time}` >= `${b.date}T${b.time}`;
}

/** The moment by which the daily jobs for `day` should be done: `dailyAt` on that day plus the allowance. */
function dailyDeadline(day: IsoDate, dailyAt: Clock, late: number): LocalMoment {
  return laterBy({ date: day, time: '00:00:00' }, minutesOf(dailyAt) + late);
}

/** The latest day whose daily jobs should be done at `now` (see the top of this file). */
export function dailyDayDue(now: LocalMoment, dailyAt: Clock, lateAfterMinutes = LATE_AFTER_MINUTES): IsoDate {
  let day = now.date;
  while (!notBefore(now, dailyDeadline(day, dailyAt, lateAfterMinutes))) day = addDays(day, -1);
  return day;
}

/** The latest period whose month-end run should be done at `now`. */
export function monthEndDue(now: LocalMoment, settings: Pick<StatusSettings, 'invoicesOnDay' | 'invoicesAt'>, lateAfterMinutes = LATE_AFTER_MINUTES): Period {
  let period = previousPeriod(periodOf(now.date));
  const deadline = (p: Period) => laterBy({ date: invoicingDay(p, settings.invoicesOnDay), time: '00:00:00' }, minutesOf(settings.invoicesAt) + lateAfterMinutes);
  while (!notBefore(now, deadline(period))) period = previousPeriod(period);
  return period;
}

/** Whole days a payment has waited in suspense on `today` since its value date. */
export function suspenseAge(valueDate: IsoDate, today: IsoDate): number {
  return Math.max(0, daysBetween(valueDate, today));
}

/** The verdict of `esep status` at `now` (Almaty wall clock), with its exit code. */
export function assessStatus(now: LocalMoment, facts: StatusFacts, settings: StatusSettings): StatusVerdict {
  const late = settings.lateAfterMinutes ?? LATE_AFTER_MINUTES;
  const dailyDue = dailyDayDue(now, settings.dailyAt, late);
  const due = monthEndDue(now, settings, late);
  const problems: StatusProblem[] = [];

  const behindJobs: string[] = [];
  const neverRun: string[] = [];
  const behindByDay = new Map<IsoDate, string[]>();
  for (const [job, last] of Object.entries(facts.dailyJobs)) {
    if (last === null) {
      if (facts.hasAccounts) neverRun.push(job);
    } else if (last < dailyDue) {
      behindJobs.push(job);
      behindByDay.set(last, [...(behindByDay.get(last) ?? []), job]);
    }
  }
  for (const [last, jobs] of [...behindByDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
    problems.push({ level: 'behind', message: `daily jobs behind: ${jobs.join(', ')} last completed ${formatDay(last)}, ${formatDay(dailyDue)} is due (\`esep run day\`)` });
  }
  if (neverRun.length > 0) problems.push({ level: 'attention', message: `never completed: ${neverRun.join(', ')} (run \`esep run day\`)` });

  let monthEndBehind = false;
  if (facts.lastInvoiced === null) {
    // the first period to invoice is the operator's choice (as for the scheduler): not "behind", but said
    if (facts.hasAccounts) problems.push({ level: 'attention', message: `no month-end run yet (${due} is the latest period due)` });
  } else if (facts.lastInvoiced < due) {
    monthEndBehind = true;
    const missing = nextPeriod(facts.lastInvoiced) === due ? due : `${nextPeriod(facts.lastInvoiced)}..${due}`;
    problems.push({ level: 'behind', message: `month-end is behind: the last period invoiced is ${facts.lastInvoiced}; ${missing} due` });
  }

  for (const run of facts.failedRuns) {
    // a night job that failed leaves billing undone (a page); a command run by hand is for its user to redo
    const level = NIGHT_JOBS.has(run.job) ? 'failed' : 'attention';
    problems.push({ level, message: `${run.job} ${run.scope}: ${run.outcome}, not completed since` });
  }

  const today = now.date;
  const ages = facts.suspense.map((d) => suspenseAge(d, today));
  const suspenseOverdue = ages.filter((a) => a >= settings.suspenseDays).length;
  const oldestSuspenseDays = ages.length === 0 ? null : Math.max(...ages);
  if (suspenseOverdue > 0) {
    problems.push({
      level: 'attention',
      message: `${suspenseOverdue} payment(s) in suspense for ${settings.suspenseDays} days or more (oldest ${oldestSuspenseDays} days): a subscriber who paid may stay switched off (cl. 21.13); \`esep payments unmatched\``,
    });
  }
  if (facts.outboxFailed > 0) problems.push({ level: 'attention', message: `${facts.outboxFailed} message(s) failed in the outbox (\`esep outbox\`)` });
  if (facts.calendar.warns) problems.push({ level: 'attention', message: `the working-day calendar ends on ${formatDay(facts.calendar.lastDate)}` });

  const has = (level: StatusLevel) => problems.some((p) => p.level === level);
  const exitCode = has('behind') ? STATUS_EXIT.behind : has('failed') ? STATUS_EXIT.failed : has('attention') ? STATUS_EXIT.attention : STATUS_EXIT.ok;
  return { dailyDue, monthEndDue: due, behindJobs, monthEndBehind, suspenseOverdue, oldestSuspenseDays, problems, exitCode };
}
