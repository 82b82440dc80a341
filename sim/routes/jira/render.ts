// How Jira shapes its objects and errors; shared by every Jira route file.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimAccount, SimGroup } from '../../model.ts';
import type { SimRuntime } from '../../runtime.ts';

export interface JiraError {
  errorMessages: string[];
  errors: Record<string, string>;
}

export function jiraError(
  reply: FastifyReply,
  status: number,
  message: string,
  errors: Record<string, string> = {},
): FastifyReply {
  const body: JiraError = { errorMessages: message ? [message] : [], errors };
  return reply.code(status).send(body);
}

/** Base URL the caller used: the site, or the gateway `/ex/jira/{cloudId}`. */
export function jiraBase(sim: SimRuntime, request: FastifyRequest): string {
  return request.routeOptions.url?.startsWith('/ex/jira/') === true
    ? `${sim.urls.api}/ex/jira/${sim.state.cloudId}`
    : sim.urls.site;
}

export type Query = Record<string, string | string[] | undefined>;

export function queryOf(request: FastifyRequest): Query {
  return request.query as Query;
}

/** The last value of a query parameter (repeated parameters arrive as arrays). */
export function single(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function many(query: Query, name: string): string[] {
  const value = query[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export class BadParam extends Error {}

/** Integer parameter; Jira clamps an over-large page size rather than rejecting it. */
export function intParam(query: Query, name: string, fallback: number, min: number, max: number): number {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw))
    throw new BadParam(`The value '${raw}' is not valid for the parameter '${name}'.`);
  return Math.min(max, Math.max(min, Number(raw)));
}

export function boolParam(query: Query, name: string, fallback: boolean): boolean {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return fallback;
  return raw.toLowerCase() === 'true';
}

export function expandSet(query: Query): Set<string> {
  return new Set(
    many(query, 'expand')
      .flatMap((e) => e.split(','))
      .map((e) => e.trim())
      .filter(Boolean),
  );
}

export function avatarUrls(accountId: string): Record<'16x16' | '24x24' | '32x32' | '48x48', string> {
  const base = `https://avatar-management--avatars.server-location.prod.public.atl-paas.net/${encodeURIComponent(accountId)}`;
  return {
    '16x16': `${base}?size=16`,
    '24x24': `${base}?size=24`,
    '32x32': `${base}?size=32`,
    '48x48': `${base}?size=48`,
  };
}

/** Jira `UserDetails` (group members, leads): privacy-gated email, `name`/`key` always empty. */
export function userDetails(base: string, account: SimAccount): Record<string, unknown> {
  const out: Record<string, unknown> = {
    self: `${base}/rest/api/3/user?accountId=${encodeURIComponent(account.accountId)}`,
    accountId: account.accountId,
    accountType: account.accountType,
    name: '',
    key: '',
    avatarUrls: avatarUrls(account.accountId),
    displayName: account.displayName,
    active: account.jiraActive,
    timeZone: account.timeZone,
  };
  if (account.email !== null && account.emailVisibleInJira) out.emailAddress = account.email;
  return out;
}

/** Jira `User`; `groups` and `applicationRoles` come from the route (they need the runtime). */
export function userJson(base: string, account: SimAccount): Record<string, unknown> {
  const out = userDetails(base, account);
  out.locale = account.locale;
  if (account.accountType === 'app') out.appType = account.appType ?? 'unknown';
  return out;
}

/** Placeholder Jira shows for an account that no longer exists (e.g. a deleted project lead). */
export function formerUser(base: string, accountId: string): Record<string, unknown> {
  return {
    self: `${base}/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`,
    accountId,
    accountType: 'unknown',
    name: '',
    key: '',
    avatarUrls: avatarUrls(accountId),
    displayName: 'Former user',
    active: false,
  };
}

export function groupName(base: string, group: SimGroup): { groupId: string; name: string; self: string } {
  return {
    name: group.name,
    groupId: group.groupId,
    self: `${base}/rest/api/3/group?groupId=${group.groupId}`,
  };
}

/**
 * Jira PageBean: `nextPage` only when more remains. `pageUrl` builds self/next links from the
 * request's own parameters with a different startAt.
 */
export function pageBean<T>(
  all: readonly T[],
  startAt: number,
  maxResults: number,
  pageUrl: (startAt: number) => string,
  render: (item: T) => unknown,
): Record<string, unknown> {
  const slice = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + slice.length >= all.length;
  const out: Record<string, unknown> = {
    self: pageUrl(startAt),
    maxResults,
    startAt,
    total: all.length,
    isLast,
    values: slice.map(render),
  };
  if (!isLast) out.nextPage = pageUrl(startAt + maxResults);
  return out;
}

/** Rebuild the request URL on `base` with `startAt`/`maxResults` replaced. */
export function pageUrlFor(
  base: string,
  request: FastifyRequest,
  maxResults: number,
): (startAt: number) => string {
  const incoming = new URL(request.url, 'http://sim.invalid');
  const path = incoming.pathname.replace(/^\/ex\/jira\/[^/]+/, '');
  return (startAt) => {
    const params = new URLSearchParams(incoming.search);
    params.set('startAt', String(startAt));
    params.set('maxResults', String(maxResults));
    return `${base}${path}?${params.toString()}`;
  };
}

/** 403 for a signed-in user who lacks a global admin permission. */
export function requireSiteAdmin(request: FastifyRequest, reply: FastifyReply): boolean {
  const principal = request.principal;
  if (principal?.kind === 'site' && principal.admin) return true;
  void jiraError(
    reply,
    403,
    'You are not authorized to perform this operation. Please contact your Jira administrators.',
  );
  return false;
}
