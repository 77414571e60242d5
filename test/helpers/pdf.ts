// The text of a PDF, as a reader's copy-paste would give it, extracted with pdfjs-dist.
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Every page's text; runs of white space folded to one space, so a wrapped label still matches. */
export async function pdfText(file: string): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
  const parts: string[] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const content = await (await pdf.getPage(p)).getTextContent();
    for (const item of content.items) if ('str' in item) parts.push(item.str, item.hasEOL ? '\n' : ' ');
  }
  await pdf.destroy();
  return parts.join('').replace(/\s+/g, ' ');
}
