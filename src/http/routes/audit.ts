// The audit log over HTTP: filter and page (newest first), export as CSV or JSON, verify the
// chain. Read-only by construction: there is no route that changes an event.
import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  listAuditEvents,
  MAX_AUDIT_PAGE,
  verifyAuditChain,
  VIAS,
  type AuditEvent,
  type AuditFilter,
} from '../../storage/audit.ts';
import type { RouteDeps } from '../route-deps.ts';
import { errorResponses } from '../schemas.ts';

const auditEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  via: z.enum(['ui', 'api', 'cli', 'job']),
  integrationId: z.string().nullable(),
  action: z.string(),
  target: z.string(),
  requestId: z.string().nullable(),
  outcome: z.string(),
  atlassianStatus: z.number().int().nullable(),
  detail: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

const filterQuery = {
  integrationId: z.string().max(200).optional(),
  actor: z.string().max(320).optional(),
  action: z.string().max(64).optional(),
  outcome: z.string().max(32).optional(),
  target: z.string().max(200).optional(),
  via: z.enum(VIAS).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};
type FilterQuery = z.infer<z.ZodObject<typeof filterQuery>>;

function toFilter(query: FilterQuery): AuditFilter {
  const { from, to, ...rest } = query;
  const filter: AuditFilter = {};
  for (const [key, value] of Object.entries(rest) as [keyof typeof rest, string | undefined][]) {
    if (value !== undefined) Object.assign(filter, { [key]: value });
  }
  if (from !== undefined) filter.from = new Date(from).toISOString();
  if (to !== undefined) filter.to = new Date(to).toISOString();
  return filter;
}

/** Larger exports are refused rather than held in memory: narrow the filter. */
const MAX_EXPORT = 100_000;

async function allEvents(app: RouteDeps['app'], filter: AuditFilter): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await listAuditEvents(app.db, {
      ...filter,
      limit: MAX_AUDIT_PAGE,
      ...(beforeSeq === undefined ? {} : { beforeSeq }),
    });
    events.push(...page);
    const last = page.at(-1);
    if (page.length < MAX_AUDIT_PAGE || !last || events.length >= MAX_EXPORT)
      return events.slice(0, MAX_EXPORT);
    beforeSeq = last.seq;
  }
}

const CSV_COLUMNS = [
  'seq',
  'at',
  'actor',
  'via',
  'integrationId',
  'action',
  'target',
  'requestId',
  'outcome',
  'atlassianStatus',
  'detail',
  'prevHash',
  'hash',
] as const;

export const auditRoutes: FastifyPluginCallbackZod<RouteDeps> = (server, { app }, done) => {
  server.get(
    '/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        querystring: z.object({
          ...filterQuery,
          beforeSeq: z.coerce.number().int().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(100),
        }),
        response: {
          200: z.object({ items: z.array(auditEventSchema), nextBeforeSeq: z.number().int().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { beforeSeq, limit, ...filters } = request.query;
      const items = await listAuditEvents(app.db, {
        ...toFilter(filters),
        limit,
        ...(beforeSeq === undefined ? {} : { beforeSeq }),
      });
      const last = items.at(-1);
      return { items, nextBeforeSeq: items.length === limit && last ? last.seq : null };
    },
  );

  server.get(
    '/audit/export',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        querystring: z.object({ ...filterQuery, format: z.enum(['csv', 'json']).default('json') }),
        response: { 200: z.string(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { format, ...filters } = request.query;
      const events = await allEvents(app, toFilter(filters));
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      void reply.header('content-disposition', `attachment; filename="seatwarden-audit-${stamp}.${format}"`);
      if (format === 'json') {
        void reply.type('application/json');
        return JSON.stringify(events);
      }
      void reply.type('text/csv; charset=utf-8');
      const rows = events.map((e) =>
        CSV_COLUMNS.map((c) => (c === 'detail' ? JSON.stringify(e.detail) : e[c])),
      );
      return stringify([[...CSV_COLUMNS], ...rows]);
    },
  );

  server.get(
    '/audit/verify',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            firstBad: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
          }),
          ...errorResponses,
        },
      },
    },
    () => verifyAuditChain(app.db),
  );
  done();
};
