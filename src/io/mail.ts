// Email: the wording of a message from templates/mail-*.json, the message itself (nodemailer builds
// the MIME: RFC 2047 encoded-words for a Kazakh subject, RFC 2231 for a Kazakh attachment name,
// UTF-8 body), and the SMTP transport. The SMTP password stays inside this file: it is never part of
// an error, a reply or a log line that leaves it.
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { SmtpFailure } from '../domain/outbox.js';

// ---------------------------------------------------------------------------------------------
// Templates

/** A body line, or one drawn only when the named value is not empty. */
type TemplateLine = string | { text: string; when: string };

export interface MailTemplate {
  subject: string;
  body: TemplateLine[];
  /** The attachment's file name, as the subscriber sees it. */
  attachment: string;
  /** Month names for {period_kk} / {period_ru}, January first. */
  months?: { kk: string[]; ru: string[] };
}

function isLine(value: unknown): value is TemplateLine {
  if (typeof value === 'string') return true;
  return typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string' && typeof (value as { when?: unknown }).when === 'string';
}

export function loadMailTemplate(file: string): MailTemplate {
  const t = JSON.parse(readFileSync(file, 'utf8')) as Partial<MailTemplate>;
  if (typeof t.subject !== 'string' || typeof t.attachment !== 'string' || !Array.isArray(t.body) || !t.body.every(isLine)) {
    throw new Error(`${file}: a mail template needs "subject", "body" (lines) and "attachment"`);
  }
  if (t.months && (t.months.kk.length !== 12 || t.months.ru.length !== 12)) throw new Error(`${file}: "months" needs 12 names in each language`);
  return t as MailTemplate;
}

/** {placeholder} → its value; a placeholder without a value is a template error, never an empty gap. */
export function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`mail template: no value for {${name}}`);
    return value;
  });
}

export interface MailText {
  subject: string;
  text: string;
  filename: string;
}

export function renderMail(template: MailTemplate, values: Readonly<Record<string, string>>): MailText {
  const lines = template.body.filter((l) => typeof l === 'string' || (values[l.when] ?? '') !== '').map((l) => fill(typeof l === 'string' ? l : l.text, values));
  // a file name may not carry a path separator or a control character
  const filename = fill(template.attachment, values).replace(/[/\\\u0000-\u001f]/g, '_');
  return { subject: fill(template.subject, values).replace(/\s+/g, ' ').trim(), text: `${lines.join('\n')}\n`, filename };
}

/** "2026-10" → "2026 жылғы қазан" / "октябрь 2026". */
export function periodWords(template: MailTemplate, period: string): { kk: string; ru: string } {
  const year = period.slice(0, 4);
  const month = Number(period.slice(5, 7)) - 1;
  const kk = template.months?.kk[month];
  const ru = template.months?.ru[month];
  return { kk: kk ? `${year} жылғы ${kk}` : period, ru: ru ? `${ru} ${year}` : period };
}

// ---------------------------------------------------------------------------------------------
// Messages

export interface OutgoingMail {
  from: string | { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  /** Ours, made when the message was queued: the same on every resend. */
  messageId: string;
  attachment: { filename: string; content: Buffer };
  /** Extra headers (ASCII): X-Esep-Document. */
  headers: Record<string, string>;
}

function mailOptions(mail: OutgoingMail): Mail.Options {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId,
    headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers },
    attachments: [{ filename: mail.attachment.filename, content: mail.attachment.content, contentType: 'application/pdf' }],
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** The whole message as it would go over the wire (an .eml file), built by nodemailer's stream transport. */
export async function rawMessage(mail: OutgoingMail): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail(mailOptions(mail));
  return info.message as Buffer;
}

// ---------------------------------------------------------------------------------------------
// SMTP

export interface MailTransport {
  /** Resolves with the server's reply when it accepted the message; rejects with a SendError. */
  send(mail: OutgoingMail): Promise<{ reply: string }>;
  close(): void;
}

