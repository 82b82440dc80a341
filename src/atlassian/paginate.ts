// One pagination engine for every style Atlassian uses. It asks for the largest page allowed, ends
// only on what the API says (isLast, an empty page, no links.next) and refuses to follow a server
// that never ends. Each page carries a serialisable resume token for the position after it.
import type { AtlassianClient, AtlassianResponse, RequestOptions } from './client.ts';
import { ENDPOINTS, type EndpointId, type PageSpec, type PageStyle } from './endpoints.ts';
import { AtlassianError } from './errors.ts';

export interface ResumeToken {
  endpoint: EndpointId;
  style: PageStyle;
  /** Number of the next page (0-based). */
  pageNumber: number;
  startAt?: number;
  cursor?: string;
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  pageNumber: number;
  /** The cursor that fetched this page (cursor styles). */
  cursor?: string;
  total?: number;
  /** Where to continue after this page; undefined when this was the last one. */
  resumeToken?: ResumeToken;
}

export interface PaginateOptions {
  resume?: ResumeToken;
  /** Safety cap; by default derived from `total` when the API gives one, else 1,000,000. */
  maxPages?: number;
  /** Smaller than the endpoint's cap, e.g. for a probe. */
  pageSize?: number;
}

export const DEFAULT_MAX_PAGES = 1_000_000;
const ABSURD_TOTAL = 100_000_000;
const MIN_SHRUNK_PAGE = 25;

interface RawPage {
  items: unknown[];
  /** The API says so (isLast, or no links.next). */
  last?: boolean;
  startAt?: number;
  total?: number;
  nextCursor?: string;
}

export async function* paginate<T = unknown>(
  client: AtlassianClient,
  endpoint: EndpointId,
  params: RequestOptions = {},
  options: PaginateOptions = {},
): AsyncGenerator<Page<T>> {
  const spec: PageSpec | undefined = (ENDPOINTS[endpoint] as { page?: PageSpec }).page;
  if (!spec) throw invalid(endpoint, 'is not a paginated endpoint');
  const resume = options.resume;
  if (resume && (resume.endpoint !== endpoint || resume.style !== spec.style)) {
    throw invalid(endpoint, `cannot resume from a token for ${resume.endpoint}`);
  }
  let pageNumber = resume?.pageNumber ?? 0;
  let startAt = resume?.startAt ?? 0;
  let cursor = resume?.cursor;
  let pageSize = resume?.pageSize ?? Math.min(options.pageSize ?? spec.cap, spec.cap);
  let maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const seenCursors = new Set<string>(cursor === undefined ? [] : [cursor]);
  let firstFingerprint: string | undefined;
  let previousFingerprint: string | undefined;

  for (;;) {
    if (pageNumber >= maxPages)
      throw invalid(endpoint, `returned more than ${maxPages} pages; stopping a runaway pagination`);

    let response: AtlassianResponse;
    for (;;) {
      try {
        response = await client.request(endpoint, pageRequest(spec, params, { startAt, cursor, pageSize }));
        break;
      } catch (error) {
        // users/search gives up after 10 s with a 409: a smaller page usually fits.
        if (
          spec.shrinkOn409 &&
          error instanceof AtlassianError &&
          error.status === 409 &&
          pageSize > MIN_SHRUNK_PAGE
        ) {
          pageSize = Math.max(MIN_SHRUNK_PAGE, Math.floor(pageSize / 2));
          continue;
        }
        throw error;
      }
    }

    const page = readPage(spec.style, response.body, endpoint);
    if (page.total !== undefined) {
      if (!Number.isInteger(page.total) || page.total < 0 || page.total > ABSURD_TOTAL) {
        throw invalid(endpoint, `reported an impossible total of ${page.total}`);
      }
      if (options.maxPages === undefined && page.items.length > 0) {
        // `total` may change during a run, so allow generous slack over the pages it implies.
        maxPages = Math.min(DEFAULT_MAX_PAGES, Math.ceil(page.total / page.items.length) * 2 + 10);
      }
    }
    if (
      page.startAt !== undefined &&
      page.startAt !== startAt &&
      (spec.style === 'pagebean' || spec.style === 'array')
    ) {
      throw invalid(
        endpoint,
        `answered startAt=${page.startAt} when asked for startAt=${startAt}; the page jumped`,
      );
    }
    if (page.items.length > 0) {
      const fingerprint = JSON.stringify([page.items[0], page.items.at(-1), page.items.length]);
      if (
        pageNumber > (resume?.pageNumber ?? 0) &&
        (fingerprint === firstFingerprint || fingerprint === previousFingerprint)
      ) {
        throw invalid(
          endpoint,
          `returned page ${pageNumber} identical to an earlier page; the server is going back`,
        );
      }
      firstFingerprint ??= fingerprint;
      previousFingerprint = fingerprint;
    }

    const pageCursor = cursor;
    let next: ResumeToken | undefined;
    if (spec.style === 'pagebean' || spec.style === 'array') {
      if (page.items.length === 0) {
        if (page.last === false) throw invalid(endpoint, 'said isLast=false on an empty page');
        return;
      }
      if (page.last !== true) {
        // Advance by what came back: the server may lower maxResults below what we asked.
        next = {
          endpoint,
          style: spec.style,
          pageNumber: pageNumber + 1,
          startAt: startAt + page.items.length,
          pageSize,
        };
      }
    } else if (page.nextCursor !== undefined) {
      if (seenCursors.has(page.nextCursor)) {
        throw invalid(endpoint, `repeated a cursor it had already given; stopping a runaway pagination`);
      }
      seenCursors.add(page.nextCursor);
      next = { endpoint, style: spec.style, pageNumber: pageNumber + 1, cursor: page.nextCursor, pageSize };
    }

    if (page.items.length > 0 || next === undefined) {
      yield {
        items: page.items as T[],
        pageNumber,
        ...(pageCursor === undefined ? {} : { cursor: pageCursor }),
        ...(page.total === undefined ? {} : { total: page.total }),
        ...(next === undefined ? {} : { resumeToken: next }),
      };
    }
    if (!next) return;
    pageNumber = next.pageNumber;
    startAt = next.startAt ?? startAt;
    cursor = next.cursor;
  }
}

