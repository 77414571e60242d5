// The operator's requisites and rule settings (one row), and the versions of its penalty settings
// and of its VAT rate (D-13).
import type { Db } from './connection.js';
import { addDays, lastDayOf, type IsoDate, type Period } from '../domain/dates.js';
import { DEFAULT_PENALTY_RULES, type PenaltyRuleVersion } from '../domain/penalty.js';
import { DEFAULT_VAT_RATES, vatRateOn, type VatRateVersion, type VatSettings } from '../domain/vat.js';
import { ALWAYS } from './tariffs.js';

export interface OperatorRow {
  name: string;
  bin: string;
  iban: string;
  bank: string;
  bic: string;
  kbe: string;
  knp: string;
  address: string;
  phone: string;
  site: string;
  email: string;
  invoicePrefix: string;
  penaltyRate: string;
  penaltyCapDays: number;
  graceDays: number;
  /** D-13: the VAT rate versions as the settings give them: canonical JSON of `[{"from","rate"}]` (vatRatesJson). */
  vatRates: string;
  /** D-13: 1 when penalties are VAT turnover (default 0). */
  vatOnPenalties: number;
  /** How to pay (bank transfer, Kaspi, terminals): JSON array of texts (paymentChannelsJson). */
  paymentChannels: string;
  /** The operator's bank accounts, the IBANs its statements may be of: JSON array (accountsJson); `[]`: the iban alone. */
  accounts: string;
}

/** An operator to save: the VAT and payment settings may be left out (their defaults). */
export type OperatorInput = Omit<OperatorRow, 'vatRates' | 'vatOnPenalties' | 'paymentChannels' | 'accounts'> &
  Partial<Pick<OperatorRow, 'vatRates' | 'vatOnPenalties' | 'paymentChannels' | 'accounts'>>;

