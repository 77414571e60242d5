// The reconciliation statement (акт сверки) on worked examples, through the real jobs: every line's
// amount, balance and clause worked out by hand from the rule; the lines sum to the closing balance.
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, openDatabase, type Db } from '../../src/db/connection.js';
import { saveOperator } from '../../src/db/operator.js';
import { addDays, type IsoDate } from '../../src/domain/dates.js';
import { ruleWithClause } from '../../src/domain/reports/explain-text.js';
import { addEquipment, terminateBySubscriber } from '../../src/jobs/admin.js';
import { runDay } from '../../src/jobs/day.js';
import { runDebit } from '../../src/jobs/debit.js';
import { explainAccount } from '../../src/jobs/explain.js';
import { runInvoices } from '../../src/jobs/invoices.js';
import { importPayments } from '../../src/jobs/payments.js';
import { runPenalties } from '../../src/jobs/penalties.js';
import { verify } from '../../src/jobs/verify.js';
import { writeReconciliationPdf } from '../../src/io/pdf/reconciliation.js';
import { pdfText } from '../helpers/pdf.js';
import { addAccount, addTariff, postWithPayments } from '../helpers/db.js';
import { shippedCalendar, TEST_OPERATOR } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';
import { noPdfRenderer, writeStatement } from '../helpers/world.js';

const calendar = shippedCalendar();
let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
  saveOperator(db, TEST_OPERATOR);
});

/** Each line as [date, to, amount, balance, rule with clause] in English. */
const lines = (account: string, from: IsoDate, to: IsoDate) => {
  const s = explainAccount(db, account, { from, to, today: to }).statement;
  // the lines sum to the closing balance, from the opening
  expect(s.lines.reduce((x, l) => x + l.amount, s.opening)).toBe(s.closing);
  const sum = (db.sqlite.prepare('SELECT COALESCE(SUM(amount), 0) AS s FROM ledger WHERE account = ? AND value_date <= ?').get(account, to) as { s: number }).s;
  expect(s.closing).toBe(sum);
  return { s, rows: s.lines.map((l) => [l.date, l.to, l.amount, l.balance, ruleWithClause(l, 'en')]) };
};

