import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig, PlatformHttpModule, PlatformModule } from '@passerelle/platform';

/** The HTTP API. Bounded contexts add their modules here. */
@Module({})
export class ApiModule {
  static register(config: AppConfig): DynamicModule {
    return { module: ApiModule, imports: [PlatformModule.forRoot(config), PlatformHttpModule] };
  }
}
