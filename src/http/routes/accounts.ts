// Accounts: the filtered, sorted, paged list; a streamed export of every match; one account's detail.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { findIntegration } from '../../integrations/service.ts';
import { z } from 'zod';
import {
  getAccountDetail,
  listAccounts,
  MAX_PAGE_SIZE,
  type AccountFilter,
  type AccountListItem,
  type AccountSort,
} from '../../storage/inventory-reads.ts';
import type { Database } from '../../storage/schema.ts';
import { notFound } from '../errors.ts';
import type { RouteDeps } from '../route-deps.ts';
import {
  accountDetailSchema,
  accountListItemSchema,
  accountStatusSchema,
  csvOf,
  errorResponses,
  idParam,
  pageOf,
  pageQuery,
  queryBoolean,
  searchQuery,
} from '../schemas.ts';

const SORT_KEYS = [
  'displayName',
  'email',
  'lastActive',
  'status',
  'accountType',
  'accountId',
  'firstSeenAt',
] as const;

const filterQuery = {
  integrationId: idParam.optional(),
  status: csvOf(accountStatusSchema).optional(),
  type: csvOf(z.string().min(1).max(50)).optional(),
  product: z.string().min(1).max(200).optional(),
  groupId: idParam.optional(),
  projectId: idParam.optional(),
  roleId: idParam.optional(),
  inactiveDays: z.coerce.number().int().min(0).max(36_500).optional(),
  neverActive: queryBoolean.optional(),
  billable: queryBoolean.optional(),
  search: searchQuery.optional(),
  includeRemoved: queryBoolean.optional(),
  sort: z.enum(SORT_KEYS).default('displayName'),
  direction: z.enum(['asc', 'desc']).default('asc'),
};

const listQuery = z
  .object({ ...filterQuery, ...pageQuery(50) })
  .refine((q) => q.roleId === undefined || q.projectId !== undefined, {
    message: 'roleId needs projectId',
    path: ['roleId'],
  });
const exportQuery = z
  .object({ ...filterQuery, format: z.enum(['csv', 'json']).default('csv') })
  .refine((q) => q.roleId === undefined || q.projectId !== undefined, {
    message: 'roleId needs projectId',
    path: ['roleId'],
  });

type FilterQuery = z.output<z.ZodObject<typeof filterQuery>>;

function toFilter(q: FilterQuery): AccountFilter {
  return {
    ...(q.integrationId === undefined ? {} : { integrationId: q.integrationId }),
    ...(q.status === undefined ? {} : { status: q.status }),
    ...(q.type === undefined ? {} : { accountType: q.type }),
    ...(q.product === undefined ? {} : { productKey: q.product }),
    ...(q.groupId === undefined ? {} : { groupId: q.groupId }),
    ...(q.projectId === undefined
      ? {}
      : { projectRole: { projectId: q.projectId, ...(q.roleId === undefined ? {} : { roleId: q.roleId }) } }),
    ...(q.inactiveDays === undefined ? {} : { inactiveDays: q.inactiveDays }),
    ...(q.neverActive === undefined ? {} : { neverActive: q.neverActive }),
    ...(q.billable === undefined ? {} : { billable: q.billable }),
    ...(q.search === undefined ? {} : { search: q.search }),
    ...(q.includeRemoved === undefined ? {} : { includeRemoved: q.includeRemoved }),
    now: new Date().toISOString(),
  };
}

/** Every matching account, one page of MAX_PAGE_SIZE at a time. */
async function* allAccounts(db: Kysely<Database>, filter: AccountFilter, sort: AccountSort) {
  for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
    const page = await listAccounts(db, filter, sort, { limit: MAX_PAGE_SIZE, offset }, { groupRoles: true });
    yield* page.items;
    if (page.items.length < MAX_PAGE_SIZE) return;
  }
}

const CSV_COLUMNS = [
  'integrationId',
  'accountId',
  'displayName',
  'email',
  'accountType',
  'status',
  'billable',
  'lastActive',
  'products',
  'groups',
  'projectRoles',
  'firstSeenAt',
  'removedAt',
] as const;

/** Cells opened in a spreadsheet must not run as formulas (names and emails come from Atlassian). */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvRow(a: AccountListItem): Record<(typeof CSV_COLUMNS)[number], string> {
  const text = (v: string | boolean | null): string => (v === null ? '' : safeCell(String(v)));
  return {
    integrationId: a.integrationId,
    accountId: a.accountId,
    displayName: text(a.displayName),
    email: text(a.email),
    accountType: text(a.accountType),
    status: text(a.status),
    billable: text(a.billable),
    lastActive: text(a.lastActive),
    products: a.products.map((p) => p.productKey).join(';'),
    groups: safeCell(a.groups.map((g) => g.name ?? g.groupId).join(';')),
    projectRoles: safeCell(
      a.projectRoles.map((r) => `${r.projectKey ?? r.projectId}:${r.roleName ?? r.roleId}`).join(';'),
    ),
    firstSeenAt: a.firstSeenAt,
    removedAt: text(a.removedAt),
  };
}

/** A JSON array written item by item. */
async function* jsonArray(items: AsyncIterable<AccountListItem>) {
  yield '[';
  let first = true;
  for await (const item of items) {
    yield `${first ? '' : ','}\n${JSON.stringify(item)}`;
    first = false;
  }
  yield '\n]\n';
}

export const accountRoutes: FastifyPluginCallbackZod<RouteDeps> = (server, { app }, done) => {
  server.get(
    '/accounts',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['inventory'],
        querystring: listQuery,
        response: { 200: pageOf(accountListItemSchema), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return listAccounts(
        app.db,
        toFilter(q),
        { by: q.sort, direction: q.direction },
        { limit: q.limit, offset: q.offset },
      );
    },
  );

  server.get(
    '/accounts/export',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['inventory'],
        description: 'Every matching account as a CSV or JSON download, streamed.',
        querystring: exportQuery,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const rows = allAccounts(app.db, toFilter(q), { by: q.sort, direction: q.direction });
      const stamp = new Date().toISOString().slice(0, 10);
      void reply.header(
        'content-disposition',
        `attachment; filename="seatwarden-accounts-${stamp}.${q.format}"`,
      );
      if (q.format === 'json') {
        void reply.type('application/json; charset=utf-8');
        return reply.send(Readable.from(jsonArray(rows)));
      }
      void reply.type('text/csv; charset=utf-8');
      const csv = stringify({ header: true, columns: [...CSV_COLUMNS] });
      const source = Readable.from(
        (async function* () {
          for await (const account of rows) yield csvRow(account);
        })(),
      );
      source.on('error', (error) => csv.destroy(error));
      return reply.send(source.pipe(csv));
    },
  );

  server.get(
    '/integrations/:id/accounts/:accountId',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['inventory'],
        params: z.object({ id: idParam, accountId: idParam }),
        response: { 200: accountDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const integration = await findIntegration(app, request.params.id);
      const detail = await getAccountDetail(app.db, integration.id, request.params.accountId);
      if (!detail) throw notFound('Account');
      return detail;
    },
  );
  done();
};
