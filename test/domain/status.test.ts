import { describe, expect, it } from 'vitest';
import { formatTime } from '../../src/domain/dates.js';
import { assessStatus, dailyDayDue, laterBy, monthEndDue, STATUS_EXIT, suspenseAge, type StatusFacts, type StatusSettings } from '../../src/domain/status.js';

const settings: StatusSettings = { dailyAt: '01:00', invoicesOnDay: 1, invoicesAt: '02:00', suspenseDays: 3 };
const at = (date: string, time: string) => ({ date, time });

const upToDate = (day: string): StatusFacts => ({
  dailyJobs: { debit: day, penalties: day, suspend: day, terminate: day },
  lastInvoiced: '2026-11',
  hasAccounts: true,
  failedRuns: [],
  outboxFailed: 0,
  suspense: [],
  calendar: { lastDate: '2030-12-31', warns: false },
});

describe('dailyDayDue: the night run for D starts at 01:00 on D; late 2 hours after', () => {
  it('from 03:00 on D the day due is D; before, D − 1', () => {
    // 01:00 + 120 minutes = 03:00
    expect(dailyDayDue(at('2026-12-05', '03:00:00'), '01:00')).toBe('2026-12-05');
    expect(dailyDayDue(at('2026-12-05', '02:59:59'), '01:00')).toBe('2026-12-04');
    expect(dailyDayDue(at('2026-12-05', '00:10:00'), '01:00')).toBe('2026-12-04');
    expect(dailyDayDue(at('2026-12-05', '23:59:59'), '01:00')).toBe('2026-12-05');
  });

  it('a late daily time whose allowance runs past midnight: 23:30 + 2 h = 01:30 of the next day', () => {
    expect(dailyDayDue(at('2026-12-06', '01:29:59'), '23:30')).toBe('2026-12-04');
    expect(dailyDayDue(at('2026-12-06', '01:30:00'), '23:30')).toBe('2026-12-05');
    // over the year's end
    expect(dailyDayDue(at('2027-01-01', '00:30:00'), '01:00')).toBe('2026-12-31');
  });
});

describe('monthEndDue: P is due on the 1st of P + 1 at 02:00, late from 04:00', () => {
  it('before 04:00 on the 1st the month before last; from then the last month', () => {
    expect(monthEndDue(at('2026-12-01', '03:59:59'), settings)).toBe('2026-10');
    expect(monthEndDue(at('2026-12-01', '04:00:00'), settings)).toBe('2026-11');
    expect(monthEndDue(at('2026-12-31', '23:00:00'), settings)).toBe('2026-11');
    expect(monthEndDue(at('2027-01-05', '10:00:00'), { invoicesOnDay: 5, invoicesAt: '09:00' })).toBe('2026-11');
    expect(monthEndDue(at('2027-01-05', '11:00:00'), { invoicesOnDay: 5, invoicesAt: '09:00' })).toBe('2026-12');
  });
});

describe('laterBy and suspenseAge', () => {
  it('adds minutes over midnight', () => {
    expect(laterBy(at('2026-12-31', '23:30:15'), 45)).toEqual(at('2027-01-01', '00:15:15'));
  });
  it('counts whole days since the value date', () => {
    // 28 Nov → 1 Dec: 29, 30, 1 = 3 days
    expect(suspenseAge('2026-11-28', '2026-12-01')).toBe(3);
    expect(suspenseAge('2026-12-01', '2026-12-01')).toBe(0);
    expect(suspenseAge('2026-12-02', '2026-12-01')).toBe(0);
  });
});

