// The scheduler emails invoices unattended (jobs.send_invoices): after the month-end run it sends
// the period's invoices, and after every later daily run it sends again what is still due, so that
// an invoice the mail server deferred (451 at DATA) at month-end goes out with the next night's run instead
// of waiting for someone to run `esep send invoices` by hand. Through the built binary, against an
// SMTP server started here on a loopback port; the scheduler runs asynchronously so that the server
// in this process can answer.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { BIN, initWorld, type Run } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_C } from '../helpers/fixtures.js';
import { startSmtpServer, type ReceivedMessage, type TestSmtpServer } from '../helpers/smtp.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const db = path.join(dir, 'schedule-send.db');
const config = path.join(dir, 'esep.config.json');
const SLOW = 180_000;

let smtp: TestSmtpServer;
let received: ReceivedMessage[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  received = smtp.received;

  const accounts = [
    ACCOUNT_HEADER,
    `1001,${IIN_A},Гауһар Әбенқызы,"г. Алматы, пр. Абая, 1",gauhar@example.kz,,credit,HOME100,2026-10-01,yes`,
    `1003,${IIN_C},Өмірзақ Ұлан,"г. Шымкент, ул. Тәуке хана, 7",ulan@example.kz,,credit,HOME100,2026-10-01,yes`,
  ].join('\n');
  initWorld(db, dir, accounts, '2026-10-01');
  // September was invoiced (by hand, before the scheduler), so October's month-end is the scheduler's
  const h = openDatabase(db);
  h.sqlite
    .prepare(`INSERT INTO job_runs (job, scope, started_at, finished_at, outcome) VALUES ('invoices', '2026-09', '2026-10-01T00:00:00Z', '2026-10-01T00:01:00Z', 'ok')`)
    .run();
  h.close();
  writeFileSync(config, JSON.stringify({ jobs: { send_invoices: true }, output: { invoices_dir: 'invoices', backups_dir: 'backups' } }));
}, SLOW);

afterAll(() => smtp.close());

/** `esep schedule --once --now NOW` without blocking this process (the SMTP server answers meanwhile). */
function scheduleOnce(now: string): Promise<Run & { lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--db', db, '--config', config, 'schedule', '--once', '--now', now], {
      cwd: dir,
      env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '', ESEP_SMTP_URL: smtp.url(), ESEP_MAIL_FROM: 'billing@example.kz' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, lines: stdout.split('\n').filter((l) => l !== '') }));
  });
}

/** "2026-11-02T01:30:05+05:00 send-invoices 2026-10 ok 1.2s: …" → "send-invoices 2026-10 ok" */
const jobOf = (line: string) => line.split(' ').slice(1, 4).join(' ');

function outboxStates(): { recipient: string; state: string; attempts: number }[] {
  const h = openDatabase(db);
  try {
    return h.sqlite.prepare(`SELECT recipient, state, attempts FROM outbox ORDER BY recipient`).all() as { recipient: string; state: string; attempts: number }[];
  } finally {
    h.close();
  }
}

describe('esep schedule with jobs.send_invoices', () => {
  it('after the month-end run sends the invoices; the one the server deferred waits', async () => {
    smtp.scripted.set('gauhar@example.kz', [451]);
    const r = await scheduleOnce('2026-11-02T01:30:00+05:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.map(jobOf)).toEqual([
      expect.stringMatching(/^day 2026-11-01 ok$/),
      'invoices 2026-10 ok',
      'day 2026-11-02 ok',
      'send-invoices 2026-10 ok',
    ]);
    expect(r.lines[3]).toMatch(/2 queued, 0 without email \(paper\), 1 sent, 1 to retry later, 0 failed$/);
    // messages go out in invoice order: 1001's was deferred, 1003's accepted
    expect(received.map((m) => m.to)).toEqual(['ulan@example.kz']);
    expect(outboxStates()).toEqual([
      { recipient: 'gauhar@example.kz', state: 'queued', attempts: 1 },
      { recipient: 'ulan@example.kz', state: 'sent', attempts: 1 },
    ]);
  }, SLOW);

  it('the next night, after the daily run, sends the deferred invoice once its backoff has passed', async () => {
    // a day has passed: the 10-minute backoff of the first retry is long over
    const h = openDatabase(db);
    h.sqlite.prepare(`UPDATE outbox SET next_attempt_at = '2026-11-02T00:00:00.000Z' WHERE state = 'queued'`).run();
    h.close();
    const r = await scheduleOnce('2026-11-03T01:30:00+05:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.map(jobOf)).toEqual(['day 2026-11-03 ok', 'send-invoices 2026-10 ok']);
    expect(r.lines[1]).toMatch(/0 queued, 0 without email \(paper\), 1 sent, 0 to retry later, 0 failed$/);
    expect(received.map((m) => m.to)).toEqual(['ulan@example.kz', 'gauhar@example.kz']);
    const mail = await simpleParser(received[1]!.raw);
    expect(mail.subject).toContain('MT-2026-000001');
    expect(outboxStates().map((m) => m.state)).toEqual(['sent', 'sent']);
  }, SLOW);

  it('with nothing left to email, a daily run is followed by no send', async () => {
    const r = await scheduleOnce('2026-11-04T01:30:00+05:00');
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.map(jobOf)).toEqual(['day 2026-11-04 ok']);
    expect(received).toHaveLength(2);
  }, SLOW);
});
