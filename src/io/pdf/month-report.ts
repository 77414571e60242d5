// The month on one or two A4 pages: the key figures of every report (turnover, revenue and VAT,
// payments, debt aging) and three charts (charges and payments by day, debt by age, accounts by
// status), Kazakh with Russian alongside, in the invoice's fonts (fonts.ts) and look. The charts are
// vega-lite rendered to SVG (io/charts.ts) and drawn by svg-to-pdfkit with the embedded fonts.
import path from 'node:path';
import { pdfDocumentClass } from './pdfkit.js';
import { createRequire } from 'node:module';
import { formatDay, type IsoDate, type Period } from '../../domain/dates.js';
import type { EntryKind } from '../../domain/entries.js';
import { formatTenge, type Tiyn } from '../../domain/money.js';
import { AGE_BUCKETS } from '../../domain/reports/aging.js';
import { CHARGE_KINDS } from '../../domain/reports/turnover.js';
import { kindName } from '../../domain/reports/explain-text.js';
import { ratePercent } from '../../domain/vat.js';
import type { MonthReport } from '../../jobs/reports.js';
import { agingSpec, chargesPaymentsSpec, chartSvg, statusSpec } from '../charts.js';
import { writeFileAtomically } from './render.js';
import { loadFonts } from './fonts.js';

// svg-to-pdfkit is loaded with the first chart drawn (see ./pdfkit.ts)
const require = createRequire(import.meta.url);
const svgToPdf = (): typeof import('svg-to-pdfkit').default => require('svg-to-pdfkit') as typeof import('svg-to-pdfkit').default;

const MARGINS = { top: 36, bottom: 40, left: 40, right: 40 };
const SIZES = { title: 13, heading: 9, text: 8, small: 6.5 };
const COLORS = { text: '#000000', muted: '#555555', rule: '#999999', shade: '#eeeeee' };
const MONTHS_KK = ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'];
const MONTHS_RU = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

const money = (v: Tiyn) => formatTenge(v, { symbol: false });
const day = formatDay;

/** What the page says about whom: the operator's name and the day it is drawn up. */
export interface MonthDocument {
  report: MonthReport;
  operatorName: string;
  today: IsoDate;
}

function periodWords(period: Period): { kk: string; ru: string } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return { kk: `${y} ж. ${MONTHS_KK[m - 1]}`, ru: `${MONTHS_RU[m - 1]} ${y} г.` };
}

