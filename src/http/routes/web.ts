// The web UI: files from web/dist at `/`, and index.html for any other non-API path so the
// single-page app can route on the client. Without a build, `/` explains how to make one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.ts';

/** Paths that are never the SPA: unknown ones there get the JSON 404. */
const NOT_SPA = /^\/(api|docs|metrics|healthz|readyz)(\/|$)/;
/** A last segment with an extension is a file request: a missing one is a real 404. */
const LOOKS_LIKE_FILE = /\/[^/]+\.[a-z0-9]+$/i;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Seatwarden</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>Seatwarden</h1>
<p>The web UI has not been built yet. Run <code>npm run build:web</code> and reload this page.</p>
<p>The REST API is up: see <a href="/docs">/docs</a>.</p>
</body></html>
`;

/**
 * Installs on the ROOT instance (not an encapsulated plugin): the not-found handler must cover
 * every path, and it needs reply.sendFile.
 */
export async function registerWeb(server: FastifyInstance, distDir: string): Promise<void> {
  const built = existsSync(path.join(distDir, 'index.html'));
  if (built) await server.register(fastifyStatic, { root: distDir, serve: false });

  const spaFallback = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (request.method !== 'GET' || NOT_SPA.test(pathname) || LOOKS_LIKE_FILE.test(pathname)) {
      return reply.status(404).send(errorBody('not_found', `No route ${request.method} ${pathname}`));
    }
    if (!built) return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  };
  server.setNotFoundHandler(spaFallback);

  server.get('/*', { config: { permission: 'public' }, schema: { hide: true } }, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    if (!built || file === '' || NOT_SPA.test(`/${file}`)) return spaFallback(request, reply);
    // sendFile refuses paths outside the root and calls the not-found handler for missing files.
    return reply.sendFile(file);
  });
}
