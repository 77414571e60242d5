// The invoice PDF: A4, Kazakh with Russian alongside, laid out from templates/invoice.json (wording
// and layout are data; this file only knows how to draw the section types). Runs in worker threads
// (worker.ts) and, as a fallback, on the main thread: it touches no database, only its input.
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pdfDocumentClass } from './pdfkit.js';
import type { EntryKind } from '../../domain/entries.js';
import type { AmountToPay, InvoiceLine, PenaltyDetail } from '../../domain/invoice.js';
import { formatTenge, type Tiyn } from '../../domain/money.js';
import { ratePercent, type VatLine } from '../../domain/vat.js';
import { amountInWordsKk, amountInWordsRu } from '../../domain/words.js';
import { loadFonts, type FontSet } from './fonts.js';

/** The project root, from src/io/pdf (tests) and from dist/io/pdf (the built binary). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEFAULT_TEMPLATE = path.join(ROOT, 'templates', 'invoice.json');

/** Everything printed on one invoice: plain data, so it crosses to a worker thread as is. */
export interface InvoiceDocument {
  number: string;
  period: string;
  issuedOn: string;
  dueOn: string;
  final: boolean;
  terminatedOn: string | null;
  method: 'advance' | 'credit';
  operator: { name: string; bin: string; iban: string; bank: string; bic: string; kbe: string; knp: string; address: string; phone: string; site: string; email: string };
  subscriber: { name: string; iin: string };
  account: string;
  address: string;
  tariff: string;
  openingBalance: Tiyn;
  closingBalance: Tiyn;
  principal: Tiyn;
  payments: Tiyn;
  penalties: Tiyn;
  amountDue: Tiyn;
  advisedTopup: Tiyn | null;
  nextMonthCost: Tiyn;
  lines: InvoiceLine[];
  paymentLines: InvoiceLine[];
  penaltyLines: InvoiceLine[];
  /** The one amount the invoice asks for (domain amountToPay). */
  toPay: AmountToPay;
  /** The account at the end of the period: what it is, since when, what restores it. */
  state: DocumentState;
  /** D-13: the VAT included in the period's service charges, per rate; empty for a non-payer. */
  vat: VatLine[];
  /** cl. 23.7: the penalties of each overdue invoice by days, base and rate. */
  penaltyDetails: (PenaltyDetail & { invoiceNumber: string | null })[];
  /** How to pay, as the operator lists it. */
  paymentChannels: string[];
}

/** The account's state as a document states it (cl. 17, 21.13, 23.5, 23.6, 17.4, 22.10). */
export interface DocumentState {
  status: 'active' | 'suspended' | 'terminated';
  suspendReason: 'funds' | 'debt' | null;
  /** Suspended since, or terminated on. */
  since: string | null;
  /** Suspended for funds: the smallest top-up that restores it; for debt: the payment that does (penalties included). */
  restoreWith: Tiyn | null;
  terminatedBy: 'operator' | 'subscriber' | null;
  /** cl. 17.4: by when a positive balance is paid back (termination at the subscriber's request). */
  refundDueOn: string | null;
  /** cl. 22.10: rented equipment still out, and by when it is to be back. */
  equipment: { serial: string; model: string | null; cost: Tiyn }[];
  equipmentReturnBy: string | null;
}

export interface RenderTask {
  invoice: InvoiceDocument;
  /** Where the PDF goes; written to a temporary name and renamed, so a file is whole or absent. */
  file: string;
  template?: string;
}

export interface RenderResult {
  file: string;
  bytes: number;
}

// ---------------------------------------------------------------------------------------------
// The template

interface Column {
  title: string;
  field: 'kind' | 'dates' | 'days' | 'price' | 'amount';
  width: number;
  align?: 'left' | 'right';
}

/**
 * Rows of a `list` section: each row's values fill the section's `label` and `value` patterns (a
 * row's `what`, when the label is a map, picks the pattern). The default patterns print a row's own
 * `label` and `value`.
 */
export type ListRows = readonly Record<string, string>[];

