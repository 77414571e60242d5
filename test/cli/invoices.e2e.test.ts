// Month-end end to end: the built binary (bin/esep → dist/, so PDFs are rendered by the piscina
// worker threads), a temporary database, real files. Run `npm run build` first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../helpers/pdf.js';
import { esep, esepJson, initWorld } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A, IIN_B } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();


interface RunJson {
  counts: Record<string, number>;
  renderer: string;
  threads: number;
  registry: string;
  failures: unknown[];
}

// Each step spawns the binary (and the run starts worker threads): generous time on a busy machine.
const SLOW = 120_000;

describe('esep run invoices', () => {
  const db = path.join(dir, 'month-end.db');
  const out = path.join(dir, 'invoices');

  it('issues, renders in worker threads, writes the registry, and verify passes', async () => {
    const accounts = [
      ACCOUNT_HEADER,
      `1001,${IIN_A},Гауһар Әбенқызы,"г. Алматы, пр. Абая, 1",,,credit,HOME100,2026-10-16,yes`,
      `1002,${IIN_B},Иванова Мария,"г. Астана, ул. Кенесары, 5",,,advance,HOME300,2026-10-01,no`,
    ].join('\n');
    initWorld(db, dir, accounts, '2026-10-01');

    // an advance account's statement waits for the month's daily debits: bad usage, exit 2
    const early = esep(db, 'run', 'invoices', '--period', '2026-10', '--out', out);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('run `esep run debit --date 2026-10-31` first');
    expect(esep(db, 'run', 'debit', '--date', '2026-10-31').code).toBe(0);

    const run = esepJson<RunJson>(db, 'run', 'invoices', '--period', '2026-10', '--out', out);
    expect(run.renderer).toBe('workers');
    expect(run.threads).toBeGreaterThanOrEqual(1);
    expect(run.failures).toEqual([]);
    expect(run.counts).toMatchObject({ accounts: 2, invoices: 2, pdfs: 2 });
    const files = readdirSync(path.join(out, '2026-10')).sort();
    expect(files).toEqual(['MT-2026-000001.pdf', 'MT-2026-000002.pdf', 'registry-2026-10.csv']);

    // rendered by a worker: 1001 owes installation 10 000 + 5000 × 16/31 = 2580,65 → 12 580,65 ₸
    const text = await pdfText(path.join(out, '2026-10', 'MT-2026-000001.pdf'));
    expect(text).toContain('MT-2026-000001');
    expect(text).toContain('12 580,65 ₸');
    expect(text).toContain('он екі мың бес жүз сексен теңге 65 тиын');
    expect(text).toContain('двенадцать тысяч пятьсот восемьдесят тенге 65 тиын');
    for (const letter of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і', '₸']) expect(text).toContain(letter);

    const csv = readFileSync(run.registry, 'utf8');
    expect(csv.startsWith('number,account,name,')).toBe(true);
    expect(csv).toContain(`MT-2026-000001,1001,Гауһар Әбенқызы,${IIN_A},2026-10,2026-11-01,2026-11-25,12580.65,12580.65,,no,MT-2026-000001.pdf`);

    const verify = esep(db, 'verify');
    expect(verify.stdout).toContain('all invariants hold');
    expect(verify.code).toBe(0);
  }, SLOW);

  it('a rerun issues nothing; --reissue rewrites the files with the same numbers', () => {
    const again = esepJson<RunJson>(db, 'run', 'invoices', '--period', '2026-10', '--out', out);
    expect(again.counts.invoices ?? 0).toBe(0);
    expect(again.counts.charges ?? 0).toBe(0);
    const reissue = esep(db, 'run', 'invoices', '--period', '2026-10', '--out', out, '--reissue');
    expect(reissue.code).toBe(0);
    expect(reissue.stdout).toContain('0 invoices issued');
    expect(reissue.stdout).toContain('2 PDFs written');
    expect(existsSync(path.join(out, '2026-10', 'MT-2026-000002.pdf'))).toBe(true);
    expect(readdirSync(path.join(out, '2026-10')).filter((f) => f.endsWith('.pdf'))).toHaveLength(2);
    expect(esep(db, 'verify').code).toBe(0);
  }, SLOW);

  it('refuses bad input with exit 2', () => {
    expect(esep(db, 'run', 'invoices', '--period', '2026-13').code).toBe(2);
    const early = esep(db, 'run', 'invoices', '--period', '2026-11', '--date', '2026-11-30');
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('only after the period has ended');
  }, SLOW);
});
