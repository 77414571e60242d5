// `esep verify`: the invariants of SPEC section 6, checked over the whole database. Each check is
// one aggregate query, so it runs in seconds over a million accounts.
import Database from 'better-sqlite3';
import type { Db } from '../db/connection.js';
import { capOf } from '../domain/penalty.js';
import { penaltyRules } from './penalties.js';
import { formatTenge } from '../domain/money.js';
import { allocate } from '../domain/allocation.js';
import { DAILY_KINDS, ENTRY_KINDS, invoicePeriodOf, KINDS, MONEY_KINDS, type EntryKind } from '../domain/entries.js';
import { invoiceNumber } from '../domain/invoice.js';
import { factsOf } from '../db/ledger.js';
import { allPaymentMoves } from '../db/payments.js';
import { invoicesOf } from '../db/invoices.js';

/** A kind list as SQL, from the domain's table (never typed out here). */
const sqlKinds = (kinds: Iterable<EntryKind>) => `(${[...kinds].map((k) => `'${k}'`).join(', ')})`;
const MONEY = sqlKinds(MONEY_KINDS);
const PENALTY = sqlKinds(ENTRY_KINDS.filter((k) => KINDS[k].group === 'penalty'));
/** The daily service kinds: one decision per account and day. */
const DAILY_SERVICE = sqlKinds(ENTRY_KINDS.filter((k) => DAILY_KINDS.has(k) && KINDS[k].group === 'service'));
/** Kinds whose entries in the subscriber's favour are always corrections, naming what they correct (D-7). */
const CHARGE_KINDS = sqlKinds(ENTRY_KINDS.filter((k) => KINDS[k].sign === 'charge' && KINDS[k].group !== 'money'));

export interface Violation {
  invariant: string;
  account: string | null;
  detail: string;
}


/** The invariant a damaged file breaks: SQLite's own check of its pages and indexes. */
export const INTEGRITY = "SQLite's integrity check";
/** The damage named, at most this many lines of it (SQLite lists one per broken page or index entry). */
const INTEGRITY_LINES = 10;

/**
 * SQLite's integrity check (`PRAGMA integrity_check`) of a database: each problem it names, [] when
 * the file is whole. A file so damaged that the check itself fails gives that failure.
 */
export function integrityProblems(sqlite: Database.Database): string[] {
  try {
    const rows = sqlite.prepare(`PRAGMA integrity_check(${INTEGRITY_LINES})`).all() as { integrity_check: string }[];
    const lines = rows.map((r) => r.integrity_check.replace(/\s+/g, ' ').trim());
    return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
  } catch (error) {
    return [(error as Error).message];
  }
}

/** The integrity check of a database file, opened read-only on its own (before anything else reads it). */
export function fileIntegrityProblems(file: string): string[] {
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    return integrityProblems(sqlite);
  } catch (error) {
    return [(error as Error).message];
  } finally {
    sqlite?.close();
  }
}

