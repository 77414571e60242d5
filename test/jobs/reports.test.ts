// The reports on a simulated quarter (test/helpers/quarter.ts): each ties to the ledger to the tiyn.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { factsOf } from '../../src/db/ledger.js';
import { summarise } from '../../src/domain/allocation.js';
import { KINDS, type EntryKind } from '../../src/domain/entries.js';
import { AGE_BUCKETS } from '../../src/domain/reports/aging.js';
import { balances } from '../../src/domain/reports/turnover.js';
import { agingReport, monthReport, paymentsReport, revenueReport, turnoverReport } from '../../src/jobs/reports.js';
import { writeMonthPdf } from '../../src/io/pdf/month-report.js';
import { writeReconciliationPdf } from '../../src/io/pdf/reconciliation.js';
import { explainAccount } from '../../src/jobs/explain.js';
import { pdfText } from '../helpers/pdf.js';
import path from 'node:path';
import { verify } from '../../src/jobs/verify.js';
import { simulateQuarter } from '../helpers/quarter.js';
import { tempDir } from '../helpers/tmp.js';

let db: Db;
beforeAll(async () => {
  db = await simulateQuarter(tempDir());
}, 300_000);

const sum = (sql: string, ...args: unknown[]) => (db.sqlite.prepare(sql).get(...args) as { s: number | null }).s ?? 0;

describe('report turnover on a simulated quarter', () => {
  it('the quarter is a real one: verify is clean, there are penalties, suspensions, suspense and reversals', () => {
    expect(verify(db)).toEqual([]);
    expect(sum(`SELECT COUNT(*) AS s FROM ledger WHERE kind = 'penalty'`)).toBeGreaterThan(0);
    expect(sum(`SELECT COUNT(*) AS s FROM ledger WHERE kind = 'port_reservation'`)).toBeGreaterThan(0);
    expect(sum(`SELECT COUNT(*) AS s FROM payments WHERE status = 'suspense'`)).toBe(1);
    expect(sum(`SELECT COUNT(*) AS s FROM payments WHERE status = 'reversal'`)).toBe(1);
  });

  for (const period of ['2026-10', '2026-11', '2026-12']) {
    it(`${period}: the totals are the sums of the period's entries, by the kinds table`, () => {
      const r = turnoverReport(db, period);
      const from = `${period}-01`;
      const to = r.to;
      const byKind = db.sqlite
        .prepare('SELECT kind, amount < 0 AS debit, SUM(amount) AS s FROM ledger WHERE value_date BETWEEN ? AND ? GROUP BY kind, debit')
        .all(from, to) as { kind: EntryKind; debit: number; s: number }[];
      const expected = { charges: 0, penalties: 0, payments: 0, otherCredits: 0, otherDebits: 0 };
      for (const { kind, debit, s } of byKind) {
        const k = KINDS[kind];
        if (k.group === 'penalty') expected.penalties -= s;
        else if (kind === 'payment') expected.payments += s;
        else if (!debit) expected.otherCredits += s;
        else if (k.group === 'service') expected.charges -= s;
        else expected.otherDebits -= s;
      }
      const { charges, penalties, payments, otherCredits, otherDebits } = r.totals;
      expect({ charges, penalties, payments, otherCredits, otherDebits }).toEqual(expected);
      expect(r.totals.opening).toBe(sum('SELECT SUM(amount) AS s FROM ledger WHERE value_date < ?', from));
      expect(r.totals.closing).toBe(sum('SELECT SUM(amount) AS s FROM ledger WHERE value_date <= ?', to));
      expect(r.totals.openingCredit - r.totals.openingDebit).toBe(r.totals.opening);
      expect(r.totals.closingCredit - r.totals.closingDebit).toBe(r.totals.closing);
      const byKindTotal = Object.values(r.totals.chargesByKind).reduce((s, v) => s + (v ?? 0), 0);
      expect(byKindTotal).toBe(r.totals.charges);
      for (const line of r.accounts) {
        expect(balances(line)).toBe(true);
        expect(line.opening).toBe(sum('SELECT SUM(amount) AS s FROM ledger WHERE account = ? AND value_date < ?', line.account, from));
      }
      expect(r.totals.charges).toBeGreaterThan(0);
      expect(r.totals.payments).toBeGreaterThan(0);
    });
  }

  it("each account's opening of P+1 is its closing of P", () => {
    for (const [p, q] of [['2026-10', '2026-11'], ['2026-11', '2026-12']] as const) {
      const closing = new Map(turnoverReport(db, p).accounts.map((l) => [l.account, l.closing] as const));
      const next = turnoverReport(db, q);
      const opening = new Map(next.accounts.map((l) => [l.account, l.opening] as const));
      for (const [account, c] of closing) expect([account, opening.get(account) ?? 0]).toEqual([account, c]);
      for (const [account, o] of opening) expect([account, closing.get(account) ?? 0]).toEqual([account, o]);
    }
  });
});

