// The outbox's rules, pure (cl. 14: the invoice reaches the subscriber by email; cl. 23.8: the
// termination notice goes to the subscriber's email and counts as delivered even if it bounces).
//
// A message is one document (an invoice or a notice) to one recipient. Its life:
//
//   no_address                              the account has no email: delivered on paper instead
//   queued ──start──▶ sending ──accepted──▶ sent      (accepted by our SMTP server; final)
//     ▲                  │ ──5xx──────────▶ failed    (permanent refusal; final, reply kept)
//     └──4xx, no reply───┘                            (transient: again after a backoff, up to max_attempts)
//
// "sending" is committed before the SMTP conversation and replaced after it, so a process killed in
// between leaves the row in "sending": the next run sends it again with the same Message-ID. That is
// the only way a message can arrive twice, and then at most once more per such crash.
//
// Attempts are bounded twice: in total by max_attempts (counted when "sending" is committed), and per
// run to one per message, with the run ending at the first attempt the server does not answer
// (endsRun): a silent or vanishing server costs one attempt and one timeout per run, never a loop.

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'no_address'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export const DOCUMENT_KINDS = ['invoice', 'notice'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** The first retry waits this long; each further one twice as long as the one before. */
export const BACKOFF_BASE_MS = 10 * 60 * 1000;
/** No retry waits longer than this. */
export const BACKOFF_CAP_MS = 12 * 60 * 60 * 1000;

/** How long to wait before the next attempt after `attempts` failed ones: 10 min, 20, 40, … at most 12 h. */
export function backoffMs(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
  return Math.min(BACKOFF_BASE_MS * 2 ** (attempts - 1), BACKOFF_CAP_MS);
}

/** What an SMTP library reports about a failed send, reduced to what the rules look at. */
export interface SmtpFailure {
  /** The server's reply code (451, 550…), absent when there was no reply (connection refused, timeout). */
  responseCode?: number | undefined;
  /** The library's error code: EAUTH, ECONNECTION, ETIMEDOUT, ESOCKET, EENVELOPE, EMESSAGE… */
  code?: string | undefined;
  /** The SMTP command that got the reply: "MAIL FROM", "RCPT TO", "DATA", "AUTH PLAIN"… */
  command?: string | undefined;
  /** The server's reply text ("550 5.1.1 <x@y>: user unknown"). */
  response?: string | undefined;
  message: string;
}

/**
 * What a failure means for the message:
 * - transient: try again on a later run (counted against max_attempts); with stopRun the server
 *   itself is unreachable or closing, so this run sends nothing more;
 * - permanent: the server refused this message for good: failed, with the reply;
 * - server: our own side is wrong (login refused, sender refused): the message is not to blame, its
 *   attempt is not counted, and the run stops so that an operator can fix the settings.
 */
export type Verdict =
  | { kind: 'transient'; reply: string; stopRun: boolean }
  | { kind: 'permanent'; reply: string }
  | { kind: 'server'; reply: string };

/** One line, at most 500 characters: what goes into last_reply and onto a screen. */
export function replyText(failure: SmtpFailure): string {
  const text = (failure.response ?? failure.message ?? '').replace(/\s+/g, ' ').trim() || 'unknown error';
  const withCode = failure.responseCode !== undefined && !text.startsWith(String(failure.responseCode)) ? `${failure.responseCode} ${text}` : text;
  return withCode.length > 500 ? `${withCode.slice(0, 499)}…` : withCode;
}

/** RFC 5321 reply classes: 4xx try again later, 5xx do not; a failure with no reply is a transient connection problem. */
export function classifyFailure(failure: SmtpFailure): Verdict {
  const reply = replyText(failure);
  const code = failure.responseCode;
  const command = (failure.command ?? '').toUpperCase();
  if (failure.code === 'EAUTH' || command.startsWith('AUTH') || code === 530 || code === 535) return { kind: 'server', reply };
  if (code !== undefined && code >= 500 && code < 600) {
    // the sender refused is our configuration (smtp.from), not the subscriber's address; 552 is the message's size
    if (command.startsWith('MAIL') && code !== 552) return { kind: 'server', reply };
    return { kind: 'permanent', reply };
  }
  // 421: the server is closing the channel; nothing more gets through in this run
  if (code === 421) return { kind: 'transient', reply, stopRun: true };
  if (code !== undefined && code >= 400 && code < 500) return { kind: 'transient', reply, stopRun: false };
  if (failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE') return { kind: 'permanent', reply };
  // no reply at all (ECONNECTION, ETIMEDOUT, ESOCKET…): the server is unreachable, so the run stops
  return { kind: 'transient', reply, stopRun: true };
}

/**
 * Whether a failure ends the run: the server did not answer (timeout, connection refused or dropped)
 * or is closing (421), so the next message would fare no better; or our own settings are wrong.
 * A refusal or a 4xx concerns one message: the run goes on with the next.
 */
export function endsRun(verdict: Verdict): boolean {
  return verdict.kind === 'server' || (verdict.kind === 'transient' && verdict.stopRun);
}

/** A message's row as far as the rules are concerned. */
export interface MessageStatus {
  state: OutboxState;
  /** Attempts started so far, counting the one in progress. */
  attempts: number;
}

export interface Transition {
  state: OutboxState;
  attempts: number;
  /** ISO instant of the earliest next attempt; null = at the next run. */
  nextAttemptAt: string | null;
  lastReply: string | null;
  sentAt: string | null;
}

/** Whether a row is for the send loop to (re)send at `now`. */
export function isDue(row: { state: OutboxState; nextAttemptAt: string | null }, now: Date): boolean {
  if (row.state === 'sending') return true; // left by a killed run: resent with its Message-ID
  return row.state === 'queued' && (row.nextAttemptAt === null || Date.parse(row.nextAttemptAt) <= now.getTime());
}

/** Before the SMTP conversation: committed on its own, so a crash during it is seen by the next run. */
export function startAttempt(row: MessageStatus): { state: 'sending'; attempts: number } {
  if (row.state !== 'queued' && row.state !== 'sending') throw new Error(`a ${row.state} message is not sent again`);
  return { state: 'sending', attempts: row.attempts + 1 };
}

/**
 * A row found in "sending" when a run starts: its previous run died during the SMTP conversation.
 * It is sent again with the same Message-ID, unless that attempt was the last one allowed: then it is
 * given up, saying that the server may have it.
 */
export function recoverInterrupted(row: MessageStatus, maxAttempts: number): Transition | null {
  if (row.state !== 'sending' || row.attempts < maxAttempts) return null;
  return {
    state: 'failed',
    attempts: row.attempts,
    nextAttemptAt: null,
    lastReply: `interrupted during attempt ${row.attempts} of ${maxAttempts}; the server may have accepted it`,
    sentAt: null,
  };
}

/** The server accepted the message. For a notice that is delivery (cl. 23.8), bounce or not. */
export function accepted(row: MessageStatus, reply: string, now: Date): Transition {
  return { state: 'sent', attempts: row.attempts, nextAttemptAt: null, lastReply: reply, sentAt: now.toISOString() };
}

/** After a failed attempt (`row.attempts` counts it). */
export function failed(row: MessageStatus, verdict: Verdict, now: Date, maxAttempts: number): Transition {
  switch (verdict.kind) {
    case 'permanent':
      return { state: 'failed', attempts: row.attempts, nextAttemptAt: null, lastReply: verdict.reply, sentAt: null };
    case 'server':
      // not the message's fault: the attempt is not counted, and it is due again at the next run
      return { state: 'queued', attempts: Math.max(0, row.attempts - 1), nextAttemptAt: null, lastReply: verdict.reply, sentAt: null };
    case 'transient':
      if (row.attempts >= maxAttempts) {
        return { state: 'failed', attempts: row.attempts, nextAttemptAt: null, lastReply: `gave up after ${row.attempts} attempts: ${verdict.reply}`, sentAt: null };
      }
      return {
        state: 'queued',
        attempts: row.attempts,
        nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts)).toISOString(),
        lastReply: verdict.reply,
        sentAt: null,
      };
  }
}

