// Inventory vocabulary shared by every layer. Plain data and pure rules; imports nothing.

export const ACCOUNT_TYPES = ['atlassian', 'app', 'customer', 'unknown'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const ACCOUNT_STATUSES = ['active', 'inactive', 'closed', 'suspended'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

const DAY_MS = 86_400_000;

/** Inactive means "seen, but not for `days` days"; never-active accounts are a separate case. */
export function isInactiveFor(lastActive: string | null, days: number, now: Date): boolean {
  if (lastActive === null) return false;
  return Date.parse(lastActive) < now.getTime() - days * DAY_MS;
}

export function cutoffIso(days: number, now: Date): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/**
 * Jira application keys and Organizations product keys differ for one product; the inventory
 * stores the Organizations key so both plans agree.
 */
const JIRA_APPLICATION_TO_PRODUCT: Readonly<Record<string, string>> = {
  'jira-servicedesk': 'jira-service-desk',
};

export function productKeyForJiraApplication(applicationKey: string): string {
  return JIRA_APPLICATION_TO_PRODUCT[applicationKey] ?? applicationKey;
}
