// Sending never blocks billing (issue 14): a mail server that never greets, one that takes a message
// and never answers its end, one that drops every connection. Through the built binary (run
// `npm run build` first) with timeouts of 1 and 2 s from the configuration file: each send ends, having
// tried one message (the run ends at the first attempt without a reply), the rest left due. While a
// send waits on a silent server, `run day` in another process runs (the writer lock is not held while
// talking to the mail server) and a second send is refused (75, the `send` lock).
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, esep, initWorld, type Run } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B, IIN_C } from '../helpers/fixtures.js';
import { startSilentSmtpServer, type SilentKind, type SilentSmtpServer } from '../helpers/smtp.js';
import { tempDir, writeText } from '../helpers/tmp.js';

const dir = tempDir();
const BASE = path.join(dir, 'base.db');
const SLOW = 120_000;
const SEND = ['send', 'invoices', '--period', '2026-10', '--date', '2026-11-01'];

/** Short timeouts, so that a silent server ends a send quickly (the socket's longer: a missing greeting is told apart). */
const SHORT = writeText(dir, 'short.json', JSON.stringify({ smtp: { connection_timeout_seconds: 1, greeting_timeout_seconds: 1, socket_timeout_seconds: 2 } }));
/** Timeouts far longer than the test: the send is still waiting when the test ends it by closing the server. */
const LONG = writeText(dir, 'long.json', JSON.stringify({ smtp: { connection_timeout_seconds: 600, greeting_timeout_seconds: 600, socket_timeout_seconds: 3600 } }));

const servers: SilentSmtpServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function server(kind: SilentKind): Promise<SilentSmtpServer> {
  const s = await startSilentSmtpServer(kind);
  servers.push(s);
  return s;
}

/** The binary in its own process, this one's event loop left free (the servers live here). */
function start(db: string, env: Record<string, string>, ...args: string[]) {
  const child = spawn(process.execPath, [BIN, '--db', db, ...args], { cwd: dir, env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
  return { child, done };
}

function copy(name: string): string {
  const db = path.join(dir, `${name}.db`);
  copyFileSync(BASE, db);
  return db;
}

type Row = { recipient: string; state: string; attempts: number; lastReply: string | null };
function outbox(db: string): Row[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare(`SELECT recipient, state, attempts, last_reply AS lastReply FROM outbox WHERE state <> 'no_address' ORDER BY id`).all() as Row[];
  } finally {
    sqlite.close();
  }
}

function locks(db: string): { name: string; job: string }[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare(`SELECT name, job FROM job_locks ORDER BY name`).all() as { name: string; job: string }[];
  } finally {
    sqlite.close();
  }
}

beforeAll(() => {
  const accounts = [
    ACCOUNT_HEADER,
    `1001,${IIN_A},Гауһар Әбенқызы,"г. Алматы, пр. Абая, 1",gauhar@example.kz,,credit,HOME100,2026-10-16,yes`,
    `1002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",maria@example.kz,,advance,HOME300,2026-10-01,no`,
    `1003,${IIN_C},Өмірзақ Ұлан,"г. Шымкент, ул. Тәуке хана, 7",ulan@example.kz,,credit,HOME100,2026-10-01,yes`,
  ].join('\n');
  initWorld(BASE, dir, accounts, '2026-10-01');
  expect(esep(BASE, 'run', 'debit', '--date', '2026-10-31').code).toBe(0);
  expect(esep(BASE, 'run', 'invoices', '--period', '2026-10', '--out', path.join(dir, 'invoices')).code).toBe(0);
}, SLOW);

describe('a mail server that does not answer ends the send within its timeouts', () => {
  const cases: [SilentKind, string][] = [
    ['no-greeting', 'no greeting from the server within 1 s (smtp.greeting_timeout_seconds), ETIMEDOUT'],
    ['no-data-reply', 'no reply from the server within 2 s (smtp.socket_timeout_seconds), ETIMEDOUT'],
    ['drop', 'the server closed the connection without a reply'],
  ];
  for (const [kind, reply] of cases) {
    it(`${kind}: exit 1, one attempt, the rest due for the next run, no lock left`, async () => {
      const db = copy(kind);
      const s = await server(kind);
      const r = await start(db, { ESEP_SMTP_URL: s.url }, '--config', SHORT, ...SEND).done;
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`stopped: ${reply}; the rest is sent by the next run`);
      expect(r.stdout).toMatch(/3 queued, 0 without email \(paper\), 0 sent, 1 to retry later, 0 failed$/m);
      // one attempt in this run: the first message after its backoff, the others untouched
      expect(outbox(db)).toEqual([
        { recipient: 'gauhar@example.kz', state: 'queued', attempts: 1, lastReply: reply },
        { recipient: 'maria@example.kz', state: 'queued', attempts: 0, lastReply: null },
        { recipient: 'ulan@example.kz', state: 'queued', attempts: 0, lastReply: null },
      ]);
      expect(s.connections()).toBe(1);
      expect(locks(db)).toEqual([]);
    }, SLOW);
  }
});

describe('while a send waits on a silent server', () => {
  it('run day in another process runs (exit 0), a second send is refused (75), and the send ends when the server goes away', async () => {
    const db = copy('overlap');
    const s = await server('no-greeting');
    const send = start(db, { ESEP_SMTP_URL: s.url }, '--config', LONG, ...SEND);
    await s.silent;
    // connected and waiting for a greeting that does not come: the send holds its own lock only
    expect(locks(db)).toEqual([{ name: 'send', job: 'send-invoices' }]);

    const day = await start(db, { ESEP_TODAY: '2026-11-02' }, 'run', 'day', '--date', '2026-11-02').done;
    expect(day.stderr).not.toContain('busy');
    expect(day.code).toBe(0);

    const second = await start(db, { ESEP_SMTP_URL: s.url }, '--config', LONG, ...SEND).done;
    expect(second.code).toBe(75);
    expect(second.stderr).toContain('busy: send-invoices is running');

    // the first send was still waiting all along
    expect(send.child.exitCode).toBeNull();
    const first = outbox(db)[0]!;
    expect(first).toMatchObject({ state: 'sending', attempts: 1 });

    await s.close();
    const ended = await send.done;
    expect(ended.code).toBe(1);
    expect(ended.stdout).toContain('stopped: the server closed the connection without a reply; the rest is sent by the next run');
    expect(outbox(db)[0]).toMatchObject({ state: 'queued', attempts: 1 });
    expect(locks(db)).toEqual([]);
  }, SLOW);
});
