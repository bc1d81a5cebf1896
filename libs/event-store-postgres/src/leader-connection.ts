import { Client } from 'pg';
import { toPosition } from './event-rows';
import { NOTIFY_CHANNEL } from './sql';
import type { ConsumerTransaction, EventConsumer, SubscriptionOptions } from './subscription.types';
import { DEFAULT_LOCK_RETRY_MS } from './subscription-timing';
import type { WakeSignal } from './wake-signal';

/** First key of the two-key advisory lock that each consumer's runner holds. */
const LOCK_NAMESPACE = 0x70617373;

/**
 * The runner's own connection, as its consumer sees it: a client like a pooled one. Releasing it ends
 * it, which makes the runner give up the lock and connect again.
 */
export function openConnection(options: SubscriptionOptions, consumer: EventConsumer): ConsumerTransaction {
  const client = new Client({ connectionString: options.connectionString, application_name: `subscription:${consumer.name}` });
  return Object.assign(client, {
    release: () => {
      client.end().catch(() => undefined);
    },
  });
}

/** The PostgreSQL backend pid of a connected client. */
export function backendPidOf(client: ConsumerTransaction): number {
  return (client as unknown as { processID: number }).processID;
}

/**
 * Waits (on standby) until this connection holds the consumer's advisory lock, then listens for appends
 * and requests and returns the stored checkpoint; null if the runner was stopped first.
 */
export async function becomeLeader(client: ConsumerTransaction, consumer: EventConsumer, options: SubscriptionOptions, signal: WakeSignal): Promise<number | null> {
  while (!signal.stopping) {
    const lock = await client.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_NAMESPACE, consumer.name]);
    if (lock.rows[0].ok) break;
    await signal.sleep(options.lockRetryMs ?? DEFAULT_LOCK_RETRY_MS);
  }
  if (signal.stopping) return null;
  await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
  await client.query(
    `INSERT INTO subscription_checkpoints (name, categories) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET categories = EXCLUDED.categories`,
    [consumer.name, consumer.categories ? [...consumer.categories] : null],
  );
  const checkpoint = await client.query('SELECT position FROM subscription_checkpoints WHERE name = $1', [consumer.name]);
  return toPosition(checkpoint.rows[0].position);
}
