// Actions on accounts: create, product access, directory membership (suspend, restore, remove),
// Jira removal, and the managed-account lifecycle (deactivate, delete, cancel delete).
// The v1 directory calls are gone: suspend/restore/remove use Organizations v2.
import { z } from 'zod';
import {
  getManagedProfile,
  getManagePrivileges,
  isAtlassianError,
  JiraUserSchema,
  type ManagePrivilege,
} from '../atlassian/index.ts';
import { accountIdSchema } from './catalog-groups.ts';
import {
  directoryUser,
  directoryUsersByEmail,
  inventoryAccount,
  inventoryProduct,
  jiraGroupIdsOf,
  jiraUserOrNull,
  type DirectoryUser,
} from './facts.ts';
import { detachAccount, insertAccount, patchAccount, setProductAccess } from '../storage/inventory-grants.ts';
import {
  check,
  defineAction,
  done,
  refuse,
  run,
  type ActionContext,
  type Check,
  type Plan,
} from './types.ts';

const accountOnly = z.object({ accountId: accountIdSchema }).strict();
const NEEDS_ORG = 'needs an organization API key (Organizations v2 API)';

/** The account in the org directory, or a refusal plan. */
async function inDirectory(
  ctx: ActionContext,
  accountId: string,
  what: string,
  checks: Check[],
): Promise<{ orgId: string; user: DirectoryUser } | Plan> {
  if (!ctx.orgId) {
    checks.push(check('organization API key', false, 'none configured'));
    return refuse(`${what} ${NEEDS_ORG}`, checks);
  }
  const user = await directoryUser(ctx, ctx.orgId, accountId);
  checks.push(
    check(
      'account is in the organization directory',
      user !== null,
      user ? `directory ${user.directoryId}` : 'not found',
    ),
  );
  if (!user) return refuse(`Account ${accountId} is not in the organization's directory`, checks);
  return { orgId: ctx.orgId, user };
}

const isPlan = (value: object): value is Plan => 'decision' in value;

export const suspend = defineAction(accountOnly, {
  kind: 'suspend',
  description: "Suspend an account's access in the directory",
  destructive: true,
  api: {
    withOrgKey: 'Organizations v2 …/users/{id}/suspend',
    jiraOnly: null,
    consequence: 'Keeps group memberships and roles; stops billing; reversible with restore.',
  },
  target: (i) => `account:${i.accountId}`,
  plan: async (ctx, i) => {
    const checks: Check[] = [];
    const found = await inDirectory(ctx, i.accountId, 'Suspending', checks);
    if (isPlan(found)) return found;
    const { user, orgId } = found;
    checks.push(
      check('not an organization admin', !user.orgAdmin, user.orgAdmin ? 'org admin' : 'not an admin'),
    );
    if (user.orgAdmin)
      return refuse('An organization admin cannot be suspended; revoke the admin role first', checks);
    const suspended = user.user.membershipStatus === 'suspended';
    checks.push(check('not yet suspended', !suspended, user.user.membershipStatus ?? 'unknown'));
    if (suspended) return done('Already suspended', checks);
    return run(
      [
        {
          endpoint: 'admin.user.suspend',
          pathParams: { orgId, directoryId: user.directoryId, accountId: i.accountId },
        },
      ],
      checks,
    );
  },
  apply: (ctx, i) => patchAccount(ctx, i.accountId, { membershipStatus: 'suspended', jiraActive: false }),
});

export const restore = defineAction(accountOnly, {
  kind: 'restore',
  description: 'Restore a suspended account',
  destructive: false,
  api: {
    withOrgKey: 'Organizations v2 …/users/{id}/restore',
    jiraOnly: null,
    consequence: 'Access, memberships and billing come back; fails when a product is full.',
  },
  target: (i) => `account:${i.accountId}`,
  plan: async (ctx, i) => {
    const checks: Check[] = [];
    const found = await inDirectory(ctx, i.accountId, 'Restoring', checks);
    if (isPlan(found)) return found;
    const { user, orgId } = found;
    const suspended = user.user.membershipStatus === 'suspended';
    checks.push(check('currently suspended', suspended, user.user.membershipStatus ?? 'unknown'));
    const facts = {
      accountActive: user.user.accountStatus !== 'inactive' && user.user.accountStatus !== 'closed',
    };
    if (!suspended) return done('Not suspended', checks, facts);
    return run(
      [
        {
          endpoint: 'admin.user.restore',
          pathParams: { orgId, directoryId: user.directoryId, accountId: i.accountId },
        },
      ],
      checks,
      facts,
    );
  },
  apply: (ctx, i) =>
    patchAccount(ctx, i.accountId, {
      membershipStatus: 'active',
      jiraActive: ctx.facts.accountActive === true,
    }),
});

