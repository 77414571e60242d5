// The reconciliation statement (өзара есеп айырысуларды салыстыру актісі / акт сверки
// взаиморасчётов) as a PDF: A4, Kazakh with Russian alongside, the invoice's fonts (fonts.ts, parsed
// once per process) and look: the operator's and the subscriber's requisites, the opening balance,
// every line with its rule and clause in both languages, the closing balance in whose favour, and
// both sides' signatures.
import path from 'node:path';
import { pdfDocumentClass } from './pdfkit.js';
import { formatDay, type IsoDate } from '../../domain/dates.js';
import { formatTenge, type Tiyn } from '../../domain/money.js';
import { ruleWithClause } from '../../domain/reports/explain-text.js';
import { amountInWordsKk, amountInWordsRu } from '../../domain/words.js';
import type { Reconciliation } from '../../domain/explain.js';
import { writeFileAtomically } from './render.js';
import { loadFonts, type FontSet } from './fonts.js';

const PAGE = { size: 'A4', margins: { top: 36, bottom: 40, left: 40, right: 40 } };
const SIZES = { title: 13, heading: 9, text: 8, small: 6.5 };
const COLORS = { text: '#000000', muted: '#555555', rule: '#999999', shade: '#eeeeee' };
const FONTS = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' };

/** What the statement prints: the statement, both sides, the day it is drawn up. */
export interface ReconciliationDocument {
  statement: Reconciliation;
  account: { name: string; iin: string; address: string };
  operator: { name: string; bin: string; iban: string; bank: string; bic: string; address: string } | undefined;
  today: IsoDate;
}

const money = (v: Tiyn) => formatTenge(v, { symbol: false });
const day = formatDay;

/** In whose favour a balance is: positive = the subscriber's (a prepayment), negative = the operator's (a debt). */
function favour(balance: Tiyn, operatorName: string, subscriberName: string): { kk: string; ru: string } {
  if (balance === 0) return { kk: 'қарыз жоқ', ru: 'задолженности нет' };
  return balance > 0
    ? { kk: `абоненттің пайдасына (${subscriberName})`, ru: `в пользу абонента (${subscriberName})` }
    : { kk: `оператордың пайдасына (${operatorName})`, ru: `в пользу оператора (${operatorName})` };
}

class Page {
  readonly left = PAGE.margins.left;
  readonly width: number;
  private readonly bottom: number;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly fonts: FontSet,
  ) {
    this.width = doc.page.width - PAGE.margins.left - PAGE.margins.right;
    this.bottom = doc.page.height - PAGE.margins.bottom;
  }

  checked(text: string): string {
    const missing = this.fonts.missingGlyphs(text);
    if (missing.length > 0) throw new Error(`the statement font has no glyph for ${missing.map((c) => `"${c}"`).join(', ')}`);
    return text;
  }

  font(bold: boolean, size: number, color = COLORS.text): this {
    this.doc.font(bold ? 'bold' : 'regular').fontSize(size).fillColor(color);
    return this;
  }

  room(height: number, onNewPage?: () => void): void {
    if (this.doc.y + height > this.bottom) {
      this.doc.addPage();
      this.doc.y = PAGE.margins.top;
      onNewPage?.();
    }
  }

  text(text: string, options: { align?: 'left' | 'center' | 'right'; gap?: number } = {}): void {
    const s = this.checked(text);
    this.room(this.doc.heightOfString(s, { width: this.width }));
    this.doc.text(s, this.left, this.doc.y, { width: this.width, align: options.align ?? 'left' });
    if (options.gap) this.doc.moveDown(options.gap);
  }

  row(cells: { text: string; width: number; align?: 'left' | 'right'; bold?: boolean; muted?: boolean }[], size: number, shade?: string, onNewPage?: () => void): void {
    const heights = cells.map((c) => this.font(Boolean(c.bold), size).doc.heightOfString(this.checked(c.text), { width: c.width - 4 }));
    const h = Math.max(...heights) + 3;
    this.room(h, onNewPage);
    const y = this.doc.y;
    if (shade) this.doc.rect(this.left, y - 1, this.width, h).fill(shade);
    let x = this.left;
    for (const c of cells) {
      this.font(Boolean(c.bold), size, c.muted ? COLORS.muted : COLORS.text).doc.text(c.text, x + 2, y + 1, { width: c.width - 4, align: c.align ?? 'left' });
      x += c.width;
    }
    this.doc.x = this.left;
    this.doc.y = y + h;
  }

  rule(): void {
    this.room(6);
    const y = this.doc.y + 2;
    this.doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    this.doc.y = y + 4;
  }
}

