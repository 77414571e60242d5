// The configuration file, esep.config.json: where it is, what it may contain, the defaults.
//
// Found via --config PATH, else $ESEP_CONFIG, else ./esep.config.json if it exists; no file means
// every default. The file is checked strictly (an unknown key is an error, as a misspelt setting
// would otherwise be silently ignored) and every problem is reported at once with the file and the
// JSON path of the field; the command then exits 2. Relative paths in the file (folders) are taken
// relative to the file's own folder, so the file means the same thing from any working directory.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { OperatorRow } from '../db/operator.js';
import { InputError, type InputProblem } from '../domain/errors.js';
import { isClock } from '../domain/schedule.js';
import { operatorRow, operatorSchema } from '../jobs/import-operator.js';

export const DEFAULT_CONFIG_FILE = 'esep.config.json';

const clock = (fallback: string) =>
  z
    .string()
    .refine(isClock, 'a time of day "HH:MM" (24-hour, Asia/Almaty)')
    .default(fallback);

const folder = (fallback: string) => z.string().trim().min(1, 'a folder name').default(fallback);

/** smtp://user:pass@host:port or smtps://…; checked, never printed with its password. */
const smtpUrl = z.string().refine((value) => {
  if (!/^smtps?:\/\//.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}, 'an SMTP address: smtp://user:password@host:port (or smtps://)');

/** "billing@example.kz" or "Мысал Телеком <billing@example.kz>". */
const mailFrom = z
  .string()
  .trim()
  .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/, 'an address: "billing@example.kz" or "Name <billing@example.kz>"');

/** The defaults of smtp.connection_timeout_seconds, greeting_timeout_seconds and socket_timeout_seconds. */
export const SMTP_TIMEOUT_SECONDS = { connection: 30, greeting: 30, socket: 60 } as const;

export const configSchema = z
  .object({
    /** The same fields as `esep import operator`; when present it wins over the imported operator. */
    operator: operatorSchema.optional(),
    jobs: z
      .object({
        daily_at: clock('01:00'),
        invoices_on_day: z.number().int().min(1).max(28).default(1),
        invoices_at: clock('02:00'),
        send_invoices: z.boolean().default(false),
        send_notices: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    output: z
      .object({
        invoices_dir: folder('invoices'),
        notices_dir: folder('notices'),
        backups_dir: folder('backups'),
      })
      .strict()
      .prefault({}),
    backup: z
      .object({
        keep: z.number().int().min(1).max(1000).default(12),
        before_month_end: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    status: z
      .object({
        /** cl. 21.13 gives 24 hours to restore a subscriber who paid: a payment this many days in suspense needs a person. */
        suspense_days: z.number().int().min(1).max(365).default(3),
      })
      .strict()
      .prefault({}),
    calendar: z
      .object({
        dir: z.string().trim().min(1, 'a folder of YYYY.json files').nullable().default(null),
      })
      .strict()
      .prefault({}),
    /**
     * The window around today (the command's --date) in which dates in imported files must fall:
     * connection dates of new accounts, and value dates of bank statements (never after today).
     */
    imports: z
      .object({
        connected_on_days_back: z.number().int().min(0).max(36_500).default(366),
        connected_on_days_ahead: z.number().int().min(0).max(3_660).default(92),
        value_date_days_back: z.number().int().min(0).max(36_500).default(366),
      })
      .strict()
      .prefault({}),
    payments: z
      .object({
        /** The largest bank statement row accepted, in whole tenge: a row beyond it refuses the file (a typo of the bank, a test row). */
        max_amount: z.number().int().min(1).max(1_000_000_000_000).default(10_000_000),
      })
      .strict()
      .prefault({}),
    smtp: z
      .object({
        url: smtpUrl.nullable().default(null),
        from: mailFrom.nullable().default(null),
        rate_per_second: z.number().positive().max(1000).default(5),
        max_attempts: z.number().int().min(1).max(100).default(5),
        // how long the mail server may stay silent before the attempt fails and the run stops
        connection_timeout_seconds: z.number().positive().max(600).default(SMTP_TIMEOUT_SECONDS.connection),
        greeting_timeout_seconds: z.number().positive().max(600).default(SMTP_TIMEOUT_SECONDS.greeting),
        socket_timeout_seconds: z.number().positive().max(3600).default(SMTP_TIMEOUT_SECONDS.socket),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ConfigFile = z.output<typeof configSchema>;

/** Where a value came from: the built-in default, the file, or an environment variable. */
export type ConfigSource = 'default' | 'file' | `env ${string}`;

export interface Config extends ConfigFile {
  /** The file loaded (absolute), or null when every value is a default. */
  file: string | null;
  /** Per setting ("jobs.daily_at"), where its value came from. */
  sources: Record<string, ConfigSource>;
}

export interface LoadConfigOptions {
  /** --config PATH: must exist. */
  path?: string | undefined;
  /** Defaults to process.env (ESEP_CONFIG, ESEP_SMTP_URL, ESEP_MAIL_FROM). */
  env?: NodeJS.ProcessEnv;
  /** Defaults to process.cwd(). */
  cwd?: string;
}

/** The JSON path of a zod issue: operator.bin, calendar.dir, holidays[2].date. */
function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? String(s) : `.${String(s)}`;
  return out;
}

function problemsOf(error: z.ZodError, file: string): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ file, field: jsonPath([...issue.path, key]), message: 'unknown setting' });
    } else {
      problems.push({ file, field: jsonPath(issue.path) || undefined, message: issue.message });
    }
  }
  return problems;
}

/** --config, else $ESEP_CONFIG, else ./esep.config.json when it exists; null = no file. */
export function configFilePath(options: LoadConfigOptions = {}): { file: string; named: boolean } | null {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  if (options.path) return { file: path.resolve(cwd, options.path), named: true };
  if (env.ESEP_CONFIG) return { file: path.resolve(cwd, env.ESEP_CONFIG), named: true };
  const local = path.resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(local) ? { file: local, named: false } : null;
}

function readConfigJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError([{ file, message: code === 'ENOENT' ? 'configuration file not found' : code === 'EISDIR' ? 'is a folder, a file was expected' : `cannot read: ${(error as Error).message}` }]);
  }
  try {
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new InputError([{ file, message: `not valid JSON: ${(error as Error).message}` }]);
  }
}

/** Every leaf of a plain JSON object as "a.b.c" paths. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

function hasPath(value: unknown, dotted: string): boolean {
  let at: unknown = value;
  for (const key of dotted.split('.')) {
    if (typeof at !== 'object' || at === null || !(key in at)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * Loads, checks and completes the configuration (throws InputError listing every bad field with the
 * file and its JSON path: exit 2). ESEP_SMTP_URL and ESEP_MAIL_FROM override smtp.url and smtp.from.
 * Folders come back absolute.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const located = configFilePath(options);
  const raw: unknown = located ? readConfigJson(located.file) : {};
  const file = located?.file ?? null;
  const where = file ?? '(defaults)';

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(problemsOf(parsed.error, where));
  const config = parsed.data;

  const sources: Record<string, ConfigSource> = {};
  for (const leaf of leafPaths(config)) sources[leaf] = hasPath(raw, leaf) ? 'file' : 'default';

  const problems: InputProblem[] = [];
  const overrides: [keyof ConfigFile['smtp'], string, z.ZodType][] = [
    ['url', 'ESEP_SMTP_URL', smtpUrl],
    ['from', 'ESEP_MAIL_FROM', mailFrom],
  ];
  for (const [key, variable, schema] of overrides) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const checked = schema.safeParse(value);
    if (!checked.success) {
      problems.push({ file: `environment ${variable}`, message: checked.error.issues[0]?.message ?? 'invalid' });
      continue;
    }
    (config.smtp as Record<string, unknown>)[key] = checked.data;
    sources[`smtp.${key}`] = `env ${variable}`;
  }

  const base = file ? path.dirname(file) : cwd;
  config.output.invoices_dir = path.resolve(base, config.output.invoices_dir);
  config.output.notices_dir = path.resolve(base, config.output.notices_dir);
  config.output.backups_dir = path.resolve(base, config.output.backups_dir);
  if (config.calendar.dir !== null) {
    config.calendar.dir = path.resolve(base, config.calendar.dir);
    if (!existsSync(config.calendar.dir) || !statSync(config.calendar.dir).isDirectory()) {
      problems.push({ file: where, field: 'calendar.dir', message: `no such folder: ${config.calendar.dir}` });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { ...config, file, sources };
}

/** The operator row the configuration sets, or null when it has no operator section. */
export function operatorFromConfig(config: Pick<ConfigFile, 'operator'>): OperatorRow | null {
  return config.operator ? operatorRow(config.operator) : null;
}

/** An SMTP address with its password replaced by "***": safe to print and log. */
export function maskSmtpUrl(url: string | null): string | null {
  if (url === null) return null;
  // up to the last "@": a password may contain an unencoded "@"
  return url.replace(/^(smtps?:\/\/[^:@/]*:).*@(?=[^@]*$)/, '$1***@');
}

/** The configuration as it may be shown: the SMTP password masked. */
export function printableConfig(config: Config): ConfigFile {
  const { file: _file, sources: _sources, ...rest } = config;
  return { ...rest, smtp: { ...rest.smtp, url: maskSmtpUrl(rest.smtp.url) } };
}
