// The operator's requisites and rule settings (one row), and the versions of its penalty settings.
import type { Db } from './connection.js';
import { addDays, type IsoDate } from '../domain/dates.js';
import { DEFAULT_PENALTY_RULES, type PenaltyRuleVersion } from '../domain/penalty.js';
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
  recordPenaltyRules(db, op.penaltyRate, op.penaltyCapDays);
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
