import type { RedisOptions } from 'ioredis';

/** BullMQ's Redis options from REDIS_URL. Queue keys share one hash tag so they can live on a Redis Cluster. */
export function queueConnection(redisUrl: string, prefix = 'passerelle'): { connection: RedisOptions; prefix: string } {
  const url = new URL(redisUrl);
  return {
    prefix: `{${prefix}}`,
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    },
  };
}

/**
 * Options of a job queued by a reactor: its id (derived from the event, so a replay adds nothing while
 * the job is kept), retries with exponential backoff, and completed jobs kept 30 days — longer than a
 * replay reaches back in practice; the mail ledger guards beyond that.
 */
export function eventJobOptions(config: { MAIL_ATTEMPTS: number; MAIL_RETRY_DELAY_MS: number }, jobId: string, keepDays = 30) {
  return {
    jobId,
    attempts: config.MAIL_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.MAIL_RETRY_DELAY_MS },
    removeOnComplete: { age: keepDays * 24 * 3600 },
    removeOnFail: { age: 90 * 24 * 3600 },
  };
}
