// D-13 through the job and the operator settings: the VAT an invoice stores and prints, none for an
// operator that is not a VAT payer, rate versions that change only days not yet invoiced, and the
// operator file's VAT and payment settings checked with their errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { getOperator, paymentChannelsOf, saveOperator, vatRateVersions, vatRatesJson } from '../../src/db/operator.js';
import { InputError } from '../../src/domain/errors.js';
import { NOT_A_VAT_PAYER } from '../../src/domain/vat.js';
import { parseOperator } from '../../src/jobs/import-operator.js';
import { runInvoices } from '../../src/jobs/invoices.js';
import { inProcessRenderer } from '../../src/io/pdf/pool.js';
import { IIN_A, TEST_OPERATOR } from '../helpers/fixtures.js';
import { pdfText } from '../helpers/pdf.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
let db: Db;
let n = 0;

function world(vatRates?: string) {
  db = openDatabase(':memory:');
  saveOperator(db, { ...TEST_OPERATOR, ...(vatRates ? { vatRates } : {}) });
  db.sqlite.prepare(`INSERT INTO tariffs (code, name) VALUES ('PLAIN', 'Plain')`).run();
  // 5 000 ₸ a month
  db.sqlite.prepare(`INSERT INTO tariff_prices (tariff_code, effective_from, monthly_fee, port_fee, installation_fee) VALUES ('PLAIN', '0001-01-01', 500000, 0, 0)`).run();
  db.sqlite.prepare('INSERT INTO subscribers (iin, name) VALUES (?, ?)').run(IIN_A, 'Гауһар Әбенқызы');
  db.sqlite
    .prepare(`INSERT INTO accounts (account, iin, method, tariff_code, connected_on, status, premises_owned, address) VALUES ('1001', ?, 'credit', 'PLAIN', '2026-01-01', 'active', 1, 'г. Алматы')`)
    .run(IIN_A);
}

async function october() {
  const out = path.join(dir, `out-${++n}`);
  await runInvoices(db, { period: '2026-10', outDir: out, renderer: inProcessRenderer() });
  const row = db.sqlite.prepare(`SELECT vat, file FROM invoices WHERE period = '2026-10'`).get() as { vat: number | null; file: string };
  return { row, text: await pdfText(row.file), registry: readFileSync(path.join(out, '2026-10', 'registry-2026-10.csv'), 'utf8') };
}

describe('the VAT of an invoice', () => {
  beforeEach(() => world());

  it('a VAT payer: stored and printed, 5 000,00 ₸ at 16% includes 689,66 ₸', async () => {
    const { row, text, registry } = await october();
    // 500 000 × 0.16 / 1.16 = 68 965.517… → 68 966 tiyn
    expect(row.vat).toBe(68_966);
    expect(text).toContain('оның ішінде ҚҚС 16% / в т.ч. НДС 16% 689,66 ₸');
    expect(registry).toMatch(/689[.,]66/);
  });

  it('not a VAT payer: no VAT line, nothing stored', async () => {
    world(vatRatesJson(NOT_A_VAT_PAYER));
    const { row, text } = await october();
    expect(row.vat).toBeNull();
    expect(text).not.toContain('НДС');
    expect(text).not.toContain('ҚҚС');
  });

  it('a change of rates applies from the first day not yet invoiced; the invoiced days keep theirs', async () => {
    await october();
    // the operator says it stopped being a VAT payer in 2026: October is invoiced at 16%, so the change applies from 1 November
    saveOperator(db, { ...TEST_OPERATOR, vatRates: vatRatesJson([{ effectiveFrom: '0001-01-01', rate: '0.12' }, { effectiveFrom: '2026-01-01', rate: null }]) });
    expect(vatRateVersions(db)).toEqual([
      { effectiveFrom: '0001-01-01', rate: '0.12' },
      { effectiveFrom: '2026-01-01', rate: '0.16' },
      { effectiveFrom: '2026-11-01', rate: null },
    ]);
    // the same settings again change nothing
    saveOperator(db, { ...TEST_OPERATOR, vatRates: vatRatesJson([{ effectiveFrom: '0001-01-01', rate: '0.12' }, { effectiveFrom: '2026-01-01', rate: null }]) });
    expect(vatRateVersions(db)).toHaveLength(3);
  });
});

describe('the operator file: VAT and how to pay', () => {
  const base = {
    name: 'ТОО «Мысал Телеком»', bin: '190540012345', iban: 'KZ12601A861000123456', bank: 'АО «Народный Банк Казахстана»', bic: 'HSBKKZKX',
    kbe: '17', knp: '859', address: 'г. Алматы', phone: '+7 727 300 00 00', site: 'www.example.kz', email: 'billing@example.kz', invoice_prefix: 'MT',
  };
  const problems = (json: unknown) => {
    try {
      parseOperator(json, 'operator.json');
    } catch (e) {
      if (e instanceof InputError) return e.problems.map((p) => `${p.file}: ${p.field}: ${p.message}`);
      throw e;
    }
    return [];
  };

  it('defaults: 12% before 2026, 16% from 2026, penalties not taxable, no channels', () => {
    const op = parseOperator(base, 'operator.json');
    expect(op.vatRates).toBe('[{"from":"0001-01-01","rate":"0.12"},{"from":"2026-01-01","rate":"0.16"}]');
    expect(op.vatOnPenalties).toBe(0);
    expect(paymentChannelsOf(op)).toEqual([]);
  });

  it('null: not a VAT payer; channels kept as written', () => {
    const op = parseOperator({ ...base, vat_rates: null, payment_channels: ['Kaspi.kz', 'Терминалы'] }, 'operator.json');
    expect(op.vatRates).toBe('[{"from":"0001-01-01","rate":null}]');
    expect(paymentChannelsOf(op)).toEqual(['Kaspi.kz', 'Терминалы']);
    db = openDatabase(':memory:');
    saveOperator(db, op);
    expect(getOperator(db)).toMatchObject({ vatRates: op.vatRates, paymentChannels: '["Kaspi.kz","Терминалы"]' });
    expect(vatRateVersions(db)).toEqual([{ effectiveFrom: '0001-01-01', rate: null }]);
  });

  it('bad settings are refused, each named with the file and field', () => {
    expect(problems({ ...base, vat_rates: [{ from: '2026-01-01', rate: '16%' }] })).toEqual([
      'operator.json: vat_rates.0.rate: a decimal fraction below 1, as text ("0.16" = 16%), or null: not a VAT payer',
    ]);
    expect(problems({ ...base, vat_rates: [{ from: '2026-13-01', rate: '0.16' }] })).toEqual(['operator.json: vat_rates.0.from: a date YYYY-MM-DD']);
    expect(problems({ ...base, vat_rates: [] })).toEqual(['operator.json: vat_rates: at least one version, or null: not a VAT payer']);
    expect(problems({ ...base, vat_rates: [{ from: '2026-01-01', rate: '0.16' }, { from: '2026-01-01', rate: '0.12' }] })).toEqual(['operator.json: vat_rates: two versions from the same date']);
    expect(problems({ ...base, payment_channels: ['Kaspi', ''] })).toEqual(['operator.json: payment_channels.1: a text']);
    expect(problems({ ...base, vat_on_penalties: 'yes' })).toHaveLength(1);
  });
});
