// The operator's requisites and rule settings (one row).
import type { Db } from './connection.js';

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
}

export function getOperator(db: Db): OperatorRow | undefined {
  return db.sqlite
    .prepare(
      `SELECT name, bin, iban, bank, bic, kbe, knp, address, phone, site, email, invoice_prefix AS invoicePrefix,
         penalty_rate AS penaltyRate, penalty_cap_days AS penaltyCapDays, grace_days AS graceDays FROM operator WHERE id = 1`,
    )
    .get() as OperatorRow | undefined;
}

export function saveOperator(db: Db, op: OperatorRow): void {
  db.sqlite
    .prepare(
      `INSERT INTO operator (id, name, bin, iban, bank, bic, kbe, knp, address, phone, site, email, invoice_prefix,
         penalty_rate, penalty_cap_days, grace_days)
       VALUES (1, @name, @bin, @iban, @bank, @bic, @kbe, @knp, @address, @phone, @site, @email, @invoicePrefix,
         @penaltyRate, @penaltyCapDays, @graceDays)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, bin = excluded.bin, iban = excluded.iban, bank = excluded.bank,
         bic = excluded.bic, kbe = excluded.kbe, knp = excluded.knp, address = excluded.address, phone = excluded.phone,
         site = excluded.site, email = excluded.email, invoice_prefix = excluded.invoice_prefix,
         penalty_rate = excluded.penalty_rate, penalty_cap_days = excluded.penalty_cap_days, grace_days = excluded.grace_days,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .run(op);
}
