// The shape every provisioning action shares. An action is data plus three functions: `plan`
// reads Atlassian (never writes) and decides refuse / already done / run these calls; the engine
// makes exactly the planned calls; `apply` mirrors the confirmed change in the local inventory.
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { AtlassianClient, AtlassianError, EndpointId, QueryValue } from '../atlassian/index.ts';
import type { Database } from '../storage/schema.ts';

export const ACTION_KINDS = [
  'createUser',
  'createGroup',
  'deleteGroup',
  'addToGroup',
  'removeFromGroup',
  'addRoleActor',
  'removeRoleActor',
  'grantProduct',
  'revokeProduct',
  'suspend',
  'restore',
  'removeFromDirectory',
  'jiraDeleteUser',
  'deactivate',
  'delete',
  'cancelDelete',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** One Atlassian write, as data: the dry run shows it and the engine sends exactly it. */
export interface PlannedCall {
  endpoint: EndpointId;
  pathParams?: Readonly<Record<string, string>>;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Small facts a plan learned (ids, keys) that `apply` needs for the inventory. */
export type Facts = Readonly<Record<string, string | number | boolean | null>>;

export type Plan =
  | { decision: 'refuse'; reason: string; checks: Check[] }
  | { decision: 'done'; reason: string; checks: Check[]; facts?: Facts }
  | { decision: 'run'; calls: PlannedCall[]; checks: Check[]; facts?: Facts };

export interface ActionContext {
  client: AtlassianClient;
  db: Kysely<Database>;
  integrationId: string;
  /** Set when the integration has an organization and an org API key. */
  orgId: string | null;
}

export interface ApplyContext {
  trx: Kysely<Database> | Transaction<Database>;
  integrationId: string;
  now: string;
  facts: Facts;
}

/** Which API does the work, per kind of integration; null = not possible there (refused). */
export interface ApiChoice {
  withOrgKey: string;
  jiraOnly: string | null;
  consequence: string;
}

export interface ActionSpec<I> {
  kind: ActionKind;
  description: string;
  destructive: boolean;
  api: ApiChoice;
  target: (input: I) => string;
  plan: (ctx: ActionContext, input: I) => Promise<Plan>;
  /** After the calls succeeded, outside any transaction: learn what the responses did not say (a new id). */
  confirm?: (ctx: ActionContext, input: I, responses: readonly unknown[]) => Promise<Facts>;
  /** An error that means the target state already holds (Atlassian has no cheaper way to tell). */
  alreadyDone?: (error: AtlassianError) => boolean;
  apply: (ctx: ApplyContext, input: I) => Promise<void>;
}

/** An action with its input type erased behind its schema: every entry point validates first. */
export interface Action {
  kind: ActionKind;
  description: string;
  destructive: boolean;
  api: ApiChoice;
  schema: z.ZodType;
  parse: (input: unknown) => Record<string, unknown>;
  target: (input: unknown) => string;
  plan: (ctx: ActionContext, input: unknown) => Promise<Plan>;
  confirm: (ctx: ActionContext, input: unknown, responses: readonly unknown[]) => Promise<Facts>;
  alreadyDone: (error: AtlassianError) => boolean;
  apply: (ctx: ApplyContext, input: unknown) => Promise<void>;
}

export function defineAction<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  spec: ActionSpec<z.output<S>>,
): Action {
  const parse = (input: unknown): z.output<S> => schema.parse(input);
  return {
    kind: spec.kind,
    description: spec.description,
    destructive: spec.destructive,
    api: spec.api,
    schema,
    parse,
    target: (input) => spec.target(parse(input)),
    plan: (ctx, input) => spec.plan(ctx, parse(input)),
    confirm: (ctx, input, responses) =>
      spec.confirm ? spec.confirm(ctx, parse(input), responses) : Promise.resolve({}),
    alreadyDone: (error) => spec.alreadyDone?.(error) ?? false,
    apply: (ctx, input) => spec.apply(ctx, parse(input)),
  };
}

/** Shorthands for plans. */
export const refuse = (reason: string, checks: Check[]): Plan => ({ decision: 'refuse', reason, checks });
export const done = (reason: string, checks: Check[], facts: Facts = {}): Plan => ({
  decision: 'done',
  reason,
  checks,
  facts,
});
export const run = (calls: PlannedCall[], checks: Check[], facts: Facts = {}): Plan => ({
  decision: 'run',
  calls,
  checks,
  facts,
});
export const check = (name: string, ok: boolean, detail: string): Check => ({ name, ok, detail });