describe('explain: a credit account with penalties and a late payment', () => {
  it('penalties until the payment came on a late statement, then corrected by value date (D-4)', async () => {
    addTariff(db, 'C40', { monthly: 400_000 }); // 4 000,00 a month
    addAccount(db, 'C', { method: 'credit', tariff: 'C40', connectedOn: '2026-10-01' });
    await runInvoices(db, { period: '2026-10', renderer: noPdfRenderer }); // issued 01.11, due 25.11
    await runPenalties(db, { date: '2026-12-03' }); // 26.11–03.12 with nothing paid: 8 days × 20,00
    // a payment of 4 060,00 the bank received on 28.11, on a statement that came on 04.12
    inTransaction(db, () => postWithPayments(db, [{ account: 'C', valueDate: '2026-11-28', kind: 'payment', amount: 406_000, key: 'late' }]));
    await runPenalties(db, { date: '2026-12-04' });
    expect(verify(db)).toEqual([]);
    const { s, rows } = lines('C', '2026-10-01', '2026-12-04');
    // 4 000,00 × 0,5% = 20,00 a day on the principal unpaid at the start of the day: 26, 27, 28.11 (the
    // payment dated 28.11 counts from 29.11); the payment settles penalties 60,00 first, then the
    // principal 4 000,00 (cl. 16): 4 060,00 exactly. The 20,00 posted for each of 29.11–03.12 (5 × 20,00 =
    // 100,00) is corrected to 0.
    const inv = 'MT-2026-000001';
    expect(rows).toEqual([
      ['2026-10-31', '2026-10-31', -400_000, -400_000, '1–31.10 monthly fee 4 000,00 × 31/31 (13)'],
      ['2026-11-26', '2026-11-28', -6_000, -406_000, `26–28.11 penalty 0,5% × 4 000,00 unpaid principal of invoice ${inv} a day, day 1–3 of 30 (23.7)`],
      ['2026-11-28', '2026-11-28', 406_000, 0, `payment 28.11: settled: penalties 26–28.11 of invoice ${inv} (60,00), then monthly fee 31.10, invoice ${inv} (4 000,00) (16)`],
      // each of 29.11–03.12: 20,00 posted, then corrected by 20,00 (D-7: it cancels what is owed on it): one line
      ['2026-11-29', '2026-12-03', 0, 0, `29.11–03.12 penalties on invoice ${inv}: 100,00 as computed on the facts known then, recomputed to 0,00 with payments counted by their value date (23.7)`],
    ]);
    expect(s.lines[3]!.entries).toHaveLength(10);
    expect([s.lines[3]!.charged, s.lines[3]!.credited]).toEqual([10_000, 10_000]);
    expect([s.opening, s.closing, s.debt, s.penaltyDebt, s.prepayment]).toEqual([0, 0, 0, 0, 0]);
    expect(s.lines[1]!.why).toMatchObject({ rule: 'penalty', clause: '23.7', unpaidPrincipal: 400_000, rate: '0.005', dayFrom: 1, dayTo: 3, capDays: 30 });

    const file = path.join(process.env.ESEP_EXPLAIN_PDF_DIR ?? tempDir(), 'akt-C.pdf');
    await writeReconciliationPdf(file, explainAccount(db, 'C', { from: '2026-10-01', to: '2026-12-04', today: '2026-12-04' }));
    const text = await pdfText(file);
    for (const expected of [
      '26–28.11 пеня 0,5% × 4 000,00 неоплаченной суммы счёта MT-2026-000001 в день, день 1–3 из 30 (23.7)',
      '26–28.11 өсімпұл 0,5% × MT-2026-000001 шотының төленбеген сомасы 4 000,00 күніне, 30 күннің 1–3-күні (23.7)',
      'оплата 28.11: погашено: пени 26–28.11 по счёту MT-2026-000001 (60,00), затем абонентская плата 31.10, счёт MT-2026-000001 (4 000,00) (16)',
      '29.11–03.12 пени по счёту MT-2026-000001: 100,00 по известным тогда фактам, пересчитаны в 0,00 с учётом оплат по дате валютирования (23.7)',
      'задолженности между сторонами нет',
      // the turnover: 4 000,00 + 60,00 + 100,00 charged; 4 060,00 + 100,00 credited
      'Обороты за период 4 160,00 4 160,00',
    ]) expect(text).toContain(expected);
  });

  it('one day: the penalty says its base, the invoice and its day of the cap', async () => {
    addTariff(db, 'C40', { monthly: 1_258_065 }); // 12 580,65 a month
    addAccount(db, 'C', { method: 'credit', tariff: 'C40', connectedOn: '2026-10-01' });
    await runInvoices(db, { period: '2026-10', renderer: noPdfRenderer });
    await runPenalties(db, { date: '2026-11-26' });
    // round(12 580,65 × 0,005) = round(62,903 25) = 62,90
    const { rows } = lines('C', '2026-11-26', '2026-11-26');
    expect(rows).toEqual([['2026-11-26', '2026-11-26', -6_290, -1_264_355, '26.11 penalty 0,5% × 12 580,65 unpaid principal of invoice MT-2026-000001, day 1 of 30 (23.7)']]);
  });
});

