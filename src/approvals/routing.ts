// Turns an item's route (data, see routes.ts) into concrete approvers per step. The project lead is
// read live from Atlassian (the inventory may be hours old), with the inventory as the fallback.
// Every fallback is recorded with its reason: on the step and in the request's notes.
import type { App } from '../app.ts';
import { createAtlassianClient, jiraProject } from '../atlassian/index.ts';
import { connectorConfigFor } from '../integrations/service.ts';
import {
  findAccount,
  findAccountByEmail,
  findProject,
  inactivityOf,
  isActiveAccount,
  projectAdministrators,
} from '../storage/approvals-inventory.ts';
import type { IntegrationSummary } from '../storage/integrations.ts';
import { findUserByEmail, getUser } from '../storage/users.ts';
import { FALLBACKS, RULE_APPLIES_TO, routeFor } from './routes.ts';
import type { ApprovalSettings, Approver, CatalogItem, RuleKind, StepRule, StoredStep } from './types.ts';

export interface RoutingInput {
  integration: IntegrationSummary;
  item: CatalogItem;
  settings: ApprovalSettings;
  requester: { userId: string; accountId: string };
}

export interface Routing {
  steps: StoredStep[];
  /** Fallbacks, live-read failures, uninvited leads: each becomes a note on the request. */
  notes: string[];
  /** Some step has nobody eligible: the request needs an admin. */
  flagged: boolean;
  /** Approvers matched to an Atlassian account who are not Seatwarden users yet (invite them). */
  uninvited: Approver[];
}

type Resolved = { approvers: Approver[] } | { nobody: string };

interface LiveLead {
  accountId: string | null;
  displayName: string | null;
  active: boolean;
  email: string | null;
}

class Router {
  readonly notes: string[] = [];
  /** Accounts Atlassian just said are inactive, though the inventory may still say otherwise. */
  private readonly knownInactive = new Set<string>();
  private lead: Promise<LiveLead | null> | undefined;

  constructor(
    private readonly app: App,
    private readonly input: RoutingInput,
  ) {}

  private get projectId(): string {
    return this.input.item.target.projectId ?? '';
  }

  private async projectName(): Promise<string> {
    const project = await findProject(this.app.db, this.input.integration.id, this.projectId);
    return project?.key ?? project?.name ?? this.projectId;
  }

  /** The lead as Atlassian says now; the inventory's when Atlassian cannot be read (with a note). */
  private readLead(): Promise<LiveLead | null> {
    this.lead ??= (async () => {
      try {
        const client = createAtlassianClient(await connectorConfigFor(this.app, this.input.integration));
        const project = await jiraProject(client, this.projectId);
        if (!project.lead) return null;
        const email = (project.lead as { emailAddress?: unknown }).emailAddress;
        return {
          accountId: project.lead.accountId,
          displayName: project.lead.displayName ?? null,
          active: project.lead.active ?? true,
          email: typeof email === 'string' ? email : null,
        };
      } catch (error) {
        const project = await findProject(this.app.db, this.input.integration.id, this.projectId);
        this.notes.push(
          `Could not read the project lead from Atlassian (${error instanceof Error ? error.message : String(error)}); used the inventory from the last sync.`,
        );
        if (!project?.leadAccountId) return null;
        const account = await findAccount(this.app.db, this.input.integration.id, project.leadAccountId);
        return {
          accountId: project.leadAccountId,
          displayName: account?.displayName ?? null,
          active: account !== undefined && isActiveAccount(account),
          email: account?.email ?? null,
        };
      }
    })();
    return this.lead;
  }

  private async approverForAccount(account: {
    accountId: string;
    email: string | null;
    displayName: string | null;
  }): Promise<Approver> {
    const user = account.email === null ? undefined : await findUserByEmail(this.app.db, account.email);
    if (user && !user.disabled)
      return {
        userId: user.id,
        email: user.email,
        displayName: user.displayName,
        accountId: account.accountId,
        isSeatwardenUser: true,
      };
    return {
      userId: null,
      email: account.email,
      displayName: account.displayName,
      accountId: account.accountId,
      isSeatwardenUser: false,
    };
  }

  private async approversForUsers(userIds: readonly string[]): Promise<Approver[]> {
    const approvers: Approver[] = [];
    for (const id of new Set(userIds)) {
      if (id === this.input.requester.userId) continue;
      const user = await getUser(this.app.db, id);
      if (!user || user.disabled) continue;
      const account = await findAccountByEmail(this.app.db, this.input.integration.id, user.email);
      if (account?.accountId === this.input.requester.accountId) continue;
      approvers.push({
        userId: user.id,
        email: user.email,
        displayName: user.displayName,
        accountId: account?.accountId ?? null,
        isSeatwardenUser: true,
      });
    }
    return approvers;
  }