/** Collects every item; for small lists only (orgs, directories). */
export async function collectAll<T>(pages: AsyncIterable<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page.items);
  return all;
}

function pageRequest(
  spec: PageSpec,
  params: RequestOptions,
  position: { startAt: number; cursor: string | undefined; pageSize: number },
): RequestOptions {
  const { startAt, cursor, pageSize } = position;
  const size = spec.sizeParam && pageSize > 0 ? { [spec.sizeParam]: pageSize } : {};
  switch (spec.style) {
    case 'pagebean':
    case 'array':
      return { ...params, query: { ...params.query, startAt, ...size } };
    case 'cursorV1':
      return { ...params, query: { ...params.query, ...(cursor === undefined ? {} : { cursor }) } };
    case 'cursorV2Query':
      return { ...params, query: { ...params.query, ...size, ...(cursor === undefined ? {} : { cursor }) } };
    case 'cursorV2Body':
      return {
        ...params,
        body: {
          ...(isRecord(params.body) ? params.body : {}),
          ...size,
          ...(cursor === undefined ? {} : { cursor }),
        },
      };
  }
}

function readPage(style: PageStyle, body: unknown, endpoint: EndpointId): RawPage {
  if (style === 'array') {
    if (!Array.isArray(body)) throw invalid(endpoint, 'was expected to return a JSON array');
    return { items: body as unknown[] };
  }
  if (!isRecord(body)) throw invalid(endpoint, 'was expected to return a JSON object');
  if (style === 'pagebean') {
    if (!Array.isArray(body.values)) throw invalid(endpoint, 'returned a page without a values array');
    return {
      items: body.values as unknown[],
      ...(typeof body.isLast === 'boolean' ? { last: body.isLast } : {}),
      ...(typeof body.startAt === 'number' ? { startAt: body.startAt } : {}),
      ...(typeof body.total === 'number' ? { total: body.total } : {}),
    };
  }
  if (!Array.isArray(body.data)) throw invalid(endpoint, 'returned a page without a data array');
  const links = isRecord(body.links) ? body.links : {};
  const meta = isRecord(body.meta) ? body.meta : {};
  const nextCursor = cursorFromNext(links.next, endpoint);
  return {
    items: body.data as unknown[],
    last: nextCursor === undefined,
    ...(nextCursor === undefined ? {} : { nextCursor }),
    ...(typeof meta.total === 'number' ? { total: meta.total } : {}),
  };
}

/** `links.next` is a URL carrying `cursor` (v1) or the opaque cursor itself (v2); accept both. */
export function cursorFromNext(next: unknown, endpoint: EndpointId): string | undefined {
  if (typeof next !== 'string' || next.trim() === '') return undefined;
  const value = next.trim();
  if (!/^(https?:\/\/|\/)/.test(value)) return value;
  const cursor = new URL(value, 'http://relative.invalid').searchParams.get('cursor');
  if (!cursor) throw invalid(endpoint, 'gave a links.next URL without a cursor parameter');
  return cursor;
}

function invalid(endpoint: EndpointId, message: string): AtlassianError {
  return new AtlassianError(`${endpoint} ${message}`, { kind: 'invalid', endpoint, retryable: false });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
