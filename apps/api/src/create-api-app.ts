import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, configureHttpApp, createHttpAdapter } from '@passerelle/platform';
import { ApiModule, type ApiOptions } from './api.module';
import { QUEUE_BOARD_OPENAPI } from './operations/queue-board.openapi';

/** The API application, configured and ready to listen: used by main.ts and by the end-to-end tests. */
export async function createApiApp(config: AppConfig, options: ApiOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.register(config, options), createHttpAdapter(config.trustedProxies), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
    // Otherwise a client's idle keep-alive connection holds the process open after SIGTERM.
    forceCloseConnections: true,
  });
  await configureHttpApp(app, { openApiPaths: QUEUE_BOARD_OPENAPI });
  return app;
}
