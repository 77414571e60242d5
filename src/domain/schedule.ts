// What the scheduler must run: which runs are due at an instant and which were missed while it was
// down. Pure: the instant and the journal's facts are parameters; no clock, no database.
//
// Times of day ("01:00") are wall-clock times in Asia/Almaty, the billing time zone (SPEC section 2).
// The daily jobs for day D are due at D `dailyAt`; the month-end run for period P is due on day
// `invoicesOnDay` of the month after P at `invoicesAt`.
import { addDays, BILLING_TZ, nextPeriod, periodOf, previousPeriod, type IsoDate, type Period } from './dates.js';

/** A wall-clock time "HH:MM" (00:00–23:59). */
export type Clock = string;

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isClock(text: string): boolean {
  return CLOCK.test(text);
}

export interface ScheduleSettings {
  dailyAt: Clock;
  /** 1–28, so that every month has it. */
  invoicesOnDay: number;
  invoicesAt: Clock;
}

/** What the journal (job_runs) says has been done. */
export interface JournalFacts {
  /** The latest day with a successful run of the daily jobs (their scope), or null if never. */
  lastDaily: IsoDate | null;
  /** The latest period with a successful month-end run, or null if never. */
  lastInvoiced: Period | null;
}

export type DueRun =
  | { job: 'daily'; scope: IsoDate; dueAt: LocalMoment }
  | { job: 'invoices'; scope: Period; dueAt: LocalMoment };

/** A moment on the Almaty wall clock: date and "HH:MM:SS". */
export interface LocalMoment {
  date: IsoDate;
  time: string;
}

const almatyFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: BILLING_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The Almaty wall-clock date and time of an instant. */
export function almatyMoment(instant: Date): LocalMoment {
  const parts: Record<string, string> = {};
  for (const p of almatyFormat.formatToParts(instant)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

/** Minutes east of UTC of Almaty at an instant (+300 since 1 March 2024, +360 before). */
export function almatyOffsetMinutes(instant: Date): number {
  const m = almatyMoment(instant);
  const asUtc = Date.parse(`${m.date}T${m.time}Z`);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** An instant as Almaty local time with its offset, to the second: "2026-11-25T01:00:03+05:00". */
export function formatAlmaty(instant: Date): string {
  const m = almatyMoment(instant);
  const offset = almatyOffsetMinutes(instant);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${m.date}T${m.time}${sign}${hh}:${mm}`;
}

const atClock = (date: IsoDate, clock: Clock): LocalMoment => ({ date, time: `${clock}:00` });

function notBefore(a: LocalMoment, b: LocalMoment): boolean {
  return a.date > b.date || (a.date === b.date && a.time >= b.time);
}

function compareMoments(a: LocalMoment, b: LocalMoment): number {
  const ka = `${a.date}T${a.time}`;
  const kb = `${b.date}T${b.time}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The latest day whose daily jobs are due at `now`: today once `dailyAt` has passed, else yesterday. */
export function latestDueDay(now: Date, dailyAt: Clock): IsoDate {
  const local = almatyMoment(now);
  return notBefore(local, atClock(local.date, dailyAt)) ? local.date : addDays(local.date, -1);
}

/** The day on which the month-end run for `period` is due. */
export function invoicingDay(period: Period, invoicesOnDay: number): IsoDate {
  return `${nextPeriod(period)}-${String(invoicesOnDay).padStart(2, '0')}`;
}

/** The latest period whose month-end run is due at `now`. */
export function latestDuePeriod(now: Date, settings: Pick<ScheduleSettings, 'invoicesOnDay' | 'invoicesAt'>): Period {
  const local = almatyMoment(now);
  const thisMonth = periodOf(local.date);
  const dueThisMonth = atClock(`${thisMonth}-${String(settings.invoicesOnDay).padStart(2, '0')}`, settings.invoicesAt);
  // on or after this month's invoicing moment, last month is due; before it, the month before that
  return notBefore(local, dueThisMonth) ? previousPeriod(thisMonth) : previousPeriod(previousPeriod(thisMonth));
}

/**
 * What was missed, oldest first (by the moment each run was due):
 * - the month-end runs of every period after the last one invoiced, up to the latest due. With no
 *   month-end run in the journal at all nothing is caught up: the scheduler never invents the first
 *   period (the first one is the scheduled run, or one run by hand);
 * - before each of those, the daily jobs of its invoicing day if they had not run by then (as
 *   would have happened had the scheduler been up), and finally the daily jobs of the latest due
 *   day if they have not run for it. The daily jobs catch up every day before their date
 *   themselves, so one run for a day covers all days before it.
 */
export function missedRuns(now: Date, settings: ScheduleSettings, facts: JournalFacts): DueRun[] {
  const runs: DueRun[] = [];
  const dailyDays = new Set<IsoDate>();
  const needsDaily = (day: IsoDate) => facts.lastDaily === null || facts.lastDaily < day;

  if (facts.lastInvoiced !== null) {
    const through = latestDuePeriod(now, settings);
    for (let p = nextPeriod(facts.lastInvoiced); p <= through; p = nextPeriod(p)) {
      const day = invoicingDay(p, settings.invoicesOnDay);
      runs.push({ job: 'invoices', scope: p, dueAt: atClock(day, settings.invoicesAt) });
      if (needsDaily(day)) dailyDays.add(day);
    }
  }
  const today = latestDueDay(now, settings.dailyAt);
  if (needsDaily(today)) dailyDays.add(today);
  for (const day of dailyDays) {
    // an invoicing day after the latest due daily run (invoices due before the daily time) waits for tomorrow's
    if (day <= today) runs.push({ job: 'daily', scope: day, dueAt: atClock(day, settings.dailyAt) });
  }
  // oldest first; at the same moment the daily jobs go first (the month-end run sees the day's charges)
  return runs.sort((a, b) => compareMoments(a.dueAt, b.dueAt) || (a.job === b.job ? 0 : a.job === 'daily' ? -1 : 1));
}

/** node-cron expressions (minute hour day month weekday) for the two scheduled runs. */
export function cronExpressions(settings: ScheduleSettings): { daily: string; invoices: string } {
  const [dh, dm] = settings.dailyAt.split(':').map(Number);
  const [ih, im] = settings.invoicesAt.split(':').map(Number);
  return { daily: `${dm} ${dh} * * *`, invoices: `${im} ${ih} ${settings.invoicesOnDay} * *` };
}

/** The period a month-end run at `now` (a scheduled tick) bills: the month before now's Almaty month. */
export function periodBilledAt(now: Date): Period {
  return previousPeriod(periodOf(almatyMoment(now).date));
}
