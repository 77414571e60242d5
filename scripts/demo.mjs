// `npm run demo`: a fresh demo database under demo/, the demo operator and subscribers from
// fixtures/, then each capability that has landed run over it. Every step goes through the built
// `esep` binary, exactly as an accountant or cron would run it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'demo');
const db = path.join(out, 'esep.db');
const accounts = process.env.ESEP_DEMO_ACCOUNTS ?? '200';
const today = '2026-11-25';

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function esep(...args) {
  console.log(`\n$ esep ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'esep'), '--db', db, ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: esep ${args.join(' ')} exited ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

esep('init', '--demo', accounts, '--date', today);
esep('account', 'show', '100001', '--date', today);
esep('account', 'statement', '100001', '--from', '2026-11-01', '--to', today);
esep('verify');
console.log(`\ndemo database: ${path.relative(process.cwd(), db)}`);
