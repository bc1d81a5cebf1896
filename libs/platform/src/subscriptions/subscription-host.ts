import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider, type Type } from '@nestjs/common';
import { type EventConsumer, PostgresEventStore, SubscriptionRunner } from '@passerelle/event-store-postgres';
import { AppConfig } from '../config/app-config';

export const EVENT_CONSUMERS = Symbol('EVENT_CONSUMERS');

/**
 * Runs one SubscriptionRunner per consumer in this process. Each holds its consumer's advisory lock,
 * so any number of worker copies can run: one works, the others stand by.
 */
@Injectable()
export class SubscriptionHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Subscriptions');
  readonly runners: SubscriptionRunner[];

  constructor(
    store: PostgresEventStore,
    config: AppConfig,
    @Inject(EVENT_CONSUMERS) consumers: EventConsumer[],
  ) {
    const logger = {
      log: (message: string) => this.logger.log(message),
      warn: (message: string) => this.logger.warn(message),
      error: (message: string) => this.logger.error(message),
    };
    this.runners = consumers.map(
      (consumer) => new SubscriptionRunner(store, consumer, { connectionString: config.DATABASE_URL, logger }),
    );
  }

  runner(name: string): SubscriptionRunner {
    const found = this.runners.find((runner) => runner.consumer.name === name);
    if (!found) throw new Error(`No consumer named ${name} runs here`);
    return found;
  }

  onApplicationBootstrap(): void {
    for (const runner of this.runners) runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}

@Module({})
export class SubscriptionsModule {
  /** Runs these consumers: classes implementing EventConsumer, provided and exported by `imports`. */
  static register(consumers: Type<EventConsumer>[], imports: DynamicModule['imports'] = []): DynamicModule {
    const collect: Provider = {
      provide: EVENT_CONSUMERS,
      inject: consumers,
      useFactory: (...instances: EventConsumer[]) => instances,
    };
    return { module: SubscriptionsModule, imports, providers: [collect, SubscriptionHost], exports: [SubscriptionHost] };
  }
}