/**
 * Spacing between messages (smtp.rate_per_second): each send starts at least 1/rate seconds after
 * the previous one started. The clock and the sleep are given, so a test counts the waits asked for.
 */
export class RateLimiter {
  private previous: number | null = null;
  private readonly intervalMs: number;

  constructor(
    ratePerSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate_per_second must be positive, got ${ratePerSecond}`);
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** The wait before a send that would start at `at`. */
  waitAt(at: number): number {
    return this.previous === null ? 0 : Math.max(0, Math.ceil(this.previous + this.intervalMs - at));
  }

  /** Waits as long as the rate requires, then counts a send as started. */
  async take(): Promise<void> {
    const wait = this.waitAt(this.now());
    if (wait > 0) await this.sleep(wait);
    this.previous = this.now();
  }
}

/** Our own Message-ID, made before the first attempt and kept for every resend: `<invoice-123.9f…@example.kz>`. */
export function makeMessageId(kind: DocumentKind, documentId: number, random: string, fromAddress: string): string {
  const domain = fromAddress.split('@')[1]?.replace(/[>\s].*$/, '') || 'esep.invalid';
  return `<${kind}-${documentId}.${random}@${domain}>`;
}

/** The document as a person names it: the invoice number, or "notice ACCOUNT DAY". */
export function documentName(m: { docKind: DocumentKind; number: string | null; account: string; issuedOn: string | null }): string {
  return m.docKind === 'invoice' ? (m.number ?? `invoice of ${m.account}`) : `notice ${m.account} ${m.issuedOn ?? ''}`.trim();
}
