import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@passerelle/platform';
import { prepareDatabases } from '@passerelle/privacy';
import { createWorkerApp } from './create-worker-app';

async function main(): Promise<void> {
  const config = loadConfig();
  await prepareDatabases(config);
  const app = await createWorkerApp(config);
  await app.init();
  new Logger('Worker').log(`started: projections, reactors and queues (queue prefix ${config.QUEUE_PREFIX})`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
