import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source';
import { eventStoreProvider, EventStorePool } from './database/event-store.provider';
import { RedisConnection } from './database/redis.provider';
import { RedisLinks } from './database/redis-links';
import { HealthController } from './health/health.controller';
import { ListCursors } from './http/list-cursors';
import { ReadModels } from './http/read-models';
import { createLogger, loggingParams, PROCESS_LOGGER } from './logging/logging';
import { MetricsController, MetricsRegistry } from './metrics/metrics';
import { Clock, SystemClock } from './runtime/clock';

/** What every app shares: configuration, logging, PostgreSQL (TypeORM and the event store), Redis, metrics. */
@Module({})
export class PlatformModule {
  /** `logDestination`: where the log lines go instead of stdout, as JSON (tests read them there); `clock`: the time to go by instead of the system's (tests). */
  static forRoot(config: AppConfig, options: { logDestination?: DestinationStream; clock?: Clock } = {}): DynamicModule {
    const logger = createLogger(config, options.logDestination ? { pretty: false, destination: options.logDestination } : undefined);
    return {
      module: PlatformModule,
      global: true,
      imports: [DiscoveryModule, LoggerModule.forRoot(loggingParams(logger)), TypeOrmModule.forRoot({ ...dataSourceOptions(config.DATABASE_URL), autoLoadEntities: true })],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: PROCESS_LOGGER, useValue: logger },
        options.clock ? { provide: Clock, useValue: options.clock } : { provide: Clock, useClass: SystemClock },
        EventStorePool,
        eventStoreProvider,
        RedisConnection,
        RedisLinks,
        MetricsRegistry,
        ReadModels,
        ListCursors,
      ],
      exports: [AppConfig, PROCESS_LOGGER, Clock, EventStorePool, PostgresEventStore, RedisConnection, MetricsRegistry, ReadModels, ListCursors],
    };
  }
}

/** The HTTP side of the platform: the auth guard, /health and /metrics. */
@Module({
  imports: [AuthModule, TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  exports: [AuthModule],
})
export class PlatformHttpModule {}
