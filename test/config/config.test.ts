// The configuration file: defaults, where it is found, strict checking with every bad field named,
// environment overrides, the masked SMTP password, the calendar overrides, the operator sync.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workingCalendar } from '../../src/config/calendar.js';
import { loadConfig, maskSmtpUrl, printableConfig } from '../../src/config/config.js';
import { syncOperatorFromConfig } from '../../src/config/operator.js';
import { openDatabase, PROJECT_ROOT } from '../../src/db/connection.js';
import { getOperator } from '../../src/db/operator.js';
import { InputError } from '../../src/domain/errors.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const operatorJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'fixtures', 'demo', 'operator.json'), 'utf8')) as Record<string, unknown>;

let n = 0;
function configFile(content: unknown): string {
  const folder = path.join(dir, `c${n++}`);
  mkdirSync(folder);
  const file = path.join(folder, 'esep.config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('no error');
}

describe('loadConfig', () => {
  it('without a file: every default, folders under the working directory', () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    const config = loadConfig({ env: {}, cwd: empty });
    expect(config.file).toBeNull();
    expect(config.operator).toBeUndefined();
    expect(config.jobs).toEqual({ daily_at: '01:00', invoices_on_day: 1, invoices_at: '02:00', send_invoices: false, send_notices: false });
    expect(config.output).toEqual({
      invoices_dir: path.join(empty, 'invoices'),
      notices_dir: path.join(empty, 'notices'),
      backups_dir: path.join(empty, 'backups'),
    });
    expect(config.backup).toEqual({ keep: 12, before_month_end: true });
    expect(config.calendar).toEqual({ dir: null });
    expect(config.smtp).toEqual({
      url: null,
      from: null,
      rate_per_second: 5,
      max_attempts: 5,
      connection_timeout_seconds: 30,
      greeting_timeout_seconds: 30,
      socket_timeout_seconds: 60,
    });
    expect(Object.values(config.sources).every((s) => s === 'default')).toBe(true);
  });

  it('is found via --config, else $ESEP_CONFIG, else ./esep.config.json', () => {
    const local = configFile({ jobs: { daily_at: '03:00' } });
    const fromEnv = configFile({ jobs: { daily_at: '04:00' } });
    const named = configFile({ jobs: { daily_at: '05:00' } });
    const cwd = path.dirname(local);
    expect(loadConfig({ env: {}, cwd }).jobs.daily_at).toBe('03:00');
    expect(loadConfig({ env: { ESEP_CONFIG: fromEnv }, cwd }).jobs.daily_at).toBe('04:00');
    expect(loadConfig({ path: named, env: { ESEP_CONFIG: fromEnv }, cwd }).jobs.daily_at).toBe('05:00');
    const c = loadConfig({ path: named, env: {} });
    expect(c.file).toBe(named);
    expect(c.sources['jobs.daily_at']).toBe('file');
    expect(c.sources['jobs.invoices_at']).toBe('default');
  });

  it('a named file that does not exist is an error, not the defaults', () => {
    const missing = path.join(dir, 'nope.json');
    expect(problemsOf(() => loadConfig({ path: missing, env: {} }))).toEqual([{ file: missing, message: 'configuration file not found' }]);
    expect(problemsOf(() => loadConfig({ env: { ESEP_CONFIG: missing } }))[0]!.file).toBe(missing);
  });

  it('names the file and the JSON path of every bad field at once; unknown keys are errors', () => {
    const file = configFile({
      operator: { ...operatorJson, bin: '123', colour: 'red' },
      jobs: { daily_at: '25:00', invoices_on_day: 31, dayly_at: '01:00' },
      output: { backups_dir: '' },
      backup: { keep: 0 },
      smtp: { url: 'http://mail.example.kz', rate_per_second: -1, greeting_timeout_seconds: 0, socket_timeout_seconds: '60' },
      colour: 'red',
    });
    const problems = problemsOf(() => loadConfig({ path: file, env: {} }));
    expect(problems.every((p) => p.file === file)).toBe(true);
    expect(problems.map((p) => p.field).sort()).toEqual(
      [
        'backup.keep',
        'colour',
        'jobs.daily_at',
        'jobs.dayly_at',
        'jobs.invoices_on_day',
        'operator.bin',
        'operator.colour',
        'output.backups_dir',
        'smtp.greeting_timeout_seconds',
        'smtp.rate_per_second',
        'smtp.socket_timeout_seconds',
        'smtp.url',
      ].sort(),
    );
    expect(problems.find((p) => p.field === 'jobs.dayly_at')!.message).toBe('unknown setting');
    expect(problems.find((p) => p.field === 'jobs.daily_at')!.message).toContain('HH:MM');
  });

  it('bad JSON and a missing calendar folder', () => {
    const bad = configFile('{ "jobs": ');
    expect(problemsOf(() => loadConfig({ path: bad, env: {} }))[0]!.message).toMatch(/^not valid JSON/);
    const noDir = configFile({ calendar: { dir: 'holidays' } });
    expect(problemsOf(() => loadConfig({ path: noDir, env: {} }))).toEqual([
      { file: noDir, field: 'calendar.dir', message: `no such folder: ${path.join(path.dirname(noDir), 'holidays')}` },
    ]);
  });

  it('relative folders are taken from the configuration file\'s folder', () => {
    const file = configFile({ output: { backups_dir: 'b', invoices_dir: '/srv/invoices' } });
    const config = loadConfig({ path: file, env: {}, cwd: '/' });
    expect(config.output.backups_dir).toBe(path.join(path.dirname(file), 'b'));
    expect(config.output.invoices_dir).toBe('/srv/invoices');
    expect(config.output.notices_dir).toBe(path.join(path.dirname(file), 'notices'));
  });

  it('ESEP_SMTP_URL and ESEP_MAIL_FROM override the file, and are checked', () => {
    const file = configFile({ smtp: { url: 'smtp://a:b@file.example.kz:25', from: 'file@example.kz', max_attempts: 3 } });
    const env = { ESEP_SMTP_URL: 'smtps://billing:env-secret@mail.example.kz:465', ESEP_MAIL_FROM: 'Мысал Телеком <billing@example.kz>' };
    const config = loadConfig({ path: file, env });
    expect(config.smtp).toMatchObject({ url: env.ESEP_SMTP_URL, from: env.ESEP_MAIL_FROM, rate_per_second: 5, max_attempts: 3, socket_timeout_seconds: 60 });
    expect(config.sources['smtp.url']).toBe('env ESEP_SMTP_URL');
    expect(config.sources['smtp.from']).toBe('env ESEP_MAIL_FROM');
    expect(config.sources['smtp.max_attempts']).toBe('file');
    const problems = problemsOf(() => loadConfig({ path: file, env: { ESEP_SMTP_URL: 'mail.example.kz', ESEP_MAIL_FROM: 'nobody' } }));
    expect(problems.map((p) => p.file)).toEqual(['environment ESEP_SMTP_URL', 'environment ESEP_MAIL_FROM']);
  });

  it('never shows the SMTP password', () => {
    expect(maskSmtpUrl('smtp://billing:s3cret@mail.example.kz:587')).toBe('smtp://billing:***@mail.example.kz:587');
    // an unencoded "@" in the password is masked whole
    expect(maskSmtpUrl('smtp://billing:p@ss@mail.example.kz')).toBe('smtp://billing:***@mail.example.kz');
    expect(maskSmtpUrl('smtp://mail.example.kz:25')).toBe('smtp://mail.example.kz:25');
    const config = loadConfig({ path: configFile({}), env: { ESEP_SMTP_URL: 'smtp://billing:s3cret@mail.example.kz:587' } });
    const shown = JSON.stringify(printableConfig(config));
    expect(shown).not.toContain('s3cret');
    expect(shown).toContain('smtp://billing:***@mail.example.kz:587');
    // the loaded configuration itself keeps it, for the mailer
    expect(config.smtp.url).toContain('s3cret');
  });
});

