// The piscina worker: renders invoice PDFs in a worker thread. The fonts and the template are loaded
// on the first task and reused by every later one (module state lives as long as the worker).
import { renderInvoiceFile, type RenderResult, type RenderTask } from './render.js';

export default function render(task: RenderTask): Promise<RenderResult> {
  return renderInvoiceFile(task);
}
