import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@passerelle/platform';
import { WorkerModule, type WorkerOptions } from './worker.module';

/** The worker as a Nest application context (no HTTP): used by main.ts and by the end-to-end tests. */
export async function createWorkerApp(config: AppConfig, options: WorkerOptions = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config, options), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