/** Renders the month report to PDF bytes. */
export async function renderMonthPdf(d: MonthDocument): Promise<Buffer> {
  const r = d.report;
  const fonts = loadFonts('DejaVuSans.ttf', 'DejaVuSans-Bold.ttf');
  const words = periodWords(r.period);
  const doc = new (pdfDocumentClass())({
    size: 'A4',
    margins: MARGINS,
    font: null as unknown as string,
    info: { Title: `Отчёт за ${words.ru}`, Author: d.operatorName, Subject: `Айлық есеп / Отчёт за месяц ${r.period}`, CreationDate: new Date(`${d.today}T00:00:00+05:00`) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  fonts.attach(doc);
  const left = MARGINS.left;
  const width = doc.page.width - MARGINS.left - MARGINS.right;
  const bottom = doc.page.height - MARGINS.bottom;
  const checked = (text: string) => {
    const missing = fonts.missingGlyphs(text);
    if (missing.length > 0) throw new Error(`the report font has no glyph for ${missing.join(', ')}`);
    return text;
  };
  const font = (bold: boolean, size: number, color = COLORS.text) => doc.font(bold ? 'bold' : 'regular').fontSize(size).fillColor(color);
  const room = (h: number) => {
    if (doc.y + h > bottom) {
      doc.addPage();
      doc.y = MARGINS.top;
    }
  };
  const text = (s: string, options: { align?: 'left' | 'center'; gap?: number } = {}) => {
    doc.text(checked(s), left, doc.y, { width, align: options.align ?? 'left' });
    if (options.gap) doc.moveDown(options.gap);
  };
  /** Rows of cells in columns of the given fractions of the width, the first column left, the others right; a totals row in bold. */
  const table = (heading: string, columns: readonly number[], header: readonly string[], rows: readonly (readonly string[])[], totals?: readonly string[], x0 = left, w = width) => {
    font(true, SIZES.heading);
    room(40);
    doc.text(checked(heading), x0, doc.y, { width: w });
    const line = (cells: readonly string[], bold: boolean, shade?: string) => {
      font(bold, SIZES.small);
      const hs = cells.map((c, i) => doc.heightOfString(checked(c), { width: columns[i]! * w - 4 }));
      const h = Math.max(...hs) + 3;
      room(h);
      const y = doc.y;
      if (shade) doc.rect(x0, y - 1, w, h).fill(shade);
      let x = x0;
      cells.forEach((c, i) => {
        font(bold, SIZES.small).text(c, x + 2, y + 1, { width: columns[i]! * w - 4, align: i === 0 ? 'left' : 'right' });
        x += columns[i]! * w;
      });
      doc.x = x0;
      doc.y = y + h;
    };
    line(header, true, COLORS.shade);
    rows.forEach((row, i) => line(row, false, i % 2 === 1 ? '#f6f6f6' : undefined));
    if (totals) line(totals, true);
    doc.moveDown(0.4);
  };
  const chart = async (spec: Parameters<typeof chartSvg>[0], x: number, w: number): Promise<number> => {
    const svg = await chartSvg(spec);
    const size = /width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/.exec(svg);
    const ratio = size ? Number(size[2]) / Number(size[1]) : 0.5;
    const h = w * ratio;
    // the chart scaled to the column: its own size replaced by the column's in points, the viewBox kept
    const fitted = size ? svg.replace(size[0], `width="${w.toFixed(2)}" height="${h.toFixed(2)}"`) : svg;
    const y = doc.y;
    svgToPdf()(doc, fitted, x, y, { assumePt: true, fontCallback: (_family, bold) => (bold ? 'bold' : 'regular') });
    doc.x = left;
    doc.y = y;
    return h;
  };

  doc.x = left;
  doc.y = MARGINS.top;
  font(true, SIZES.title);
  text(`АЙЛЫҚ ЕСЕП / ОТЧЁТ ЗА МЕСЯЦ: ${words.kk} / ${words.ru}`, { align: 'center' });
  font(false, SIZES.text);
  text(`${d.operatorName} · ${day(r.turnover.from)} – ${day(r.turnover.to)} · Жасалған күні / Дата составления: ${day(d.today)}`, { align: 'center', gap: 0.6 });

  // key figures: the turnover sheet's totals, the VAT, payments, the debt
  const t = r.turnover.totals;
  const vat = r.revenue.vatByRate;
  const key: [string, string][] = [
    ['Кезең басындағы қарыз / Дебиторская задолженность на начало', money(t.openingDebit)],
    ['Кезең басындағы аванс / Авансы на начало', money(t.openingCredit)],
    ['Есептелді (қызметтер) / Начислено за услуги', money(t.charges)],
    ['Өсімпұл / Пени', money(t.penalties)],
    ['Төлемдер / Оплаты', money(t.payments)],
    ['Өзге кірістер мен шығыстар / Прочие зачисления и списания', money(t.otherCredits - t.otherDebits)],
    ['Кезең соңындағы қарыз / Дебиторская задолженность на конец', money(t.closingDebit)],
    ['Кезең соңындағы аванс / Авансы на конец', money(t.closingCredit)],
    ...vat.map((v): [string, string] => [`ҚҚС ${ratePercent(v.rate)}% (айналым ${money(v.turnover)}) / НДС ${ratePercent(v.rate)}% (оборот ${money(v.turnover)})`, money(v.vat)]),
    ['Мерзімі өткен қарыз / Просроченный долг', money(r.aging.totals.debt - r.aging.totals.buckets.not_due)],
    ['Анықталмаған төлемдер / Невыясненные платежи', `${money(r.payments.totals.suspense.amount)} (${r.payments.totals.suspense.count})`],
  ];
  table('Негізгі көрсеткіштер, ₸ / Основные показатели, ₸', [0.8, 0.2], ['Көрсеткіш / Показатель', 'Сомасы / Сумма'], key);

  room(150);
  const h1 = await chart(chargesPaymentsSpec(r.days, 600, 95), left, width);
  doc.y += h1 + 6;
  room(130);
  const y2 = doc.y;
  const half = (width - 12) / 2;
  const h2 = await chart(agingSpec(r.aging.totals.buckets, r.aging.totals.penalties, 170, 100), left, half);
  doc.y = y2;
  const h3 = await chart(statusSpec(r.status, 280, 100), left + half + 12, half);
  doc.y = y2 + Math.max(h2, h3) + 8;

  // charges by kind, debt aging by method and tariff
  const kinds = CHARGE_KINDS.filter((k) => t.chargesByKind[k]);
  table(
    'Түрлері бойынша есептеулер, ₸ / Начисления по видам, ₸',
    [0.6, 0.4],
    ['Түрі / Вид', 'Сомасы / Сумма'],
    kinds.map((k: EntryKind) => [`${kindName(k, 'kk')} / ${kindName(k, 'ru')}`, money(t.chargesByKind[k]!)]),
    ['Барлығы / Итого', money(t.charges)],
  );
  const bucketTitles = ['Мерз. келмеген / Не наступил', '1–30', '31–60', '61–90', '> 90'];
  table(
    'Қарыз мерзімі бойынша, ₸ / Долг по срокам, ₸',
    [0.2, 0.08, 0.12, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1].map((f) => f / 1.1),
    ['Әдіс, тариф / Метод, тариф', 'Шот / Сч.', ...bucketTitles, 'Өсімпұл / Пени', 'Барлығы / Итого'],
    r.aging.groups.map((g) => [`${g.method}, ${g.tariff}`, String(g.accounts), ...AGE_BUCKETS.map((b) => money(g.buckets[b])), money(g.penalties), money(g.debt + g.penalties)]),
    ['Барлығы / Итого', String(r.aging.totals.accounts), ...AGE_BUCKETS.map((b) => money(r.aging.totals.buckets[b])), money(r.aging.totals.penalties), money(r.aging.totals.debt + r.aging.totals.penalties)],
  );
  const p = r.payments.totals;
  table(
    'Түскен төлемдер / Поступившие платежи',
    [0.4, 0.3, 0.3],
    ['', 'Саны / Кол-во', 'Сомасы / Сумма, ₸'],
    [
      ['Есепке алынды / Зачислено', String(p.applied.count), money(p.applied.amount)],
      ['Анықталмаған / Невыясненные', String(p.suspense.count), money(p.suspense.amount)],
      ['Банк қайтарған / Возвраты банка', String(p.reversal.count), money(p.reversal.amount)],
    ],
  );
  font(false, SIZES.small, COLORS.muted);
  room(20);
  text('Барлық сомалар бас кітаптан алынған; толық тізімдер xlsx файлында. / Все суммы — из главной книги; полные списки — в файле xlsx.');
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** Writes the month's PDF under a temporary name, then renames it. */
export async function writeMonthPdf(file: string, d: MonthDocument): Promise<void> {
  await writeFileAtomically(path.resolve(file), await renderMonthPdf(d));
}
