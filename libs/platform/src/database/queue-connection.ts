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
