import 'reflect-metadata';
import { ConfigError, loadConfig, prepareDatabase } from '@passerelle/platform';
import { createWorkerApp } from './create-worker-app';

async function main(): Promise<void> {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL);
  const app = await createWorkerApp(config);
  await app.init();
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
