// Small HTTP helpers for the simulator's own tests (real fetch over loopback).

import type { Simulator } from './server.ts';

export type Who = 'admin' | 'user' | 'scoped';

export function basicAuth(sim: Simulator, who: Who): string {
  const c = sim.credentials;
  const [email, token] =
    who === 'admin'
      ? [c.adminEmail, c.apiToken]
      : who === 'user'
        ? [c.userEmail, c.userApiToken]
        : [c.scopedEmail, c.scopedApiToken];
  return `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = unknown>(url: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Non-JSON bodies (faults, empty 2xx) are returned as text.
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** Call a Jira path on the site (or on the gateway with `gateway: true`) as one of the credentials. */
export function jira<T = unknown>(
  sim: Simulator,
  path: string,
  options: { who?: Who; method?: string; body?: unknown; gateway?: boolean } = {},
): Promise<JsonResponse<T>> {
  const base = options.gateway ? sim.gatewayUrl : sim.siteUrl;
  const headers: Record<string, string> = {
    authorization: basicAuth(sim, options.who ?? 'admin'),
    accept: 'application/json',
  };
  const init: RequestInit = { method: options.method ?? 'GET', headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  return call<T>(`${base}${path}`, init);
}

export function control<T = unknown>(sim: Simulator, path: string, body?: unknown): Promise<JsonResponse<T>> {
  const init: RequestInit =
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  return call<T>(`${sim.siteUrl}/__sim/${path}`, init);
}

export interface PageBean<T> {
  self: string;
  nextPage?: string;
  maxResults: number;
  startAt: number;
  total: number;
  isLast: boolean;
  values: T[];
}
