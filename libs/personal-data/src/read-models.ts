import { type Queryable, requestRebuild, toPosition } from '@passerelle/event-store-postgres';
import { INVITATION_READ_MODEL } from '@passerelle/invitations';
import { INSTITUTION_READ_MODEL } from '@passerelle/partners';
import { PARTNERSHIP_READ_MODEL } from '@passerelle/partnerships';
import { PROPOSAL_READ_MODEL } from '@passerelle/proposals';
import { MINISTRY_READ_MODEL } from '@passerelle/reporting';
import { WORKSHOP_READ_MODEL } from '@passerelle/workshops';

/**
 * The read models the worker's projections build from events, by projection name: each can be emptied
 * and built again from position 0 (its `reset`). Rebuilt after `npm run privacy:encrypt-existing`, to show
 * that the rewritten history reads as it did.
 */
export const READ_MODELS: readonly string[] = [WORKSHOP_READ_MODEL, INVITATION_READ_MODEL, INSTITUTION_READ_MODEL, PROPOSAL_READ_MODEL, PARTNERSHIP_READ_MODEL, MINISTRY_READ_MODEL];

export interface RebuildWait {
  /** How long to wait for the worker, at most. */
  timeoutMs: number;
  /** Told every few seconds with the read models not yet rebuilt. */
  onWaiting?: (pending: string[]) => void;
}

/**
 * Asks the worker (wherever it runs) to rebuild every read model, then waits until each has been emptied
 * and built again up to the events there are now. Resolves to the read models still pending when the wait
 * ran out (empty: all rebuilt); their requests stay, and a worker serves them when it starts.
 */
export async function rebuildReadModels(db: Queryable, wait: RebuildWait, names: readonly string[] = READ_MODELS): Promise<string[]> {
  const head = toPosition((await db.query<{ position: string }>('SELECT coalesce(max(position), 0) AS position FROM events')).rows[0].position);
  for (const name of names) await requestRebuild(db, name);
  const deadline = Date.now() + wait.timeoutMs;
  let told = Date.now();
  for (;;) {
    const { rows } = await db.query<{ name: string }>(
      'SELECT name FROM subscription_checkpoints WHERE name = ANY($1::text[]) AND (rebuild_requested OR position < $2) ORDER BY name',
      [names, head],
    );
    const pending = rows.map((row) => row.name);
    if (pending.length === 0 || Date.now() >= deadline) return pending;
    if (Date.now() - told >= 5_000) {
      wait.onWaiting?.(pending);
      told = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
