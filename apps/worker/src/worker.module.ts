import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig, PlatformModule, SubscriptionsModule } from '@passerelle/platform';

/** The worker: projection runners and reactors now, BullMQ processors as contexts arrive. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [PlatformModule.forRoot(config), SubscriptionsModule.register([])] };
  }
}