export function verify(db: Db): Violation[] {
  const out: Violation[] = [];
  const q = <T>(sql: string, ...params: unknown[]) => db.sqlite.prepare(sql).all(...params) as T[];

  // a damaged file: its figures cannot be trusted, so nothing else is checked on it
  const damage = integrityProblems(db.sqlite);
  if (damage.length > 0) return damage.map((detail) => ({ invariant: INTEGRITY, account: null, detail }));

  for (const r of q<{ account: string; balance: number; total: number }>(
    `SELECT a.account, a.balance, COALESCE(SUM(l.amount), 0) AS total
       FROM accounts a LEFT JOIN ledger l ON l.account = a.account
      GROUP BY a.account HAVING a.balance <> total`,
  )) {
    out.push({
      invariant: 'balance = sum of entries',
      account: r.account,
      detail: `balance ${formatTenge(r.balance)} but entries sum to ${formatTenge(r.total)}`,
    });
  }

  // cl. 16, D-7: the allocation replayed from each account's entries never gives a credit or a charge
  // more than it has, and no invoice owes more than its principal.
  const accounts = q<{ account: string }>('SELECT account FROM accounts ORDER BY account');
  const ledgerThrough = db.sqlite.prepare('SELECT ledger_through AS t FROM invoices WHERE id = ?');
  for (const { account } of accounts) {
    const entries = factsOf(db, account);
    if (entries.length === 0) continue;
    const state = allocate(entries);
    const byCredit = new Map<number, number>();
    const byDebit = new Map<number, number>();
    for (const al of state.allocations) {
      byCredit.set(al.creditId, (byCredit.get(al.creditId) ?? 0) + al.amount);
      byDebit.set(al.debitId, (byDebit.get(al.debitId) ?? 0) + al.amount);
    }
    for (const e of entries) {
      const used = (e.amount > 0 ? byCredit : byDebit).get(e.id) ?? 0;
      if (used > Math.abs(e.amount)) {
        out.push({
          invariant: `allocations never exceed the ${e.amount > 0 ? 'payment' : 'item'}`,
          account,
          detail: `entry ${e.id} of ${formatTenge(e.amount)} has ${formatTenge(used)} allocated`,
        });
      }
    }
    const ids = new Map(entries.map((e) => [e.id, e] as const));
    for (const inv of invoicesOf(db, account)) {
      const through = (ledgerThrough.get(inv.id) as { t: number | null }).t;
      let owed = 0;
      for (const [id, left] of state.unpaid) {
        const e = ids.get(id)!;
        if (e.kind !== 'penalty' && inv.period === invoicePeriodOf(e) && (through === null || id <= through)) owed += left;
      }
      if (owed > Math.max(inv.principal, 0)) {
        out.push({ invariant: 'no invoice owes more than its principal', account, detail: `invoice ${inv.number}: ${formatTenge(owed)} unpaid of a principal of ${formatTenge(inv.principal)}` });
      }
    }
  }

  // D-7: a correction is of the same account, of the opposite sign, within its entry; it names an entry that exists
  for (const r of q<{ account: string; id: number; amount: number; corrected: number }>(
    `SELECT t.account, t.id, t.amount, SUM(ABS(c.amount)) AS corrected FROM ledger_links k
       JOIN ledger t ON t.id = k.corrects_id JOIN ledger c ON c.id = k.entry_id
      GROUP BY t.id HAVING corrected > ABS(t.amount) OR SUM(c.account <> t.account) > 0 OR SUM((c.amount > 0) = (t.amount > 0)) > 0`,
  )) {
    out.push({ invariant: 'no correction exceeds its entry', account: r.account, detail: `entry ${r.id} of ${formatTenge(r.amount)} is corrected by ${formatTenge(r.corrected)}` });
  }
  for (const r of q<{ entryId: number; correctsId: number }>(
    `SELECT k.entry_id AS entryId, k.corrects_id AS correctsId FROM ledger_links k
       LEFT JOIN ledger c ON c.id = k.entry_id LEFT JOIN ledger t ON t.id = k.corrects_id WHERE c.id IS NULL OR t.id IS NULL`,
  )) {
    out.push({ invariant: 'no dangling link', account: null, detail: `link of entry ${r.entryId} to entry ${r.correctsId}: one of them is not on the ledger` });
  }
  for (const r of q<{ account: string; id: number; kind: string; amount: number }>(
    `SELECT l.account, l.id, l.kind, l.amount FROM ledger l LEFT JOIN ledger_links k ON k.entry_id = l.id
      WHERE l.kind IN ${CHARGE_KINDS} AND l.amount > 0 AND k.entry_id IS NULL`,
  )) {
    out.push({ invariant: 'a correction names the entry it corrects', account: r.account, detail: `entry ${r.id} (${r.kind}, ${formatTenge(r.amount)}) names none` });
  }
  for (const r of q<{ account: string; id: number; paymentId: number | null }>(
    `SELECT l.account, l.id, l.payment_id AS paymentId FROM ledger l LEFT JOIN payments p ON p.id = l.payment_id
      WHERE l.kind = 'payment' AND p.id IS NULL`,
  )) {
    out.push({ invariant: 'every payment entry has its payment', account: r.account, detail: `entry ${r.id} names payment ${r.paymentId ?? '(none)'}, which is not in the payments` });
  }

  for (const r of q<{ account: string; day: string; fees: number; ports: number; portNet: number }>(
    // a charge reversed (a restoration's port fee, a fee whose payment was moved away the same day:
    // docs/payments.md) nets out: the charges standing are those charged less those reversed
    `SELECT account, value_date AS day,
            SUM(kind = 'daily_fee' AND amount < 0) - SUM(kind = 'daily_fee' AND amount > 0) AS fees,
            SUM(kind = 'port_reservation' AND amount < 0) - SUM(kind = 'port_reservation' AND amount > 0) AS ports,
            SUM(CASE WHEN kind = 'port_reservation' THEN amount ELSE 0 END) AS portNet
       FROM ledger WHERE kind IN ${DAILY_SERVICE}
      GROUP BY account, value_date
     HAVING fees > 1 OR ports > 1 OR (fees = 1 AND portNet <> 0)`,
  )) {
    out.push({
      invariant: 'at most one daily charge per account and day',
      account: r.account,
      detail: `${r.day}: ${r.fees} daily fee(s), ${r.ports} port reservation(s), net port fee ${formatTenge(r.portNet)}`,
    });
  }

  // cl. 13: numbers are gapless per prefix and year (docs/invoices.md), each invoice's number made of
  // the prefix, year and sequence stored with it (a later prefix of the operator changes none of them).
  for (const r of q<{ prefix: string; year: number; n: number; lo: number; hi: number; missing: number }>(
    `SELECT prefix, year, COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi,
            CASE WHEN MIN(seq) <> 1 THEN 1 ELSE (SELECT MIN(i.seq) + 1 FROM invoices i WHERE i.prefix = g.prefix AND i.year = g.year
              AND NOT EXISTS (SELECT 1 FROM invoices j WHERE j.prefix = i.prefix AND j.year = i.year AND j.seq = i.seq + 1)) END AS missing
       FROM invoices g GROUP BY prefix, year HAVING lo <> 1 OR hi <> n`,
  )) {
    out.push({
      invariant: 'invoice numbers gapless',
      account: null,
      detail: r.prefix
        ? `${r.prefix} ${r.year}: ${r.n} invoices numbered ${r.lo}..${r.hi}, ${invoiceNumber(r.prefix, r.year, r.missing)} missing`
        : `${r.year} without a prefix: ${r.n} invoices numbered ${r.lo}..${r.hi}, ${r.missing} missing`,
    });
  }
  for (const r of q<{ account: string; number: string; prefix: string; year: number; seq: number }>(
    'SELECT account, number, prefix, year, seq FROM invoices',
  )) {
    if (r.number !== invoiceNumber(r.prefix, r.year, r.seq)) {
      out.push({ invariant: 'invoice numbers gapless', account: r.account, detail: `${r.number} is not ${invoiceNumber(r.prefix, r.year, r.seq)}` });
    }
  }

  // An invoice's figures are the sums of exactly the entries it was issued from (id ≤ ledger_through).
  for (const r of q<{ account: string; number: string }>(
    `SELECT i.account, i.number, i.opening_balance AS ob, i.charges AS ch, i.credits AS cr, i.payments AS pa, i.penalties AS pe,
            i.closing_balance AS cb, i.principal AS pr, i.amount_due AS due,
            COALESCE(SUM(CASE WHEN l.value_date < i.period || '-01' THEN l.amount END), 0) AS opening,
            COALESCE(SUM(CASE WHEN l.value_date >= i.period || '-01' AND l.kind IN ${MONEY} THEN l.amount END), 0) AS pay,
            COALESCE(SUM(CASE WHEN l.value_date >= i.period || '-01' AND l.kind IN ${PENALTY} THEN l.amount END), 0) AS pen,
            COALESCE(SUM(CASE WHEN l.value_date >= i.period || '-01' AND l.kind NOT IN ${MONEY} AND l.kind NOT IN ${PENALTY} AND l.amount < 0 THEN l.amount END), 0) AS chg,
            COALESCE(SUM(CASE WHEN l.value_date >= i.period || '-01' AND l.kind NOT IN ${MONEY} AND l.kind NOT IN ${PENALTY} AND l.amount > 0 THEN l.amount END), 0) AS cre
       FROM invoices i LEFT JOIN ledger l ON l.account = i.account AND l.id <= i.ledger_through AND l.value_date < date(i.period || '-01', '+1 month')
      WHERE i.ledger_through IS NOT NULL
      GROUP BY i.id
     HAVING opening <> ob OR pay <> pa OR pen <> pe OR chg <> ch OR cre <> cr OR ob + ch + cr + pa + pe <> cb OR pr <> -(ch + cr) OR due <> MAX(0, -cb)`,
  )) {
    out.push({ invariant: 'invoice figures agree with the ledger', account: r.account, detail: `invoice ${r.number}` });
  }

  // each invoice's cap is the one in force on its first overdue day (db/operator.ts: versions)
  const rules = penaltyRules(db);
  for (const r of q<{ account: string; invoiceId: number | null; dueOn: string | null; days: number }>(
    `SELECT p.account, p.invoice_id AS invoiceId, i.due_on AS dueOn, COUNT(*) AS days FROM (
       SELECT account, invoice_id, value_date, SUM(amount) AS net FROM ledger WHERE kind = 'penalty'
        GROUP BY account, invoice_id, value_date HAVING net <> 0) p
       LEFT JOIN invoices i ON i.id = p.invoice_id
      GROUP BY p.account, p.invoice_id`,
  )) {
    // a penalty without its invoice: the latest cap (there is none such unless posted by hand)
    const cap = r.dueOn === null ? rules('9999-12-31').capDays : capOf({ dueOn: r.dueOn }, rules);
    if (r.days <= cap) continue;
    out.push({
      invariant: `penalty days ≤ ${cap}`,
      account: r.account,
      detail: `invoice ${r.invoiceId ?? '(none)'} has ${r.days} penalty days`,
    });
  }

  for (const r of q<{ id: number; account: string | null; status: string; amount: number; posted: number }>(
    `SELECT p.id, p.account, p.status, p.amount, COALESCE(SUM(l.amount), 0) AS posted
       FROM payments p LEFT JOIN ledger l ON l.payment_id = p.id AND l.kind = 'payment'
      GROUP BY p.id
     HAVING (p.status = 'applied' AND posted <> p.amount) OR (p.status <> 'applied' AND posted <> 0)`,
  )) {
    out.push({
      invariant: 'every payment applied exactly once',
      account: r.account,
      detail: `payment ${r.id} (${r.status}) of ${formatTenge(r.amount)} has ${formatTenge(r.posted)} on the ledger`,
    });
  }

  // «Undoing a mistake» (docs/payments.md): a payment's entries hold it on the account it is on now
  // and nowhere else (net 0 on every account it was taken off), and its moves end where it is.
  for (const r of q<{ id: number; status: string; current: string | null; account: string; net: number; amount: number }>(
    `SELECT p.id, p.status, p.account AS current, l.account, SUM(l.amount) AS net, p.amount
       FROM payments p JOIN ledger l ON l.payment_id = p.id AND l.kind = 'payment'
      GROUP BY p.id, l.account
     HAVING net <> CASE WHEN p.status = 'applied' AND l.account = p.account THEN p.amount ELSE 0 END
        -- a payment never moved and on its own account is the check above's
        AND (l.account IS NOT p.account OR EXISTS (SELECT 1 FROM payment_moves m WHERE m.payment_id = p.id))`,
  )) {
    out.push({
      invariant: 'a payment is on its current account only',
      account: r.account,
      detail: `payment ${r.id} (${r.status}${r.current === null ? '' : ` on account ${r.current}`}) nets ${formatTenge(r.net)} on account ${r.account}`,
    });
  }
  const moves = allPaymentMoves(db);
  const lastMove = new Map(moves.map((m) => [m.paymentId, m] as const));
  for (const m of lastMove.values()) {
    const p = db.sqlite.prepare('SELECT status, account FROM payments WHERE id = ?').get(m.paymentId) as { status: string; account: string | null };
    const agrees =
      m.by === 'move' ? p.status === 'applied' && p.account === m.toAccount : m.by === 'reverse' ? p.status === 'reversed' : p.status !== 'reversal'; // unassigned: in suspense, assigned since, or reversed from suspense
    if (!agrees) {
      out.push({ invariant: 'a payment is on its current account only', account: p.account, detail: `payment ${m.paymentId} is ${p.status}${p.account === null ? '' : ` on account ${p.account}`}, but its last move (${m.n}, ${m.by}) left it ${m.toAccount === null ? 'on no account' : `on account ${m.toAccount}`}` });
    }
  }

  // cl. 17.4: a transfer moves money, it never makes or loses any: its two entries, posted by one
  // run of the transfer command, net to zero.
  for (const r of q<{ runId: number | null; net: number; n: number }>(
    `SELECT run_id AS runId, SUM(amount) AS net, COUNT(*) AS n FROM ledger WHERE kind = 'transfer' GROUP BY run_id HAVING net <> 0 OR n <> 2`,
  )) {
    out.push({ invariant: 'transfers net to zero', account: null, detail: `transfer run ${r.runId ?? '(none)'}: ${r.n} entries netting ${formatTenge(r.net)}` });
  }

  const triggers = new Set(
    q<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).map((r) => r.name),
  );
  const appendOnly = (detail: string) => out.push({ invariant: 'ledger is append-only', account: null, detail });
  for (const name of ['ledger_no_update', 'ledger_no_delete', 'ledger_links_check', 'ledger_links_no_update', 'ledger_links_no_delete', 'ledger_spans_no_update', 'ledger_spans_no_delete']) {
    if (!triggers.has(name)) appendOnly(`trigger ${name} is missing`);
  }
  // migration 0014: the sign rule is a CHECK of the ledger's table, and INSERT OR REPLACE is refused by
  // ledger_no_delete only where recursive_triggers is on (every connection esep opens sets it)
  const ledgerTable = q<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ledger'`)[0]?.sql ?? '';
  if (!ledgerTable.includes('CONSTRAINT "ledger_kind_sign" CHECK')) appendOnly('the CHECK constraint ledger_kind_sign is missing');
  if (db.sqlite.pragma('recursive_triggers', { simple: true }) !== 1) appendOnly('recursive_triggers is off: INSERT OR REPLACE could replace an entry');
  // ids are given in order and never reused (AUTOINCREMENT): fewer entries than ids given means one was
  // deleted or replaced outside esep (a connection without recursive_triggers, or without the triggers)
  for (const r of q<{ n: number; seq: number }>(`SELECT COUNT(*) AS n, s.seq FROM ledger, sqlite_sequence s WHERE s.name = 'ledger' GROUP BY s.seq HAVING n < s.seq`)) {
    appendOnly(`${r.seq - r.n} entr${r.seq - r.n === 1 ? 'y is' : 'ies are'} missing: ids up to ${r.seq} were given, ${r.n} entries are on the ledger`);
  }
  return out;
}
