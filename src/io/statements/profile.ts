// Bank statement column profiles: how one bank's export is laid out, as data. A new bank is a new
// JSON file in src/io/statements/profiles/ (read at run time, also by the built binary), not code.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const FIELDS = [
  'bank_ref',
  'value_date',
  'amount',
  'credit',
  'debit',
  'currency',
  'account',
  'payer_iin',
  'payer_name',
  'payer_account',
  'recipient_iin',
  'recipient_account',
  'operation',
  'knp',
  'purpose',
  'bank',
] as const;
export type Field = (typeof FIELDS)[number];

const regex = z.string().refine((s) => {
  try {
    new RegExp(s, 'u');
    return true;
  } catch {
    return false;
  }
}, 'not a regular expression');

const profileSchema = z
  .object({
    /** The format's name, as given to --format. */
    name: z.string().regex(/^[a-z0-9_-]+$/),
    title: z.string(),
    bic: z.string().optional(),
    /** Which containers the bank exports this layout in. */
    sources: z.array(z.enum(['xlsx', 'csv'])).min(1),
    /** Lower-case texts of the rows above the header that name the bank (format detection). */
    detect: z.array(z.string()),
    /** 1: one header row; 2: a group row («Плательщик», «Получатель») over a row of sub-columns. */
    headerRows: z.union([z.literal(1), z.literal(2)]),
    /** The header is looked for in this many first rows (metadata rows come before it). */
    headerSearchRows: z.number().int().min(1).max(200),
    /** For each field, regular expressions over the normalised header label, tried in order. */
    columns: z.partialRecord(z.enum(FIELDS), z.array(regex).min(1)),
    required: z.array(z.enum(FIELDS)),
    /**
     * Which rows are money in: `credit` — a non-zero credit column (the debit column is money out);
     * `recipient` — the recipient's account is the operator's IBAN; `sign` — every row, the amount's
     * sign telling a payment (+) from a reversal (−).
     */
    incoming: z.enum(['credit', 'recipient', 'sign']),
    /** When the amount is in the operation's currency: the currency texts that mean tenge. */
    currencies: z.array(z.string()).optional(),
    /** How a bank transaction is identified: its unique reference, or a hash of its contents. */
    identity: z.enum(['bank_ref', 'hash']),
    /** Every data row must have as many cells as the header (a plain CSV). */
    strictColumns: z.boolean().optional(),
    /** Rows whose first non-empty cell matches one of these are totals and balances: skipped. */
    skipRows: z.array(regex),
    /**
     * `metadata`: the statement names the account it is of in the rows above the header (an IBAN),
     * which must be one of the operator's accounts; `none`: the operator's own format, no account.
     */
    ownAccount: z.enum(['metadata', 'none']).default('none'),
    /**
     * The statement's own totals, by the first non-empty cell of a row (normalised, as header
     * labels): opening and closing balances (above the header or below the rows), money in and out
     * each on its own row, or one turnover row with the debit and the credit column. The amount of
     * a balance, in or out row is its first cell after the label that reads as an amount. Checked
     * before `skipRows`; the rows are counted as ignored.
     */
    totals: z
      .object({
        opening: z.array(regex).default([]),
        closing: z.array(regex).default([]),
        in: z.array(regex).default([]),
        out: z.array(regex).default([]),
        turnover: z.array(regex).default([]),
        /** A metadata row with the statement's period: its first and last DD.MM.YYYY. */
        period: z.array(regex).default([]),
      })
      .strict()
      .optional(),
  })
  .superRefine((p, ctx) => {
    for (const f of p.required) {
      if (!p.columns[f]) ctx.addIssue({ code: 'custom', message: `required field ${f} has no column patterns` });
    }
    const amountField = p.incoming === 'credit' ? 'credit' : 'amount';
    if (!p.required.includes(amountField)) ctx.addIssue({ code: 'custom', message: `incoming "${p.incoming}" needs ${amountField} required` });
    if (p.incoming === 'recipient' && !p.required.includes('recipient_account')) {
      ctx.addIssue({ code: 'custom', message: 'incoming "recipient" needs recipient_account required' });
    }
    if (p.totals && p.totals.turnover.length > 0 && !(p.required.includes('credit') && p.required.includes('debit'))) {
      ctx.addIssue({ code: 'custom', message: 'totals.turnover needs the credit and debit columns required' });
    }
    if (p.identity === 'bank_ref' && !p.required.includes('bank_ref')) {
      ctx.addIssue({ code: 'custom', message: 'identity "bank_ref" needs bank_ref required' });
    }
  });

export type BankProfile = z.infer<typeof profileSchema>;

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** src/io/statements/profiles, both from src/ (tests) and from dist/ (the built binary). */
export const PROFILES_DIR = path.resolve(HERE, '..', '..', '..', 'src', 'io', 'statements', 'profiles');

let cache: Map<string, BankProfile> | undefined;

/** Every profile in the profiles folder, by name. A broken profile is a broken installation. */
export function loadProfiles(dir = PROFILES_DIR): Map<string, BankProfile> {
  if (dir === PROFILES_DIR && cache) return cache;
  const out = new Map<string, BankProfile>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const parsed = profileSchema.safeParse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`statement profile ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (out.has(parsed.data.name)) throw new Error(`statement profile ${file}: name ${parsed.data.name} is taken`);
    out.set(parsed.data.name, parsed.data);
  }
  if (dir === PROFILES_DIR) cache = out;
  return out;
}

export function compiled(patterns: readonly string[] | undefined): RegExp[] {
  return (patterns ?? []).map((p) => new RegExp(p, 'u'));
}
