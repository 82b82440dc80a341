// A tiny real HTTP server on 127.0.0.1 that answers from a script, for connector tests.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed JSON body, when there is one. */
  json: unknown;
  receivedAt: number;
}

export type Reply =
  | { status?: number; headers?: Record<string, string>; json?: unknown; text?: string; delayMs?: number }
  /** Reset the connection without answering. */
  | { destroy: true };

export type Handler = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  /** Highest number of requests being handled at the same time. */
  maxConcurrent(): number;
  close(): Promise<void>;
}

export async function startScriptedServer(handler: Handler): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  let active = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      active += 1;
      peak = Math.max(peak, active);
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? (JSON.parse(body) as unknown) : undefined;
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: req.headers,
        body,
        json,
        receivedAt: Date.now(),
      };
      requests.push(recorded);
      void (async () => {
        const reply = await handler(recorded, requests.length - 1);
        if ('destroy' in reply) {
          active -= 1;
          req.socket.destroy();
          return;
        }
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        const text = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
        const headers = {
          ...(reply.json === undefined ? {} : { 'content-type': 'application/json' }),
          ...reply.headers,
        };
        active -= 1;
        res.writeHead(reply.status ?? 200, headers).end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxConcurrent: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Responds by path: the first matching route wins; unmatched paths get a Jira-style 404. */
export function routes(table: Record<string, Handler>): Handler {
  return (request, index) => {
    const handler = table[`${request.method} ${request.url.pathname}`] ?? table[request.url.pathname];
    return handler
      ? handler(request, index)
      : {
          status: 404,
          json: { errorMessages: [`no route for ${request.method} ${request.url.pathname}`], errors: {} },
        };
  };
}

export const SECRET_TOKEN = 'ATATT-super-secret-token-0123456789';
export const SECRET_ORG_KEY = 'ATCTT-org-key-secret-9876543210';
