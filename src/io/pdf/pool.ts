// Rendering invoices in worker threads (piscina), one per core by default.
//
// The worker is the compiled module next to this one (dist/io/pdf/worker.js). Under vitest the
// sources are TypeScript and Node 20 cannot start a .ts worker, so when worker.js is not beside this
// module the renderer falls back to rendering on the calling thread, with the same code. The built
// binary always has worker.js beside pool.js; its end-to-end test checks that it used the pool.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { renderInvoiceFile, type RenderResult, type RenderTask } from './render.js';

export interface Renderer {
  /** 'workers' or 'in-process'. */
  mode: 'workers' | 'in-process';
  threads: number;
  render(task: RenderTask): Promise<RenderResult>;
  close(): Promise<void>;
}

export const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** ESEP_PDF_THREADS=N: N worker threads; 0 renders on the calling thread. Default: one per core. */
export function threadsWanted(requested?: number): number {
  if (requested !== undefined) return requested;
  const fromEnv = process.env.ESEP_PDF_THREADS;
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  return availableParallelism();
}

export function inProcessRenderer(): Renderer {
  return { mode: 'in-process', threads: 1, render: renderInvoiceFile, close: async () => {} };
}

export function createRenderer(options: { threads?: number } = {}): Renderer {
  const threads = threadsWanted(options.threads);
  if (threads === 0 || !existsSync(WORKER_FILE)) return inProcessRenderer();
  const pool = new Piscina<RenderTask, RenderResult>({
    filename: WORKER_FILE,
    minThreads: threads,
    maxThreads: threads,
    // No queue limit here: the caller hands out at most two pages of tasks at a time (jobs/invoices.ts).
    idleTimeout: 1000,
  });
  return {
    mode: 'workers',
    threads,
    render: (task) => pool.run(task),
    close: () => pool.destroy(),
  };
}