describe('explain: an advance account suspended and restored', () => {
  it('daily fees, port reservations while short, the reversal and the fee at restoration, what each payment settled', async () => {
    addTariff(db, 'A31', { monthly: 310_000, port: 1_000 }); // 3 100,00 a month: 100,00 a day in October; port 10,00
    addAccount(db, 'A', { method: 'advance', tariff: 'A31', connectedOn: '2026-10-01' });
    const dir = tempDir();
    await importPayments(db, { file: writeStatement(path.join(dir, 's1.csv'), [{ bankRef: 'P1', valueDate: '2026-10-01', amount: 100_000, account: 'A' }]), date: '2026-10-01' });
    await runDebit(db, { date: '2026-10-15' });
    // 500,00 on 15.10, after the day's run: restored at once
    await importPayments(db, { file: writeStatement(path.join(dir, 's2.csv'), [{ bankRef: 'P2', valueDate: '2026-10-15', amount: 50_000, account: 'A' }]), date: '2026-10-15' });
    await runDebit(db, { date: '2026-10-18' });
    expect(verify(db)).toEqual([]);
    const { s, rows } = lines('A', '2026-10-01', '2026-10-18');
    // 1 000,00 pays ten days of 100,00 (1–10.10); from 11.10 the balance 0,00 is short of 100,00: port
    // 10,00 a day 11–15.10 (−50,00). On 15.10 the balance at the start with the payment is −40,00 + 500,00 =
    // 460,00 ≥ 100,00 (as if the day's port fee had not been charged, D-3): the day's fee is charged and its
    // port fee reversed; the 500,00 settles the port fees 11–14.10 (40,00) and the fees 15–18.10 (400,00),
    // 60,00 left. On 15.10 the start-of-day balance now counts the payment, so the rule would have charged
    // the fee: that day's port fee is "as decided then".
    const fee = 'daily fee 3 100,00 × d/31, cumulative rounding (17.1)';
    expect(rows).toEqual([
      ['2026-10-01', '2026-10-01', -10_000, -10_000, `01.10 ${fee}`],
      ['2026-10-01', '2026-10-01', 100_000, 90_000, 'payment 01.10: settled: daily fee 1–10.10 (1 000,00) (16)'],
      ['2026-10-02', '2026-10-10', -90_000, 0, `2–10.10 ${fee}`],
      ['2026-10-11', '2026-10-14', -4_000, -4_000, "11–14.10 port reservation 10,00 a day: balance 0,00 at the start of 11.10 below the day's fee 100,00; service suspended (17.2)"],
      ['2026-10-15', '2026-10-15', -1_000, -5_000, "15.10 port reservation 10,00 a day: the balance known then was below the day's fee; service suspended (17.2)"],
      ['2026-10-15', '2026-10-15', -10_000, -15_000, `15.10 ${fee}`],
      ['2026-10-15', '2026-10-15', 1_000, -14_000, '15.10 port reservation reversed: service restored by a payment (17.3)'],
      ['2026-10-15', '2026-10-15', 50_000, 36_000, 'payment 15.10: settled: port reservation 11–14.10 (40,00), then daily fee 15–18.10 (400,00); left as prepayment 60,00 (16)'],
      ['2026-10-16', '2026-10-18', -30_000, 6_000, `16–18.10 ${fee}`],
    ]);
    expect([s.opening, s.closing, s.prepayment, s.debt]).toEqual([0, 6_000, 6_000, 0]);
  });
});

