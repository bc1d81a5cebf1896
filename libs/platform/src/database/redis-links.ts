import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { QueueBase } from 'bullmq';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { PROCESS_LOGGER } from '../logging/logging';
import { MetricsRegistry } from '../metrics/metrics';
import { type ConnectionEvents, RedisLink, redisAddress } from './redis-link';
import { RedisConnection } from './redis.provider';

/** BullMQ's fields for its connections: not public, but the only way to hear that one is lost or back. */
interface BullConnections {
  connection?: ConnectionEvents;
  blockingConnection?: ConnectionEvents;
  closing?: unknown;
}

/**
 * Every Redis connection the app holds, as two links: `general` (health checks) and `queues` (BullMQ's
 * queues and workers). Listening to the queues' and workers' errors here also keeps BullMQ from
 * printing a stack trace for every failed retry while Redis is away.
 */
@Injectable()
export class RedisLinks implements OnApplicationBootstrap {
  readonly general: RedisLink;
  readonly queues: RedisLink;

  constructor(
    config: AppConfig,
    @Inject(PROCESS_LOGGER) logger: Logger,
    metrics: MetricsRegistry,
    redis: RedisConnection,
    private readonly discovery: DiscoveryService,
  ) {
    const log = logger.child({ context: 'RedisConnection' });
    const address = redisAddress(config.REDIS_URL);
    this.general = new RedisLink('general', address, log, metrics.redisReconnects);
    this.queues = new RedisLink('queues', address, log, metrics.redisReconnects);
    this.general.watch(redis, () => redis.closedByApp);
  }

  /** After every module's init, when @nestjs/bullmq has made the queues and the workers. */
  onApplicationBootstrap(): void {
    const bases = new Set<QueueBase>();
    for (const { instance } of this.discovery.getProviders()) {
      if (instance instanceof QueueBase) bases.add(instance);
      if (instance instanceof WorkerHost) bases.add(instance.worker);
    }
    for (const base of bases) {
      base.on('error', (err: unknown) => this.queues.error(err));
      const fields = base as unknown as BullConnections;
      const closing = () => Boolean(fields.closing);
      if (fields.connection) this.queues.watch(fields.connection, closing);
      if (fields.blockingConnection) this.queues.watch(fields.blockingConnection, closing);
    }
  }
}
