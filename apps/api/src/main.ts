import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@passerelle/platform';
import { prepareDatabases } from '@passerelle/privacy';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const config = loadConfig();
  await prepareDatabases(config);
  const app = await createApiApp(config);
  // Fastify listens on localhost only unless told: the API serves every interface, as before.
  await app.listen(config.PORT, '0.0.0.0');
  new Logger('Api').log(`listening on http://0.0.0.0:${config.PORT} (API documentation at /docs)`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
