// The invoice PDF: A4, Kazakh with Russian alongside, laid out from templates/invoice.json (wording
// and layout are data; this file only knows how to draw the section types). Runs in worker threads
// (worker.ts) and, as a fallback, on the main thread: it touches no database, only its input.
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { EntryKind } from '../../domain/entries.js';
import type { InvoiceLine } from '../../domain/invoice.js';
import { formatTenge, type Tiyn } from '../../domain/money.js';
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
  field: 'kind' | 'dates' | 'days' | 'amount';
  width: number;
  align?: 'left' | 'right';
}

/** Rows of a `list` section: a label and an amount, as many as the document has (the debt demand's breakdown). */
export type ListRows = readonly { label: string; value: string }[];

/** `when`: drawn only if that value is not empty; `unless`: only if it is. */
type Section = (
  | { type: 'title'; text: string; sub?: string; when?: string }
  | { type: 'note' | 'text' | 'small'; text: string; when?: string; bold?: boolean }
  | { type: 'fields'; heading: string; rows: [string, string][]; when?: string }
  | { type: 'amount'; label: string; value: string; when?: string; bold?: boolean; shade?: boolean }
  | { type: 'table'; heading: string; source: 'lines' | 'payments' | 'penalties'; empty?: string; columns: Column[]; total?: { label: string; value: string }; when?: string }
  | { type: 'list'; heading?: string; source: string; when?: string }
  | { type: 'rule'; when?: string }
) & { unless?: string };

export interface InvoiceTemplate {
  page: { size: string; margins: { top: number; bottom: number; left: number; right: number } };
  fonts: { regular: string; bold: string };
  sizes: { title: number; heading: number; text: number; small: number };
  colors: { text: string; muted: string; rule: string; shade: string };
  months: { kk: string[]; ru: string[] };
  currency: string;
  kinds: Record<EntryKind, string>;
  sections: Section[];
}

const templates = new Map<string, InvoiceTemplate>();