describe('report aging on a simulated quarter', () => {
  for (const date of ['2026-11-30', '2026-12-20', '2026-12-31']) {
    it(`${date}: buckets add up to the debt of every account, which is the allocation's`, () => {
      const r = agingReport(db, date);
      expect(r.accounts.length).toBeGreaterThan(0);
      let debt = 0;
      let penalties = 0;
      for (const a of r.accounts) {
        const s = summarise(factsOf(db, a.account), date);
        expect({ account: a.account, debt: a.debt, penalties: a.penalties }).toEqual({ account: a.account, debt: s.debt, penalties: s.penaltyDebt });
        expect(AGE_BUCKETS.reduce((x, b) => x + a.buckets[b], 0)).toBe(a.debt);
        debt += a.debt;
        penalties += a.penalties;
      }
      expect(r.totals.debt).toBe(debt);
      expect(r.totals.penalties).toBe(penalties);
      expect(AGE_BUCKETS.reduce((x, b) => x + r.totals.buckets[b], 0)).toBe(r.totals.debt);
      expect(r.groups.reduce((x, g) => x + g.debt, 0)).toBe(r.totals.debt);
      // every account owing on the day is listed: the debt of all accounts by the allocation
      const all = db.sqlite.prepare('SELECT account FROM accounts').all() as { account: string }[];
      const owed = all.map((a) => summarise(factsOf(db, a.account), date)).reduce((x, s) => x + s.debt, 0);
      expect(r.totals.debt).toBe(owed);
    });
  }

  it('has overdue debt in the buckets past due by the end of the quarter', () => {
    const r = agingReport(db, '2026-12-31');
    // October invoices are due 25 Nov: 36 days overdue on 31 Dec; November's, due 25 Dec, 6 days
    expect(r.totals.buckets.d31_60).toBeGreaterThan(0);
    expect(r.totals.buckets.d1_30).toBeGreaterThan(0);
    expect(r.totals.penalties).toBeGreaterThan(0);
  });
});

describe('report payments on a simulated quarter', () => {
  it('applied, suspense and reversals add up to the payments table, and the applied ones to the ledger', () => {
    const r = paymentsReport(db, '2026-09-01', '2026-12-31');
    expect(r.totals.applied.amount).toBe(sum(`SELECT SUM(amount) AS s FROM payments WHERE status = 'applied'`));
    expect(r.totals.applied.amount).toBe(sum(`SELECT SUM(amount) AS s FROM ledger WHERE kind = 'payment'`));
    expect(r.onLedger).toBe(r.totals.applied.amount);
    expect(r.totals.suspense).toEqual({ count: 1, amount: 123_400 });
    expect(r.totals.reversal).toEqual({ count: 1, amount: -50_000 });
    expect(r.rows.reduce((x, row) => x + row.applied.count, 0)).toBe(sum(`SELECT COUNT(*) AS s FROM payments WHERE status = 'applied'`));
  });

  it('a range holds only the payments dated in it', () => {
    const r = paymentsReport(db, '2026-10-05', '2026-10-06');
    expect(r.rows.map((x) => x.day)).toEqual(['2026-10-05', '2026-10-06']);
    expect(r.totals.suspense.amount).toBe(123_400);
  });
});

describe('report revenue on a simulated quarter', () => {
  for (const period of ['2026-10', '2026-11']) {
    it(`${period}: the rows are the service and penalty entries of the period; the VAT is the invoices' VAT`, () => {
      const r = revenueReport(db, period);
      const range = [`${period}-01`, turnoverReport(db, period).to];
      const service = r.rows.filter((x) => x.section !== 'penalties').reduce((s, x) => s + x.turnover, 0);
      const kinds = Object.keys(KINDS).filter((k) => KINDS[k as EntryKind].group === 'service');
      expect(service).toBe(-sum(`SELECT SUM(amount) AS s FROM ledger WHERE value_date BETWEEN ? AND ? AND kind IN (${kinds.map(() => '?').join(',')})`, ...range, ...kinds));
      expect(r.rows.filter((x) => x.section === 'penalties').reduce((s, x) => s + x.turnover, 0)).toBe(-sum(`SELECT SUM(amount) AS s FROM ledger WHERE value_date BETWEEN ? AND ? AND kind = 'penalty'`, ...range));
      expect(r.rows.some((x) => x.section === 'charges' && x.rate === '0.16')).toBe(true);
      const vat = r.vatByRate.reduce((s, v) => s + v.vat, 0);
      expect(vat).toBeGreaterThan(0);
      expect(vat).toBe(r.invoicesVat);
      expect(vat).toBe(sum('SELECT SUM(vat) AS s FROM invoices WHERE period = ?', period));
      // the rows' VAT, rounded per row, is within a tiyn per account of the invoices'
      const rowsVat = r.rows.reduce((s, x) => s + x.vat, 0);
      expect(Math.abs(rowsVat - vat)).toBeLessThanOrEqual(sum('SELECT COUNT(*) AS s FROM invoices WHERE period = ?', period));
    });
  }
});

