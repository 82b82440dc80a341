// Mark-and-sweep after a COMPLETE run: rows that the run did not see (no sync_seen key) are
// marked removed, set-based, with account history; then the run's seen-set is deleted.
// The sweep never runs by itself: the sync calls it, and only for the entities it fully listed.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { inTransaction, refreshStatistics } from './helpers.ts';
import { KEY_SEPARATOR, type SeenEntity, type WriteContext } from './inventory-engine.ts';
import type { Database, HistoryChange } from './schema.ts';
import { isBaselineRun } from './sync-runs.ts';

export type SweepCounts = Partial<Record<SeenEntity, number>>;

export class SweepRefusedError extends Error {
  readonly code = 'sweep_refused';
}

type SweptTable = 'accounts' | 'groups' | 'projects' | 'group_memberships' | 'role_actors' | 'product_access';

interface Cascade {
  /** The parent entity whose removal removes these rows. */
  parent: 'accounts' | 'groups' | 'projects';
  /** Parent key column = child column, plus an optional extra condition on the child. */
  parentKey: string;
  childColumn: string;
  when?: RawBuilder<unknown>;
}

interface SweepRule {
  entity: Exclude<SeenEntity, 'products'>;
  table: SweptTable;
  keys: readonly string[];
  cascades: readonly Cascade[];
  history?: {
    change: HistoryChange;
    accountColumn: string;
    field: string | null;
    oldValue: RawBuilder<unknown> | null;
    when?: RawBuilder<unknown>;
  };
}

const USER_ACTOR = sql`role_actors.actor_type = 'user'`;
const GROUP_ACTOR = sql`role_actors.actor_type = 'group'`;

/** In order: parents before the rows that cascade from them. */
const RULES: readonly SweepRule[] = [
  {
    entity: 'accounts',
    table: 'accounts',
    keys: ['account_id'],
    cascades: [],
    history: { change: 'removed', accountColumn: 'account_id', field: null, oldValue: null },
  },
  { entity: 'groups', table: 'groups', keys: ['group_id'], cascades: [] },
  { entity: 'projects', table: 'projects', keys: ['project_id'], cascades: [] },
  {
    entity: 'memberships',
    table: 'group_memberships',
    keys: ['group_id', 'account_id'],
    cascades: [
      { parent: 'accounts', parentKey: 'account_id', childColumn: 'account_id' },
      { parent: 'groups', parentKey: 'group_id', childColumn: 'group_id' },
    ],
    history: {
      change: 'group_removed',
      accountColumn: 'account_id',
      field: 'group',
      oldValue: sql.ref('group_memberships.group_id'),
    },
  },
  {
    entity: 'role_actors',
    table: 'role_actors',
    keys: ['project_id', 'role_id', 'actor_type', 'actor_id'],
    cascades: [
      { parent: 'accounts', parentKey: 'account_id', childColumn: 'actor_id', when: USER_ACTOR },
      { parent: 'groups', parentKey: 'group_id', childColumn: 'actor_id', when: GROUP_ACTOR },
      { parent: 'projects', parentKey: 'project_id', childColumn: 'project_id' },
    ],
    history: {
      change: 'role_removed',
      accountColumn: 'actor_id',
      field: 'project_role',
      oldValue: sql`role_actors.project_id || ':' || role_actors.role_id`,
      when: USER_ACTOR,
    },
  },
  {
    entity: 'product_access',
    table: 'product_access',
    keys: ['account_id', 'product_key'],
    cascades: [{ parent: 'accounts', parentKey: 'account_id', childColumn: 'account_id' }],
    history: {
      change: 'product_removed',
      accountColumn: 'account_id',
      field: 'product',
      oldValue: sql.ref('product_access.product_key'),
    },
  },
];

function keyExpression(table: string, keys: readonly string[]): RawBuilder<unknown> {
  return sql.join(
    keys.map((k) => sql.ref(`${table}.${k}`)),
    sql` || ${sql.lit(KEY_SEPARATOR)} || `,
  );
}

