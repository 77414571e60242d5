// `esep import operator FILE.json`: the operator's requisites (printed on every invoice) and the
// settings the contract leaves to the operator (penalty rate and cap, grace days), its VAT rate
// versions (D-13) and the ways to pay it lists on its documents.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { inTransaction, type Db } from '../db/connection.js';
import { journalRun, nowIso } from '../db/journal.js';
import { accountsJson, getOperator, paymentChannelsJson, saveOperator, vatRatesJson, type OperatorRow } from '../db/operator.js';
import { isIsoDate } from '../domain/dates.js';
import { DEFAULT_VAT_RATES, isVatRate, NOT_A_VAT_PAYER } from '../domain/vat.js';
import { InputError } from '../domain/errors.js';
import { decodeDetected } from '../io/encoding.js';
import type { FieldChange } from './import-report.js';
import { normaliseIban, validationErrorBic, validationErrorBin, validationErrorIban } from '../domain/identifiers.js';

const checked = (check: (s: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const message = check(value);
  if (message) ctx.addIssue({ code: 'custom', message });
};

export const operatorSchema = z
  .object({
    name: z.string().trim().min(1),
    bin: z.string().trim().superRefine(checked(validationErrorBin)),
    iban: z.string().transform(normaliseIban).superRefine(checked(validationErrorIban)),
    bank: z.string().trim().min(1),
    bic: z.string().trim().superRefine(checked(validationErrorBic)),
    kbe: z.string().regex(/^\d{2}$/, 'Kbe is two digits (e.g. "17")'),
    knp: z.string().regex(/^\d{3}$/, 'KNP is three digits (e.g. "859")'),
    address: z.string().trim().min(1),
    phone: z.string().trim().min(1),
    site: z.string().trim().min(1),
    email: z.email(),
    invoice_prefix: z.string().regex(/^[A-Z]{1,8}$/, 'one to eight capital Latin letters'),
    penalty_rate: z
      .string()
      .regex(/^0(\.\d{1,6})?$/, 'a decimal fraction below 1, as text ("0.005" = 0.5% a day)')
      .default('0.005'),
    penalty_cap_days: z.number().int().min(0).max(366).default(30),
    grace_days: z.number().int().min(0).max(90).default(0),
    // D-13: the VAT rate versions by date; null: not a VAT payer (default 12% before 2026, 16% from 2026)
    vat_rates: z
      .array(
        z
          .object({
            from: z.string().refine(isIsoDate, 'a date YYYY-MM-DD'),
            rate: z.string().refine(isVatRate, 'a decimal fraction below 1, as text ("0.16" = 16%), or null: not a VAT payer').nullable(),
          })
          .strict(),
      )
      .min(1, 'at least one version, or null: not a VAT payer')
      .refine((v) => new Set(v.map((x) => x.from)).size === v.length, 'two versions from the same date')
      .nullable()
      .default(DEFAULT_VAT_RATES.map((v) => ({ from: v.effectiveFrom, rate: v.rate }))),
    vat_on_penalties: z.boolean().default(false),
    // how to pay, as printed on invoices and notices: one text per channel (bank transfer, Kaspi, terminals)
    payment_channels: z.array(z.string().trim().min(1, 'a text')).max(8).default([]),
    // the bank accounts whose statements are the operator's (docs/payments.md); the iban is always one of them
    accounts: z.array(z.string().transform(normaliseIban).superRefine(checked(validationErrorIban))).max(20).default([]),
  })
  .strict();

export function parseOperator(json: unknown, source: string): OperatorRow {
  const result = operatorSchema.safeParse(json);
  if (!result.success) {
    throw new InputError(
      result.error.issues.map((issue) => ({ file: source, field: issue.path.join('.') || undefined, message: issue.message })),
    );
  }
  return operatorRow(result.data);
}

/** The stored row of a checked operator section (the JSON file's snake_case names to the row's). */
export function operatorRow(o: z.output<typeof operatorSchema>): OperatorRow {
  return {
    name: o.name,
    bin: o.bin,
    iban: o.iban,
    bank: o.bank,
    bic: o.bic,
    kbe: o.kbe,
    knp: o.knp,
    address: o.address,
    phone: o.phone,
    site: o.site,
    email: o.email,
    invoicePrefix: o.invoice_prefix,
    penaltyRate: o.penalty_rate,
    penaltyCapDays: o.penalty_cap_days,
    graceDays: o.grace_days,
    vatRates: vatRatesJson(o.vat_rates === null ? NOT_A_VAT_PAYER : o.vat_rates.map((v) => ({ effectiveFrom: v.from, rate: v.rate }))),
    vatOnPenalties: o.vat_on_penalties ? 1 : 0,
    paymentChannels: paymentChannelsJson(o.payment_channels),
    accounts: accountsJson(o.iban, o.accounts),
  };
}

export async function readJsonFile(file: string): Promise<unknown> {
  const name = path.basename(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError([{ file: name, message: code === 'EISDIR' ? 'is a folder, a file was expected' : `cannot read: ${(error as Error).message}` }]);
  }
  // the one detector of src/io: UTF-8 or Windows-1251, and UTF-8 damaged by a stray byte refused
  const { text } = decodeDetected(name, bytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError([{ file: name, message: `not valid JSON: ${(error as Error).message}` }]);
  }
}

export async function importOperator(db: Db, file: string): Promise<OperatorRow> {
  return (await importOperatorReport(db, file)).operator;
}

export interface OperatorImport {
  operator: OperatorRow;
  /** The settings the file changes (named as in the file), from the stored ones; every field when none was stored. */
  changes: FieldChange[];
  /** False at the first import (nothing was stored). */
  replaces: boolean;
  dryRun: boolean;
}

/** The file's name of a stored field: invoicePrefix → invoice_prefix. */
const fileField = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Imports the operator file, or with `dryRun` only reports what it would change. */
export async function importOperatorReport(db: Db, file: string, options: { dryRun?: boolean | undefined } = {}): Promise<OperatorImport> {
  const startedAt = nowIso();
  const op = parseOperator(await readJsonFile(file), path.basename(file));
  const stored = getOperator(db);
  const changes: FieldChange[] = [];
  for (const key of Object.keys(op) as (keyof OperatorRow)[]) {
    const from = stored === undefined ? null : String(stored[key]);
    const to = String(op[key]);
    if (from !== to) changes.push({ field: fileField(key), from, to });
  }
  const dryRun = options.dryRun === true;
  if (!dryRun) {
    inTransaction(db, () => {
      saveOperator(db, op);
      journalRun(db, 'import-operator', path.basename(file), startedAt, { saved: 1 });
    });
  }
  return { operator: op, changes, replaces: stored !== undefined, dryRun };
}