  private async projectLead(): Promise<Resolved> {
    const lead = await this.readLead();
    const project = await this.projectName();
    if (!lead?.accountId) return { nobody: `project ${project} has no lead` };
    if (lead.accountId === this.input.requester.accountId) return { nobody: 'requester is the project lead' };
    const account = await findAccount(this.app.db, this.input.integration.id, lead.accountId);
    const name = lead.displayName ?? account?.displayName ?? lead.accountId;
    if (!lead.active) {
      this.knownInactive.add(lead.accountId);
      return { nobody: `lead ${name} is ${inactivityOf(account) ?? 'inactive'}` };
    }
    const approver = await this.approverForAccount({
      accountId: lead.accountId,
      email: account?.email ?? lead.email,
      displayName: name,
    });
    if (approver.userId === this.input.requester.userId) return { nobody: 'requester is the project lead' };
    return { approvers: [approver] };
  }

  private async projectAdmins(): Promise<Resolved> {
    const admins = await projectAdministrators(this.app.db, this.input.integration.id, this.projectId);
    const approvers: Approver[] = [];
    for (const account of admins) {
      if (!isActiveAccount(account) || this.knownInactive.has(account.accountId)) continue;
      if (account.accountId === this.input.requester.accountId) continue;
      const approver = await this.approverForAccount(account);
      if (approver.userId !== this.input.requester.userId) approvers.push(approver);
    }
    if (approvers.length > 0) return { approvers };
    return {
      nobody: `project ${await this.projectName()} has no active administrators other than the requester`,
    };
  }

  private async fromUsers(userIds: readonly string[], who: string): Promise<Resolved> {
    const approvers = await this.approversForUsers(userIds);
    return approvers.length > 0 ? { approvers } : { nobody: `${who} has no owners other than the requester` };
  }

  private resolve(rule: StepRule): Promise<Resolved> {
    switch (rule.kind) {
      case 'projectLead':
        return this.projectLead();
      case 'projectAdmins':
        return this.projectAdmins();
      case 'groupOwners':
        return this.fromUsers(this.input.item.ownerUserIds, 'the group');
      case 'integrationOwners':
        return this.fromUsers(this.input.settings.ownerUserIds, 'the integration');
      case 'users':
        return this.approversForUsersResolved(rule.userIds);
    }
  }

  private async approversForUsersResolved(userIds: readonly string[]): Promise<Resolved> {
    const approvers = await this.approversForUsers(userIds);
    return approvers.length > 0 ? { approvers } : { nobody: 'none of the named approvers is eligible' };
  }

  /** One step: the rule, then its fallbacks in order, until someone is eligible. */
  async routeStep(rule: StepRule, index: number): Promise<StoredStep> {
    const kind = this.input.item.kind;
    const chain: StepRule[] = [
      rule,
      ...FALLBACKS[rule.kind]
        .filter((k) => RULE_APPLIES_TO[k].includes(kind))
        .map((k) => ({ kind: k }) as StepRule),
    ];
    const reasons: string[] = [];
    let routedBy: RuleKind = rule.kind;
    let approvers: Approver[] = [];
    for (const candidate of chain) {
      routedBy = candidate.kind;
      const resolved = RULE_APPLIES_TO[candidate.kind].includes(kind)
        ? await this.resolve(candidate)
        : { nobody: `rule ${candidate.kind} does not apply to ${kind} items` };
      if ('approvers' in resolved) {
        approvers = resolved.approvers;
        break;
      }
      reasons.push(resolved.nobody);
    }
    if (approvers.length === 0) reasons.push('nobody eligible: flagged to the admins');
    const fallbackReason = reasons.length > 0 ? reasons.join('; ') : null;
    if (fallbackReason !== null)
      this.notes.push(`Step ${String(index + 1)} (${rule.kind}) routed to ${routedBy}: ${fallbackReason}.`);
    return {
      index,
      rule,
      approvers,
      routedBy,
      fallbackReason,
      status: 'waiting',
      decidedBy: null,
      decidedAt: null,
      comment: null,
      remindersSent: 0,
      escalated: false,
      activatedAt: null,
    };
  }
}

/** Routes every step of the item's route; the first becomes pending at `now`. */
export async function routeRequest(app: App, input: RoutingInput, now: string): Promise<Routing> {
  const router = new Router(app, input);
  const rules = routeFor(input.item.kind, input.item.steps, input.settings.routes);
  const steps: StoredStep[] = [];
  for (const [index, rule] of rules.entries()) steps.push(await router.routeStep(rule, index));
  const first = steps[0];
  if (first) {
    first.status = 'pending';
    first.activatedAt = now;
  }
  const uninvited = steps.flatMap((s) => s.approvers.filter((a) => !a.isSeatwardenUser));
  for (const a of uninvited)
    router.notes.push(
      `${a.displayName ?? a.accountId ?? 'An approver'} is not a Seatwarden user yet: an admin can invite them from this request.`,
    );
  return {
    steps,
    notes: router.notes,
    flagged: first !== undefined && first.approvers.length === 0,
    uninvited,
  };
}