export const removeFromDirectory = defineAction(accountOnly, {
  kind: 'removeFromDirectory',
  description: 'Remove an account from the organization directory',
  destructive: true,
  api: {
    withOrgKey: 'Organizations v2 DELETE …/directories/{dir}/users/{id}',
    jiraOnly: null,
    consequence: 'Loses every group, role and product; needs a new invite to come back.',
  },
  target: (i) => `account:${i.accountId}`,
  plan: async (ctx, i) => {
    if (!ctx.orgId)
      return refuse(`Removing from the directory ${NEEDS_ORG}`, [
        check('organization API key', false, 'none configured'),
      ]);
    const user = await directoryUser(ctx, ctx.orgId, i.accountId);
    if (!user) {
      const known = (await inventoryAccount(ctx, i.accountId)) !== undefined;
      const checks = [
        check(
          'account is in the organization directory',
          false,
          known ? 'already removed' : 'unknown account',
        ),
      ];
      return known
        ? done('Not in the directory', checks)
        : refuse(`Account ${i.accountId} does not exist`, checks);
    }
    const checks = [
      check('account is in the organization directory', true, `directory ${user.directoryId}`),
      check('not an organization admin', !user.orgAdmin, user.orgAdmin ? 'org admin' : 'not an admin'),
    ];
    if (user.orgAdmin)
      return refuse('An organization admin cannot be removed; revoke the admin role first', checks);
    return run(
      [
        {
          endpoint: 'admin.user.remove',
          pathParams: { orgId: ctx.orgId, directoryId: user.directoryId, accountId: i.accountId },
        },
      ],
      checks,
    );
  },
  apply: async (ctx, i) => {
    await detachAccount(ctx, i.accountId, 'all');
    await patchAccount(ctx, i.accountId, {
      inDirectory: false,
      jiraActive: false,
      membershipStatus: 'active',
    });
  },
});

export const jiraDeleteUser = defineAction(accountOnly, {
  kind: 'jiraDeleteUser',
  description: 'Remove a user from Jira (the Atlassian account stays)',
  destructive: true,
  api: {
    withOrgKey: 'Jira REST v3 DELETE /user',
    jiraOnly: 'Jira REST v3 DELETE /user',
    consequence:
      'Removes the user from this Jira site only: groups, roles and Jira products; the account and other products stay.',
  },
  target: (i) => `account:${i.accountId}`,
  plan: async (ctx, i) => {
    const user = await jiraUserOrNull(ctx, i.accountId);
    const known = user !== null || (await inventoryAccount(ctx, i.accountId)) !== undefined;
    const checks = [
      check('account exists', known, user ? 'known to Jira' : known ? 'only in the inventory' : 'unknown'),
    ];
    if (!known) return refuse(`Account ${i.accountId} does not exist`, checks);
    // A user removed from Jira keeps the account but is inactive there and in no group.
    const inJira =
      user !== null && (user.active === true || ((await jiraGroupIdsOf(ctx, i.accountId)) ?? []).length > 0);
    checks.push(
      check('still in Jira', inJira, inJira ? 'has Jira access' : 'no groups, roles or Jira access'),
    );
    if (!inJira) return done('Already removed from Jira', checks);
    return run([{ endpoint: 'jira.user.delete', query: { accountId: i.accountId } }], checks);
  },
  apply: async (ctx, i) => {
    await detachAccount(ctx, i.accountId, 'jira');
    await patchAccount(ctx, i.accountId, { jiraActive: false });
  },
});

/** Lifecycle pre-flight: the user-management API says whether the key may act on this account. */
async function lifecycle(
  ctx: ActionContext,
  accountId: string,
  privilege: ManagePrivilege,
  what: string,
): Promise<{ checks: Check[]; status: string | undefined } | Plan> {
  const checks: Check[] = [];
  if (!ctx.orgId)
    return refuse(`${what} needs an organization API key without scopes (user management API)`, [
      check('organization API key', false, 'none configured'),
    ]);
  try {
    const privileges = await getManagePrivileges(ctx.client, accountId, [privilege]);
    const rule = privileges[privilege];
    const allowed = rule?.allowed === true;
    const reason = rule?.reason?.key ?? 'not granted';
    checks.push(check(`privilege ${privilege}`, allowed, allowed ? 'allowed' : reason));
    if (!allowed) return refuse(`${what} is not allowed for this account: ${explainReason(reason)}`, checks);
    const profile = await getManagedProfile(ctx.client, accountId);
    return { checks, status: profile.account_status ?? undefined };
  } catch (error) {
    if (!isAtlassianError(error)) throw error;
    if (error.kind === 'not_found')
      return refuse(`Account ${accountId} does not exist`, [
        ...checks,
        check('account exists', false, 'unknown'),
      ]);
    if (error.code === 'forbidden.targetUnverified') {
      return refuse(`Account ${accountId} is not a managed account (its domain is not verified)`, [
        ...checks,
        check('managed account', false, 'unmanaged'),
      ]);
    }
    throw error;
  }
}

