import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, prepareDatabase } from '@passerelle/platform';
import { prepareKeysDatabase } from '@passerelle/privacy';
import { createWorkerApp } from './create-worker-app';

async function main(): Promise<void> {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL);
  await prepareKeysDatabase(config.keysDatabaseUrl);
  const app = await createWorkerApp(config);
  await app.init();
  new Logger('Worker').log(`started: projections, reactors and queues (queue prefix ${config.QUEUE_PREFIX})`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