describe('report month on a simulated quarter', () => {
  it('November: the days add up to the turnover sheet, the status counts to the accounts connected; the PDF with its charts', async () => {
    const r = monthReport(db, '2026-11');
    expect(r.days).toHaveLength(30);
    expect(r.days.reduce((s, d) => s + d.charges, 0)).toBe(r.turnover.totals.charges);
    expect(r.days.reduce((s, d) => s + d.penalties, 0)).toBe(r.turnover.totals.penalties);
    expect(r.days.reduce((s, d) => s + d.payments, 0)).toBe(r.turnover.totals.payments);
    const connected = sum(`SELECT COUNT(*) AS s FROM accounts WHERE connected_on <= '2026-11-30'`);
    for (const s of r.status) expect(s.active + s.suspended + s.terminated).toBe(sum('SELECT COUNT(*) AS s FROM accounts WHERE connected_on <= ?', s.day));
    const last = r.status[r.status.length - 1]!;
    expect(last.active + last.suspended + last.terminated).toBe(connected);
    expect(last.suspended).toBeGreaterThan(0);
    const file = path.join(process.env.ESEP_MONTH_PDF_DIR ?? tempDir(), 'month-2026-11.pdf');
    await writeMonthPdf(file, { report: r, operatorName: 'ТОО «Мысал Телеком»', today: '2026-12-01' });
    const text = await pdfText(file);
    for (const expected of ['ОТЧЁТ ЗА МЕСЯЦ', 'ноябрь 2026 г.', 'Начисления и оплаты по дням', 'Долг по срокам', 'Счета по статусу', 'НДС 16%']) expect(text).toContain(expected);
  });
});

describe('explain on a simulated quarter', () => {
  it('every account: the lines sum to the closing balance, the ledger\u2019s; every entry is explained by its rule', async () => {
    const accounts = db.sqlite.prepare('SELECT account FROM accounts ORDER BY account').all() as { account: string }[];
    const rules = new Map<string, number>();
    for (const { account } of accounts) {
      const s = explainAccount(db, account, { to: '2026-12-31', today: '2026-12-31' }).statement;
      expect([account, s.lines.reduce((x, l) => x + l.amount, s.opening)]).toEqual([account, s.closing]);
      expect([account, s.closing]).toEqual([account, sum('SELECT SUM(amount) AS s FROM ledger WHERE account = ? AND value_date <= ?', account, '2026-12-31')]);
      expect([account, s.lines.reduce((x, l) => x + l.entries.length, 0)]).toEqual([account, sum('SELECT COUNT(*) AS s FROM ledger WHERE account = ? AND value_date >= ?', account, s.from)]);
      for (const l of s.lines) rules.set(l.why.rule, (rules.get(l.why.rule) ?? 0) + 1);
    }
    expect(rules.get('as_posted') ?? 0).toBe(0);
    for (const rule of ['daily_fee', 'port_reservation', 'installation', 'monthly_fee', 'penalty', 'payment', 'restoration_reversal']) expect([rule, (rules.get(rule) ?? 0) > 0]).toEqual([rule, true]);
    // the statement of a credit account that paid late, for the README
    const late = (db.sqlite.prepare(`SELECT l.account FROM ledger l JOIN accounts a ON a.account = l.account WHERE a.method = 'credit' AND l.kind = 'penalty' GROUP BY l.account ORDER BY COUNT(*) LIMIT 1`).get() as { account: string }).account;
    const file = path.join(process.env.ESEP_EXPLAIN_PDF_DIR ?? tempDir(), 'akt-quarter.pdf');
    await writeReconciliationPdf(file, explainAccount(db, late, { from: '2026-10-01', to: '2026-12-31', today: '2026-12-31' }));
    expect(await pdfText(file)).toContain('(23.7)');
  });
});
