import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { INVITATION_MAIL_QUEUE, INVITATION_REMINDERS_QUEUE } from '@passerelle/invitations';
import { NOTIFICATION_MAIL_QUEUE } from '@passerelle/mail';
import { EventStorePool, MetricsRegistry } from '@passerelle/platform';
import { REPORT_QUEUE } from '@passerelle/reporting';

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
    @InjectQueue(INVITATION_REMINDERS_QUEUE) reminders: Queue,
    @InjectQueue(NOTIFICATION_MAIL_QUEUE) notifications: Queue,
    @InjectQueue(REPORT_QUEUE) reports: Queue,
  ) {
    const queues = [mail, reminders, notifications, reports];
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
    new Gauge({
      name: 'subscription_lag_positions',
      help: 'Positions between the last event written and each subscription\'s checkpoint (positions are sparse)',
      labelNames: ['subscription'],
      registers: [metrics],
      async collect() {
        const rows = await lag(pool);
        for (const row of rows) this.set({ subscription: row.name }, row.positions);
      },
    });
    new Gauge({
      name: 'subscription_lag_seconds',
      help: 'Age of the oldest event each subscription has not yet handled (0 when caught up)',
      labelNames: ['subscription'],
      registers: [metrics],
      async collect() {
        const rows = await lag(pool);
        for (const row of rows) this.set({ subscription: row.name }, row.seconds);
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

async function lag(pool: EventStorePool): Promise<{ name: string; positions: number; seconds: number }[]> {
  const result = await pool.query(`
    SELECT c.name,
      greatest(0, coalesce((SELECT max(position) FROM events), 0) - c.position)::float8 AS positions,
      coalesce(extract(epoch FROM now() - (SELECT recorded_at FROM events e WHERE e.position > c.position ORDER BY e.position LIMIT 1)), 0)::float8 AS seconds
    FROM subscription_checkpoints c`);
  return result.rows;
}
