// Phases that read the Organizations API: the directory's users with their product access and
// groups in one expanded search, the directory's groups, and the product instances (workspaces).
import {
  adminGroupSearchPages,
  adminUserSearchPages,
  adminWorkspacePages,
  type AdminDirectoryUser,
  type AdminWorkspace,
} from '../atlassian/index.ts';
import {
  replaceProducts,
  upsertAccounts,
  upsertGroups,
  upsertMemberships,
  upsertProductAccess,
  type AccountInput,
} from '../storage/inventory-writes.ts';
import { streamPages, type Phase, type PhaseContext } from './context.ts';

function requireOrg(ctx: PhaseContext): string {
  if (!ctx.orgId) throw new Error('The organization plan needs an organization ID');
  return ctx.orgId;
}

const latest = (dates: (string | null | undefined)[]): string | null =>
  dates.reduce<string | null>((max, date) => (date && (!max || date > max) ? date : max), null);

function accountFromDirectory(user: AdminDirectoryUser): AccountInput {
  const products = user.productAccess ?? [];
  const status =
    user.accountStatus === 'inactive' || user.accountStatus === 'closed' ? user.accountStatus : 'active';
  const membership = user.membershipStatus === 'suspended' ? 'suspended' : 'active';
  return {
    accountId: user.accountId,
    accountType: user.accountType ?? 'atlassian',
    status,
    membershipStatus: membership,
    managed: user.claimStatus === 'managed',
    // Suspension stops billing; an account with no product access holds no seat.
    billable: status === 'active' && membership === 'active' && products.length > 0,
    displayName: user.name ?? null,
    email: user.email ?? null,
    lastActive: latest(products.map((p) => p.lastActiveTimestamp)),
    inDirectory: true,
  };
}

export const directoryUsersPhase: Phase = {
  name: 'directoryUsers',
  run: (ctx, state, save) => {
    const orgId = requireOrg(ctx);
    return streamPages(
      ctx,
      'directoryUsers',
      state,
      save,
      (resume) => adminUserSearchPages(ctx.client, orgId, { expand: ['productAccess', 'groups'], resume }),
      async (users) => {
        ctx.record('accounts', await upsertAccounts(ctx.db, ctx.write, users.map(accountFromDirectory)));
        const memberships = users.flatMap((u) =>
          (u.groups ?? []).map((g) => ({ groupId: g.id, accountId: u.accountId })),
        );
        ctx.record('memberships', await upsertMemberships(ctx.db, ctx.write, memberships));
        const access = users.flatMap((u) =>
          (u.productAccess ?? [])
            .filter((p): p is typeof p & { key: string } => typeof p.key === 'string')
            .map((p) => ({
              accountId: u.accountId,
              productKey: p.key,
              lastActive: p.lastActiveTimestamp ?? null,
            })),
        );
        ctx.record('product_access', await upsertProductAccess(ctx.db, ctx.write, access));
      },
    );
  },
};

export const directoryGroupsPhase: Phase = {
  name: 'directoryGroups',
  run: (ctx, state, save) => {
    const orgId = requireOrg(ctx);
    return streamPages(
      ctx,
      'directoryGroups',
      state,
      save,
      (resume) => adminGroupSearchPages(ctx.client, orgId, { resume }),
      async (groups) => {
        const rows = groups.map((g) => ({
          groupId: g.id,
          name: g.name,
          description: g.description ?? null,
          idpManaged: g.externalSynced === true,
        }));
        ctx.record('groups', await upsertGroups(ctx.db, ctx.write, rows));
      },
    );
  },
};

/**
 * Product instances with their plan. Jira products take their seat counts from Jira's application
 * roles (the licence Jira enforces); other products (Confluence, …) from the workspace capacity.
 */
export const workspacesPhase: Phase = {
  name: 'workspaces',
  run: async (ctx) => {
    const orgId = requireOrg(ctx);
    for await (const page of adminWorkspacePages(ctx.client, orgId)) {
      const rows = page.items.flatMap((workspace) => {
        const key = workspace.attributes?.typeKey;
        if (!key) return [];
        const { plan, capacity } = entitlementOf(workspace);
        // Jira's application roles name Jira products and count their seats; two sources for one
        // field would flip it back and forth between runs.
        const jira = key.startsWith('jira-');
        return [
          {
            productKey: key,
            ari: workspace.id,
            url: workspace.attributes?.hostUrl ?? null,
            ...(plan === undefined ? {} : { plan }),
            ...(jira ? {} : { name: workspace.attributes?.name ?? null }),
            ...(jira || capacity === undefined ? {} : { seatsTotal: capacity }),
          },
        ];
      });
      ctx.record('products', await replaceProducts(ctx.db, ctx.write, rows));
    }
  },
};

function entitlementOf(workspace: AdminWorkspace): { plan?: string; capacity?: number } {
  const capacity = workspace.attributes?.capacity;
  const entitlement = workspace.relationships?.entitlement?.[0]?.attributes;
  const plan = entitlement?.planKey ?? entitlement?.plan;
  return {
    ...(typeof plan === 'string' ? { plan } : {}),
    ...(typeof capacity === 'number' ? { capacity } : {}),
  };
}
