// The text of a PDF is the text drawn, in every document of a process: the fonts are parsed once and
// shared, and a glyph that the first document's subset met only as a component of a composite glyph
// (DejaVu's Cyrillic М, Т, О are built from the Latin M, T, O) must still map to its letter in a
// later document's ToUnicode table, or a copy, a search or a text extraction gets other letters.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate, renderTemplatePdf } from '../../src/io/pdf/render.js';
import { pdfText } from '../helpers/pdf.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();

async function render(name: string, text: string): Promise<string> {
  const t = loadTemplate();
  const pdf = await renderTemplatePdf({ ...t, sections: [{ type: 'text', text }] }, {}, { title: name, author: 'esep', subject: name, createdOn: '2026-11-01' });
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

describe('PDF text', () => {
  it('a later document of the same process extracts Latin letters that an earlier one used only inside Cyrillic ones', async () => {
    // Cyrillic capitals only: the subset of this document takes the Latin M, T, O as components
    await render('first', 'ШОТ / СЧЁТ МОТ ТОМ');
    const second = await render('second', 'MT-2026-000003 ONT-5005');
    expect(await pdfText(second)).toContain('MT-2026-000003 ONT-5005');
  });
});
