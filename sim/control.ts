// Control API (`/__sim/*`, JSON, no auth, loopback only): inspect counts and stats, change
// behaviour, and mutate the world the way an admin in the Atlassian UI would.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { configPatchSchema } from './config.ts';
import type { SimState } from './model.ts';
import { applyMutation, mutationSchema, MutationError, type MutationResult } from './mutate.ts';
import type { Behaviour } from './pipeline.ts';
import type { SimRuntime } from './runtime.ts';

export interface StateCounts {
  accounts: {
    total: number;
    byType: Record<string, number>;
    byStatus: Record<string, number>;
    jiraActive: number;
    managed: number;
    billable: number;
    emailHiddenFromJira: number;
    neverActive: number;
  };
  groups: number;
  idpManagedGroups: number;
  memberships: number;
  projects: number;
  roleActors: { users: number; groups: number };
  productAccess: Record<string, number>;
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

export function countState(state: SimState): StateCounts {
  const counts: StateCounts = {
    accounts: {
      total: 0,
      byType: {},
      byStatus: {},
      jiraActive: 0,
      managed: 0,
      billable: 0,
      emailHiddenFromJira: 0,
      neverActive: 0,
    },
    groups: state.groups.size,
    idpManagedGroups: 0,
    memberships: 0,
    projects: state.projects.size,
    roleActors: { users: 0, groups: 0 },
    productAccess: {},
  };
  for (const a of state.accounts.values()) {
    const c = counts.accounts;
    c.total++;
    bump(c.byType, a.accountType);
    bump(c.byStatus, a.membershipStatus === 'suspended' ? 'suspended' : a.accountStatus);
    if (a.jiraActive) c.jiraActive++;
    if (a.managed) c.managed++;
    if (a.billable) c.billable++;
    if (a.email !== null && !a.emailVisibleInJira) c.emailHiddenFromJira++;
    if (a.lastActive === null) c.neverActive++;
    for (const p of a.products) bump(counts.productAccess, p.key);
  }
  for (const g of state.groups.values()) {
    counts.memberships += g.members.size;
    if (g.idpManaged) counts.idpManagedGroups++;
  }
  for (const p of state.projects.values()) {
    for (const actors of p.roles.values()) {
      counts.roleActors.users += actors.users.size;
      counts.roleActors.groups += actors.groups.size;
    }
  }
  return counts;
}

const mutateBodySchema = z.union([
  mutationSchema,
  z.array(mutationSchema).max(1000),
  z.object({ ops: z.array(mutationSchema).max(1000) }).strict(),
]);

function badRequest(error: z.ZodError) {
  return {
    error: 'invalid request',
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  };
}

export function registerControlRoutes(app: FastifyInstance, sim: SimRuntime, behaviour: Behaviour): void {
  app.get('/__sim/state', () => countState(sim.state));
  app.get('/__sim/stats', () => behaviour.stats.snapshot());
  app.post('/__sim/stats/reset', () => {
    behaviour.stats.reset();
    return { ok: true };
  });
  app.get('/__sim/config', () => behaviour.config);
  app.post('/__sim/config', (request, reply) => {
    const parsed = configPatchSchema.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error));
    behaviour.configure(parsed.data);
    return behaviour.config;
  });
  app.post('/__sim/mutate', (request, reply) => {
    const parsed = mutateBodySchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error));
    const ops = Array.isArray(parsed.data)
      ? parsed.data
      : 'ops' in parsed.data
        ? parsed.data.ops
        : [parsed.data];
    const results: MutationResult[] = [];
    try {
      for (const op of ops) results.push(applyMutation(sim.state, op, sim.now()));
    } catch (error) {
      if (error instanceof MutationError) {
        return reply.code(error.status).send({ error: error.message, applied: results });
      }
      throw error;
    }
    return { results };
  });
}