/** The rows of `rule.table` that this sweep removes, or undefined when nothing applies. */
function goneCondition(
  rule: SweepRule,
  ctx: WriteContext,
  entities: ReadonlySet<SeenEntity>,
): RawBuilder<unknown> | undefined {
  const reasons: RawBuilder<unknown>[] = [];
  if (entities.has(rule.entity)) {
    reasons.push(sql`not exists (select 1 from sync_seen where sync_seen.run_id = ${ctx.runId}
      and sync_seen.entity = ${rule.entity} and sync_seen.key = ${keyExpression(rule.table, rule.keys)})`);
  }
  for (const cascade of rule.cascades) {
    if (!entities.has(cascade.parent)) continue;
    const parent = sql.table(cascade.parent);
    reasons.push(sql`(${cascade.when ?? sql`1 = 1`} and exists (select 1 from ${parent}
      where ${sql.ref(`${cascade.parent}.integration_id`)} = ${sql.ref(`${rule.table}.integration_id`)}
      and ${sql.ref(`${cascade.parent}.${cascade.parentKey}`)} = ${sql.ref(`${rule.table}.${cascade.childColumn}`)}
      and ${sql.ref(`${cascade.parent}.removed_at`)} is not null))`);
  }
  if (reasons.length === 0) return undefined;
  return sql`${sql.ref(`${rule.table}.integration_id`)} = ${ctx.integrationId}
    and ${sql.ref(`${rule.table}.removed_at`)} is null and (${sql.join(reasons, sql` or `)})`;
}

/**
 * Marks unseen rows of the given entities removed (and the grants of removed accounts, groups and
 * projects), writes history, and deletes the run's seen-set. Call only after a complete run.
 */
export async function sweep(
  db: Kysely<Database>,
  ctx: WriteContext,
  entities: readonly SeenEntity[],
): Promise<SweepCounts> {
  const counts = await inTransaction(db, async (trx) => {
    const run = await trx
      .selectFrom('sync_runs')
      .select(['integration_id', 'status'])
      .where('id', '=', ctx.runId)
      .executeTakeFirst();
    if (run?.integration_id !== ctx.integrationId)
      throw new SweepRefusedError(`Run ${ctx.runId} does not belong to integration ${ctx.integrationId}`);
    if (run.status === 'failed' || run.status === 'cancelled') {
      throw new SweepRefusedError(
        `Run ${ctx.runId} is ${run.status}: a failed or partial run never removes anything`,
      );
    }
    const wanted = new Set(entities);
    const withHistory = !(await isBaselineRun(trx, ctx.integrationId));
    const swept: SweepCounts = {};
    for (const rule of RULES) {
      const gone = goneCondition(rule, ctx, wanted);
      if (!gone) continue;
      if (withHistory && rule.history) await insertRemovalHistory(trx, ctx, rule, gone);
      const result =
        await sql`update ${sql.table(rule.table)} set removed_at = ${ctx.now} where ${gone}`.execute(trx);
      swept[rule.entity] = Number(result.numAffectedRows ?? 0n);
    }
    if (wanted.has('products')) {
      const result = await sql`delete from products where products.integration_id = ${ctx.integrationId}
        and not exists (select 1 from sync_seen where sync_seen.run_id = ${ctx.runId}
        and sync_seen.entity = 'products' and sync_seen.key = products.product_key)`.execute(trx);
      swept.products = Number(result.numAffectedRows ?? 0n);
    }
    await trx.deleteFrom('sync_seen').where('run_id', '=', ctx.runId).execute();
    return swept;
  });
  // A complete run is when the tables changed most: keep the planner's picture current.
  await refreshStatistics(db);
  return counts;
}

async function insertRemovalHistory(
  db: Kysely<Database>,
  ctx: WriteContext,
  rule: SweepRule,
  gone: RawBuilder<unknown>,
): Promise<void> {
  const history = rule.history;
  if (!history) return;
  const text = (value: string | null): RawBuilder<unknown> => sql`cast(${value} as text)`;
  await sql`insert into account_history (integration_id, account_id, run_id, changed_at, change, field, old_value, new_value)
    select ${sql.ref(`${rule.table}.integration_id`)}, ${sql.ref(`${rule.table}.${history.accountColumn}`)},
      ${text(ctx.runId)}, ${text(ctx.now)}, ${text(history.change)}, ${text(history.field)},
      ${history.oldValue ?? text(null)}, ${text(null)}
    from ${sql.table(rule.table)}
    where ${gone} and ${history.when ?? sql`1 = 1`}`.execute(db);
}
