// Injected faults: decided per request by the seeded PRNG, applied before (or, for `truncated`,
// while) the real handler answers.

import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FaultKind, FaultRule } from './config.ts';
import type { Rng } from './prng.ts';

export function ruleMatches(rule: FaultRule, routeKey: string): boolean {
  if (rule.endpoint === '*') return true;
  if (rule.endpoint.endsWith('*')) return routeKey.startsWith(rule.endpoint.slice(0, -1));
  return rule.endpoint === routeKey;
}

/** The first matching rule that fires decides; a rule with `remaining` counts down. */
export function decideFault(rules: FaultRule[], routeKey: string, rng: Rng): FaultKind | null {
  for (const rule of rules) {
    if (!ruleMatches(rule, routeKey)) continue;
    if (rule.remaining !== undefined && rule.remaining <= 0) continue;
    if (rng() >= rule.probability) continue;
    if (rule.remaining !== undefined) rule.remaining -= 1;
    return rule.kind;
  }
  return null;
}

/** Requests held open by `timeout` faults; released (socket destroyed) on stop(). */
export class HeldRequests {
  private readonly held = new Set<() => void>();

  hold(request: FastifyRequest, reply: FastifyReply): void {
    reply.hijack();
    const socket = request.raw.socket;
    const release = () => {
      this.held.delete(release);
      socket.destroy();
    };
    this.held.add(release);
    socket.once('close', () => this.held.delete(release));
  }

  releaseAll(): void {
    for (const release of [...this.held]) release();
  }
}

const JIRA_500 = { errorMessages: ['Internal server error'], errors: {} };

/**
 * Answer the request with the fault instead of the handler. Returns false for `truncated`,
 * which needs the handler's real body: the caller marks the request and `truncateBody` runs in onSend.
 */
export function applyFault(
  kind: FaultKind,
  request: FastifyRequest,
  reply: FastifyReply,
  held: HeldRequests,
): boolean {
  switch (kind) {
    case '500':
      void reply.code(500).send(JIRA_500);
      return true;
    case '502':
      void reply.code(502).type('text/html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return true;
    case '503':
      void reply
        .code(503)
        .header('Retry-After', '1')
        .type('text/html')
        .send('<html><body><h1>503 Service Unavailable</h1></body></html>');
      return true;
    case 'timeout':
      held.hold(request, reply);
      return true;
    case 'reset':
      reply.hijack();
      request.raw.socket.destroy();
      return true;
    case 'malformed':
      void reply.code(200).type('application/json').send('{"values":[{"accountId":"557058:');
      return true;
    case 'truncated':
      return false;
  }
}

/** onSend: send the headers and the first half of the real body, then drop the connection. */
export function truncateBody(reply: FastifyReply, payload: unknown): Readable {
  const text =
    typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
  const bytes = Buffer.from(text, 'utf8');
  void reply.header('content-length', String(bytes.length));
  const half = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
  let sent = false;
  return new Readable({
    read() {
      if (sent) return;
      sent = true;
      this.push(half);
      // Give the first half time to reach the socket before the connection dies.
      setTimeout(() => this.destroy(new Error('simulated truncation')), 20);
    },
  });
}
