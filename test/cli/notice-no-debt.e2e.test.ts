// A termination by the operator with nothing owed gets a notice of termination without a demand
// (cl. 23.8: a notice never demands 0,00 ₸), through the binary.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { esep } from '../helpers/cli.js';
import { ACCOUNT_HEADER, IIN_A } from '../helpers/fixtures.js';
import { pdfText } from '../helpers/pdf.js';
import { tempDir, writeText } from '../helpers/tmp.js';

const dir = tempDir();
const db = path.join(dir, 'no-debt.db');
const notices = path.join(dir, 'notices');
const config = path.join(dir, 'esep.config.json');

describe('a notice without a demand', () => {
  it('an advance account suspended for funds two months with no port fee owes nothing: its notice says so and demands nothing', async () => {
    expect(esep(db, 'init', '--demo', '1', '--date', '2026-09-01').code).toBe(0);
    // 3 000 ₸ a month, no port reservation fee, no installation
    expect(esep(db, 'import', 'tariffs', writeText(dir, 't.csv', 'code,name,monthly_fee,port_fee,installation_fee\nFREE,Free port,3000,0,0')).code).toBe(0);
    const accounts = [ACCOUNT_HEADER, `4001,${IIN_A},Сейітқали Әсел,"г. Алматы, ул. Сәтпаев, 3",a@example.kz,+7 701 000 00 03,advance,FREE,2026-09-01,no`].join('\n');
    expect(esep(db, 'import', 'accounts', writeText(dir, 'a.csv', accounts), '--date', '2026-09-01').code).toBe(0);
    writeFileSync(config, JSON.stringify({ output: { notices_dir: notices } }));
    // nothing paid: suspended for funds on 1 Sep (the port fee is 0,00), so nothing is ever owed;
    // two months later, 1 Nov (D-5), terminated by the operator
    expect(esep(db, 'run', 'debit', '--date', '2026-10-31').code).toBe(0);
    const r = esep(db, '--config', config, 'run', 'terminate', '--date', '2026-11-01');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('terminated 4001 on 2026-11-01: suspended for funds since 2026-09-01');
    const text = await pdfText(path.join(notices, '2026-11-01', 'notice-4001.pdf'));
    expect(text).toContain('Задолженности по договору на 01.11.2026 нет; оплата не требуется.');
    expect(text).not.toContain('ТӨЛЕУГЕ / К ОПЛАТЕ');
    expect(text).not.toContain('Требуем оплатить');
    expect(text).not.toContain('0,00 ₸');
    expect(text).not.toContain('требование об оплате');
    const mailing = readFileSync(path.join(notices, '2026-11-01', 'mailing-2026-11-01.csv'), 'utf8');
    expect(mailing).toContain('4001,Сейітқали Әсел,a@example.kz,');
    expect(mailing).toContain(',0.00,0.00,,notice-4001.pdf');
  });
});
