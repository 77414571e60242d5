// «Undoing a mistake» through the built binary (`npm run build` first): payments move, unassign and
// their refusals, then verify. The figures are worked out in test/jobs/payment-corrections.test.ts;
// here: the commands, their output and exit codes.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { esep, esepJson, initWorld } from '../helpers/cli.js';
import { tempDir, writeText } from '../helpers/tmp.js';
import { WORLD_ACCOUNTS } from '../jobs/payments-world.js';

const dir = tempDir();
const db = path.join(dir, 'corrections.db');

describe('esep payments move, unassign', () => {
  it('moves a payment to the right account, refuses a second move there, returns it to suspense; verify is clean', () => {
    initWorld(db, dir, WORLD_ACCOUNTS, '2026-10-01');
    // 5 000 ₸ for 2001; the payer wrote 1001 in the account column
    const file = writeText(dir, 'wrong.csv', ['bank_ref,value_date,amount,account,payer_iin,payer_name,purpose', 'W-1,2026-11-20,5000,1001,,Нұрланов Ерлан,Оплата'].join('\n'));
    expect(esep(db, 'payments', 'import', file, '--date', '2026-11-20').code).toBe(0);

    const moved = esepJson<Record<string, unknown>>(db, 'payments', 'move', '1', '2001', '--date', '2026-11-20');
    expect(moved).toMatchObject({ id: 1, amount: '5000.00', status: 'applied', account: '2001', by: 'move', from: '1001', to: '2001', taken_off_as_of: '2026-11-20' });
    // 1001 back to nothing; 2001 holds the 5 000 ₸ (nothing charged yet)
    expect(esepJson<{ balance: string }>(db, 'account', 'show', '1001').balance).toBe('0.00');
    expect(esepJson<{ balance: string }>(db, 'account', 'show', '2001').balance).toBe('5000.00');

    const again = esep(db, 'payments', 'move', '1', '2001', '--date', '2026-11-20');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('payment 1 is on account 2001 already');
    // D-12: a day after today is refused without --allow-future
    const ahead = esep(db, 'payments', 'unassign', '1', '--date', '2099-01-01');
    expect(ahead.code).toBe(2);
    expect(ahead.stderr).toContain('2099-01-01');
    const early = esep(db, 'payments', 'unassign', '1', '--date', '2026-11-19');
    expect(early.code).toBe(2);
    expect(early.stderr).toContain("2026-11-19 is before the payment's value date 2026-11-20");

    const back = esep(db, 'payments', 'unassign', '1', '--date', '2026-11-20');
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('payment 1 of 5 000,00 ₸ (2026-11-20) taken off account 2001 as of 2026-11-20, back in suspense');
    expect(esepJson<{ id: number; reason: string; reason_text: string }[]>(db, 'payments', 'unmatched').map((p) => [p.id, p.reason, p.reason_text])).toEqual([
      [1, 'unassigned', 'taken off account 2001 (esep payments unassign)'],
    ]);
    expect(esepJson<{ balance: string }>(db, 'account', 'show', '2001').balance).toBe('0.00');
    const verify = esep(db, 'verify');
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
  });
});
