import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type AppConfig, configureHttpApp } from '@passerelle/platform';
import { ApiModule } from './api.module';

/** The API application, configured and ready to listen: used by main.ts and by the end-to-end tests. */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
    // Otherwise a client's idle keep-alive connection holds the process open after SIGTERM.
    forceCloseConnections: true,
  });
  configureHttpApp(app);
  return app;
}
