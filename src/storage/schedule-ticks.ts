// Claims of schedule ticks: the first node to record (schedule, tick) runs it; the others see
// the claim and do nothing, so a schedule fires once per tick however many nodes run it.
import type { Kysely } from 'kysely';
import type { Database, IsoTime } from './schema.ts';

export interface ScheduleTicksTable {
  schedule_key: string;
  tick_at: IsoTime;
  claimed_by: string;
  claimed_at: IsoTime;
}

export type ScheduleTickTables = { schedule_ticks: ScheduleTicksTable };

function tickTables(db: Kysely<Database>): Kysely<Database & ScheduleTickTables> {
  return db.withTables<ScheduleTickTables>();
}

/** True when this node won the tick (and must run it); false when another node already did. */
export async function claimTick(
  db: Kysely<Database>,
  claim: { scheduleKey: string; tickAt: IsoTime; node: string; now: IsoTime },
): Promise<boolean> {
  const result = await tickTables(db)
    .insertInto('schedule_ticks')
    .values({
      schedule_key: claim.scheduleKey,
      tick_at: claim.tickAt,
      claimed_by: claim.node,
      claimed_at: claim.now,
    })
    .onConflict((oc) => oc.columns(['schedule_key', 'tick_at']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Forgets claims older than the cut-off (they only need to outlive clock skew between nodes). */
export async function pruneTicks(db: Kysely<Database>, olderThan: IsoTime): Promise<number> {
  const result = await tickTables(db)
    .deleteFrom('schedule_ticks')
    .where('tick_at', '<', olderThan)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Who claimed which ticks of a schedule, oldest first (status pages and tests). */
export async function listTicks(
  db: Kysely<Database>,
  scheduleKey: string,
): Promise<{ tickAt: IsoTime; claimedBy: string }[]> {
  const rows = await tickTables(db)
    .selectFrom('schedule_ticks')
    .select(['tick_at', 'claimed_by'])
    .where('schedule_key', '=', scheduleKey)
    .orderBy('tick_at')
    .execute();
  return rows.map((r) => ({ tickAt: r.tick_at, claimedBy: r.claimed_by }));
}