/** `when`: drawn only if that value is not empty; `unless`: only if it is. */
type Section = (
  | { type: 'title'; text: string; sub?: string }
  | { type: 'note' | 'text' | 'small'; text: string; bold?: boolean }
  | { type: 'fields'; heading: string; rows: [string, string][] }
  | { type: 'amount'; label: string; value: string; bold?: boolean; shade?: boolean; big?: boolean }
  | { type: 'table'; heading: string; source: 'lines' | 'payments'; empty?: string; columns: Column[]; total?: { label: string; value: string } }
  | { type: 'list'; heading?: string; source: string; label?: string | Record<string, string>; value?: string; small?: boolean; empty?: string }
  | { type: 'columns'; parts: Section[] }
  | { type: 'heading'; text: string }
  | { type: 'rule' }
) & { when?: string; unless?: string };

/** Page, fonts, sizes, colours, month names and the labels of entry kinds: one layout for every document (templates/layout.json). */
interface Layout {
  page: { size: string; margins: { top: number; bottom: number; left: number; right: number } };
  fonts: { regular: string; bold: string };
  sizes: { title: number; heading: number; text: number; small: number; big?: number };
  colors: { text: string; muted: string; rule: string; shade: string };
  months: { kk: string[]; ru: string[]; kkOf?: string[]; ruOf?: string[] };
  currency: string;
  kinds: Record<EntryKind, string>;
  /** Words the code puts together (price per month or day, days). */
  words: Record<string, string>;
}

export interface InvoiceTemplate extends Layout {
  sections: Section[];
}

const templates = new Map<string, InvoiceTemplate>();

/**
 * Reads a template once per process: its sections, over the layout it names (`"layout":
 * "layout.json"`, beside it), so the invoice, the final invoice and the notice share one layout.
 */
