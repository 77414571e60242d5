// The outbox's rules: backoff, what an SMTP reply means, the message's states, the rate limit
// (counted through an injected clock and sleep, never timed).
import { describe, expect, it } from 'vitest';
import {
  accepted,
  backoffMs,
  BACKOFF_CAP_MS,
  classifyFailure,
  documentName,
  endsRun,
  failed,
  isDue,
  makeMessageId,
  RateLimiter,
  recoverInterrupted,
  replyText,
  startAttempt,
} from '../../src/domain/outbox.js';

const MIN = 60_000;
const NOW = new Date('2026-11-01T10:00:00.000Z');

describe('backoff', () => {
  it('doubles from 10 minutes and stops at 12 hours', () => {
    // 10 · 2^(n−1) minutes: 10, 20, 40, 80, 160, 320, 640, then 1280 > 720 → 720
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffMs(n) / MIN)).toEqual([10, 20, 40, 80, 160, 320, 640, 720, 720]);
    expect(backoffMs(100)).toBe(BACKOFF_CAP_MS);
    expect(() => backoffMs(0)).toThrow(RangeError);
  });
});

describe('classifyFailure: RFC 5321 reply classes', () => {
  it('4xx is transient and the run goes on; 421 closes the channel and stops it', () => {
    expect(classifyFailure({ responseCode: 451, command: 'DATA', response: '451 4.3.0 try later', message: 'x' })).toEqual({
      kind: 'transient',
      reply: '451 4.3.0 try later',
      stopRun: false,
    });
    expect(classifyFailure({ responseCode: 452, command: 'RCPT TO', response: '452 mailbox full', message: 'x' })).toMatchObject({ kind: 'transient', stopRun: false });
    expect(classifyFailure({ responseCode: 421, response: '421 shutting down', message: 'x' })).toMatchObject({ kind: 'transient', stopRun: true });
  });

  it('5xx to the recipient or the data is permanent, with the reply', () => {
    expect(classifyFailure({ responseCode: 550, code: 'EENVELOPE', command: 'RCPT TO', response: '550 5.1.1 <x@y.kz>: user unknown', message: 'x' })).toEqual({
      kind: 'permanent',
      reply: '550 5.1.1 <x@y.kz>: user unknown',
    });
    expect(classifyFailure({ responseCode: 554, code: 'EMESSAGE', command: 'DATA', response: '554 rejected as spam', message: 'x' })).toMatchObject({ kind: 'permanent' });
    // the message's size, refused at MAIL FROM: still this message's problem
    expect(classifyFailure({ responseCode: 552, command: 'MAIL FROM', response: '552 too big', message: 'x' })).toMatchObject({ kind: 'permanent' });
  });

  it('our login or our sender refused is the server side: not the message\'s fault', () => {
    expect(classifyFailure({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 Authentication failed', message: 'Invalid login' })).toMatchObject({ kind: 'server' });
    expect(classifyFailure({ responseCode: 553, command: 'MAIL FROM', response: '553 sender not allowed', message: 'x' })).toMatchObject({ kind: 'server' });
    expect(classifyFailure({ responseCode: 530, command: 'MAIL FROM', response: '530 authentication required', message: 'x' })).toMatchObject({ kind: 'server' });
  });

  it('no reply at all (refused, lost, timed out) is transient and stops the run', () => {
    expect(classifyFailure({ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:1' })).toEqual({
      kind: 'transient',
      reply: 'connect ECONNREFUSED 127.0.0.1:1',
      stopRun: true,
    });
    expect(classifyFailure({ code: 'ETIMEDOUT', message: 'Greeting never received' })).toMatchObject({ kind: 'transient', stopRun: true });
    expect(classifyFailure({ message: 'something odd' })).toMatchObject({ kind: 'transient', stopRun: true });
  });

  it('a run ends at a failure without a reply, a closing server or our own settings; never at one message\'s refusal or 4xx', () => {
    const ends = (f: Parameters<typeof classifyFailure>[0]) => endsRun(classifyFailure(f));
    expect(ends({ code: 'ETIMEDOUT', message: 'no greeting from the server within 30 s (smtp.greeting_timeout_seconds), ETIMEDOUT' })).toBe(true);
    expect(ends({ code: 'ECONNECTION', message: 'the server closed the connection without a reply' })).toBe(true);
    expect(ends({ responseCode: 421, response: '421 shutting down', message: 'x' })).toBe(true);
    expect(ends({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 no', message: 'x' })).toBe(true);
    expect(ends({ responseCode: 451, command: 'DATA', response: '451 later', message: 'x' })).toBe(false);
    expect(ends({ responseCode: 550, code: 'EENVELOPE', command: 'RCPT TO', response: '550 user unknown', message: 'x' })).toBe(false);
  });

  it('a reply is one line of at most 500 characters, with its code', () => {
    expect(replyText({ responseCode: 550, response: 'no\r\n  such user', message: '' })).toBe('550 no such user');
    expect(replyText({ response: 'x'.repeat(1000), message: '' })).toHaveLength(500);
  });
});

describe('states', () => {
  const queued = { state: 'queued' as const, attempts: 0 };

  it('queued → sending counts the attempt; a final message is never started again', () => {
    expect(startAttempt(queued)).toEqual({ state: 'sending', attempts: 1 });
    expect(startAttempt({ state: 'sending', attempts: 2 })).toEqual({ state: 'sending', attempts: 3 });
    expect(() => startAttempt({ state: 'sent', attempts: 1 })).toThrow();
    expect(() => startAttempt({ state: 'failed', attempts: 1 })).toThrow();
    expect(() => startAttempt({ state: 'no_address', attempts: 0 })).toThrow();
  });

  it('accepted by our server is sent (cl. 23.8: a notice is delivered then, bounce or not)', () => {
    expect(accepted({ state: 'sending', attempts: 1 }, '250 OK', NOW)).toEqual({
      state: 'sent',
      attempts: 1,
      nextAttemptAt: null,
      lastReply: '250 OK',
      sentAt: '2026-11-01T10:00:00.000Z',
    });
  });

  it('a transient failure waits its backoff, and after max_attempts it is given up', () => {
    const t = classifyFailure({ responseCode: 451, response: '451 later', message: '' });
    // attempt 2 of 5 failed: again after 20 minutes
    expect(failed({ state: 'sending', attempts: 2 }, t, NOW, 5)).toEqual({
      state: 'queued',
      attempts: 2,
      nextAttemptAt: '2026-11-01T10:20:00.000Z',
      lastReply: '451 later',
      sentAt: null,
    });
    expect(failed({ state: 'sending', attempts: 5 }, t, NOW, 5)).toMatchObject({ state: 'failed', lastReply: 'gave up after 5 attempts: 451 later' });
  });

  it('a permanent failure is final at once; a server-side one gives the attempt back', () => {
    const p = classifyFailure({ responseCode: 550, command: 'RCPT TO', response: '550 unknown', message: '' });
    expect(failed({ state: 'sending', attempts: 1 }, p, NOW, 5)).toMatchObject({ state: 'failed', attempts: 1, lastReply: '550 unknown' });
    const s = classifyFailure({ code: 'EAUTH', response: '535 no', message: '' });
    expect(failed({ state: 'sending', attempts: 3 }, s, NOW, 5)).toEqual({ state: 'queued', attempts: 2, nextAttemptAt: null, lastReply: '535 no', sentAt: null });
  });

  it('due: queued past its backoff, or left in sending by a killed run', () => {
    expect(isDue({ state: 'queued', nextAttemptAt: null }, NOW)).toBe(true);
    expect(isDue({ state: 'queued', nextAttemptAt: '2026-11-01T10:00:00.000Z' }, NOW)).toBe(true);
    expect(isDue({ state: 'queued', nextAttemptAt: '2026-11-01T10:00:00.001Z' }, NOW)).toBe(false);
    expect(isDue({ state: 'sending', nextAttemptAt: null }, NOW)).toBe(true);
    for (const state of ['sent', 'failed', 'no_address'] as const) expect(isDue({ state, nextAttemptAt: null }, NOW)).toBe(false);
  });

  it('an interrupted attempt is resent, unless it was the last one allowed', () => {
    expect(recoverInterrupted({ state: 'sending', attempts: 2 }, 5)).toBeNull();
    expect(recoverInterrupted({ state: 'sending', attempts: 5 }, 5)).toMatchObject({
      state: 'failed',
      lastReply: 'interrupted during attempt 5 of 5; the server may have accepted it',
    });
  });
});

describe('RateLimiter', () => {
  /** A clock that only moves when someone sleeps, plus every send taking `work` ms. */
  function fakeTime(work = 0) {
    let t = 1_000_000;
    const waits: number[] = [];
    return {
      now: () => t,
      sleep: async (ms: number) => {
        waits.push(ms);
        t += ms;
      },
      work: () => (t += work),
      waits,
    };
  }

  it('5 messages at 2 a second: four waits of 500 ms', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter(2, time.now, time.sleep);
    for (let i = 0; i < 5; i++) await limiter.take();
    expect(time.waits).toEqual([500, 500, 500, 500]);
  });

  it('time spent sending counts towards the interval; a slow send needs no wait', async () => {
    const time = fakeTime(150);
    const limiter = new RateLimiter(5, time.now, time.sleep); // 200 ms apart; each send takes 150 ms
    for (let i = 0; i < 3; i++) {
      await limiter.take();
      time.work();
    }
    expect(time.waits).toEqual([50, 50]);
    const slow = fakeTime(300);
    const limiter2 = new RateLimiter(5, slow.now, slow.sleep);
    for (let i = 0; i < 3; i++) {
      await limiter2.take();
      slow.work();
    }
    expect(slow.waits).toEqual([]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimiter(0, () => 0, async () => {})).toThrow(RangeError);
  });
});

describe('names', () => {
  it('Message-ID on the sender\'s domain; documents as people name them', () => {
    expect(makeMessageId('invoice', 12, 'ab12', 'Мысал Телеком <billing@example.kz>')).toBe('<invoice-12.ab12@example.kz>');
    expect(makeMessageId('notice', 3, 'ff', 'billing@mail.example.kz')).toBe('<notice-3.ff@mail.example.kz>');
    expect(documentName({ docKind: 'invoice', number: 'MT-2026-000001', account: '1001', issuedOn: '2026-11-01' })).toBe('MT-2026-000001');
    expect(documentName({ docKind: 'notice', number: null, account: '1001', issuedOn: '2026-11-10' })).toBe('notice 1001 2026-11-10');
  });
});
