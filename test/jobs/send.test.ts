// Sending through the outbox against a real SMTP server (smtp-server on a random loopback port),
// every message parsed back with mailparser. Time is injected: backoff and the rate limit are
// checked by the instants and waits the job asks for, never by timing.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { acquireLock } from '../../src/db/journal.js';
import { messagesInState, paperDeliveries } from '../../src/db/outbox.js';
import { saveOperator } from '../../src/db/operator.js';
import { runSend, type SendOptions } from '../../src/jobs/send.js';
import { IIN_A, IIN_B, IIN_C, TEST_OPERATOR } from '../helpers/fixtures.js';
import { startSmtpServer, type ReceivedMessage, type TestSmtpServer } from '../helpers/smtp.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const KAZAKH = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'];
/** Every Kazakh letter of its own, in a real-looking name. */
const NAME = 'Сәуле Дағжанқызы Мөңкеұлы-Түгелбай Шаһиәлі';
const PASSWORD = 'sëcret:p@ss';

// ---------------------------------------------------------------------------------------------
// The SMTP server

let smtp: TestSmtpServer;
let received: ReceivedMessage[];
/** Per recipient, the replies to give at DATA before accepting (e.g. [451] = once 451, then accept). */
let scripted: Map<string, number[]>;

beforeAll(async () => {
  smtp = await startSmtpServer({ user: 'esep', password: PASSWORD });
  ({ received, scripted } = smtp);
});

afterAll(() => smtp.close());

const url = () => smtp.url();

// ---------------------------------------------------------------------------------------------
// The database

let db: Db;
let clock: number;
let waits: number[];
const pdfs = new Map<string, Buffer>();

const OPERATOR = TEST_OPERATOR;

function account(acc: string, iin: string, name: string, email: string | null) {
  db.sqlite.prepare('INSERT OR IGNORE INTO subscribers (iin, name) VALUES (?, ?)').run(iin, name);
  db.sqlite
    .prepare(
      `INSERT INTO accounts (account, iin, method, tariff_code, connected_on, premises_owned, address, email)
       VALUES (?, ?, 'credit', 'T', '2026-01-01', 1, 'г. Алматы, Абай даңғылы, 10', ?)`,
    )
    .run(acc, iin, email);
}

/** A small "PDF" of its own bytes per document, so that an attachment can be compared byte for byte. */
function pdfFile(name: string): string {
  const file = path.join(dir, `${name}-${randomBytes(4).toString('hex')}.pdf`);
  const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(600), Buffer.from('\n%%EOF\n')]);
  writeFileSync(file, bytes);
  pdfs.set(file, bytes);
  return file;
}

let seq = 0;
function invoice(acc: string, period = '2026-10', amountDue = 1258065, file: string | null = pdfFile(acc)): number {
  seq++;
  return Number(
    db.sqlite
      .prepare(
        `INSERT INTO invoices (number, prefix, year, seq, account, period, issued_on, due_on, opening_balance, charges, credits, payments,
           penalties, closing_balance, principal, amount_due, file)
         VALUES (?, 'MT', 2026, ?, ?, ?, '2026-11-01', '2026-11-25', 0, ?, 0, 0, 0, ?, ?, ?, ?)`,
      )
      .run(`MT-2026-${String(seq).padStart(6, '0')}`, seq, acc, period, amountDue, -amountDue, amountDue, amountDue, file).lastInsertRowid,
  );
}

function send(overrides: Partial<SendOptions> = {}) {
  return runSend(db, {
    scope: { kind: 'invoice', period: '2026-10', through: '2026-11-01' },
    smtp: { url: url(), from: 'Мысал Телеком <billing@example.kz>', ratePerSecond: 1000, maxAttempts: 3 },
    now: () => new Date(clock),
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    ...overrides,
  });
}

type Row = { account: string; recipient: string; state: string; attempts: number; nextAttemptAt: string | null; lastReply: string | null; sentAt: string | null; messageId: string };
function outbox(): Row[] {
  return db.sqlite
    .prepare(
      `SELECT account, recipient, state, attempts, next_attempt_at AS nextAttemptAt, last_reply AS lastReply, sent_at AS sentAt, message_id AS messageId
         FROM outbox ORDER BY id`,
    )
    .all() as Row[];
}

