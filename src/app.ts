// The composition root: the one place where configuration becomes real objects.
import path from 'node:path';
import type { Kysely } from 'kysely';
import { pino, type Logger } from 'pino';
import type { SeatwardenConfig } from './config/config.ts';
import { openStore, type Store } from './storage/db.ts';
import type { Database } from './storage/schema.ts';
import { createSecretBox, loadSecretKey, type SecretBox } from './storage/secret-box.ts';

export interface App {
  config: SeatwardenConfig;
  store: Store;
  db: Kysely<Database>;
  secrets: SecretBox;
  logger: Logger;
  /** The current time. Everything time-based (expiry, reminders, leases) reads it, so tests can move it. */
  now(): Date;
  close(): Promise<void>;
}

/** Secrets never reach a log line, even by mistake: these paths are censored wherever they appear. */
export const REDACTED_PATHS = [
  'apiToken',
  'orgApiKey',
  '*.apiToken',
  '*.orgApiKey',
  'authorization',
  '*.authorization',
  'webhookUrl',
  '*.webhookUrl',
  'smtp.password',
  '*.smtp.password',
];

/**
 * JSON logs: to a file in the data directory for the CLI (its stdout is for results), or to
 * stdout for the server.
 */
export function createLogger(config: SeatwardenConfig, target: 'file' | 'stdout'): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (target === 'stdout') return pino(options);
  return pino(
    options,
    pino.destination({ dest: path.join(config.dataDir, 'seatwarden.log'), mkdir: true, sync: true }),
  );
}

export async function openApp(
  config: SeatwardenConfig,
  opts: {
    pgSchema?: string;
    logTo?: 'file' | 'stdout';
    /** Apply pending migrations at open (default: config.migrateOnStart). */
    migrate?: boolean;
    /** Without migrating, refuse a database with pending migrations (default true). */
    checkSchema?: boolean;
  } = {},
): Promise<App> {
  const secrets = createSecretBox(await loadSecretKey({ env: config.secretKey, dataDir: config.dataDir }));
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pgSchema: opts.pgSchema ?? config.pgSchema,
    migrate: opts.migrate ?? config.migrateOnStart,
    requireCurrentSchema: opts.checkSchema ?? true,
  });
  const logger = createLogger(config, opts.logTo ?? 'file');
  return {
    config,
    store,
    db: store.db,
    secrets,
    logger,
    now: () => new Date(),
    close: () => store.close(),
  };
}