describe('workingCalendar', () => {
  it('the shipped years without overrides', () => {
    const cal = workingCalendar({ calendar: { dir: null } });
    expect(cal.years()).toEqual(expect.arrayContaining([2026, 2027]));
  });

  it('calendar.dir adds years and replaces a shipped year whole', () => {
    const folder = path.join(dir, 'holidays');
    mkdirSync(folder);
    writeFileSync(path.join(folder, '2028.json'), JSON.stringify({ year: 2028, notes: 'test year', holidays: [], transfers: [] }));
    // 2027 with a transfer: Saturday 9 January worked, Friday 8 January off
    const y2027 = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'data', 'calendar', '2027.json'), 'utf8')) as { transfers: unknown[] };
    y2027.transfers = [{ workday: '2027-01-09', dayOff: '2027-01-08' }];
    writeFileSync(path.join(folder, '2027.json'), JSON.stringify(y2027));
    const shipped = workingCalendar({ calendar: { dir: null } });
    expect(shipped.isWorkingDay('2027-01-08')).toBe(true);
    const cal = workingCalendar({ calendar: { dir: folder } });
    expect(cal.hasYear(2028)).toBe(true);
    expect(cal.isWorkingDay('2027-01-08')).toBe(false);
    expect(cal.isWorkingDay('2027-01-09')).toBe(true);
  });

  it('a bad override file is bad input naming the file', () => {
    const folder = path.join(dir, 'bad-holidays');
    mkdirSync(folder);
    writeFileSync(path.join(folder, '2029.json'), JSON.stringify({ year: 2029, notes: '', holidays: [{ date: '2029-13-01', name: 'x', moves: true }], transfers: [] }));
    const problems = problemsOf(() => workingCalendar({ calendar: { dir: folder } }));
    expect(problems[0]).toMatchObject({ file: path.join(folder, '2029.json') });
    expect(problems[0]!.message).toContain('holidays[0].date');
  });
});

