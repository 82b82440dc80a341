// `POST /v2/orgs/{orgId}/workspaces`: the org's product instances, with their seat capacity.

import { z } from 'zod';
import type { SimProduct } from '../../model.ts';
import type { SimRuntime } from '../../runtime.ts';
import { decodeCursor, encodeCursor, scanPage } from './cursor.ts';
import { AdminError } from './errors.ts';
import { parseBody, type AdminRoute } from './route.ts';

const searchSchema = z.object({
  cursor: z.string().nullable().optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  // Only the free-text operand is applied; other operators are accepted and ignored.
  query: z.record(z.string(), z.unknown()).nullable().optional(),
  sort: z
    .array(z.object({ field: z.string().optional(), order: z.enum(['asc', 'desc']).optional() }))
    .nullable()
    .optional(),
});

const filterSchema = z.object({ text: z.string().nullable(), limit: z.number().int().min(1).max(1000) });
const cursorSchema = z.object({
  v: z.literal('workspaces'),
  q: filterSchema,
  next: z.number().int().nonnegative(),
  afterId: z.string().nullable(),
});

function workspace(sim: SimRuntime, product: SimProduct): Record<string, unknown> {
  return {
    id: product.ari,
    type: 'workspaces',
    attributes: {
      name: product.name,
      typeKey: product.key,
      type: product.key,
      hostUrl: product.url,
      status: 'online',
      statusDetails: [],
      labels: [],
      realm: 'us',
      regions: ['us-east-1'],
      capacity: product.capacity,
      owner: sim.state.orgId,
    },
    relationships: {
      entitlement: [
        {
          id: `${product.ari}/entitlement`,
          type: 'entitlement',
          attributes: { key: product.key, plan: product.plan, planKey: product.plan },
        },
      ],
    },
    links: {
      self: `${sim.urls.api}/admin/v2/orgs/${sim.state.orgId}/workspaces/${encodeURIComponent(product.ari)}`,
    },
  };
}

export const workspaceRoutes: readonly AdminRoute[] = [
  {
    method: 'POST',
    url: '/admin/v2/orgs/:orgId/workspaces',
    scope: 'read:workspaces:admin',
    errorShape: 'single',
    handle: ({ sim, body }) => {
      const input = parseBody(searchSchema, body);
      let q: z.infer<typeof filterSchema>;
      let from = { next: 0, afterId: null as string | null };
      if (typeof input.cursor === 'string') {
        if (input.limit !== undefined || input.query != null || input.sort != null) {
          throw new AdminError('badBody', 'When a cursor is given, no other properties may be present.');
        }
        const c = decodeCursor(cursorSchema, input.cursor);
        q = c.q;
        from = c;
      } else {
        const text = input.query?.searchWorkspaces;
        q = { text: typeof text === 'string' ? text.toLowerCase() : null, limit: input.limit ?? 20 };
      }
      const matches = (p: SimProduct): boolean =>
        q.text === null || p.name.toLowerCase().includes(q.text) || p.url.toLowerCase().includes(q.text);
      const page = scanPage(sim.state.products, (p) => p.key, from, q.limit, matches);
      const total = sim.state.products.filter(matches).length;
      return {
        status: 200,
        body: {
          data: page.items.map((p) => workspace(sim, p)),
          links: page.resume ? { next: encodeCursor({ v: 'workspaces', q, ...page.resume }) } : {},
          meta: { pageSize: q.limit, total },
        },
      };
    },
  },
];
