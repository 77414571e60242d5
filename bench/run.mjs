// `npm run bench`: every benchmark, each printing ratios against a hand-written baseline run in the
// same script. Performance goals live here, never in tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
let failed = false;
for (const name of ['debit.mjs', 'collection.mjs', 'invoices.mjs', 'reports.mjs']) {
  const file = path.join(here, name);
  if (!existsSync(file)) continue;
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
