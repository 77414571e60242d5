// pdfkit is loaded with the first document drawn, not when esep starts: most commands draw no PDF,
// and every command is a process of its own (cron, scripts, the tests), so each would pay for it.
import { createRequire } from 'node:module';
import type PDFKitDocument from 'pdfkit';

const require = createRequire(import.meta.url);
let loaded: typeof PDFKitDocument | undefined;

/** pdfkit's document class, loaded once on first use. */
export function pdfDocumentClass(): typeof PDFKitDocument {
  return (loaded ??= require('pdfkit') as typeof PDFKitDocument);
}