function explainReason(key: string): string {
  if (key.startsWith('externalDirectory')) return `${key} (managed by an identity provider: change it there)`;
  if (key === 'administrative') return `${key} (an organization admin)`;
  return key;
}

const LIFECYCLE_API = 'User management POST /users/{id}/manage/lifecycle/';

export const deactivate = defineAction(
  z.object({ accountId: accountIdSchema, message: z.string().max(500).optional() }).strict(),
  {
    kind: 'deactivate',
    description: 'Deactivate a managed account on every Atlassian product',
    destructive: true,
    api: {
      withOrgKey: `${LIFECYCLE_API}disable`,
      jiraOnly: null,
      consequence: 'Platform-wide: no login to any Atlassian product; reversible (enable).',
    },
    target: (i) => `account:${i.accountId}`,
    plan: async (ctx, i) => {
      const pre = await lifecycle(ctx, i.accountId, 'lifecycle.enablement', 'Deactivating');
      if (isPlan(pre)) return pre;
      const inactive = pre.status === 'inactive' || pre.status === 'closed';
      pre.checks.push(check('currently active', !inactive, pre.status ?? 'unknown'));
      if (inactive) return done('Already deactivated', pre.checks);
      return run(
        [
          {
            endpoint: 'um.lifecycle.disable',
            pathParams: { accountId: i.accountId },
            body: i.message === undefined ? {} : { message: i.message },
          },
        ],
        pre.checks,
      );
    },
    apply: (ctx, i) => patchAccount(ctx, i.accountId, { status: 'inactive', jiraActive: false }),
  },
);

export const deleteAccount = defineAction(accountOnly, {
  kind: 'delete',
  description: 'Delete a managed account (permanent after 14 days)',
  destructive: true,
  api: {
    withOrgKey: `${LIFECYCLE_API}delete`,
    jiraOnly: null,
    consequence:
      'Deactivated at once; permanently deleted after a 14-day grace period (cancel-delete undoes it until then).',
  },
  target: (i) => `account:${i.accountId}`,
  plan: async (ctx, i) => {
    const pre = await lifecycle(ctx, i.accountId, 'lifecycle.delete', 'Deleting');
    if (isPlan(pre)) return pre;
    return run([{ endpoint: 'um.lifecycle.delete', pathParams: { accountId: i.accountId } }], pre.checks);
  },
  // Atlassian shows no "scheduled for deletion" flag to read; its 409 says so.
  alreadyDone: (error) =>
    error.status === 409 &&
    /PENDING_DELETION|already scheduled for deletion/i.test(
      `${error.code ?? ''} ${error.atlassianMessage ?? ''}`,
    ),
  apply: (ctx, i) => patchAccount(ctx, i.accountId, { status: 'inactive', jiraActive: false }),
});

export const cancelDelete = defineAction(accountOnly, {
  kind: 'cancelDelete',
  description: 'Cancel a pending account deletion (within 14 days)',
  destructive: false,
  api: {
    withOrgKey: `${LIFECYCLE_API}cancel-delete`,
    jiraOnly: null,
    consequence: 'The account is active again.',
  },
  target: (i) => `account:${i.accountId}`,
  plan: async (ctx, i) => {
    const pre = await lifecycle(ctx, i.accountId, 'lifecycle.delete', 'Cancelling a deletion');
    if (isPlan(pre)) return pre;
    // A pending deletion shows the account as inactive; an active account has nothing to cancel.
    const active = pre.status === 'active';
    pre.checks.push(check('deletion pending (account inactive)', !active, pre.status ?? 'unknown'));
    if (active) return done('No deletion is pending', pre.checks);
    return run(
      [{ endpoint: 'um.lifecycle.cancelDelete', pathParams: { accountId: i.accountId } }],
      pre.checks,
    );
  },
  apply: (ctx, i) => patchAccount(ctx, i.accountId, { status: 'active' }),
});

const JIRA_PRODUCTS = ['jira-core', 'jira-servicedesk', 'jira-product-discovery', 'jira-software'] as const;