/** A failed send, as the outbox rules see it; its text never contains the password. */
export class SendError extends Error {
  override name = 'SendError';
  constructor(readonly failure: SmtpFailure) {
    super(failure.response ?? failure.message);
  }
}

/** Replaces every occurrence of the secret (and its URL-encoded form) with "***". */
export function redact(text: string, secret: string): string {
  if (secret === '') return text;
  let out = text;
  for (const s of new Set([secret, encodeURIComponent(secret)])) out = out.split(s).join('***');
  return out;
}

/** The outbox's view of a nodemailer error: code, reply code, command, reply, all with the secret removed. */
export function smtpFailureOf(error: unknown, secret = ''): SmtpFailure {
  const e = (error ?? {}) as { responseCode?: unknown; code?: unknown; command?: unknown; response?: unknown; message?: unknown };
  const str = (v: unknown) => (typeof v === 'string' ? redact(v, secret) : undefined);
  return {
    responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
    code: str(e.code),
    command: str(e.command),
    response: str(e.response),
    message: str(e.message) ?? redact(String(error), secret),
  };
}

/** How long the SMTP conversation may stay silent, in milliseconds (config smtp.*_timeout_seconds). */
export interface SmtpTimeouts {
  /** To open the TCP (or TLS) connection. */
  connectionMs: number;
  /** From the connection to the server's 220 greeting. */
  greetingMs: number;
  /** Of silence on the socket at any later point: a reply to EHLO, MAIL, RCPT, the end of DATA. */
  socketMs: number;
}

/** nodemailer's words for a connection the server closed, as the outbox shows them. */
const CLOSED = 'Reached maximum number of retries after connection was closed';

const seconds = (ms: number) => `${ms / 1000} s`;

/** A dropped connection or a timeout said in words that name the setting to look at. */
function plainFailure(failure: SmtpFailure, timeouts: SmtpTimeouts): SmtpFailure {
  if (failure.message === CLOSED) return { ...failure, code: failure.code ?? 'ECONNECTION', message: 'the server closed the connection without a reply' };
  if (failure.code !== 'ETIMEDOUT' || failure.response !== undefined) return failure;
  const said: Record<string, string> = {
    'Connection timeout': `no connection within ${seconds(timeouts.connectionMs)} (smtp.connection_timeout_seconds)`,
    'Greeting never received': `no greeting from the server within ${seconds(timeouts.greetingMs)} (smtp.greeting_timeout_seconds)`,
    Timeout: `no reply from the server within ${seconds(timeouts.socketMs)} (smtp.socket_timeout_seconds)`,
  };
  const words = said[failure.message];
  return words ? { ...failure, message: `${words}, ETIMEDOUT` } : failure;
}

/**
 * An SMTP transport from `smtp://user:password@host:port` (or `smtps://`, TLS from the first byte):
 * one pooled connection, reused between messages; no logging of the conversation. Every wait on the
 * server is bounded by `timeouts`, and a connection the server drops fails the message in hand
 * instead of being opened again (nodemailer's pool would otherwise requeue the message and reconnect
 * without end, and a requeue could deliver it twice): the send job decides what happens next.
 */
export function smtpTransport(url: string, timeouts: SmtpTimeouts): MailTransport {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  const password = decodeURIComponent(u.password);
  const user = decodeURIComponent(u.username);
  const options: SMTPPool.Options & { maxRequeues: number } = {
    pool: true,
    maxConnections: 1,
    maxMessages: Infinity,
    // nodemailer's pool option, missing from its type definitions
    maxRequeues: 0,
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: user ? { user, pass: password } : undefined,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    logger: false,
    debug: false,
  };
  const transporter = nodemailer.createTransport(options);
  return {
    async send(mail) {
      try {
        const info = await transporter.sendMail(mailOptions(mail));
        return { reply: redact(String(info.response ?? ''), password) };
      } catch (error) {
        throw new SendError(plainFailure(smtpFailureOf(error, password), timeouts));
      }
    },
    close() {
      transporter.close();
    },
  };
}
