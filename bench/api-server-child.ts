// The API server under load, in its own process so the load tool does not share its event loop:
// `tsx bench/api-server-child.ts <dataDir>` opens the SQLite store a benchmark sync filled, creates
// an admin with an API token, listens on 127.0.0.1 and tells the parent the port and the token.
import { pino } from 'pino';
import type { App } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { buildServer } from '../src/http/server.ts';
import { createInProcessJobs } from '../src/jobs/index.ts';
import { createApiToken } from '../src/storage/api-tokens.ts';
import { openStore } from '../src/storage/db.ts';
import { createSecretBox } from '../src/storage/secret-box.ts';
import { createUser } from '../src/storage/users.ts';

export interface ApiServerReady {
  type: 'listening';
  port: number;
  token: string;
}

const dataDir = process.argv[2];
if (!dataDir || !process.send)
  throw new Error('usage: tsx bench/api-server-child.ts <dataDir>, with an IPC channel');

const store = await openStore({ dataDir });
const app: App = {
  config: loadConfig({}, { dataDir }),
  store,
  db: store.db,
  secrets: createSecretBox(Buffer.alloc(32, 7)),
  logger: pino({ level: 'silent' }),
  now: () => new Date(),
  close: () => store.close(),
};
const user = await createUser(app.db, {
  email: 'bench@seatwarden.invalid',
  displayName: 'Benchmark',
  role: 'admin',
  password: `bench-${String(process.pid)}-${String(Date.now())}`,
});
const { token } = await createApiToken(app.db, user.id, 'benchmark');
const server = await buildServer(app, { jobs: createInProcessJobs(app) });
await server.listen({ host: '127.0.0.1', port: 0 });
const address = server.server.address();
if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
const ready: ApiServerReady = { type: 'listening', port: address.port, token };
process.send(ready);
process.on('disconnect', () => {
  void server.close().then(() => app.close());
});
