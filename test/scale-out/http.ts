// Talking to a cluster's API nodes as a browser would: sign in for a session cookie and CSRF
// token, then call the API with them.
import type { Node } from './cluster.ts';

export interface Session {
  cookie: string;
  csrf: string;
}

export function login(node: Node, email: string, password: string): Promise<Response> {
  return fetch(`${String(node.url)}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

export async function signIn(node: Node, email: string, password: string): Promise<Session> {
  const response = await login(node, email, password);
  if (response.status !== 200) throw new Error(`login on ${node.name} failed: ${String(response.status)}`);
  const cookie = /sw_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error('no session cookie');
  return { cookie, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

/** A raw call with the session (a JSON body when given). */
export function api(
  node: Node,
  session: Session,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${String(node.url)}/api/v1${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A call that must succeed; its JSON body. */
export async function call<T>(
  node: Node,
  session: Session,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await api(node, session, method, path, body);
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${String(response.status)} ${text}`);
  return JSON.parse(text) as T;
}
