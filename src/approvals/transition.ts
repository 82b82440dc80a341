// The one way a request changes: read it inside a transaction, decide what changes (re-checking
// every rule against what is stored now), write it with a conditional UPDATE on its version, and
// record the audit events and notifications in the same transaction. A writer that loses the
// race rolls back and decides again from the new state (which usually means: already decided).
import type { Kysely, Transaction } from 'kysely';
import type { App } from '../app.ts';
import type { JobQueue } from '../jobs/port.ts';
import { kickDelivery } from '../notifications/index.ts';
import { getRequest, updateRequest, type StoredRequest } from '../storage/approvals.ts';
import { inTransaction } from '../storage/helpers.ts';
import type { Database } from '../storage/schema.ts';
import { notFound } from './errors.ts';
import { writeAudit, writeNotice, type AuditActor, type AuditEntry, type Notice } from './events.ts';

export type Trx = Kysely<Database> | Transaction<Database>;

export interface Change {
  next: StoredRequest;
  audit: AuditEntry[];
  notices: Notice[];
  /** Queue provisioning once the change is committed. */
  provision?: boolean;
}

/** Returns the change to make, or null when there is nothing to change (a replay). Throws to refuse. */
export type Decide = (current: StoredRequest, trx: Trx, now: Date) => Promise<Change | null>;

export interface Transitioned {
  request: StoredRequest;
  changed: boolean;
}

class LostRace extends Error {}

const MAX_TRIES = 5;

export async function transition(
  app: App,
  jobs: JobQueue | null,
  id: string,
  who: AuditActor,
  decide: Decide,
): Promise<Transitioned> {
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await inTransaction(app.db, async (trx) => {
        const current = await getRequest(trx, id);
        if (!current) throw notFound('Request');
        const now = app.now();
        const change = await decide(current, trx, now);
        if (change === null) return { request: current, changed: false, change };
        const next: StoredRequest = { ...change.next, updatedAt: now.toISOString() };
        if (!(await updateRequest(trx, next, current.version))) throw new LostRace();
        const stored = { ...next, version: current.version + 1 };
        for (const entry of change.audit) await writeAudit(trx, stored, who, entry, now.toISOString());
        for (const notice of change.notices) await writeNotice(trx, stored, notice, now);
        return { request: stored, changed: true, change };
      });
      if (outcome.change) await afterCommit(app, jobs, outcome.request, outcome.change);
      return { request: outcome.request, changed: outcome.changed };
    } catch (error) {
      if (!(error instanceof LostRace) || attempt >= MAX_TRIES) throw error;
    }
  }
}

/** Work that must not run before the change is visible: delivery and provisioning jobs. */
export async function afterCommit(
  app: App,
  jobs: JobQueue | null,
  request: StoredRequest,
  change: Pick<Change, 'notices' | 'provision'>,
): Promise<void> {
  if (!jobs) return;
  if (change.notices.length > 0) await kickDelivery(jobs, app.logger);
  if (change.provision) {
    try {
      await jobs.enqueue('requests.provision', { requestId: request.id });
    } catch (error) {
      // The sweep re-queues approved requests that were never provisioned.
      app.logger.error({ err: error, accessRequestId: request.id }, 'could not queue provisioning');
    }
  }
}
