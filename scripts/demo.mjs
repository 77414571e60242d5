// `npm run demo`: a fresh demo database under demo/, the demo operator and subscribers from
// fixtures/, and a billing month run through the built `esep` binary exactly as an accountant and
// cron would: bank statements imported, the nightly jobs, October's invoices as PDF, November's
// chase of the unpaid ones (penalties, suspension), the debtors' list, and a final `esep verify`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'demo');
const db = path.join(out, 'esep.db');
const accounts = process.env.ESEP_DEMO_ACCOUNTS ?? '200';

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// Everything the commands write by default (invoices, notices, month-end backups) goes under demo/.
const config = path.join(out, 'esep.config.json');
writeFileSync(
  config,
  `${JSON.stringify({ output: { invoices_dir: 'invoices', notices_dir: 'notices', backups_dir: 'backups' }, backup: { keep: 3 } }, null, 2)}\n`,
);

function esep(...args) {
  console.log(`\n$ esep ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'esep'), '--db', db, '--config', config, ...args], { encoding: 'utf8' });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  if (r.status !== 0) {
    console.error(`demo: esep ${args.join(' ')} exited ${r.status}`);
    process.exit(r.status ?? 1);
  }
  return r.stdout;
}

/** A deterministic statement in the generic CSV format (SPEC section 7). */
function statement(file, rows) {
  const quote = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const lines = ['bank_ref,value_date,amount,account,payer_iin,payer_name,purpose', ...rows.map((r) => r.map(quote).join(','))];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const tenge = (tiyn) => `${Math.floor(tiyn / 100)}.${String(tiyn % 100).padStart(2, '0')}`;

// 1. The operator, its tariffs and the subscribers, connected during September 2026.
esep('init', '--demo', accounts, '--demo-months', '1', '--date', '2026-10-01');

const read = new Database(db, { readonly: true });
const subscribers = read
  .prepare(
    `SELECT a.account, a.iin, s.name, a.method, a.connected_on AS connectedOn, p.monthly_fee AS fee, p.installation_fee AS install
       FROM accounts a JOIN subscribers s ON s.iin = a.iin JOIN tariff_prices p ON p.tariff_code = a.tariff_code ORDER BY a.account`,
  )
  .all();
read.close();

/** What each credit account was invoiced for a period: they pay exactly that. */
function invoiced(period) {
  const r = new Database(db, { readonly: true });
  const rows = r.prepare('SELECT account, amount_due AS due FROM invoices WHERE period = ?').all(period);
  r.close();
  return new Map(rows.map((x) => [x.account, x.due]));
}

// 2. Advance subscribers pay ahead on their connection day: the installation and two months
//    (one in ten only one and a half); one in three names the account only in the purpose.
let ref = 0;
const credit = subscribers.filter((s) => s.method === 'credit');
const prepaid = subscribers
  .filter((s) => s.method === 'advance')
  .map((s, i) => {
    const amount = s.install + 2 * s.fee - (i % 10 === 0 ? Math.floor(s.fee / 2) : 0);
    const byPurpose = i % 3 === 2;
    const purpose = byPurpose ? `Оплата за интернет, л/с ${s.account}` : i % 3 === 1 ? `Дербес шот ${s.account} үшін төлем` : 'Оплата услуг связи';
    return [`DEMO-A-${++ref}`, s.connectedOn, tenge(amount), byPurpose ? '' : s.account, s.iin, s.name, purpose];
  });
esep('payments', 'import', statement(path.join(out, 'statement-2026-09.csv'), prepaid), '--date', '2026-10-01');

// 3. September: the nightly jobs, then September's invoices issued on 1 October; every credit
//    subscriber pays them in October.
esep('run', 'day', '--date', '2026-09-30');
esep('run', 'invoices', '--period', '2026-09', '--date', '2026-10-01');
const september = invoiced('2026-09');
const october = credit
  .filter((s) => (september.get(s.account) ?? 0) > 0)
  .map((s) => [`DEMO-C-${++ref}`, '2026-10-20', tenge(september.get(s.account)), s.account, s.iin, s.name, `Оплата по счёту за сентябрь, лицевой счет ${s.account}`]);
esep('payments', 'import', statement(path.join(out, 'statement-2026-10.csv'), october), '--date', '2026-10-31');

// 4. October: the nightly jobs and October's invoices. In November most credit subscribers pay by
//    the 25th, some late, some not at all; one payment names nothing a statement can match.
esep('run', 'day', '--date', '2026-10-31');
esep('run', 'invoices', '--period', '2026-10', '--date', '2026-11-01');
const octoberInvoices = invoiced('2026-10');
const november = credit.flatMap((s, i) => {
  const due = octoberInvoices.get(s.account) ?? 0;
  if (due <= 0 || i % 5 === 4) return [];
  const day = i % 5 === 3 ? '2026-11-28' : '2026-11-20';
  return [[`DEMO-C-${++ref}`, day, tenge(due), s.account, s.iin, s.name, `Оплата по счёту, лицевой счет ${s.account}`]];
});
november.push([`DEMO-X-${++ref}`, '2026-11-21', '5000.00', '', '', 'Неизвестный плательщик', 'Оплата за интернет']);
esep('payments', 'import', statement(path.join(out, 'statement-2026-11.csv'), november), '--date', '2026-11-30');
esep('payments', 'unmatched');
esep('run', 'day', '--date', '2026-11-30');

// 5. What the accountant looks at.
const debtors = spawnSync(process.execPath, [path.join(root, 'bin', 'esep'), '--db', db, '--config', config, 'debtors', '--date', '2026-11-30']).stdout;
writeFileSync(path.join(out, 'debtors.csv'), debtors);
esep('account', 'show', subscribers[0].account, '--date', '2026-11-30');
// 6. Delivery, looked at before the first real send: each message as an .eml file.
esep('send', 'invoices', '--period', '2026-10', '--date', '2026-11-30', '--dry-run', path.join(out, 'outbox'));
esep('send', 'notices', '--date', '2026-11-30', '--dry-run', path.join(out, 'outbox'));
esep('verify');

console.log(`
demo database:  ${path.relative(process.cwd(), db)}
invoices (PDF): ${path.relative(process.cwd(), path.join(out, 'invoices'))}/2026-09/ and 2026-10/, with registry CSVs
emails (.eml):  ${path.relative(process.cwd(), path.join(out, 'outbox'))}/ (a dry run: nothing was sent)
debtors (CSV):  ${path.relative(process.cwd(), path.join(out, 'debtors.csv'))} (${debtors.toString().trim().split('\n').length - 1} accounts)`);
