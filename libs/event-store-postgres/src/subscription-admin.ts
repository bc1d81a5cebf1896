import type { Queryable } from './event-rows';
import { toPosition } from './event-rows';
import { NOTIFY_CHANNEL } from './sql';
import type { ParkedEvent } from './subscription.types';

/** Asks the runner of `consumer`, wherever it runs, to empty its read model and replay from position 0. */
export async function requestRebuild(db: Queryable, consumer: string): Promise<void> {
  await db.query(
    `INSERT INTO subscription_checkpoints (name, rebuild_requested) VALUES ($1, true)
     ON CONFLICT (name) DO UPDATE SET rebuild_requested = true`,
    [consumer],
  );
  await db.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`);
}

/** Asks the runner that parked this event to hand it to its consumer again. */
export async function requestReplay(db: Queryable, parkedId: number): Promise<void> {
  const result = await db.query(
    'UPDATE subscription_dead_letters SET replay_requested = true WHERE id = $1 AND replayed_at IS NULL',
    [parkedId],
  );
  if (result.rowCount === 0) throw new Error(`No parked event ${parkedId} waiting for replay`);
  await db.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`);
}

export async function listParked(db: Queryable, consumer?: string): Promise<ParkedEvent[]> {
  const result = await db.query(
    `SELECT id, consumer, position, event_id, event_type, error, attempts, parked_at, replay_requested, replayed_at
     FROM subscription_dead_letters WHERE ($1::text IS NULL OR consumer = $1) ORDER BY id`,
    [consumer ?? null],
  );
  return result.rows.map((row) => ({
    id: Number(row.id),
    consumer: row.consumer,
    position: toPosition(row.position),
    eventId: row.event_id,
    eventType: row.event_type,
    error: row.error,
    attempts: row.attempts,
    parkedAt: row.parked_at,
    replayRequested: row.replay_requested,
    replayedAt: row.replayed_at,
  }));
}

export async function readCheckpoints(db: Queryable): Promise<{ name: string; position: number; updatedAt: Date }[]> {
  const result = await db.query('SELECT name, position, updated_at FROM subscription_checkpoints ORDER BY name');
  return result.rows.map((row) => ({ name: row.name, position: toPosition(row.position), updatedAt: row.updated_at }));
}
