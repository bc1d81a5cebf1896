import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { PERSONAL_DATA_CODEC, type PersonalDataCodec } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { AppConfig } from '../config/app-config';

/** The process's pg pool for the event store and read models (TypeORM keeps its own for accounts). */
@Injectable()
export class EventStorePool extends Pool implements OnApplicationShutdown {
  constructor(config: AppConfig) {
    super({ connectionString: config.DATABASE_URL, max: 20, application_name: 'passerelle' });
    this.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.end().catch(() => undefined);
  }
}

export const eventStoreProvider = {
  provide: PostgresEventStore,
  inject: [EventStorePool, AppConfig, { token: PERSONAL_DATA_CODEC, optional: true }],
  // Streams commanded lately are kept (STREAM_CACHE_SIZE), so that the next command on one need not read it.
  // Personal fields are sealed by the app's PersonalDataModule, when it imports one (both apps do).
  useFactory: (pool: EventStorePool, config: AppConfig, personalData?: PersonalDataCodec) =>
    new PostgresEventStore(pool, { streamCacheSize: config.STREAM_CACHE_SIZE, idempotencyKeyHours: config.IDEMPOTENCY_KEY_HOURS, personalData }),
};