/** Reads a template once per process. */
export function loadTemplate(file: string = DEFAULT_TEMPLATE): InvoiceTemplate {
  let t = templates.get(file);
  if (!t) {
    t = JSON.parse(readFileSync(file, 'utf8').replace(/^\ufeff/, '')) as InvoiceTemplate;
    if (!Array.isArray(t.sections) || !t.fonts || !t.page || !t.sizes) throw new Error(`${file}: not a document template (page, fonts, sizes, sections)`);
    t.kinds ??= {} as InvoiceTemplate['kinds'];
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

function money(amount: Tiyn): string {
  return formatTenge(amount, { symbol: false });
}

/** The flat map the template's {placeholders} and `when` flags read. */
export function templateValues(inv: InvoiceDocument, t: InvoiceTemplate): Record<string, string> {
  const [year, month] = inv.period.split('-');
  const m = Number(month) - 1;
  const last = new Date(Date.UTC(Number(year), m + 1, 0)).getUTCDate();
  const flag = (b: boolean) => (b ? '1' : '');
  const o = inv.operator;
  return {
    number: inv.number,
    period: inv.period,
    period_kk: `${year} жылғы ${t.months.kk[m] ?? month}`,
    period_ru: `${t.months.ru[m] ?? month} ${year} г.`,
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
    method_text: inv.method === 'advance' ? 'аванстық / авансовый (предоплата)' : 'кредиттік / кредитный (постоплата)',
    opening: `${inv.openingBalance > 0 ? '+' : ''}${money(inv.openingBalance)}`,
    closing: `${inv.closingBalance > 0 ? '+' : ''}${money(inv.closingBalance)}`,
    principal: money(inv.principal),
    payments: money(inv.payments),
    penalties: money(-inv.penalties),
    amount_due: `${money(inv.amountDue)} ${t.currency}`,
    amount_due_kk: amountInWordsKk(inv.amountDue),
    amount_due_ru: amountInWordsRu(inv.amountDue),
    advised_topup: inv.advisedTopup === null ? '' : `${money(inv.advisedTopup)} ${t.currency}`,
    next_month_cost: money(inv.nextMonthCost),
    advance: flag(inv.method === 'advance'),
    credit: flag(inv.method === 'credit'),
    final: flag(inv.final),
    has_penalties: flag(inv.penaltyLines.length > 0),
    has_payments: flag(inv.paymentLines.length > 0),
  };
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function lineCells(line: InvoiceLine, t: InvoiceTemplate, sign: 1 | -1): Record<Column['field'], string> {
  const name = t.kinds[line.kind] ?? line.kind;
  const dates = line.from === line.to ? displayDate(line.from) : `${displayDate(line.from)} – ${displayDate(line.to)}`;
  return {
    kind: line.memo ? `${name}: ${line.memo}` : name,
    dates,
    days: line.days === null ? '' : String(line.days),
    // Charges print as positive amounts, credits that give a charge back as negative.
    amount: money(sign * line.amount),
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing

class Writer {
  readonly left: number;
  readonly width: number;
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
  row(cells: { text: string; width: number; align?: 'left' | 'right'; bold?: boolean }[], size: number, shade?: string): void {
    const heights = cells.map((c) => this.font(Boolean(c.bold), size).doc.heightOfString(this.checked(c.text), { width: c.width - 4 }));
    const h = Math.max(...heights) + 3;
    this.room(h);
    const y = this.doc.y;
    if (shade) this.doc.rect(this.left, y - 1, this.width, h).fill(shade);
    let x = this.left;
    for (const c of cells) {
      this.font(Boolean(c.bold), size).doc.text(c.text, x + 2, y + 1, { width: c.width - 4, align: c.align ?? 'left' });
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
      if (s.sub) w.font(false, t.sizes.text).text(fill(s.sub, values), { align: 'center', gap: 0.6 });
      return;
    case 'note':
      w.font(true, t.sizes.text).text(fill(s.text, values), { gap: 0.4 });
      return;
    case 'text':
      w.font(Boolean(s.bold), t.sizes.text).text(fill(s.text, values), { gap: 0.2 });
      return;
    case 'small':
      w.font(false, t.sizes.small, t.colors.muted).text(fill(s.text, values), { gap: 0.3 });
      return;
    case 'rule':
      w.rule();
      return;
    case 'list': {
      if (s.heading) w.font(true, t.sizes.heading).text(fill(s.heading, values));
      for (const r of lists[s.source] ?? []) {
        w.row(
          [
            { text: r.label, width: w.width * 0.72 },
            { text: r.value, width: w.width * 0.28, align: 'right' },
          ],
          t.sizes.text,
        );
      }
      w.doc.moveDown(0.2);
      return;
    }
    case 'fields': {
      w.font(true, t.sizes.heading).text(fill(s.heading, values));
      const labelWidth = w.width * 0.34;
      for (const [label, value] of s.rows) {
        w.row(
          [
            { text: fill(label, values), width: labelWidth },
            { text: fill(value, values), width: w.width - labelWidth, bold: true },
          ],
          t.sizes.text,
        );
      }
      w.doc.moveDown(0.5);
      return;
    }
    case 'amount':
      w.row(
        [
          { text: fill(s.label, values), width: w.width * 0.72, bold: Boolean(s.bold) },
          { text: fill(s.value, values), width: w.width * 0.28, align: 'right', bold: true },
        ],
        s.bold ? t.sizes.heading : t.sizes.text,
        s.shade ? t.colors.shade : undefined,
      );
      w.doc.moveDown(0.2);
      return;
    case 'table': {
      if (!inv) throw new Error(`template section "${s.heading}": a table needs an invoice's lines`);
      const source = s.source === 'lines' ? inv.lines : s.source === 'payments' ? inv.paymentLines : inv.penaltyLines;
      const sign = s.source === 'payments' ? 1 : -1;
      w.font(true, t.sizes.heading).text(fill(s.heading, values));
      const widths = s.columns.map((c) => c.width * w.width);
      w.row(s.columns.map((c, i) => ({ text: fill(c.title, values), width: widths[i]!, align: c.align, bold: true })), t.sizes.small, t.colors.shade);
      if (source.length === 0 && s.empty) w.row([{ text: fill(s.empty, values), width: w.width }], t.sizes.text);
      for (const line of source) {
        const cells = lineCells(line, t, sign);
        w.row(s.columns.map((c, i) => ({ text: cells[c.field], width: widths[i]!, align: c.align })), t.sizes.text);
      }
      if (s.total) {
        w.row(
          [
            { text: fill(s.total.label, values), width: w.width * 0.72, bold: true },
            { text: fill(s.total.value, values), width: w.width * 0.28, align: 'right', bold: true },
          ],
          t.sizes.text,
        );
      }
      w.doc.moveDown(0.5);
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
  const doc = new PDFDocument({
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
  }, inv);
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
