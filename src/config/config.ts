// Seatwarden's configuration: environment variables validated once, at start.
import path from 'node:path';
import { z } from 'zod';

const rateSchema = z
  .string()
  .regex(/^\d+(\.\d+)?\/s(,\s*burst\s*\d+)?$/, 'expected "<requests>/s" or "<requests>/s, burst <n>"')
  .transform((text) => {
    const [rate, burst] = text.split(',');
    const ratePerSecond = Number.parseFloat(rate ?? '0');
    return {
      ratePerSecond,
      burst: burst ? Number.parseInt(burst.replace(/\D+/g, ''), 10) : Math.max(1, Math.ceil(ratePerSecond)),
    };
  });

/**
 * `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465` (TLS). The
 * messages never echo the URL: it holds the SMTP password.
 */
const smtpUrlSchema = z.string().transform((text, ctx): SmtpServer => {
  let url: URL | undefined;
  try {
    url = new URL(text.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    ctx.addIssue({ code: 'custom', message: 'expected smtp://user:pass@host:port or smtps://…' });
    return z.NEVER;
  }
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    user: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
  };
});

const envSchema = z.object({
  SEATWARDEN_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      'DATABASE_URL must be a postgres:// URL; leave it unset for the embedded SQLite store',
    )
    .optional(),
  SEATWARDEN_SECRET_KEY: z.string().min(1).optional(),
  SEATWARDEN_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  SEATWARDEN_JIRA_RATE: rateSchema.optional(),
  SEATWARDEN_ADMIN_RATE: rateSchema.optional(),
  SEATWARDEN_INACTIVE_DAYS: z.coerce.number().int().positive().default(90),
  SEATWARDEN_ADMIN_EMAIL: z
    .string()
    .trim()
    .regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address')
    .optional(),
  SEATWARDEN_ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').optional(),
  SEATWARDEN_SMTP_URL: smtpUrlSchema.optional(),
  SEATWARDEN_SMTP_FROM: z.string().trim().min(3).max(320).optional(),
  // Scale-out (PostgreSQL + pg-boss); ignored by the embedded SQLite store.
  SEATWARDEN_PG_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lowercase letters, digits and _')
    .optional(),
  SEATWARDEN_JOBS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lowercase letters, digits and _')
    .default('pgboss'),
  SEATWARDEN_JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  SEATWARDEN_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(86_399).default(900),
  SEATWARDEN_JOBS_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  SEATWARDEN_JOBS_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  SEATWARDEN_JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  SEATWARDEN_SYNC_STALE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
  SEATWARDEN_ACTION_LEASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(150),
  SEATWARDEN_MIGRATE: z.enum(['on', 'off']).default('on'),
  SEATWARDEN_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'expected the http(s) address users open Seatwarden at' })
    .optional(),
});

export interface SmtpServer {
  host: string;
  port: number;
  /** TLS from the start (smtps); otherwise STARTTLS when offered. */
  secure: boolean;
  user: string | undefined;
  /** Never logged (see REDACTED_PATHS). */
  password: string | undefined;
}

export interface SmtpConfig extends SmtpServer {
  /** The From header of notification emails. */
  from: string;
}

export interface RateBudget {
  ratePerSecond: number;
  burst: number;
}

export interface SeatwardenConfig {
  dataDir: string;
  databaseUrl: string | undefined;
  secretKey: string | undefined;
  logLevel: z.infer<typeof envSchema>['SEATWARDEN_LOG_LEVEL'];
  budgets: { jira?: RateBudget; admin?: RateBudget };
  inactiveDays: number;
  /** The first admin, created at start when no admin exists (see ensureFirstAdmin). */
  adminEmail?: string | undefined;
  adminPassword?: string | undefined;
  /** Email notifications; undefined when SEATWARDEN_SMTP_URL is not set (email is then skipped). */
  smtp?: SmtpConfig | undefined;
  /** PostgreSQL schema for Seatwarden's tables (default: the connection's search_path). */
  pgSchema?: string | undefined;
  /** Where users open Seatwarden (e.g. https://seatwarden.example.com): makes links in notifications absolute. */
  publicUrl?: string | undefined;
  /** Apply pending migrations when a process starts (under a lock); off = run `seatwarden migrate`. */
  migrateOnStart: boolean;
  jobs: JobsConfig;
  /** A running sync whose heartbeat is older than this belongs to a dead process and is taken over. */
  syncStaleMs: number;
  /** How long a provisioning item belongs to the process that claimed it. */
  actionLeaseMs: number;
}

export interface JobsConfig {
  /** pg-boss's own schema in the PostgreSQL database. */
  schema: string;
  /** Jobs this process runs at once. */
  concurrency: number;
  /** An active job not finished after this long is taken to be dead (its worker crashed) and retried. */
  expireSeconds: number;
  pollSeconds: number;
  maintenanceSeconds: number;
  /** Replaces every job type's first retry delay (it still doubles per try); default: the type's own. */
  retryDelaySeconds?: number | undefined;
}

export class ConfigError extends Error {
  readonly code = 'invalid_config';
}

export function loadConfig(env: NodeJS.ProcessEnv, overrides: { dataDir?: string } = {}): SeatwardenConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `Invalid configuration: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const values = parsed.data;
  if (values.SEATWARDEN_SMTP_URL && values.SEATWARDEN_SMTP_FROM === undefined) {
    throw new ConfigError('Invalid configuration: SEATWARDEN_SMTP_FROM is required with SEATWARDEN_SMTP_URL');
  }
  return {
    dataDir: path.resolve(overrides.dataDir ?? values.SEATWARDEN_DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    secretKey: values.SEATWARDEN_SECRET_KEY,
    logLevel: values.SEATWARDEN_LOG_LEVEL,
    budgets: { jira: values.SEATWARDEN_JIRA_RATE, admin: values.SEATWARDEN_ADMIN_RATE },
    inactiveDays: values.SEATWARDEN_INACTIVE_DAYS,
    adminEmail: values.SEATWARDEN_ADMIN_EMAIL,
    adminPassword: values.SEATWARDEN_ADMIN_PASSWORD,
    smtp:
      values.SEATWARDEN_SMTP_URL && values.SEATWARDEN_SMTP_FROM !== undefined
        ? { ...values.SEATWARDEN_SMTP_URL, from: values.SEATWARDEN_SMTP_FROM }
        : undefined,
    pgSchema: values.SEATWARDEN_PG_SCHEMA,
    migrateOnStart: values.SEATWARDEN_MIGRATE === 'on',
    publicUrl: values.SEATWARDEN_PUBLIC_URL,
    jobs: {
      schema: values.SEATWARDEN_JOBS_SCHEMA,
      concurrency: values.SEATWARDEN_JOBS_CONCURRENCY,
      expireSeconds: values.SEATWARDEN_JOB_EXPIRE_SECONDS,
      pollSeconds: values.SEATWARDEN_JOBS_POLL_SECONDS,
      maintenanceSeconds: values.SEATWARDEN_JOBS_MAINTENANCE_SECONDS,
      retryDelaySeconds: values.SEATWARDEN_JOB_RETRY_DELAY_SECONDS,
    },
    syncStaleMs: values.SEATWARDEN_SYNC_STALE_SECONDS * 1000,
    actionLeaseMs: values.SEATWARDEN_ACTION_LEASE_SECONDS * 1000,
  };
}
