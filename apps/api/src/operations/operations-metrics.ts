import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { INVITATION_MAIL_QUEUE } from '@passerelle/invitations';
import { NOTIFICATION_MAIL_QUEUE } from '@passerelle/mail';
import { EventStorePool, MetricsRegistry } from '@passerelle/platform';
import { REMINDER_SWEEPS_QUEUE, REMINDERS_QUEUE } from '@passerelle/reminders';
import { REPORT_QUEUE } from '@passerelle/reporting';
import { CALL_CLOSING_QUEUE } from '@passerelle/calls';

/**
 * Queue depth and failures per queue, and how far each subscription (projection or reactor) is behind
 * the store, read when /metrics is scraped: from Redis and PostgreSQL, so any API copy reports them.
 */
@Injectable()
export class OperationsMetrics {
  constructor(
    metrics: MetricsRegistry,
    pool: EventStorePool,
    @InjectQueue(INVITATION_MAIL_QUEUE) mail: Queue,
    @InjectQueue(REMINDER_SWEEPS_QUEUE) sweeps: Queue,
    @InjectQueue(REMINDERS_QUEUE) reminders: Queue,
    @InjectQueue(NOTIFICATION_MAIL_QUEUE) notifications: Queue,
    @InjectQueue(REPORT_QUEUE) reports: Queue,
    @InjectQueue(CALL_CLOSING_QUEUE) callClosing: Queue,
  ) {
    const queues = [mail, sweeps, reminders, notifications, reports, callClosing];
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [metrics],
      async collect() {
        for (const queue of queues) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed').catch(() => null);
          for (const [state, value] of Object.entries(counts ?? {})) this.set({ queue: queue.name, state }, value);
        }
      },
    });
    // One query per scrape for the three lag gauges (prom-client collects each gauge in turn).
    const lagOnce = scrapeOnce(() => subscriptionLag(pool));
    new Gauge({
      name: 'subscription_lag_events',
      help: `Events of each subscription's categories written after its checkpoint, counted among the next ${LAG_WINDOW} events of the store (a lower bound beyond that)`,
      labelNames: ['subscription'],
      registers: [metrics],
      async collect() {
        for (const row of await lagOnce()) this.set({ subscription: row.name }, row.events);
      },
    });
    new Gauge({
      name: 'subscription_lag_positions',
      help: 'Positions between the last event written and each subscription\'s checkpoint (positions are sparse: see subscription_lag_events for a count)',
      labelNames: ['subscription'],
      registers: [metrics],
      async collect() {
        for (const row of await lagOnce()) this.set({ subscription: row.name }, row.positions);
      },
    });
    new Gauge({
      name: 'subscription_lag_seconds',
      help: 'Age of the oldest event of its categories each subscription has not yet handled (0 when caught up)',
      labelNames: ['subscription'],
      registers: [metrics],
      async collect() {
        for (const row of await lagOnce()) this.set({ subscription: row.name }, row.seconds);
      },
    });
    new Gauge({
      name: 'subscription_parked_events',
      help: 'Events set aside after failing, waiting for a replay',
      labelNames: ['subscription'],
      registers: [metrics],
      async collect() {
        const result = await pool.query(
          'SELECT consumer, count(*)::int AS n FROM subscription_dead_letters WHERE replayed_at IS NULL GROUP BY consumer',
        );
        this.reset();
        for (const row of result.rows) this.set({ subscription: row.consumer }, row.n);
      },
    });
  }
}

/** How many of the store's events after a checkpoint the lag gauges look at, so that a scrape stays cheap however far behind a subscription is. */
export const LAG_WINDOW = 100_000;

export interface SubscriptionLag {
  name: string;
  /** Events of the subscription's categories (all, for one that reads every category) after its checkpoint, within the window. */
  events: number;
  positions: number;
  seconds: number;
}

/**
 * Each subscription's distance from the head of the store: in events of its own categories (other
 * categories' events are passed without work), in positions, and in the age of the oldest event it has
 * still to handle. Only the next `window` events after a checkpoint are looked at; when none of them is
 * of its categories, a subscription still that far behind is as old as the first of them.
 */
export async function subscriptionLag(pool: Pick<EventStorePool, 'query'>, window = LAG_WINDOW): Promise<SubscriptionLag[]> {
  const result = await pool.query(
    `SELECT c.name,
      coalesce(ahead.events, 0)::float8 AS events,
      greatest(0, coalesce((SELECT max(position) FROM events), 0) - c.position)::float8 AS positions,
      coalesce(extract(epoch FROM now() - coalesce(ahead.oldest, CASE WHEN ahead.seen >= $1 THEN ahead.first END)), 0)::float8 AS seconds
    FROM subscription_checkpoints c
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE mine) AS events, min(w.recorded_at) FILTER (WHERE mine) AS oldest, count(*) AS seen, min(w.recorded_at) AS first
      FROM (
        SELECT e.recorded_at, c.categories IS NULL OR e.category = ANY (c.categories) AS mine
        FROM events e WHERE e.position > c.position ORDER BY e.position LIMIT $1
      ) w
    ) ahead ON true
    ORDER BY c.name`,
    [window],
  );
  return result.rows;
}

/** The same answer for every caller within one scrape (calls less than a second apart). */
function scrapeOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let last: { at: number; answer: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.at > 1000) {
      const answer = load();
      last = { at: now, answer };
      answer.catch(() => (last = null));
    }
    return last.answer;
  };
}
