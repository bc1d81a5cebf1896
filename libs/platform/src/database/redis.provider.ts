import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

/** The process's general-purpose Redis connection (health checks, rate limits). */
@Injectable()
export class RedisConnection extends Redis implements OnApplicationShutdown {
  constructor(config: AppConfig) {
    super(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.disconnect();
  }
}
