// The invoice fonts, parsed ONCE per process (per worker thread: each worker has its own module
// instance) and reused by every document.
//
// Why this matters: pdfkit 0.17 parses a font every time a document selects it — `doc.font(path or
// buffer)` ends in `fontkit.create(bytes)` (PDFFontFactory.open) — and its caches live on the
// document, so a fresh document per invoice re-parses DejaVuSans (757 KB) and re-decodes its tables:
// measured here ~50 ms per small invoice against ~8 ms with a shared parsed font. pdfkit 0.17 does not
// accept an already-parsed fontkit Font (upstream added that later: foliojs/pdfkit PR #1776,
// "accept pre-parsed fontkit Font instances in doc.font()", duck-typed by `font.layout`), and
// fontkit's module exports cannot be wrapped. So at load time we probe once:
//   - if this pdfkit takes a fontkit Font, documents get it through `registerFont(name, font)`;
//   - otherwise we take pdfkit's own EmbeddedFont class from a probe document and give each new
//     document its own EmbeddedFont (per-document subset, widths and dictionary, as pdfkit makes
//     them) over the one shared parsed fontkit Font, registered under a name in the document's font
//     table so that `doc.font(name)` finds it.
// Either way the bytes are read and parsed once; each document embeds only the glyphs it used.
//
// pdfkit also caches the layout (shaping) of each word on the EmbeddedFont, that is per document.
// A layout depends only on the font and the word (the per-document subset and widths are filled
// later, in encode), so documents of one process share one cache per font; it is dropped and started
// afresh past LAYOUT_CACHE_MAX words (account numbers and amounts make it grow with N otherwise).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as fontkit from 'fontkit';
import { pdfDocumentClass } from './pdfkit.js';

const require = createRequire(import.meta.url);
// fontkit, like pdfkit (./pdfkit.ts), is loaded with the first font parsed, not when esep starts
let fontkitModule: typeof fontkit | undefined;
const fontkitLoaded = (): typeof fontkit => (fontkitModule ??= require('fontkit') as typeof fontkit);

/** Where the dejavu-fonts-ttf package keeps its TrueType files. */
export function fontFile(name: string): string {
  return path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', name);
}

export interface FontSet {
  /** Registers the fonts on a new document as 'regular' and 'bold'. */
  attach(doc: PDFKit.PDFDocument): void;
  /** Whether every character of the text has a glyph (else it would print as a box or a blank). */
  missingGlyphs(text: string): string[];
  mode: 'native' | 'shared-embedded';
}

interface EmbeddedFontInternals {
  layoutCache?: Record<string, unknown>;
}

interface PdfKitInternals {
  _font: EmbeddedFontInternals & { constructor: new (doc: unknown, font: fontkit.Font, id: string) => EmbeddedFontInternals };
  _fontFamilies: Record<string, unknown>;
  _fontCount: number;
}

/** Words kept in a shared layout cache before it is started afresh (bounded memory over any N). */
export const LAYOUT_CACHE_MAX = 20_000;

let parses = 0;
const cache = new Map<string, FontSet>();

/** How many times this process has parsed a font file (tests check it stays at one per file). */
export function fontParseCount(): number {
  return parses;
}

interface GlyphCache {
  getGlyph(id: number, codePoints?: number[]): { codePoints: number[] };
}

function parse(file: string): { bytes: Buffer; font: fontkit.Font } {
  const bytes = readFileSync(fontFile(file));
  parses++;
  const font = fontkitLoaded().create(bytes) as fontkit.Font;
  // fontkit keeps one glyph object per glyph id, with the code points of the first call. Subsetting
  // asks for the components of composite glyphs without code points (DejaVu's Cyrillic М, Т, О are
  // built from the Latin M, T, O), and since the parsed font outlives a document, a later document's
  // Latin "MT" would reuse those glyphs and map to no text in its ToUnicode table: the PDF shows the
  // letters, but a copy, a search or a text extraction gets other ones. A glyph asked for with its
  // code points gets them.
  const glyphs = font as unknown as GlyphCache;
  const getGlyph = glyphs.getGlyph.bind(font);
  glyphs.getGlyph = (id, codePoints = []) => {
    const glyph = getGlyph(id, codePoints);
    if (codePoints.length > 0 && glyph.codePoints.length === 0) glyph.codePoints = codePoints;
    return glyph;
  };
  return { bytes, font };
}

/** The regular and bold fonts, parsed on first use and then reused for the life of the process. */
export function loadFonts(regularFile: string, boldFile: string): FontSet {
  const cacheKey = `${regularFile}\0${boldFile}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const regular = parse(regularFile);
  const bold = parse(boldFile);

  const probe = new (pdfDocumentClass())({ font: null as unknown as string, autoFirstPage: false });
  let mode: FontSet['mode'];
  let Embedded: PdfKitInternals['_font']['constructor'] | undefined;
  try {
    probe.font(regular.font as unknown as string);
    mode = 'native';
  } catch {
    // Parses the bytes a second time, once per process, only to learn pdfkit's EmbeddedFont class.
    probe.font(regular.bytes as unknown as string);
    Embedded = (probe as unknown as PdfKitInternals)._font.constructor;
    mode = 'shared-embedded';
  }

  const glyphCache = new Map<number, boolean>();
  const layouts = { regular: Object.create(null) as Record<string, unknown>, bold: Object.create(null) as Record<string, unknown> };
  let documents = 0;
  const shareLayouts = (font: EmbeddedFontInternals, which: 'regular' | 'bold') => {
    // pdfkit leaves layoutCache undefined when a document asks for no cache (fontLayoutCache: false)
    if (font.layoutCache) font.layoutCache = layouts[which];
  };
  const set: FontSet = {
    mode,
    attach(doc) {
      if (++documents % 100 === 0) {
        for (const which of ['regular', 'bold'] as const) {
          if (Object.keys(layouts[which]).length > LAYOUT_CACHE_MAX) layouts[which] = Object.create(null) as Record<string, unknown>;
        }
      }
      const d = doc as unknown as PdfKitInternals;
      if (mode === 'native') {
        doc.registerFont('regular', regular.font as unknown as string);
        doc.registerFont('bold', bold.font as unknown as string);
        for (const which of ['regular', 'bold'] as const) {
          doc.font(which);
          shareLayouts(d._font, which);
        }
        return;
      }
      const r = new Embedded!(doc, regular.font, `F${++d._fontCount}`);
      const b = new Embedded!(doc, bold.font, `F${++d._fontCount}`);
      shareLayouts(r, 'regular');
      shareLayouts(b, 'bold');
      d._fontFamilies.regular = r;
      d._fontFamilies.bold = b;
    },
    missingGlyphs(text) {
      const missing: string[] = [];
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (cp < 0x20) continue;
        let has = glyphCache.get(cp);
        if (has === undefined) {
          has = regular.font.hasGlyphForCodePoint(cp) && bold.font.hasGlyphForCodePoint(cp);
          glyphCache.set(cp, has);
        }
        if (!has) missing.push(ch);
      }
      return missing;
    },
  };
  cache.set(cacheKey, set);
  return set;
}
