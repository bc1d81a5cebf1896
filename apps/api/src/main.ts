import 'reflect-metadata';
import { ConfigError, loadConfig, prepareDatabase } from '@passerelle/platform';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL);
  const app = await createApiApp(config);
  // Fastify listens on localhost only unless told: the API serves every interface, as before.
  await app.listen(config.PORT, '0.0.0.0');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