describe('explain: a terminated account with equipment', () => {
  it('suspended for funds on 04.10, terminated on 04.12 (the port fee of that morning reversed), equipment charged after its deadline', async () => {
    addTariff(db, 'A31', { monthly: 310_000, port: 1_000 });
    addAccount(db, 'E', { method: 'advance', tariff: 'A31', connectedOn: '2026-10-01' });
    addEquipment(db, 'E', 'SN-1', 1_500_000, '2026-10-01', 'ONT', true); // 15 000,00 from the acceptance act
    inTransaction(db, () => postWithPayments(db, [{ account: 'E', valueDate: '2026-10-01', kind: 'payment', amount: 30_000, key: 'p1' }]));
    for (let day = '2026-10-01'; day <= '2026-12-12'; day = addDays(day, 1)) await runDay(db, { date: day, calendar });
    expect(verify(db)).toEqual([]);
    const { s, rows } = lines('E', '2026-10-01', '2026-12-12');
    // 300,00 pays 1–3.10; short from 04.10: port 10,00 a day 4–31.10 (28 days, 280,00), 1–30.11 (300,00),
    // 1–4.12 (40,00; November's day fee is round(3 100 × 1/30) = 103,33). Two months after 04.10 (D-5):
    // terminated on 04.12, that morning's port fee reversed (cl. 23.6). The equipment is due back 5 working
    // days after, 7–11.12 (Mon–Fri), so it is charged at its cost on 12.12 (cl. 22.10).
    const fee = 'daily fee 3 100,00 × d/31, cumulative rounding (17.1)';
    expect(rows).toEqual([
      ['2026-10-01', '2026-10-01', -10_000, -10_000, `01.10 ${fee}`],
      ['2026-10-01', '2026-10-01', 30_000, 20_000, 'payment 01.10: settled: daily fee 1–3.10 (300,00) (16)'],
      ['2026-10-02', '2026-10-03', -20_000, 0, `2–3.10 ${fee}`],
      ['2026-10-04', '2026-10-31', -28_000, -28_000, "4–31.10 port reservation 10,00 a day: balance 0,00 at the start of 04.10 below the day's fee 100,00; service suspended (17.2)"],
      ['2026-11-01', '2026-11-30', -30_000, -58_000, "1–30.11 port reservation 10,00 a day: balance -280,00 at the start of 01.11 below the day's fee 103,33; service suspended (17.2)"],
      ['2026-12-01', '2026-12-04', -4_000, -62_000, "1–4.12 port reservation 10,00 a day: balance -580,00 at the start of 01.12 below the day's fee 100,00; service suspended (17.2)"],
      ['2026-12-04', '2026-12-04', 1_000, -61_000, '04.12 port reservation reversed: terminated on 04.12 (23.6)'],
      ['2026-12-12', '2026-12-12', -1_500_000, -1_561_000, '12.12 equipment SN-1 (ONT) not returned by 11.12: charged at its cost (22.10)'],
    ]);
    expect([s.opening, s.closing, s.debt, s.prepayment]).toEqual([0, -1_561_000, 1_561_000, 0]);

    // the PDF: both languages, each line's clause, the closing balance in the operator's favour, both signatures
    const file = path.join(process.env.ESEP_EXPLAIN_PDF_DIR ?? tempDir(), 'akt-E.pdf');
    await writeReconciliationPdf(file, explainAccount(db, 'E', { from: '2026-10-01', to: '2026-12-12', today: '2026-12-14' }));
    const text = await pdfText(file);
    for (const expected of [
      'АКТ СВЕРКИ ВЗАИМОРАСЧЁТОВ',
      'САЛЫСТЫРУ АКТІСІ',
      '04.12 сторно: бронирование порта, договор расторгнут 04.12 (23.6)',
      '04.12 портты брондау кері қайтарылды: шарт 04.12 бұзылды (23.6)',
      'оборудование SN-1 (ONT) не возвращено до 11.12: взыскана его стоимость (22.10)',
      '15 610,00',
      'в пользу оператора (ТОО «Мысал Телеком»)',
      'От абонента',
      'Оператордан',
    ]) expect(text).toContain(expected);
  });
});

describe('explain: a termination at the subscriber\u2019s request dated inside a period already invoiced', () => {
  it('the days from the termination credited back, naming the fee (D-7, D-10); the payment settles what is left', async () => {
    addTariff(db, 'T15', { monthly: 150_000 }); // 1 500,00 a month
    addAccount(db, 'C', { method: 'credit', tariff: 'T15', connectedOn: '2026-10-01' });
    await runInvoices(db, { period: '2026-10', renderer: noPdfRenderer });
    inTransaction(db, () => postWithPayments(db, [{ account: 'C', valueDate: '2026-11-05', kind: 'payment', amount: 150_000, key: 'p' }]));
    expect(terminateBySubscriber(db, 'C', '2026-10-10', calendar, { recordedOn: '2026-11-06' }).state).toBe('terminated');
    const { s, rows } = lines('C', '2026-10-01', '2026-11-06');
    // served 1–9.10: round(1 500 × 9/31) = round(435,483…) = 435,48; 1 500,00 − 435,48 = 1 064,52 credited back on the
    // fee's own date; the 1 500,00 of 05.11 pays the 435,48 left and 1 064,52 stays a prepayment (to refund, cl. 17.4)
    expect(rows).toEqual([
      ['2026-10-31', '2026-10-31', -150_000, -150_000, '1–31.10 monthly fee 1 500,00 × 31/31 (13)'],
      ['2026-10-31', '2026-10-31', 106_452, -43_548, 'monthly fee of the days from 10.10 credited back: terminated on 10.10 (10)'],
      ['2026-11-05', '2026-11-05', 150_000, 106_452, 'payment 05.11: settled: monthly fee 31.10, invoice MT-2026-000001 (435,48); left as prepayment 1 064,52 (16)'],
    ]);
    expect([s.closing, s.prepayment]).toEqual([106_452, 106_452]);
  });
});
