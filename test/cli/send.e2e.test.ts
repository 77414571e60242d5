// Email delivery end to end: the built binary (run `npm run build` first) renders real invoices,
// then sends them to an SMTP server started here on a random loopback port; messages are parsed
// back with mailparser. The binary runs asynchronously, as the server lives in this process.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, esep, esepJson, initWorld, type Run } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B, IIN_C } from '../helpers/fixtures.js';
import { startSmtpServer, type ReceivedMessage, type TestSmtpServer } from '../helpers/smtp.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const db = path.join(dir, 'send.db');
const out = path.join(dir, 'invoices');
const PASSWORD = 'secret-Qw7';
const SLOW = 120_000;

let smtp: TestSmtpServer;
let received: ReceivedMessage[] = [];
let port = 0;
/** Every stdout and stderr of the binary in this file: none may contain the password. */
const outputs: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer({ user: 'user', password: PASSWORD });
  ({ received, port } = smtp);
});

afterAll(() => smtp.close());

/** The binary, run without blocking this process's event loop (the SMTP server answers meanwhile). */
function esepAsync(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--db', db, ...args], { env: { ...process.env, ESEP_DB: '', ...env }, cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('close', (code, signal) => {
      outputs.push(stdout, stderr);
      resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : -1), stdout, stderr });
    });
  });
}

const smtpEnv = () => ({ ESEP_SMTP_URL: `smtp://user:${PASSWORD}@127.0.0.1:${port}`, ESEP_MAIL_FROM: 'Мысал Телеком <billing@example.kz>' });

