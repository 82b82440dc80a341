// A small HTTP client for the fidelity tests: it speaks to the running simulator as a real
// integration would (Basic for Jira, Bearer org key for the admin APIs) and checks every request
// body it sends and every response it gets against the spec.

import type { Simulator } from '../server.ts';
import { overrideFor } from './overrides.ts';
import type { Check, SpecValidator } from './openapi.ts';

export type Caller = 'admin' | 'user' | 'scopedToken' | 'orgKey' | 'scopedOrgKey' | 'none';
export type Host = 'site' | 'api' | 'gateway';

export interface Exchange {
  invalidRequest: boolean;
  method: string;
  path: string;
  status: number;
  body: unknown;
  request: Check | null;
  response: Check;
}

export interface CallOptions {
  as?: Caller;
  host?: Host;
  body?: unknown;
  /** The request body is deliberately outside the spec (to test the error answer). */
  invalidRequest?: boolean;
}

function authorization(sim: Simulator, caller: Caller): string | undefined {
  const c = sim.credentials;
  const basic = (email: string, token: string) =>
    `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
  switch (caller) {
    case 'admin':
      return basic(c.adminEmail, c.apiToken);
    case 'user':
      return basic(c.userEmail, c.userApiToken);
    case 'scopedToken':
      return basic(c.scopedEmail, c.scopedApiToken);
    case 'orgKey':
      return `Bearer ${c.orgApiKey}`;
    case 'scopedOrgKey':
      return `Bearer ${c.scopedOrgApiKey}`;
    case 'none':
      return undefined;
  }
}

export class FidelityClient {
  readonly exchanges: Exchange[] = [];

  constructor(
    private readonly sim: Simulator,
    private readonly validator: SpecValidator,
  ) {}

  async call(method: string, path: string, options: CallOptions = {}): Promise<Exchange> {
    const host = options.host ?? (path.startsWith('/rest/') ? 'site' : 'api');
    const base =
      host === 'site' ? this.sim.siteUrl : host === 'gateway' ? this.sim.gatewayUrl : this.sim.adminApiUrl;
    const caller = options.as ?? (host === 'api' ? 'orgKey' : 'admin');
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = authorization(this.sim, caller);
    if (auth !== undefined) headers.authorization = auth;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(base + path, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let body: unknown = text;
    if (text.length > 0 && (response.headers.get('content-type') ?? '').includes('json'))
      body = JSON.parse(text) as unknown;
    else if (text.length === 0) body = undefined;
    const exchange: Exchange = {
      invalidRequest: options.invalidRequest === true,
      method,
      path,
      status: response.status,
      body,
      request: options.body === undefined ? null : this.validator.checkRequest(method, path, options.body),
      response: this.conform(this.validator.checkResponse(method, path, response.status, body), body),
    };
    this.exchanges.push(exchange);
    return exchange;
  }

  /** Where the spec has no schema, validate against the override's substitute schema. */
  private conform(check: Check, body: unknown): Check {
    if (check.outcome !== 'no-schema' && check.outcome !== 'undocumented') return check;
    const override = overrideFor(check.specPath);
    return override ? this.validator.checkSchema(override.substitute, body) : check;
  }
}

/** Why an exchange does not conform, or null when it does. */
export function nonConformance(exchange: Exchange): string | null {
  const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
  const requestValid = exchange.request === null || exchange.request.outcome !== 'invalid';
  if (exchange.invalidRequest === requestValid) {
    const errors =
      exchange.request?.outcome === 'invalid' ? exchange.request.errors.join('; ') : 'passes the spec';
    return `${where}: request body ${exchange.invalidRequest ? 'was meant to break the spec but ' : ''}${errors}`;
  }
  const check = exchange.response;
  if (check.outcome === 'valid') return null;
  if (check.outcome === 'invalid') return `${where}: ${check.errors.slice(0, 5).join('; ')}`;
  return `${where}: ${check.outcome} (${check.specPath ?? 'no spec path'}) and no override in sim/fidelity/overrides.ts`;
}