function parsedFor(to: string): Promise<ParsedMail[]> {
  return Promise.all(received.filter((r) => r.to === to).map((r) => simpleParser(r.raw)));
}

beforeEach(() => {
  db = openDatabase(':memory:');
  saveOperator(db, OPERATOR);
  db.sqlite.prepare(`INSERT INTO tariffs (code, name) VALUES ('T', 'T')`).run();
  clock = Date.parse('2026-11-01T04:00:00.000Z');
  waits = [];
  seq = 0;
  received.length = 0;
  scripted.clear();
});

// ---------------------------------------------------------------------------------------------

describe('send invoices', () => {
  it('sends each invoice once: its own PDF attached, the number in the subject, Kazakh intact; a rerun sends nothing', async () => {
    account('1001', IIN_A, NAME, 'saule@example.kz');
    account('1002', IIN_B, 'Иванова Мария', 'maria@example.kz');
    invoice('1001');
    invoice('1002', '2026-10', 0);
    invoice('1001', '2026-09'); // another period: not this send's

    const first = await send();
    expect(first.counts).toMatchObject({ queued: 2, sent: 2, attempts: 2 });
    expect(first.failed).toEqual([]);
    expect(first.stopped).toBeNull();
    expect(received.map((r) => r.to).sort()).toEqual(['maria@example.kz', 'saule@example.kz']);

    const [mail] = await parsedFor('saule@example.kz');
    expect(mail!.subject).toBe('Шот / Счёт № MT-2026-000001: 2026 жылғы қазан / октябрь 2026, дербес шот / лицевой счёт 1001');
    expect(mail!.from?.value[0]).toEqual({ name: 'Мысал Телеком', address: 'billing@example.kz' });
    expect(mail!.text).toContain(`Құрметті ${NAME}!`);
    expect(mail!.text).toContain('Төлеуге: 12 580,65 ₸, төлеу мерзімі: 25.11.2026 дейін.');
    expect(mail!.text).toContain('К оплате: 12 580,65 ₸, срок оплаты: до 25.11.2026.');
    expect(mail!.attachments).toHaveLength(1);
    const attachment = mail!.attachments[0]!;
    expect(attachment.filename).toBe('Шот-Счёт MT-2026-000001.pdf');
    expect(attachment.contentType).toBe('application/pdf');
    const file = (db.sqlite.prepare(`SELECT file FROM invoices WHERE number = 'MT-2026-000001'`).get() as { file: string }).file;
    expect(attachment.content.equals(pdfs.get(file)!)).toBe(true);
    // the Message-ID is ours, as stored before sending
    const rows = outbox();
    expect(mail!.messageId).toBe(rows[0]!.messageId);
    expect(rows[0]!.messageId).toMatch(/^<invoice-1\.[0-9a-f]{16}@example\.kz>$/);
    expect(rows.map((r) => [r.account, r.state, r.attempts])).toEqual([
      ['1001', 'sent', 1],
      ['1002', 'sent', 1],
    ]);
    expect(rows[0]!.sentAt).toBe('2026-11-01T04:00:00.000Z');
    expect(rows[0]!.lastReply).toContain('250');

    // nothing to pay: said so, no amount line
    const [maria] = await parsedFor('maria@example.kz');
    expect(maria!.text).toContain('К оплате ничего нет.');
    expect(maria!.text).not.toContain('К оплате:');

    const again = await send();
    expect(again.counts.queued ?? 0).toBe(0);
    expect(again.counts.sent ?? 0).toBe(0);
    expect(received).toHaveLength(2);
  });

  it('Kazakh letters survive in the subject, the body and the attachment name (RFC 2047 / 2231)', async () => {
    account('1001', IIN_A, NAME, 'saule@example.kz');
    invoice('1001');
    const template = path.join(dir, 'mail-kazakh.json');
    writeFileSync(
      template,
      JSON.stringify({ subject: '{subscriber_name}: шот {number}', body: ['{subscriber_name}', 'әғқңөұүһі'], attachment: '{subscriber_name} {number}.pdf' }),
    );
    await send({ templates: { invoice: template } });
    const raw = received[0]!.raw.toString('latin1');
    // on the wire everything is 7-bit: encoded-words in the subject, a parameter continuation for the name
    expect(raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(raw).toMatch(/filename\*0?\*?=utf-8''/i);
    const [mail] = await parsedFor('saule@example.kz');
    expect(mail!.subject).toBe(`${NAME}: шот MT-2026-000001`);
    expect(mail!.text).toBe(`${NAME}\nәғқңөұүһі\n`);
    expect(mail!.attachments[0]!.filename).toBe(`${NAME} MT-2026-000001.pdf`);
    for (const letter of KAZAKH) {
      expect(mail!.subject).toContain(letter);
      expect(mail!.attachments[0]!.filename).toContain(letter);
    }
  });

  it('a server that answers 451 once gets the message on a later run, after the backoff', async () => {
    account('1001', IIN_A, 'Асан', 'later@example.kz');
    account('1002', IIN_B, 'Бота', 'now@example.kz');
    invoice('1001');
    invoice('1002');
    scripted.set('later@example.kz', [451]);

    const first = await send();
    expect(first.counts).toMatchObject({ sent: 1, deferred: 1 });
    expect(first.stopped).toBeNull(); // a 4xx to one message does not stop the others
    const deferred = outbox()[0]!;
    expect(deferred).toMatchObject({ state: 'queued', attempts: 1, lastReply: '451 4.3.0 try again later' });
    // the first retry waits 10 minutes
    expect(deferred.nextAttemptAt).toBe('2026-11-01T04:10:00.000Z');

    // a run before the backoff has passed leaves it alone
    clock += 5 * 60_000;
    expect((await send()).counts.sent ?? 0).toBe(0);

    clock += 6 * 60_000;
    const later = await send();
    expect(later.counts).toMatchObject({ sent: 1 });
    expect(outbox()[0]).toMatchObject({ state: 'sent', attempts: 2 });
    const mails = await parsedFor('later@example.kz');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.messageId).toBe(deferred.messageId);
  });

  it('a transient failure each time is given up after max_attempts', async () => {
    account('1001', IIN_A, 'Асан', 'busy@example.kz');
    invoice('1001');
    scripted.set('busy@example.kz', [451, 451, 451, 451]);
    for (let run = 0; run < 3; run++) {
      await send();
      clock += 24 * 3600_000;
    }
    expect(outbox()[0]).toMatchObject({ state: 'failed', attempts: 3, lastReply: 'gave up after 3 attempts: 451 4.3.0 try again later' });
    const fourth = await send();
    expect(fourth.counts.attempts ?? 0).toBe(0);
  });

  it('a 550 is failed with the reply, listed, and never sent again', async () => {
    account('1001', IIN_A, 'Асан', 'unknown@example.kz');
    account('1002', IIN_B, 'Бота', 'bota@example.kz');
    invoice('1001');
    invoice('1002');
    const result = await send();
    expect(result.counts).toMatchObject({ sent: 1, failed: 1 });
    expect(result.failed).toEqual([
      { id: 1, document: 'MT-2026-000001', account: '1001', recipient: 'unknown@example.kz', reply: '550 5.1.1 <unknown@example.kz>: user unknown' },
    ]);
    const listed = messagesInState(db, ['failed'], {});
    expect(listed.map((m) => [m.number, m.lastReply])).toEqual([['MT-2026-000001', '550 5.1.1 <unknown@example.kz>: user unknown']]);
    clock += 7 * 24 * 3600_000;
    expect((await send()).counts.attempts ?? 0).toBe(0);
  });

  it('a failed invoice is emailed again once the account\'s email is corrected, and only then', async () => {
    account('1001', IIN_A, 'Асан', 'unknown@example.kz');
    invoice('1001');
    expect((await send()).counts).toMatchObject({ failed: 1 });

    // the same address again (a typo fixed and undone): the refusal stands, nothing is tried
    db.sqlite.prepare(`UPDATE accounts SET email = ' unknown@example.kz ' WHERE account = '1001'`).run();
    expect((await send()).counts.attempts ?? 0).toBe(0);

    db.sqlite.prepare(`UPDATE accounts SET email = 'asan@example.kz' WHERE account = '1001'`).run();
    expect((await send()).counts).toMatchObject({ queued: 1, sent: 1 });
    expect((await parsedFor('asan@example.kz')).map((m) => m.attachments.length)).toEqual([1]);
    expect(outbox().map((r) => [r.recipient, r.state])).toEqual([
      ['unknown@example.kz', 'failed'],
      ['asan@example.kz', 'sent'],
    ]);
    // dealt with: no longer listed as failed, and a second new address changes nothing
    expect(messagesInState(db, ['failed'], {})).toEqual([]);
    db.sqlite.prepare(`UPDATE accounts SET email = 'asan.new@example.kz' WHERE account = '1001'`).run();
    expect((await send()).counts.queued ?? 0).toBe(0);
  });

  it('a failed invoice whose account then loses its email goes on the paper list', async () => {
    account('1001', IIN_A, 'Асан Қасымов', 'unknown@example.kz');
    invoice('1001', '2026-10', 500000);
    await send();
    expect(paperDeliveries(db, {})).toEqual([]);
    db.sqlite.prepare(`UPDATE accounts SET email = NULL WHERE account = '1001'`).run();
    expect((await send()).counts).toMatchObject({ no_address: 1 });
    expect(paperDeliveries(db, {}).map((m) => [m.account, m.number, m.amountDue])).toEqual([['1001', 'MT-2026-000001', 500000]]);
    expect(messagesInState(db, ['failed'], {})).toEqual([]);
  });

  it('an invoice that went by post and whose email then failed stays on the paper list', async () => {
    account('1001', IIN_A, 'Асан Қасымов', null);
    invoice('1001', '2026-10', 500000);
    await send();
    db.sqlite.prepare(`UPDATE accounts SET email = 'unknown@example.kz' WHERE account = '1001'`).run();
    expect((await send()).counts).toMatchObject({ queued: 1, failed: 1 });
    expect(paperDeliveries(db, {}).map((m) => m.number)).toEqual(['MT-2026-000001']);
    expect(messagesInState(db, ['failed'], {}).map((m) => m.recipient)).toEqual(['unknown@example.kz']);
  });

  it('an account without email is no_address, listed for paper delivery; an email added later gets it', async () => {
    account('1001', IIN_A, 'Асан Қасымов', null);
    invoice('1001', '2026-10', 500000);
    const result = await send();
    expect(result.counts).toMatchObject({ no_address: 1 });
    expect(result.counts.sent ?? 0).toBe(0);
    expect(outbox()).toMatchObject([{ recipient: '', state: 'no_address', attempts: 0 }]);
    const paper = paperDeliveries(db, { period: '2026-10' });
    expect(paper.map((m) => [m.name, m.address, m.number, m.amountDue])).toEqual([['Асан Қасымов', 'г. Алматы, Абай даңғылы, 10', 'MT-2026-000001', 500000]]);
    expect((await send()).counts.no_address ?? 0).toBe(0);

    db.sqlite.prepare(`UPDATE accounts SET email = 'asan@example.kz' WHERE account = '1001'`).run();
    expect((await send()).counts).toMatchObject({ queued: 1, sent: 1 });
    expect(paperDeliveries(db, {})).toEqual([]);
  });

  it('each message starts 1/rate seconds after the previous one', async () => {
    for (let i = 1; i <= 5; i++) {
      account(`10${i}`, [IIN_A, IIN_B, IIN_C][i % 3]!, `Абонент ${i}`, `a${i}@example.kz`);
      invoice(`10${i}`);
    }
    // the injected clock moves only when the job sleeps: 4 spacings of 1000/4 = 250 ms
    await send({ smtp: { url: url(), from: 'billing@example.kz', ratePerSecond: 4, maxAttempts: 3 } });
    expect(received).toHaveLength(5);
    expect(waits).toEqual([250, 250, 250, 250]);
  });

  it('a message left in "sending" by a killed run is resent once, with the same Message-ID', async () => {
    account('1001', IIN_A, 'Асан', 'asan@example.kz');
    invoice('1001');
    await send();
    // as if the process died after the server accepted, before the result was committed
    db.sqlite.prepare(`UPDATE outbox SET state = 'sending', sent_at = NULL`).run();
    const rerun = await send();
    expect(rerun.counts).toMatchObject({ sent: 1 });
    const mails = await parsedFor('asan@example.kz');
    expect(mails).toHaveLength(2);
    expect(mails[1]!.messageId).toBe(mails[0]!.messageId);
    expect(outbox()[0]).toMatchObject({ state: 'sent', attempts: 2 });
    expect((await send()).counts.attempts ?? 0).toBe(0);
  });

  it('an interrupted last attempt is given up, saying the server may have it', async () => {
    account('1001', IIN_A, 'Асан', 'asan@example.kz');
    invoice('1001');
    await send();
    db.sqlite.prepare(`UPDATE outbox SET state = 'sending', attempts = 3, sent_at = NULL`).run();
    const rerun = await send();
    expect(rerun.counts).toMatchObject({ failed: 1 });
    expect(outbox()[0]).toMatchObject({ state: 'failed', lastReply: 'interrupted during attempt 3 of 3; the server may have accepted it' });
  });

  it('the writer lock is free while the server is spoken to; the send lock is held for the whole run', async () => {
    account('1001', IIN_A, 'Асан', 'asan@example.kz');
    invoice('1001');
    const seen: { writerTaken: boolean; sendHeld: unknown }[] = [];
    const transport = {
      async send() {
        // another job's turn in the middle of the conversation: it gets the writer lock
        const release = acquireLock(db, 'payments');
        release();
        seen.push({ writerTaken: true, sendHeld: db.sqlite.prepare(`SELECT job FROM job_locks WHERE name = 'send'`).get() });
        return { reply: '250 ok' };
      },
      close() {},
    };
    expect((await send({ transport })).counts).toMatchObject({ sent: 1 });
    expect(seen).toEqual([{ writerTaken: true, sendHeld: { job: 'send-invoices' } }]);
    expect(db.sqlite.prepare('SELECT COUNT(*) AS n FROM job_locks').get()).toEqual({ n: 0 });
  });

  it('a send is refused (busy) while a job holds the writer lock, and while another send runs', async () => {
    account('1001', IIN_A, 'Асан', 'asan@example.kz');
    invoice('1001');
    const other = process.ppid;
    const lock = db.sqlite.prepare(`INSERT INTO job_locks (name, pid, host, job, acquired_at) VALUES (?, ?, ?, ?, '2026-11-01T00:00:00Z')`);
    lock.run('writer', other, hostname(), 'day');
    await expect(send()).rejects.toThrow(/busy: day is running/);
    db.sqlite.prepare('DELETE FROM job_locks').run();
    lock.run('send', other, hostname(), 'send-notices');
    await expect(send()).rejects.toThrow(/busy: send-notices is running/);
    // nothing queued, and the writer lock taken for the queue was given back
    expect(outbox()).toEqual([]);
    expect(db.sqlite.prepare(`SELECT name FROM job_locks`).all()).toEqual([{ name: 'send' }]);
  });

  it('a server that cannot be reached: one attempt counted, the run stops, the rest stays due', async () => {
    account('1001', IIN_A, 'Асан', 'asan@example.kz');
    account('1002', IIN_B, 'Бота', 'bota@example.kz');
    invoice('1001');
    invoice('1002');
    const closed = await startSmtpServer();
    const deadPort = closed.port;
    await closed.close();

    const result = await send({ smtp: { url: `smtp://esep:${encodeURIComponent(PASSWORD)}@127.0.0.1:${deadPort}`, from: null, ratePerSecond: 1000, maxAttempts: 3 } });
    expect(result.stopped).toMatch(/ECONNREFUSED/);
    expect(result.counts).toMatchObject({ attempts: 1, deferred: 1 });
    expect(outbox().map((r) => [r.state, r.attempts])).toEqual([
      ['queued', 1],
      ['queued', 0],
    ]);
    // the next run with the server back sends the untouched one at once, the other after its backoff
    expect((await send()).counts).toMatchObject({ sent: 1 });
    clock += 3600_000;
    expect((await send()).counts).toMatchObject({ sent: 1 });
  });

  it('a refused login stops the run without counting an attempt, and never shows the password', async () => {
    account('1001', IIN_A, 'Асан', 'asan@example.kz');
    invoice('1001');
    const result = await send({ smtp: { url: smtp.url({ user: 'esep', password: `${PASSWORD}-wrong` }), from: null, ratePerSecond: 1000, maxAttempts: 3 } });
    expect(result.stopped).toMatch(/535/);
    expect(JSON.stringify(result)).not.toContain('sëcret');
    expect(outbox()[0]).toMatchObject({ state: 'queued', attempts: 0 });
    expect(JSON.stringify(outbox())).not.toContain('sëcret');
    // the sender defaults to the operator's name and email
    await send({ smtp: { url: url(), from: null, ratePerSecond: 1000, maxAttempts: 3 } });
    const [mail] = await parsedFor('asan@example.kz');
    expect(mail!.from?.value[0]).toEqual({ name: 'ТОО «Мысал Телеком»', address: 'billing@example.kz' });
  });

  it('a PDF missing on disk: not attempted, noted, sent once the file is back', async () => {
    account('1001', IIN_A, 'Асан', 'asan@example.kz');
    const file = path.join(dir, 'gone.pdf');
    invoice('1001', '2026-10', 100, file);
    const result = await send();
    expect(result.missingFiles).toHaveLength(1);
    expect(result.missingFiles[0]!.reply).toMatch(/^not sent: ENOENT/);
    expect(outbox()[0]).toMatchObject({ state: 'queued', attempts: 0 });
    writeFileSync(file, '%PDF-1.4\n%%EOF\n');
    expect((await send()).counts).toMatchObject({ sent: 1 });
  });

  it('an invoice without its PDF yet is not queued, and counted', async () => {
    account('1001', IIN_A, 'Асан', 'asan@example.kz');
    invoice('1001', '2026-10', 100, null);
    const result = await send();
    expect(result.withoutPdf).toBe(1);
    expect(outbox()).toEqual([]);
  });

  it('a dry run writes .eml files that parse back, and queues, marks and sends nothing', async () => {
    account('1001', IIN_A, NAME, 'saule@example.kz');
    account('1002', IIN_B, 'Бота', null);
    invoice('1001');
    invoice('1002');
    const out = path.join(dir, 'eml');
    const result = await send({ dryRunDir: out, smtp: { url: null, from: null, ratePerSecond: 1, maxAttempts: 3 } });
    expect(result.dryRun).toBe(true);
    expect(result.counts).toMatchObject({ written: 1, queued: 1, no_address: 1 });
    expect(readdirSync(out)).toEqual(['invoice-MT-2026-000001.eml']);
    const mail = await simpleParser(readFileSync(path.join(out, 'invoice-MT-2026-000001.eml')));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address : null).toBe('saule@example.kz');
    expect(mail.subject).toContain('MT-2026-000001');
    expect(mail.text).toContain(NAME);
    expect(mail.attachments[0]!.filename).toBe('Шот-Счёт MT-2026-000001.pdf');
    expect(waits).toEqual([]);
    expect(received).toEqual([]);
    expect(outbox()).toEqual([]);
    expect(db.sqlite.prepare('SELECT COUNT(*) AS n FROM job_runs').get()).toEqual({ n: 0 });
  });
});