/** Renders the statement to PDF bytes. */
export async function renderReconciliationPdf(d: ReconciliationDocument): Promise<Buffer> {
  const s = d.statement;
  const op = d.operator;
  const operatorName = op?.name ?? '—';
  const fonts = loadFonts(FONTS.regular, FONTS.bold);
  const doc = new (pdfDocumentClass())({
    size: PAGE.size,
    margins: PAGE.margins,
    font: null as unknown as string,
    info: {
      Title: `Акт сверки ${s.account} ${s.from} – ${s.to}`,
      Author: operatorName,
      Subject: `Салыстыру актісі / Акт сверки, ${s.account}`,
      CreationDate: new Date(`${d.today}T00:00:00+05:00`),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  fonts.attach(doc);
  const p = new Page(doc, fonts);
  doc.x = p.left;
  doc.y = PAGE.margins.top;

  p.font(true, SIZES.title).text('ӨЗАРА ЕСЕП АЙЫРЫСУЛАРДЫ САЛЫСТЫРУ АКТІСІ / АКТ СВЕРКИ ВЗАИМОРАСЧЁТОВ', { align: 'center' });
  p.font(false, SIZES.text).text(
    `${day(s.from)} – ${day(s.to)} кезеңі үшін / за период ${day(s.from)} – ${day(s.to)} · Дербес шот / Лицевой счёт ${s.account} · Жасалған күні / Дата составления: ${day(d.today)}`,
    { align: 'center', gap: 0.6 },
  );

  // the two sides
  const half = p.width / 2;
  const sideRows: [string, string][] = [
    [`Оператор: ${operatorName}`, `Абонент: ${d.account.name}`],
    [`БСН / БИН: ${op?.bin ?? '—'}`, `ЖСН / ИИН: ${d.account.iin}`],
    [`ЖСК / ИИК: ${op?.iban ?? '—'}, ${op?.bank ?? ''} (${op?.bic ?? ''})`, `Дербес шот / Лицевой счёт: ${s.account}`],
    [`Мекенжайы / Адрес: ${op?.address ?? '—'}`, `Мекенжайы / Адрес: ${d.account.address}`],
  ];
  p.font(true, SIZES.heading).text('Тараптар / Стороны');
  for (const [a, b] of sideRows) p.row([{ text: a, width: half }, { text: b, width: half }], SIZES.text);
  doc.moveDown(0.5);

  const openingFavour = favour(s.opening, operatorName, d.account.name);
  p.row(
    [
      { text: `Кезең басындағы сальдо / Сальдо на начало периода (${day(s.from)}) — ${openingFavour.kk} / ${openingFavour.ru}`, width: p.width * 0.78, bold: true },
      { text: money(s.opening), width: p.width * 0.22, align: 'right', bold: true },
    ],
    SIZES.text,
    COLORS.shade,
  );
  doc.moveDown(0.3);

  // the lines: date, the rule in Kazakh and Russian with its clause, charged, credited, balance
  const widths = { date: p.width * 0.13, rule: p.width * 0.51, debit: p.width * 0.12, credit: p.width * 0.12, balance: p.width * 0.12 };
  const header = () =>
    p.row(
      [
        { text: 'Күні / Дата', width: widths.date, bold: true },
        { text: 'Операция, ереже және Шарт тармағы / Операция, правило и пункт договора', width: widths.rule, bold: true },
        { text: 'Есептелді / Начислено', width: widths.debit, align: 'right', bold: true },
        { text: 'Төленді, қайтарылды / Оплачено, возвращено', width: widths.credit, align: 'right', bold: true },
        { text: 'Сальдо', width: widths.balance, align: 'right', bold: true },
      ],
      SIZES.small,
      COLORS.shade,
    );
  header();
  let charged = 0;
  let credited = 0;
  let n = 0;
  for (const line of s.lines) {
    charged += line.charged;
    credited += line.credited;
    const dates = line.date === line.to ? day(line.date) : `${day(line.date)} – ${day(line.to)}`;
    p.row(
      [
        { text: dates, width: widths.date },
        { text: `${ruleWithClause(line, 'kk')}\n${ruleWithClause(line, 'ru')}`, width: widths.rule },
        { text: line.charged > 0 ? money(line.charged) : '', width: widths.debit, align: 'right' },
        { text: line.credited > 0 ? money(line.credited) : '', width: widths.credit, align: 'right' },
        { text: money(line.balance), width: widths.balance, align: 'right' },
      ],
      SIZES.small,
      n++ % 2 === 1 ? '#f6f6f6' : undefined,
      header,
    );
  }
  if (s.lines.length === 0) p.font(false, SIZES.text, COLORS.muted).text('Кезеңде операция жоқ / Операций за период нет');
  p.row(
    [
      { text: 'Айналым / Обороты за период', width: widths.date + widths.rule, bold: true },
      { text: money(charged), width: widths.debit, align: 'right', bold: true },
      { text: money(credited), width: widths.credit, align: 'right', bold: true },
      { text: '', width: widths.balance },
    ],
    SIZES.small,
    COLORS.shade,
  );
  doc.moveDown(0.5);

  const closingFavour = favour(s.closing, operatorName, d.account.name);
  p.row(
    [
      { text: `Кезең соңындағы сальдо / Сальдо на конец периода (${day(s.to)}) — ${closingFavour.kk} / ${closingFavour.ru}`, width: p.width * 0.78, bold: true },
      { text: money(s.closing), width: p.width * 0.22, align: 'right', bold: true },
    ],
    SIZES.text,
    COLORS.shade,
  );
  const abs = Math.abs(s.closing);
  p.font(false, SIZES.text).text(
    s.closing === 0
      ? `${day(s.to)} жағдай бойынша тараптардың бір-біріне қарызы жоқ. / По состоянию на ${day(s.to)} задолженности между сторонами нет.`
      : `${day(s.to)} жағдай бойынша ${closingFavour.kk}: ${money(abs)} ₸ (${amountInWordsKk(abs)}). / По состоянию на ${day(s.to)} ${closingFavour.ru}: ${money(abs)} ₸ (${amountInWordsRu(abs)}).`,
  );
  if (s.debt > 0 || s.penaltyDebt > 0) {
    p.font(false, SIZES.text).text(
      `Оның ішінде / В том числе: негізгі қарыз / основной долг ${money(s.debt)} ₸, өсімпұл / пеня ${money(s.penaltyDebt)} ₸ (16-тармақ бойынша бөлінген / распределено по п. 16).`,
    );
  }
  doc.moveDown(1.2);

  // the signatures of both sides
  p.room(90);
  const y = doc.y;
  const signature = (x: number, title: string, name: string) => {
    p.font(true, SIZES.text).doc.text(p.checked(title), x, y, { width: half - 10 });
    p.font(false, SIZES.text).doc.text(p.checked(name), x, doc.y + 2, { width: half - 10 });
    doc.text('', x, doc.y + 22);
    doc.moveTo(x, doc.y).lineTo(x + half - 40, doc.y).lineWidth(0.5).strokeColor(COLORS.text).stroke();
    p.font(false, SIZES.small, COLORS.muted).doc.text(p.checked('қолы / подпись · М.О. / М.П.'), x, doc.y + 2, { width: half - 10 });
  };
  signature(p.left, 'Оператордан / От оператора', operatorName);
  signature(p.left + half, 'Абоненттен / От абонента', d.account.name);
  doc.x = p.left;
  doc.moveDown(1.5);
  p.font(false, SIZES.small, COLORS.muted).text(
    'Әр жолдың ережесі жария офертаның тармағымен көрсетілген; төлемдер 16-тармақ бойынша бөлінеді. / Правило каждой строки указано с пунктом публичной оферты; оплаты распределяются по п. 16.',
  );
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** Writes the statement's PDF under a temporary name, then renames it: the file is whole or absent. */
export async function writeReconciliationPdf(file: string, d: ReconciliationDocument): Promise<void> {
  await writeFileAtomically(path.resolve(file), await renderReconciliationPdf(d));
}
