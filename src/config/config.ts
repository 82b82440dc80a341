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
});

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
  return {
    dataDir: path.resolve(overrides.dataDir ?? values.SEATWARDEN_DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    secretKey: values.SEATWARDEN_SECRET_KEY,
    logLevel: values.SEATWARDEN_LOG_LEVEL,
    budgets: { jira: values.SEATWARDEN_JIRA_RATE, admin: values.SEATWARDEN_ADMIN_RATE },
    inactiveDays: values.SEATWARDEN_INACTIVE_DAYS,
    adminEmail: values.SEATWARDEN_ADMIN_EMAIL,
    adminPassword: values.SEATWARDEN_ADMIN_PASSWORD,
  };
}
