// The configuration file through the built binary: exit 2 naming the file and each bad field,
// `config show` (defaults, sources, masked password), the operator taken from the file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, PROJECT_ROOT } from '../../src/db/connection.js';
import { BIN, esep } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const db = path.join(dir, 'esep.db');
const operatorJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'fixtures', 'demo', 'operator.json'), 'utf8')) as Record<string, unknown>;

function run(args: string[], env: Record<string, string> = {}, cwd = dir) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, ESEP_DB: '', ESEP_CONFIG: '', ESEP_SMTP_URL: '', ESEP_MAIL_FROM: '', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

beforeAll(() => {
  expect(esep(db, 'init', '--demo', '5', '--date', '2026-11-20').code).toBe(0);
});

describe('a bad configuration file', () => {
  it('exits 2 naming the file and the JSON path of each bad field, for any command', () => {
    const file = write('bad.config.json', {
      jobs: { daily_at: '1am', invoices_on_day: 30 },
      backup: { keep: 'all' },
      smtp: { url: 'smtp://billing:topsecret@' },
      colour: 'red',
    });
    for (const args of [['config', 'show'], ['--db', db, 'verify'], ['--db', db, 'schedule', '--once']]) {
      const r = run(['--config', file, ...args]);
      expect(r.code).toBe(2);
      for (const field of ['jobs.daily_at', 'jobs.invoices_on_day', 'backup.keep', 'smtp.url', 'colour']) {
        expect(r.stderr).toContain(`${file}, ${field}: `);
      }
      expect(r.stderr).not.toContain('topsecret');
    }
  }, 60_000);

  it('a --config or $ESEP_CONFIG that does not exist is exit 2, not the defaults', () => {
    const missing = path.join(dir, 'missing.json');
    expect(run(['--config', missing, 'config', 'show']).stderr).toContain(`${missing}: configuration file not found`);
    expect(run(['config', 'show'], { ESEP_CONFIG: missing }).code).toBe(2);
  });
});

describe('esep config show', () => {
  it('without a file: the defaults, each marked as such', () => {
    const r = run(['--json', 'config', 'show']);
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as { file: string | null; config: Record<string, Record<string, unknown>>; sources: Record<string, string> };
    expect(shown.file).toBeNull();
    expect(shown.config.jobs).toMatchObject({ daily_at: '01:00', invoices_on_day: 1, send_invoices: false });
    expect(shown.config.output!.backups_dir).toBe(path.join(dir, 'backups'));
    expect(shown.config.backup).toEqual({ keep: 12, before_month_end: true });
    expect(shown.sources['backup.keep']).toBe('default');
  });

  it('./esep.config.json is found; the environment overrides SMTP; the password is masked in text and JSON', () => {
    const folder = path.join(dir, 'site');
    mkdirSync(folder);
    writeFileSync(
      path.join(folder, 'esep.config.json'),
      JSON.stringify({ jobs: { daily_at: '00:30' }, smtp: { url: 'smtp://billing:file-secret@mail.example.kz:587', from: 'billing@example.kz' } }),
    );
    const text = run(['config', 'show'], {}, folder);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`configuration: ${path.join(folder, 'esep.config.json')}`);
    expect(text.stdout).toMatch(/jobs\.daily_at = "00:30" +\(file\)/);
    expect(text.stdout).toMatch(/jobs\.invoices_at = "02:00" +\(default\)/);
    expect(text.stdout).toContain('smtp://billing:***@mail.example.kz:587');
    expect(text.stdout).not.toContain('file-secret');

    const json = run(['--json', 'config', 'show'], { ESEP_SMTP_URL: 'smtp://billing:env-secret@relay.example.kz:25' }, folder);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toContain('env-secret');
    const shown = JSON.parse(json.stdout) as { config: { smtp: { url: string } }; sources: Record<string, string> };
    expect(shown.config.smtp.url).toBe('smtp://billing:***@relay.example.kz:25');
    expect(shown.sources['smtp.url']).toBe('env ESEP_SMTP_URL');
    expect(shown.sources['smtp.from']).toBe('file');
  });
});

describe('the operator section', () => {
  it('wins over esep import operator: applied by the next command that opens the database, once', () => {
    const file = write('operator.config.json', { operator: { ...operatorJson, name: 'ТОО «Из конфигурации»', grace_days: 5 } });
    const first = run(['--db', db, '--config', file, 'verify']);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`operator updated from ${file}`);
    const second = run(['--db', db, '--config', file, 'verify']);
    expect(second.stderr).toBe('');
    // an import of another operator is overridden again by the next command with the file
    const other = write('other-operator.json', operatorJson);
    expect(run(['--db', db, 'import', 'operator', other]).code).toBe(0);
    expect(run(['--db', db, '--config', file, 'verify']).stderr).toContain('operator updated');

    const check = openDatabase(db);
    const op = check.sqlite.prepare('SELECT name, grace_days AS graceDays FROM operator').get();
    const runs = check.sqlite.prepare(`SELECT COUNT(*) AS n FROM job_runs WHERE job = 'config-operator' AND outcome = 'ok'`).get();
    check.close();
    expect(op).toEqual({ name: 'ТОО «Из конфигурации»', graceDays: 5 });
    expect(runs).toEqual({ n: 2 });
  }, 60_000);
});