describe('send notices', () => {
  it('emails the termination notice; accepted by our server is delivered (cl. 23.8)', async () => {
    account('1001', IIN_A, NAME, 'saule@example.kz');
    const file = pdfFile('notice');
    db.sqlite
      .prepare(
        `INSERT INTO notices (account, kind, issued_on, debt, penalty_debt, equipment_return_by, file) VALUES ('1001', 'termination', '2026-11-10', 1550000, 50000, '2026-11-17', ?)`,
      )
      .run(file);
    const result = await send({ scope: { kind: 'notice', through: '2026-11-10' } });
    expect(result.counts).toMatchObject({ queued: 1, sent: 1 });
    const [mail] = await parsedFor('saule@example.kz');
    expect(mail!.subject).toBe('Шартты бұзу туралы хабарлама / Уведомление о расторжении договора, дербес шот / лицевой счёт 1001');
    expect(mail!.text).toContain('Задолженность: 15 500,00 ₸. Требуем оплатить её до 20.11.2026.');
    expect(mail!.text).toContain('Жабдықты 17.11.2026 дейін қайтарыңыз.');
    expect(mail!.attachments[0]!.filename).toBe('Шартты бұзу туралы хабарлама-Уведомление о расторжении 1001.pdf');
    expect(mail!.attachments[0]!.content.equals(pdfs.get(file)!)).toBe(true);
    expect(outbox()).toMatchObject([{ state: 'sent', attempts: 1 }]);
    // a notice of a later day is not this send's
    expect((await send({ scope: { kind: 'notice', through: '2026-11-09' } })).counts.queued ?? 0).toBe(0);
  });
});