export const createUser = defineAction(
  z
    .object({ email: z.email().max(254), products: z.array(z.enum(JIRA_PRODUCTS)).max(4).default([]) })
    .strict(),
  {
    kind: 'createUser',
    description: 'Create (invite) a user',
    destructive: false,
    api: {
      withOrgKey: 'Jira REST v3 POST /user (org-admin caller)',
      jiraOnly: 'Jira REST v3 POST /user (org-admin caller)',
      consequence: 'Sends an invitation; the listed Jira products take seats.',
    },
    target: (i) => `email:${i.email}`,
    plan: async (ctx, i) => {
      let existing: string | null = null;
      if (ctx.orgId) existing = (await directoryUsersByEmail(ctx, ctx.orgId, i.email))[0]?.accountId ?? null;
      else {
        const row = await ctx.db
          .selectFrom('accounts')
          .select('account_id')
          .where('integration_id', '=', ctx.integrationId)
          .where((eb) => eb(eb.fn('lower', ['email']), '=', i.email.toLowerCase()))
          .executeTakeFirst();
        existing = row?.account_id ?? null;
      }
      const checks = [
        check('email is not yet a user', existing === null, existing ? `account ${existing}` : 'free'),
      ];
      if (existing) return done(`A user with ${i.email} already exists`, checks, { accountId: existing });
      return run(
        [{ endpoint: 'jira.user.create', body: { emailAddress: i.email, products: i.products } }],
        checks,
      );
    },
    confirm: (_ctx, _i, responses) => {
      const user = JiraUserSchema.safeParse(responses[0]);
      return Promise.resolve({ accountId: user.success ? user.data.accountId : null, created: true });
    },
    apply: async (ctx, i) => {
      const accountId = ctx.facts.accountId;
      if (typeof accountId !== 'string' || ctx.facts.created !== true) return;
      await insertAccount(ctx, {
        accountId,
        email: i.email,
        displayName: i.email.split('@')[0] ?? null,
        managed: null,
      });
      const productKeys = i.products.map((p) => (p === 'jira-servicedesk' ? 'jira-service-desk' : p));
      for (const key of productKeys) await setProductAccess(ctx, accountId, key, true);
    },
  },
);

const productSchema = z
  .object({
    accountId: accountIdSchema,
    productKey: z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{1,64}$/, 'not a product key'),
  })
  .strict();

async function productPlan(
  ctx: ActionContext,
  i: z.output<typeof productSchema>,
  grant: boolean,
): Promise<Plan> {
  const checks: Check[] = [];
  const found = await inDirectory(
    ctx,
    i.accountId,
    grant ? 'Granting a product' : 'Revoking a product',
    checks,
  );
  if (isPlan(found)) return found;
  const product = await inventoryProduct(ctx, i.productKey);
  checks.push(
    check('product is known', Boolean(product?.ari), product?.ari ?? 'not in the inventory (run a sync)'),
  );
  if (!product?.ari) return refuse(`Product ${i.productKey} is not known for this integration`, checks);
  const has = found.user.productKeys.includes(i.productKey);
  checks.push(
    check(
      grant ? 'does not have it yet' : 'currently has it',
      has !== grant,
      has ? 'has access' : 'no access',
    ),
  );
  if (has === grant) return done(grant ? 'Already has access' : 'Has no access', checks);
  return run(
    [
      {
        endpoint: grant ? 'admin.user.roles.assign' : 'admin.user.roles.revoke',
        pathParams: { orgId: found.orgId, accountId: i.accountId },
        body: { role: 'atlassian/user', resource: product.ari },
      },
    ],
    checks,
  );
}

const PRODUCT_API = {
  withOrgKey: 'Organizations v1 users/{id}/roles/assign|revoke (atlassian/user)',
  jiraOnly: null,
};

export const grantProduct = defineAction(productSchema, {
  kind: 'grantProduct',
  description: 'Grant product access',
  destructive: false,
  api: { ...PRODUCT_API, consequence: 'Takes a seat of the product (refused by Atlassian when it is full).' },
  target: (i) => `account:${i.accountId} product:${i.productKey}`,
  plan: (ctx, i) => productPlan(ctx, i, true),
  apply: (ctx, i) => setProductAccess(ctx, i.accountId, i.productKey, true),
});

export const revokeProduct = defineAction(productSchema, {
  kind: 'revokeProduct',
  description: 'Revoke product access',
  destructive: true,
  api: {
    ...PRODUCT_API,
    consequence: 'Frees the seat; access granted through a group stays until the group membership goes.',
  },
  target: (i) => `account:${i.accountId} product:${i.productKey}`,
  plan: (ctx, i) => productPlan(ctx, i, false),
  apply: (ctx, i) => setProductAccess(ctx, i.accountId, i.productKey, false),
});
