// `esep verify`: the invariants of SPEC section 6, checked over the whole database. Each check is
// one aggregate query, so it runs in seconds over a million accounts.
import type { Db } from '../db/connection.js';
import { getOperator } from '../db/operator.js';
import { capOf } from '../domain/penalty.js';
import { penaltyRules } from './penalties.js';
import { formatTenge } from '../domain/money.js';

export interface Violation {
  invariant: string;
  account: string | null;
  detail: string;
}

export function invoiceNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(6, '0')}`;
}

export function verify(db: Db): Violation[] {
  const out: Violation[] = [];
  const q = <T>(sql: string, ...params: unknown[]) => db.sqlite.prepare(sql).all(...params) as T[];

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

  for (const side of ['credit', 'debit'] as const) {
    const limit = side === 'credit' ? 'l.amount' : '-l.amount';
    for (const r of q<{ account: string; id: number; amount: number; allocated: number; misplaced: number }>(
      `SELECT l.account, l.id, l.amount, SUM(al.amount) AS allocated, SUM(al.account <> l.account) AS misplaced
         FROM allocations al JOIN ledger l ON l.id = al.${side}_entry_id
        GROUP BY l.id HAVING allocated > ${limit} OR ${limit} <= 0 OR misplaced > 0`,
    )) {
      out.push({
        invariant: `allocations never exceed the ${side === 'credit' ? 'payment' : 'item'}`,
        account: r.account,
        detail: `entry ${r.id} of ${formatTenge(r.amount)} has ${formatTenge(r.allocated)} allocated${r.misplaced > 0 ? ' (some to another account)' : ''}`,
      });
    }
  }

  for (const r of q<{ account: string; day: string; fees: number; ports: number; portNet: number }>(
    `SELECT account, value_date AS day,
            SUM(kind = 'daily_fee' AND amount < 0) AS fees,
            SUM(kind = 'port_reservation' AND amount < 0) AS ports,
            SUM(CASE WHEN kind = 'port_reservation' THEN amount ELSE 0 END) AS portNet
       FROM ledger WHERE kind IN ('daily_fee', 'port_reservation')
      GROUP BY account, value_date
     HAVING fees > 1 OR ports > 1 OR (fees = 1 AND portNet <> 0)`,
  )) {
    out.push({
      invariant: 'at most one daily charge per account and day',
      account: r.account,
      detail: `${r.day}: ${r.fees} daily fee(s), ${r.ports} port reservation(s), net port fee ${formatTenge(r.portNet)}`,
    });
  }

  const prefix = getOperator(db)?.invoicePrefix;
  for (const r of q<{ year: number; n: number; lo: number; hi: number }>(
    `SELECT year, COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM invoices GROUP BY year HAVING lo <> 1 OR hi <> n`,
  )) {
    out.push({
      invariant: 'invoice numbers gapless',
      account: null,
      detail: `${r.year}: ${r.n} invoices numbered ${r.lo}..${r.hi}`,
    });
  }
  if (prefix) {
    for (const r of q<{ account: string; number: string; year: number; seq: number }>(
      'SELECT account, number, year, seq FROM invoices',
    )) {
      if (r.number !== invoiceNumber(prefix, r.year, r.seq)) {
        out.push({ invariant: 'invoice numbers gapless', account: r.account, detail: `${r.number} is not ${invoiceNumber(prefix, r.year, r.seq)}` });
      }
    }
  }

  // An invoice's figures are the sums of exactly the entries it was issued from (id ≤ ledger_through).
  for (const r of q<{ account: string; number: string }>(
    `SELECT i.account, i.number, i.opening_balance AS ob, i.charges AS ch, i.credits AS cr, i.payments AS pa, i.penalties AS pe,
            i.closing_balance AS cb, i.principal AS pr, i.amount_due AS due,
            COALESCE(SUM(CASE WHEN l.value_date < i.period || '-01' THEN l.amount END), 0) AS opening,
            COALESCE(SUM(CASE WHEN l.value_date >= i.period || '-01' AND l.kind IN ('payment', 'refund', 'transfer') THEN l.amount END), 0) AS pay,
            COALESCE(SUM(CASE WHEN l.value_date >= i.period || '-01' AND l.kind = 'penalty' THEN l.amount END), 0) AS pen,
            COALESCE(SUM(CASE WHEN l.value_date >= i.period || '-01' AND l.kind NOT IN ('payment', 'refund', 'transfer', 'penalty') AND l.amount < 0 THEN l.amount END), 0) AS chg,
            COALESCE(SUM(CASE WHEN l.value_date >= i.period || '-01' AND l.kind NOT IN ('payment', 'refund', 'transfer', 'penalty') AND l.amount > 0 THEN l.amount END), 0) AS cre
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

  // cl. 17.4: a transfer moves money, it never makes or loses any: its two entries net to zero.
  for (const r of q<{ move: string; net: number; n: number }>(
    `SELECT substr(key, 1, length(key) - CASE WHEN key LIKE '%:out' THEN 4 ELSE 3 END) AS move, SUM(amount) AS net, COUNT(*) AS n FROM ledger
      WHERE kind = 'transfer' GROUP BY move HAVING net <> 0 OR n <> 2`,
  )) {
    out.push({ invariant: 'transfers net to zero', account: null, detail: `${r.move}: ${r.n} entries netting ${formatTenge(r.net)}` });
  }

  const triggers = new Set(
    q<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).map((r) => r.name),
  );
  for (const name of ['ledger_no_update', 'ledger_no_delete']) {
    if (!triggers.has(name)) out.push({ invariant: 'ledger is append-only', account: null, detail: `trigger ${name} is missing` });
  }
  return out;
}
