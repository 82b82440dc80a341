// The composition root: the one place where configuration becomes real objects.
import type { Kysely } from 'kysely';
import type { SeatwardenConfig } from './config/config.ts';
import { openStore, type Store } from './storage/db.ts';
import type { Database } from './storage/schema.ts';
import { createSecretBox, loadSecretKey, type SecretBox } from './storage/secret-box.ts';

export interface App {
  config: SeatwardenConfig;
  store: Store;
  db: Kysely<Database>;
  secrets: SecretBox;
  close(): Promise<void>;
}

export async function openApp(config: SeatwardenConfig, opts: { pgSchema?: string } = {}): Promise<App> {
  const secrets = createSecretBox(await loadSecretKey({ env: config.secretKey, dataDir: config.dataDir }));
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pgSchema: opts.pgSchema });
  return { config, store, db: store.db, secrets, close: () => store.close() };
}
