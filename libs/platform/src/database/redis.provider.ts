import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

/** The process's general-purpose Redis connection (health checks, rate limits). */
@Injectable()
export class RedisConnection extends Redis implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Set when the app closes the connection, so that closing is not taken for losing Redis. */
  closedByApp = false;

  constructor(config: AppConfig) {
    super(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.on('error', () => undefined);
  }

  /** BullMQ loses jobs if Redis may evict keys: say so loudly at start. */
  async onApplicationBootstrap(): Promise<void> {
    const logger = new Logger('Redis');
    try {
      const answer = (await this.config('GET', 'maxmemory-policy')) as string[];
      const policy = answer[1];
      if (policy !== 'noeviction') {
        logger.error(`Redis maxmemory-policy is "${policy}": queued jobs can be evicted and lost. Set it to "noeviction".`);
      }
    } catch (err) {
      logger.warn(`Could not read Redis maxmemory-policy (${(err as Error).message}); it must be "noeviction".`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closedByApp = true;
    this.disconnect();
  }
}
