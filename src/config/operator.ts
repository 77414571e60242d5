// The configuration file wins over `esep import operator`: when the loaded configuration has an
// operator section, every command that opens the database makes the operator row equal to it
// (journaled as job 'config-operator'). Nothing is written when they already agree.
import path from 'node:path';
import { inTransaction, type Db } from '../db/connection.js';
import { acquireLock, journalRun, nowIso } from '../db/journal.js';
import { getOperator, saveOperator, type OperatorRow } from '../db/operator.js';
import { BusyError } from '../domain/errors.js';
import { operatorFromConfig, type Config } from './config.js';

const FIELDS: (keyof OperatorRow)[] = [
  'name', 'bin', 'iban', 'bank', 'bic', 'kbe', 'knp', 'address', 'phone', 'site', 'email',
  'invoicePrefix', 'penaltyRate', 'penaltyCapDays', 'graceDays', 'vatRates', 'vatOnPenalties', 'paymentChannels', 'accounts',
];

/** The fields in which two operator rows differ. */
export function operatorDifferences(a: OperatorRow | undefined, b: OperatorRow): (keyof OperatorRow)[] {
  if (!a) return FIELDS;
  return FIELDS.filter((f) => a[f] !== b[f]);
}

export type OperatorSync = { outcome: 'none' | 'unchanged' } | { outcome: 'updated'; fields: string[] } | { outcome: 'busy' };

/**
 * Updates the operator row from the configuration if they differ. It takes the writer lock, so a
 * job that is running never sees its operator settings change under it; when a job holds the lock
 * the update is left for the next command ('busy').
 */
export function syncOperatorFromConfig(db: Db, config: Pick<Config, 'operator' | 'file'>): OperatorSync {
  const wanted = operatorFromConfig(config);
  if (!wanted) return { outcome: 'none' };
  const fields = operatorDifferences(getOperator(db), wanted);
  if (fields.length === 0) return { outcome: 'unchanged' };
  let release: () => void;
  try {
    release = acquireLock(db, 'config-operator');
  } catch (error) {
    if (error instanceof BusyError) return { outcome: 'busy' };
    throw error;
  }
  try {
    const startedAt = nowIso();
    inTransaction(db, () => {
      saveOperator(db, wanted);
      journalRun(db, 'config-operator', path.basename(config.file ?? 'esep.config.json'), startedAt, { saved: 1 }, `changed: ${fields.join(', ')}`);
    });
  } finally {
    release();
  }
  return { outcome: 'updated', fields };
}