describe('assessStatus', () => {
  const morning = at('2026-12-10', '09:00:00');

  it('everything done: exit 0, nothing said', () => {
    const v = assessStatus(morning, upToDate('2026-12-10'), settings);
    expect(v).toMatchObject({ dailyDue: '2026-12-10', monthEndDue: '2026-11', behindJobs: [], monthEndBehind: false, problems: [], exitCode: STATUS_EXIT.ok });
  });

  it('a daily job whose last day is before the one due is behind: exit 1', () => {
    const facts = upToDate('2026-12-10');
    const v = assessStatus(morning, { ...facts, dailyJobs: { ...facts.dailyJobs, penalties: '2026-12-09' } }, settings);
    expect(v.behindJobs).toEqual(['penalties']);
    expect(v.exitCode).toBe(1);
    expect(v.problems).toEqual([{ level: 'behind', message: 'daily jobs behind: penalties last completed 09.12.2026, 10.12.2026 is due (`esep run day`)' }]);
  });

  it('at 02:00, the night of the 10th still within its allowance: the 9th done is not behind', () => {
    expect(assessStatus(at('2026-12-10', '02:00:00'), upToDate('2026-12-09'), settings).exitCode).toBe(0);
    expect(assessStatus(at('2026-12-10', '02:00:00'), upToDate('2026-12-08'), settings).exitCode).toBe(1);
  });

  it('a month-end missed is behind, naming the periods', () => {
    const v = assessStatus(at('2027-01-10', '09:00:00'), { ...upToDate('2027-01-10'), lastInvoiced: '2026-10' }, settings);
    expect(v.monthEndBehind).toBe(true);
    expect(v.problems).toEqual([{ level: 'behind', message: 'month-end is behind: the last period invoiced is 2026-10; 2026-11..2026-12 due' }]);
    expect(v.exitCode).toBe(1);
  });

  it('a failed night job not done since: exit 3; a command run by hand that failed is attention: exit 4', () => {
    const night = assessStatus(morning, { ...upToDate('2026-12-10'), failedRuns: [{ job: 'invoices', scope: '2026-11', outcome: 'failed' }] }, settings);
    expect(night.exitCode).toBe(3);
    expect(night.problems).toEqual([{ level: 'failed', message: 'invoices 2026-11: failed, not completed since' }]);
    const byHand = assessStatus(morning, { ...upToDate('2026-12-10'), failedRuns: [{ job: 'payments-import', scope: 'x.csv 2026-12-09', outcome: 'interrupted' }] }, settings);
    expect(byHand.exitCode).toBe(4);
  });

  it('behind wins over failed, failed over attention', () => {
    const facts: StatusFacts = {
      ...upToDate('2026-12-08'),
      failedRuns: [{ job: 'day', scope: '2026-12-09', outcome: 'failed' }],
      outboxFailed: 2,
    };
    expect(assessStatus(morning, facts, settings).exitCode).toBe(1);
    expect(assessStatus(morning, { ...facts, dailyJobs: upToDate('2026-12-10').dailyJobs }, settings).exitCode).toBe(3);
    expect(assessStatus(morning, { ...facts, dailyJobs: upToDate('2026-12-10').dailyJobs, failedRuns: [] }, settings).exitCode).toBe(4);
  });

  it('suspense: items 3 days or more after their value date need a person (cl. 21.13), younger ones do not', () => {
    // on 10 Dec: 7 Dec is 3 days old, 8 Dec 2 days, 1 Dec 9 days
    const facts = { ...upToDate('2026-12-10'), suspense: ['2026-12-08', '2026-12-07', '2026-12-01'] };
    const v = assessStatus(morning, facts, settings);
    expect(v.suspenseOverdue).toBe(2);
    expect(v.oldestSuspenseDays).toBe(9);
    expect(v.exitCode).toBe(4);
    expect(v.problems[0]!.message).toMatch(/^2 payment\(s\) in suspense for 3 days or more \(oldest 9 days\)/);
    // with the setting at 10 days none is
    expect(assessStatus(morning, facts, { ...settings, suspenseDays: 10 }).exitCode).toBe(0);
    expect(assessStatus(morning, { ...facts, suspense: ['2026-12-08'] }, settings).exitCode).toBe(0);
  });

  it('never run: attention while there are accounts, nothing on an empty database', () => {
    const never: StatusFacts = { ...upToDate('2026-12-10'), dailyJobs: { debit: null, penalties: null, suspend: null, terminate: null }, lastInvoiced: null };
    const v = assessStatus(morning, never, settings);
    expect(v.exitCode).toBe(4);
    expect(v.problems.map((p) => p.message)).toEqual(['never completed: debit, penalties, suspend, terminate (run `esep run day`)', 'no month-end run yet (2026-11 is the latest period due)']);
    expect(assessStatus(morning, { ...never, hasAccounts: false }, settings).exitCode).toBe(0);
  });

  it('the calendar ending within its warning days is attention', () => {
    const v = assessStatus(at('2030-11-01', '09:00:00'), { ...upToDate('2030-11-01'), lastInvoiced: '2030-10', calendar: { lastDate: '2030-12-31', warns: true } }, settings);
    expect(v.problems).toEqual([{ level: 'attention', message: 'the working-day calendar ends on 31.12.2030' }]);
  });
});

describe('formatTime: instants for people on the Almaty clock', () => {
  it('a journal timestamp in UTC shows as Almaty time (UTC+5)', () => {
    // 20:00:03Z + 5 h = 01:00:03 of the next day
    expect(formatTime('2026-11-30T20:00:03.123Z')).toBe('01.12.2026 01:00:03');
    expect(formatTime(new Date('2026-12-01T09:15:00+05:00'))).toBe('01.12.2026 09:15:00');
    // before 1 March 2024 Almaty was UTC+6: 00:00Z + 6 h = 06:00
    expect(formatTime('2024-01-15T00:00:00Z')).toBe('15.01.2024 06:00:00');
  });
  it('refuses what is not an instant', () => {
    expect(() => formatTime('yesterday')).toThrow(RangeError);
  });
});
