// Typed user-management API calls (account lifecycle of managed accounts). Needs an org API key
// without scopes; call getManagePrivileges first and refuse with its reason.
import type { AtlassianClient } from './client.ts';
import {
  ManagedProfileSchema,
  ManagePrivilegesSchema,
  type ManagedProfile,
  type ManagePrivileges,
} from './types.ts';
import { parseBody } from './validate.ts';

export type ManagePrivilege =
  | 'profile.read'
  | 'profile.write'
  | 'email.set'
  | 'lifecycle.enablement'
  | 'lifecycle.delete'
  | 'apiToken.read'
  | 'apiToken.delete';

/** What the key may do to this account, e.g. `{ 'lifecycle.enablement': { allowed: false, reason: { key: 'externalDirectory.scim' } } }`. */
export async function getManagePrivileges(
  client: AtlassianClient,
  accountId: string,
  privileges: ManagePrivilege[] = ['lifecycle.enablement', 'lifecycle.delete'],
): Promise<ManagePrivileges> {
  const { body } = await client.request('um.manage', { pathParams: { accountId }, query: { privileges } });
  return parseBody(ManagePrivilegesSchema, body, 'um.manage');
}

export async function getManagedProfile(client: AtlassianClient, accountId: string): Promise<ManagedProfile> {
  const { body } = await client.request('um.profile', { pathParams: { accountId } });
  return parseBody(ManagedProfileSchema, body, 'um.profile').account;
}

/** Deactivates the account on every Atlassian product. The API requires a body, even `{}`. */
export async function disableAccount(
  client: AtlassianClient,
  accountId: string,
  message?: string,
): Promise<void> {
  await client.request('um.lifecycle.disable', {
    pathParams: { accountId },
    body: message === undefined ? {} : { message },
  });
}

export async function enableAccount(client: AtlassianClient, accountId: string): Promise<void> {
  await client.request('um.lifecycle.enable', { pathParams: { accountId } });
}

/** Permanent after a 14-day grace period; cancelAccountDeletion undoes it within that window. */
export async function deleteAccount(client: AtlassianClient, accountId: string): Promise<void> {
  await client.request('um.lifecycle.delete', { pathParams: { accountId } });
}

export async function cancelAccountDeletion(client: AtlassianClient, accountId: string): Promise<void> {
  await client.request('um.lifecycle.cancelDelete', { pathParams: { accountId } });
}