describe('esep send invoices / esep outbox', () => {
  it('sets up a month with rendered invoices', () => {
    const accounts = [
      ACCOUNT_HEADER,
      `1001,${IIN_A},Гауһар Әбенқызы,"г. Алматы, пр. Абая, 1",gauhar@example.kz,,credit,HOME100,2026-10-16,yes`,
      `1002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",unknown@example.kz,,advance,HOME300,2026-10-01,no`,
      `1003,${IIN_C},Өмірзақ Ұлан,"г. Шымкент, ул. Тәуке хана, 7",,,credit,HOME100,2026-10-01,yes`,
    ].join('\n');
    initWorld(db, dir, accounts, '2026-10-01');
    expect(esep(db, 'run', 'debit', '--date', '2026-10-31').code).toBe(0);
    expect(esep(db, 'run', 'invoices', '--period', '2026-10', '--out', out).code).toBe(0);
  }, SLOW);

  it('without an SMTP server it refuses (exit 2); a dry run writes .eml files and marks nothing', async () => {
    const none = await esepAsync({}, 'send', 'invoices', '--period', '2026-10', '--date', '2026-11-01');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('ESEP_SMTP_URL');

    const emlDir = path.join(dir, 'eml');
    const dry = await esepAsync(smtpEnv(), 'send', 'invoices', '--period', '2026-10', '--date', '2026-11-01', '--dry-run', emlDir);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run, nothing sent or marked');
    expect(dry.stdout).toContain('2 message(s) written as .eml, 1 without email (paper)');
    expect(readdirSync(emlDir).sort()).toEqual(['invoice-MT-2026-000001.eml', 'invoice-MT-2026-000002.eml']);
    const mail = await simpleParser(readFileSync(path.join(emlDir, 'invoice-MT-2026-000001.eml')));
    expect(mail.subject).toContain('MT-2026-000001');
    expect(mail.attachments[0]!.filename).toBe('Шот-Счёт MT-2026-000001.pdf');
    expect(received).toEqual([]);
    expect(esepJson<{ counts: { total: Record<string, number> } }>(db, 'outbox').counts.total).toEqual({ queued: 0, sending: 0, sent: 0, failed: 0, no_address: 0 });
  }, SLOW);

  it('killed after the server accepted, the next run sends the rest and repeats that one message with its Message-ID', async () => {
    // batches: 1 queue, 2 "sending" of MT-1, 3 its result: killed inside 3, after the server has the message
    const killed = await esepAsync({ ...smtpEnv(), ESEP_FAILPOINT: 'in-batch:3' }, 'send', 'invoices', '--period', '2026-10', '--date', '2026-11-01');
    expect(killed.code).not.toBe(0);
    expect(received.map((r) => r.to)).toEqual(['gauhar@example.kz']);

    const rerun = await esepAsync(smtpEnv(), 'send', 'invoices', '--period', '2026-10', '--date', '2026-11-01');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('failed: MT-2026-000002 (account 1002) to unknown@example.kz: 550 5.1.1 <unknown@example.kz>: user unknown');
    expect(rerun.stdout).toContain(`via smtp://user:***@127.0.0.1:${port}`);
    expect(rerun.stdout).toMatch(/0 queued, 0 without email \(paper\), 1 sent, 0 to retry later, 1 failed$/m);
    expect(received.map((r) => r.to)).toEqual(['gauhar@example.kz', 'gauhar@example.kz']);

    const [first, again] = await Promise.all(received.map((r) => simpleParser(r.raw)));
    expect(again!.messageId).toBe(first!.messageId);
    expect(first!.subject).toBe('Шот / Счёт № MT-2026-000001: 2026 жылғы қазан / октябрь 2026, дербес шот / лицевой счёт 1001');
    expect(first!.text).toContain('Құрметті Гауһар Әбенқызы!');
    // 1001 owes installation 10 000 + 5000 × 16/31 = 2580,65 → 12 580,65 ₸ (test/cli/invoices.e2e.test.ts)
    expect(first!.text).toContain('К оплате: 12 580,65 ₸, срок оплаты: до 25.11.2026.');
    expect(first!.attachments[0]!.filename).toBe('Шот-Счёт MT-2026-000001.pdf');
    expect(first!.attachments[0]!.content.equals(readFileSync(path.join(out, '2026-10', 'MT-2026-000001.pdf')))).toBe(true);

    const third = await esepAsync(smtpEnv(), 'send', 'invoices', '--period', '2026-10', '--date', '2026-11-01');
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/0 queued, 0 without email \(paper\), 0 sent, 0 to retry later, 0 failed$/m);
    expect(received).toHaveLength(2);
  }, SLOW);

  it('esep outbox: counts, the failed message with its reply, the paper list as CSV', () => {
    const csv = path.join(dir, 'paper.csv');
    const text = esep(db, 'outbox', '--period', '2026-10', '--paper-csv', csv);
    outputs.push(text.stdout, text.stderr);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('outbox 2026-10: 0 queued, 0 sending, 1 sent, 1 failed, 1 no address');
    expect(text.stdout).toMatch(/MT-2026-000002\t1002\tunknown@example\.kz\t1 attempt\(s\)\t550 5\.1\.1 <unknown@example\.kz>: user unknown/);
    expect(text.stdout).toContain(`1 document(s) of accounts without email, for delivery by post: ${csv}`);
    const lines = readFileSync(csv, 'utf8').split('\r\n');
    expect(lines[0]).toBe('name,address,account,document,kind,amount,file');
    expect(lines[1]).toMatch(/^Өмірзақ Ұлан,"г\. Шымкент, ул\. Тәуке хана, 7",1003,MT-2026-000003,invoice,\d+\.\d\d,.*MT-2026-000003\.pdf$/);

    const json = esepJson<{ counts: Record<string, Record<string, number>>; failed: { document: string; last_reply: string }[]; no_address: { account: string }[] }>(db, 'outbox');
    expect(json.counts.invoice).toEqual({ queued: 0, sending: 0, sent: 1, failed: 1, no_address: 1 });
    expect(json.failed.map((f) => [f.document, f.last_reply])).toEqual([['MT-2026-000002', '550 5.1.1 <unknown@example.kz>: user unknown']]);
    expect(json.no_address.map((n) => n.account)).toEqual(['1003']);
    expect(esep(db, 'outbox', '--period', '2026-1').code).toBe(2);
  }, SLOW);

  it('notices: a refused login stops the run (exit 1) without the password; then the notice goes out', async () => {
    // a termination notice as the lead's `esep notices` writes it, with a PDF of its own
    const noticePdf = path.join(out, '2026-10', 'MT-2026-000001.pdf');
    const sqlite = new Database(db);
    sqlite
      .prepare(
        `INSERT INTO notices (account, kind, issued_on, debt, penalty_debt, equipment_return_by, file) VALUES ('1001', 'termination', '2026-11-10', 1258065, 0, NULL, ?)`,
      )
      .run(noticePdf);
    sqlite.close();

    const wrong = await esepAsync({ ESEP_SMTP_URL: `smtp://user:${PASSWORD}-wrong@127.0.0.1:${port}` }, 'send', 'notices', '--date', '2026-11-10');
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/stopped: .*535/);
    expect(received).toHaveLength(2);

    const ok = await esepAsync(smtpEnv(), '--json', 'send', 'notices', '--date', '2026-11-10');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ job: 'send-notices', counts: { sent: 1 }, stopped: null, smtp: `smtp://user:***@127.0.0.1:${port}` });
    const mail = await simpleParser(received[2]!.raw);
    expect(mail.attachments[0]!.filename).toBe('Шартты бұзу туралы хабарлама-Уведомление о расторжении 1001.pdf');
    expect(mail.text).toContain('Берешек: 12 580,65 ₸. Оны 20.11.2026 дейін төлеуді талап етеміз.');
    expect(mail.attachments[0]!.content.equals(readFileSync(noticePdf))).toBe(true);

    const config = await esepAsync(smtpEnv(), 'config', 'show');
    expect(config.stdout).toContain('smtp://user:***@127.0.0.1');
    expect(outputs.length).toBeGreaterThan(10);
    for (const text of outputs) expect(text).not.toContain(PASSWORD);
  }, SLOW);
});