/** The stored form of rate versions: sorted by date, `{"from","rate"}`; the same versions give the same text. */
export function vatRatesJson(versions: readonly VatRateVersion[]): string {
  const sorted = [...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
  return JSON.stringify(sorted.map((v) => ({ from: v.effectiveFrom, rate: v.rate })));
}

export function parseVatRatesJson(text: string): VatRateVersion[] {
  return (JSON.parse(text) as { from: IsoDate; rate: string | null }[]).map((v) => ({ effectiveFrom: v.from, rate: v.rate }));
}

export const DEFAULT_VAT_RATES_JSON = vatRatesJson(DEFAULT_VAT_RATES);

export function paymentChannelsJson(channels: readonly string[]): string {
  return JSON.stringify(channels);
}

/** The stored form of the operator's accounts: the iban first, then the others in the file's order, each once. */
export function accountsJson(iban: string, accounts: readonly string[]): string {
  return JSON.stringify([...new Set([iban, ...accounts])]);
}

/** The operator's accounts (IBANs), its iban always among them. */
export function accountsOf(op: Pick<OperatorRow, 'iban' | 'accounts'>): string[] {
  return [...new Set([op.iban, ...(JSON.parse(op.accounts) as string[])])];
}

/** The payment channels of the operator, as texts. */
export function paymentChannelsOf(op: Pick<OperatorRow, 'paymentChannels'>): string[] {
  return JSON.parse(op.paymentChannels) as string[];
}

export function getOperator(db: Db): OperatorRow | undefined {
  return db.sqlite
    .prepare(
      `SELECT name, bin, iban, bank, bic, kbe, knp, address, phone, site, email, invoice_prefix AS invoicePrefix,
         penalty_rate AS penaltyRate, penalty_cap_days AS penaltyCapDays, grace_days AS graceDays, vat_rates AS vatRates,
         vat_on_penalties AS vatOnPenalties, payment_channels AS paymentChannels, accounts FROM operator WHERE id = 1`,
    )
    .get() as OperatorRow | undefined;
}

export function saveOperator(db: Db, input: OperatorInput): void {
  const op: OperatorRow = {
    ...input,
    vatRates: input.vatRates ?? DEFAULT_VAT_RATES_JSON,
    vatOnPenalties: input.vatOnPenalties ?? 0,
    paymentChannels: input.paymentChannels ?? '[]',
    accounts: input.accounts ?? accountsJson(input.iban, []),
  };
  db.sqlite
    .prepare(
      `INSERT INTO operator (id, name, bin, iban, bank, bic, kbe, knp, address, phone, site, email, invoice_prefix,
         penalty_rate, penalty_cap_days, grace_days, vat_rates, vat_on_penalties, payment_channels, accounts)
       VALUES (1, @name, @bin, @iban, @bank, @bic, @kbe, @knp, @address, @phone, @site, @email, @invoicePrefix,
         @penaltyRate, @penaltyCapDays, @graceDays, @vatRates, @vatOnPenalties, @paymentChannels, @accounts)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, bin = excluded.bin, iban = excluded.iban, bank = excluded.bank,
         bic = excluded.bic, kbe = excluded.kbe, knp = excluded.knp, address = excluded.address, phone = excluded.phone,
         site = excluded.site, email = excluded.email, invoice_prefix = excluded.invoice_prefix,
         penalty_rate = excluded.penalty_rate, penalty_cap_days = excluded.penalty_cap_days, grace_days = excluded.grace_days,
         vat_rates = excluded.vat_rates, vat_on_penalties = excluded.vat_on_penalties, payment_channels = excluded.payment_channels,
         accounts = excluded.accounts, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .run(op);
  recordPenaltyRules(db, op.penaltyRate, op.penaltyCapDays);
  recordVatRates(db, parseVatRatesJson(op.vatRates));
}

/** The VAT rate versions in force, oldest first (D-13). */
export function vatRateVersions(db: Db): VatRateVersion[] {
  return db.sqlite.prepare(`SELECT effective_from AS effectiveFrom, rate FROM vat_rates ORDER BY effective_from`).all() as VatRateVersion[];
}

/** What the VAT rule reads: the versions in force and the operator's penalty setting. */
export function vatSettings(db: Db): VatSettings {
  const row = db.sqlite.prepare(`SELECT vat_on_penalties AS v FROM operator WHERE id = 1`).get() as { v: number } | undefined;
  return { rates: vatRateVersions(db), penaltiesTaxable: row?.v === 1 };
}

/**
 * Makes `wanted` the VAT rate versions from the first day not yet invoiced (the day after the last
 * day of the latest period that has an invoice; from the beginning when none has), leaving the days
 * already invoiced under the rates their invoices state (D-13, like the penalty settings). Nothing
 * is written when the versions in force from that day already agree.
 */
function recordVatRates(db: Db, wanted: readonly VatRateVersion[]): void {
  const latest = (db.sqlite.prepare(`SELECT MAX(period) AS period FROM invoices`).get() as { period: Period | null }).period;
  const from = latest === null ? ALWAYS : addDays(lastDayOf(latest), 1);
  const rateOn = vatRateOn(wanted);
  const next: VatRateVersion[] = [{ effectiveFrom: from, rate: rateOn(from) }, ...wanted.filter((v) => v.effectiveFrom > from)];
  const current = vatRateVersions(db);
  const before = current.filter((v) => v.effectiveFrom < from);
  const currentOn = vatRateOn(current);
  const same =
    current.filter((v) => v.effectiveFrom > from).map((v) => `${v.effectiveFrom}=${v.rate}`).join() ===
      next.slice(1).map((v) => `${v.effectiveFrom}=${v.rate}`).join() && current.length > 0 && currentOn(from) === next[0]!.rate;
  if (same) return;
  // the version in force at `from` is written only where it changes something
  const keepFirst = before.length === 0 || vatRateOn(before)(from) !== next[0]!.rate;
  db.sqlite.prepare(`DELETE FROM vat_rates WHERE effective_from >= ?`).run(from);
  const insert = db.sqlite.prepare(`INSERT INTO vat_rates (effective_from, rate) VALUES (?, ?)`);
  for (const [i, v] of next.entries()) if (i > 0 || keepFirst) insert.run(v.effectiveFrom, v.rate);
}

/** The versions of the penalty settings, oldest first. */
export function penaltyRuleVersions(db: Db): PenaltyRuleVersion[] {
  return db.sqlite
    .prepare(`SELECT effective_from AS effectiveFrom, rate, cap_days AS capDays FROM penalty_rules ORDER BY effective_from`)
    .all() as PenaltyRuleVersion[];
}

/**
 * Makes `rate` and `capDays` the settings from the first day no penalty run has done yet (the day
 * after the latest completed run's; from the beginning when none has run), leaving the days already
 * run under the settings they were charged at. Nothing is written when they are in force already.
 */
function recordPenaltyRules(db: Db, rate: string, capDays: number): void {
  // before any operator settings, the contract's own were in force
  db.sqlite
    .prepare(`INSERT INTO penalty_rules (effective_from, rate, cap_days) VALUES (?, ?, ?) ON CONFLICT (effective_from) DO NOTHING`)
    .run(ALWAYS, DEFAULT_PENALTY_RULES.rate, DEFAULT_PENALTY_RULES.capDays);
  const latest = db.sqlite.prepare(`SELECT rate, cap_days AS capDays FROM penalty_rules ORDER BY effective_from DESC LIMIT 1`).get() as {
    rate: string;
    capDays: number;
  };
  if (latest.rate === rate && latest.capDays === capDays) return;
  const lastRun = (
    db.sqlite.prepare(`SELECT MAX(scope) AS day FROM job_runs WHERE job = 'penalties' AND outcome = 'ok'`).get() as { day: IsoDate | null }
  ).day;
  const from = lastRun === null ? ALWAYS : addDays(lastRun, 1);
  db.sqlite
    .prepare(
      `INSERT INTO penalty_rules (effective_from, rate, cap_days) VALUES (?, ?, ?)
       ON CONFLICT (effective_from) DO UPDATE SET rate = excluded.rate, cap_days = excluded.cap_days`,
    )
    .run(from, rate, capDays);
}
