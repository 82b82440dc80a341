// A local HTTP receiver for webhook notifications, on 127.0.0.1 and a random port: records every
// POST (path and JSON body) and answers with a status tests can change. `stop()` closes it and
// `start()` opens it again on the same port, so a test can take "the receiver" down and up.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  body: unknown;
}

export interface WebhookReceiver {
  /** The base URL, e.g. http://127.0.0.1:41234 (append a path such as /services/T0/B0/secret). */
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** The status answered from now on (default 200). */
  respondWith(status: number): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  let server: Server | undefined;
  const newServer = (): Server =>
    createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Kept as text: the test will see the shape was wrong.
        }
        if (request.method === 'POST') received.push({ path: request.url ?? '', body });
        response.writeHead(status, { 'content-type': 'text/plain' });
        response.end(status < 300 ? 'ok' : 'error');
      });
    });
  server = newServer();
  const port = await listen(server, 0);
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}`,
    received,
    respondWith(next) {
      status = next;
    },
    async start() {
      if (server) return;
      server = newServer();
      await listen(server, port);
    },
    async stop() {
      const current = server;
      if (!current) return;
      server = undefined;
      current.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        current.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
  return receiver;
}