export function loadTemplate(file: string = DEFAULT_TEMPLATE): InvoiceTemplate {
  let t = templates.get(file);
  if (!t) {
    const own = JSON.parse(readFileSync(file, 'utf8').replace(/^\ufeff/, '')) as Partial<InvoiceTemplate> & { layout?: string };
    const layout = own.layout ? (JSON.parse(readFileSync(path.join(path.dirname(file), own.layout), 'utf8').replace(/^\ufeff/, '')) as Partial<Layout>) : {};
    t = { ...layout, ...own } as InvoiceTemplate;
    if (!Array.isArray(t.sections) || !t.fonts || !t.page || !t.sizes) throw new Error(`${file}: not a document template (page, fonts, sizes, sections)`);
    t.kinds ??= {} as InvoiceTemplate['kinds'];
    t.words ??= {};
    templates.set(file, t);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Values

/** 2026-10-16 → 16.10.2026, as dates are written in Kazakhstan documents. */
export function displayDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

/** No-break spaces: an amount ("5 000,00 ₸") is never split over two lines. */
export function unbreakable(text: string): string {
  return text.replace(/ /g, '\u00a0');
}

function money(amount: Tiyn): string {
  return unbreakable(formatTenge(amount, { symbol: false }));
}

function nextPeriodOf(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The flat map the template's {placeholders} and `when` flags read. */
export function templateValues(inv: InvoiceDocument, t: InvoiceTemplate): Record<string, string> {
  const [year, month] = inv.period.split('-');
  const m = Number(month) - 1;
  const last = new Date(Date.UTC(Number(year), m + 1, 0)).getUTCDate();
  const [nextYear, nextMonth] = nextPeriodOf(inv.period).split('-');
  const nm = Number(nextMonth) - 1;
  const flag = (b: boolean) => (b ? '1' : '');
  const o = inv.operator;
  const cur = t.currency;
  const st = inv.state;
  const pay = inv.toPay;
  const payAmount = pay.kind === 'due' || pay.kind === 'topup' ? pay.amount : 0;
  const topupDebt = pay.kind === 'topup' ? pay.debt : 0;
  const prepayment = pay.kind === 'topup' || pay.kind === 'covered' || pay.kind === 'nothing' ? pay.prepayment : 0;
  const refund = inv.final && inv.closingBalance > 0 ? inv.closingBalance : 0;
  return {
    number: inv.number,
    period: inv.period,
    period_kk: `${year} жылғы ${t.months.kk[m] ?? month}`,
    period_ru: `${t.months.ru[m] ?? month} ${year} г.`,
    next_period_kk: `${nextYear} жылғы ${t.months.kk[nm] ?? nextMonth}`,
    next_period_ru: `${t.months.ru[nm] ?? nextMonth} ${nextYear} г.`,
    period_start: displayDate(`${inv.period}-01`),
    period_end: displayDate(`${inv.period}-${String(last).padStart(2, '0')}`),
    issued_on: displayDate(inv.issuedOn),
    due_on: displayDate(inv.dueOn),
    terminated_on: inv.terminatedOn ? displayDate(inv.terminatedOn) : '',
    operator_name: o.name,
    operator_bin: o.bin,
    operator_iban: o.iban,
    operator_bank: o.bank,
    operator_bic: o.bic,
    operator_kbe: o.kbe,
    operator_knp: o.knp,
    operator_address: o.address,
    operator_phone: o.phone,
    operator_site: o.site,
    operator_email: o.email,
    subscriber_name: inv.subscriber.name,
    subscriber_iin: inv.subscriber.iin,
    account: inv.account,
    address: inv.address,
    tariff: inv.tariff,
    method_text: inv.method === 'advance' ? (t.words.advance ?? 'advance') : (t.words.credit ?? 'credit'),
    opening: `${inv.openingBalance > 0 ? '+' : ''}${money(inv.openingBalance)}`,
    closing: `${inv.closingBalance > 0 ? '+' : ''}${money(inv.closingBalance)}`,
    principal: money(inv.principal),
    payments: money(inv.payments),
    penalties: money(-inv.penalties),
    amount_due: `${money(inv.amountDue)}\u00a0${cur}`,
    advised_topup: inv.advisedTopup === null ? '' : `${money(inv.advisedTopup)}\u00a0${cur}`,
    next_month_cost: `${money(inv.nextMonthCost)}\u00a0${cur}`,
    // the one amount to pay
    pay_due: flag(pay.kind === 'due'),
    pay_nothing: flag(pay.kind === 'nothing'),
    pay_topup: flag(pay.kind === 'topup'),
    pay_covered: flag(pay.kind === 'covered'),
    pay_amount: `${money(payAmount)}\u00a0${cur}`,
    pay_words_kk: amountInWordsKk(payAmount),
    pay_words_ru: amountInWordsRu(payAmount),
    topup_debt: `${money(topupDebt)}\u00a0${cur}`,
    has_topup_debt: flag(topupDebt > 0),
    prepayment: `${money(prepayment)}\u00a0${cur}`,
    has_prepayment: flag(prepayment > 0),
    // the account's state
    state_active: flag(st.status === 'active'),
    state_funds: flag(st.status === 'suspended' && st.suspendReason === 'funds'),
    state_debt: flag(st.status === 'suspended' && st.suspendReason === 'debt'),
    state_terminated: flag(st.status === 'terminated'),
    since: st.since ? displayDate(st.since) : '',
    restore_with: st.restoreWith === null ? '' : `${money(st.restoreWith)}\u00a0${cur}`,
    by_operator: flag(st.terminatedBy === 'operator'),
    by_subscriber: flag(st.terminatedBy === 'subscriber'),
    refund: `${money(refund)}\u00a0${cur}`,
    has_refund: flag(refund > 0),
    refund_due_on: st.refundDueOn && refund > 0 ? displayDate(st.refundDueOn) : '',
    has_equipment: flag(st.equipment.length > 0),
    equipment_return_by: st.equipmentReturnBy ? displayDate(st.equipmentReturnBy) : '',
    advance: flag(inv.method === 'advance'),
    credit: flag(inv.method === 'credit'),
    advance_going: flag(inv.method === 'advance' && !inv.final),
    final: flag(inv.final),
    has_penalties: flag(inv.penaltyDetails.length > 0),
    has_payments: flag(inv.paymentLines.length > 0),
    has_channels: flag(inv.paymentChannels.length > 0),
    vat_payer: flag(inv.vat.length > 0),
  };
}

/** The rows of an invoice's lists: VAT by rate, penalties by invoice, payment channels, equipment. */
export function invoiceLists(inv: InvoiceDocument, t: InvoiceTemplate): Record<string, ListRows> {
  const cur = t.currency;
  return {
    vat: inv.vat.map((v) => ({ rate: ratePercent(v.rate), vat: `${money(v.vat)}\u00a0${cur}`, turnover: `${money(v.turnover)}\u00a0${cur}` })),
    penalties: inv.penaltyDetails.map((p) => ({
      what: p.base === null ? 'unknown' : 'invoice',
      invoice: p.invoiceNumber ?? '—',
      from: displayDate(p.from),
      to: displayDate(p.to),
      dates: p.from === p.to ? displayDate(p.from) : `${displayDate(p.from)} – ${displayDate(p.to)}`,
      days: String(p.days),
      base: p.base === null ? '' : `${money(p.base)}\u00a0${cur}`,
      rate: p.rate === null ? '' : ratePercent(p.rate),
      amount: `${money(-p.amount)}\u00a0${cur}`,
    })),
    channels: inv.paymentChannels.map((text) => ({ text })),
    equipment: inv.state.equipment.map((e) => ({ serial: e.serial, model: e.model ?? '', cost: `${money(e.cost)}\u00a0${cur}` })),
  };
}

export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function lineCells(line: InvoiceLine, t: InvoiceTemplate, sign: 1 | -1): Record<Column['field'], string> {
  const name = t.kinds[line.kind] ?? line.kind;
  const dates = line.from === line.to ? displayDate(line.from) : `${displayDate(line.from)} – ${displayDate(line.to)}`;
  const per = line.price ? (line.price.per === 'month' ? (t.words.per_month ?? '/month') : (t.words.per_day ?? '/day')) : '';
  return {
    kind: line.memo ? `${name}: ${line.memo}` : name,
    dates,
    days: line.days === null ? '' : String(line.days),
    price: line.price ? `${money(line.price.amount)}${per}` : '',
    // Charges print as positive amounts, credits that give a charge back as negative.
    amount: money(sign * line.amount),
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing

class Writer {
  left: number;
  width: number;
  private readonly bottom: number;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly t: InvoiceTemplate,
    readonly fonts: FontSet,
  ) {
    const m = t.page.margins;
    this.left = m.left;
    this.width = doc.page.width - m.left - m.right;
    this.bottom = doc.page.height - m.bottom;
  }

  /** Every string passes here: a character the font lacks would print as a box, so it is refused. */
  checked(text: string): string {
    const missing = this.fonts.missingGlyphs(text);
    if (missing.length > 0) {
      throw new Error(`the invoice font has no glyph for ${missing.map((c) => `"${c}" U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(', ')}`);
    }
    return text;
  }

  font(bold: boolean, size: number, color = this.t.colors.text): this {
    this.doc.font(bold ? 'bold' : 'regular').fontSize(size).fillColor(color);
    return this;
  }

  room(height: number): void {
    if (this.doc.y + height > this.bottom) {
      this.doc.addPage();
      this.doc.y = this.t.page.margins.top;
    }
  }

  text(text: string, options: { x?: number; width?: number; align?: 'left' | 'right' | 'center'; gap?: number } = {}): void {
    const s = this.checked(text);
    const width = options.width ?? this.width;
    this.room(this.doc.heightOfString(s, { width }));
    this.doc.text(s, options.x ?? this.left, this.doc.y, { width, align: options.align ?? 'left' });
    if (options.gap) this.doc.moveDown(options.gap);
  }

  /** Cells side by side; the row is as tall as its tallest cell. */
  row(cells: { text: string; width: number; align?: 'left' | 'right'; bold?: boolean }[], size: number, shade?: string, pad = 3): void {
    const heights = cells.map((c) => this.font(Boolean(c.bold), size).doc.heightOfString(this.checked(c.text), { width: c.width - 4 }));
    const h = Math.max(...heights) + pad;
    this.room(h);
    const y = this.doc.y;
    if (shade) this.doc.rect(this.left, y - 1, this.width, h).fill(shade);
    let x = this.left;
    for (const c of cells) {
      this.font(Boolean(c.bold), size).doc.text(c.text, x + 2, y + pad / 2, { width: c.width - 4, align: c.align ?? 'left' });
      x += c.width;
    }
    this.doc.x = this.left;
    this.doc.y = y + h;
  }

  rule(): void {
    this.room(6);
    const y = this.doc.y + 2;
    this.doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.5).strokeColor(this.t.colors.rule).stroke();
    this.doc.y = y + 4;
  }
}

function drawSection(w: Writer, s: Section, inv: InvoiceDocument | undefined, values: Record<string, string>, lists: Record<string, ListRows>): void {
  const t = w.t;
  if (s.when && !values[s.when]) return;
  if (s.unless && values[s.unless]) return;
  switch (s.type) {
    case 'title':
      w.font(true, t.sizes.title).text(fill(s.text, values), { align: 'center' });
      if (s.sub) w.font(false, t.sizes.text).text(fill(s.sub, values), { align: 'center', gap: 0.5 });
      return;
    case 'heading':
      w.font(true, t.sizes.heading).text(fill(s.text, values), { gap: 0.1 });
      return;
    case 'note':
      w.font(true, t.sizes.text).text(fill(s.text, values), { gap: 0.3 });
      return;
    case 'text':
      w.font(Boolean(s.bold), t.sizes.text).text(fill(s.text, values), { gap: 0.2 });
      return;
    case 'small':
      w.font(false, t.sizes.small, t.colors.muted).text(fill(s.text, values), { gap: 0.2 });
      return;
    case 'rule':
      w.rule();
      return;
    case 'columns': {
      // parts side by side, each in its share of the width; the next section starts below the tallest
      const { left, width } = w;
      const top = w.doc.y;
      const gap = 10;
      const each = (width - gap * (s.parts.length - 1)) / s.parts.length;
      let bottom = top;
      s.parts.forEach((part, i) => {
        w.left = left + i * (each + gap);
        w.width = each;
        w.doc.y = top;
        drawSection(w, part, inv, values, lists);
        bottom = Math.max(bottom, w.doc.y);
      });
      w.left = left;
      w.width = width;
      w.doc.x = left;
      w.doc.y = bottom;
      return;
    }
    case 'list': {
      const rows = lists[s.source] ?? [];
      if (rows.length === 0 && !s.empty) return;
      if (s.heading) w.font(true, t.sizes.heading).text(fill(s.heading, values));
      if (rows.length === 0 && s.empty) w.font(false, t.sizes.text).text(fill(s.empty, values));
      const size = s.small ? t.sizes.small : t.sizes.text;
      for (const r of rows) {
        const pattern = typeof s.label === 'object' ? (s.label[r.what ?? ''] ?? s.label.default ?? '{label}') : (s.label ?? '{label}');
        const label = fill(fill(pattern, r), values);
        const value = fill(s.value ?? '{value}', r);
        if (value === '') w.row([{ text: label, width: w.width }], size, undefined, 2);
        else w.row([{ text: label, width: w.width * 0.76 }, { text: value, width: w.width * 0.24, align: 'right' }], size, undefined, 2);
      }
      w.doc.moveDown(0.2);
      return;
    }
    case 'fields': {
      w.font(true, t.sizes.heading).text(fill(s.heading, values));
      const labelWidth = w.width * 0.36;
      for (const [label, value] of s.rows) {
        w.row(
          [
            { text: fill(label, values), width: labelWidth },
            { text: fill(value, values), width: w.width - labelWidth, bold: true },
          ],
          t.sizes.text,
          undefined,
          2,
        );
      }
      w.doc.moveDown(0.3);
      return;
    }
    case 'amount': {
      const size = s.big ? (t.sizes.big ?? t.sizes.title) : s.bold ? t.sizes.heading : t.sizes.text;
      w.row(
        [
          { text: fill(s.label, values), width: w.width * 0.7, bold: Boolean(s.bold) },
          { text: fill(s.value, values), width: w.width * 0.3, align: 'right', bold: true },
        ],
        size,
        s.shade ? t.colors.shade : undefined,
        s.big ? 6 : 3,
      );
      w.doc.moveDown(0.15);
      return;
    }
    case 'table': {
      if (!inv) throw new Error(`template section "${s.heading}": a table needs an invoice's lines`);
      const source = s.source === 'lines' ? inv.lines : inv.paymentLines;
      const sign = s.source === 'payments' ? 1 : -1;
      w.font(true, t.sizes.heading).text(fill(s.heading, values));
      const widths = s.columns.map((c) => c.width * w.width);
      w.row(s.columns.map((c, i) => ({ text: fill(c.title, values), width: widths[i]!, align: c.align, bold: true })), t.sizes.small, t.colors.shade);
      if (source.length === 0 && s.empty) w.row([{ text: fill(s.empty, values), width: w.width }], t.sizes.text);
      for (const line of source) {
        const cells = lineCells(line, t, sign);
        w.row(s.columns.map((c, i) => ({ text: cells[c.field], width: widths[i]!, align: c.align })), t.sizes.text, undefined, 2);
      }
      if (s.total) {
        w.row(
          [
            { text: fill(s.total.label, values), width: w.width * 0.7, bold: true },
            { text: fill(s.total.value, values), width: w.width * 0.3, align: 'right', bold: true },
          ],
          t.sizes.text,
        );
      }
      w.doc.moveDown(0.3);
      return;
    }
  }
}

/** What a PDF says about itself. The creation date is the document's own date, not "now": a regenerated document is the same document. */
export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  createdOn: string;
}

/**
 * Renders a template's sections with the given values: the engine behind the invoice and the
 * termination notice. Table sections draw an invoice's lines, so they need `inv`.
 */
export async function renderTemplatePdf(
  t: InvoiceTemplate,
  values: Record<string, string>,
  info: DocumentInfo,
  inv?: InvoiceDocument,
  lists: Record<string, ListRows> = {},
): Promise<Buffer> {
  const fonts = loadFonts(t.fonts.regular, t.fonts.bold);
  const m = t.page.margins;
  const doc = new (pdfDocumentClass())({
    size: t.page.size,
    margins: m,
    font: null as unknown as string, // no Helvetica: pdfkit would parse its AFM for every document
    bufferPages: false,
    info: { Title: info.title, Author: info.author, Subject: info.subject, CreationDate: new Date(`${info.createdOn}T00:00:00+05:00`) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  fonts.attach(doc);
  const w = new Writer(doc, t, fonts);
  w.font(false, t.sizes.text);
  doc.x = m.left;
  doc.y = m.top;
  for (const section of t.sections) drawSection(w, section, inv, values, lists);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** Renders one invoice to PDF bytes. */
export async function renderInvoicePdf(inv: InvoiceDocument, templateFile: string = DEFAULT_TEMPLATE): Promise<Buffer> {
  const t = loadTemplate(templateFile);
  return renderTemplatePdf(t, templateValues(inv, t), {
    title: `${inv.number} ${inv.period}`,
    author: inv.operator.name,
    subject: `Шот / Счёт ${inv.number}, ${inv.account}`,
    createdOn: inv.issuedOn,
  }, inv, invoiceLists(inv, t));
}

/** Writes a file under a temporary name, then renames it: the file is whole or absent. */
export async function writeFileAtomically(file: string, bytes: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}

/** Renders one invoice to its file: a temporary name first, then renamed, so the file is whole or absent. */
export async function renderInvoiceFile(task: RenderTask): Promise<RenderResult> {
  const pdf = await renderInvoicePdf(task.invoice, task.template);
  await writeFileAtomically(task.file, pdf);
  return { file: task.file, bytes: pdf.length };
}
