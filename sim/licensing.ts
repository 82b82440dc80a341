// Seat arithmetic shared by the generator, Jira `applicationrole` and the admin licence checks.

import type { SimAccount, SimApplicationRole, SimState } from './model.ts';

/** An account uses a seat of a product when it is billable and holds access to it. */
export function holdsSeat(account: SimAccount, productKey: string): boolean {
  return account.billable && account.products.some((p) => p.key === productKey);
}

function usesRole(account: SimAccount, role: SimApplicationRole): boolean {
  if (!role.platform) return holdsSeat(account, role.productKey);
  // The platform role (jira-core) is held by anyone with any Jira product.
  return account.billable && account.products.some((p) => p.key.startsWith('jira-'));
}

export function applicationRoleUserCount(state: SimState, role: SimApplicationRole): number {
  let count = 0;
  for (const account of state.accounts.values()) if (usesRole(account, role)) count++;
  return count;
}

export function productUserCount(state: SimState, productKey: string): number {
  let count = 0;
  for (const account of state.accounts.values()) if (holdsSeat(account, productKey)) count++;
  return count;
}

/** True when granting one more seat of the product would exceed its capacity. */
export function productIsFull(state: SimState, productKey: string): boolean {
  const product = state.products.find((p) => p.key === productKey);
  if (!product) return false;
  return productUserCount(state, productKey) >= product.capacity;
}

/** Billable = a person with product access whose account and org membership are active. */
export function isBillable(account: SimAccount): boolean {
  return (
    account.accountType === 'atlassian' &&
    account.products.length > 0 &&
    account.accountStatus === 'active' &&
    account.membershipStatus === 'active'
  );
}