describe('the configuration wins over esep import operator', () => {
  it('updates the operator row when it differs, journaled as config-operator; not when equal', () => {
    const db = openDatabase(':memory:');
    const file = configFile({ operator: { ...operatorJson, name: 'ТОО «Конфиг»', penalty_cap_days: 20 } });
    const config = loadConfig({ path: file, env: {} });
    expect(syncOperatorFromConfig(db, config)).toEqual({ outcome: 'updated', fields: expect.arrayContaining(['name', 'penaltyCapDays']) });
    expect(getOperator(db)).toMatchObject({ name: 'ТОО «Конфиг»', penaltyCapDays: 20, invoicePrefix: 'MT' });
    expect(syncOperatorFromConfig(db, config)).toEqual({ outcome: 'unchanged' });
    const runs = db.sqlite.prepare(`SELECT job, scope, outcome FROM job_runs`).all();
    expect(runs).toEqual([{ job: 'config-operator', scope: 'esep.config.json', outcome: 'ok' }]);
    expect(syncOperatorFromConfig(db, loadConfig({ path: configFile({}), env: {} }))).toEqual({ outcome: 'none' });
    db.close();
  });

  it('waits for a running job: the update is left for the next command', () => {
    const db = openDatabase(':memory:');
    // a live process (the one that started the tests) holds the writer lock on this host
    db.sqlite
      .prepare(`INSERT INTO job_locks (name, pid, host, job, acquired_at) VALUES ('writer', ?, ?, 'debit', '2026-11-25T00:00:00Z')`)
      .run(process.ppid, hostname());
    const config = loadConfig({ path: configFile({ operator: operatorJson }), env: {} });
    expect(syncOperatorFromConfig(db, config)).toEqual({ outcome: 'busy' });
    expect(getOperator(db)).toBeUndefined();
    db.close();
  });
});
