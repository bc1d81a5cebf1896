/**
 * The worker as `npm run start:worker` runs it, with a clock read from the file named by TEST_CLOCK_FILE
 * (FileClock): what test/support/processes.ts `runWorkerWithFileClock` starts, so a test moves the time
 * of worker processes on without waiting for it.
 */
import 'reflect-metadata';
import { loadConfig } from '@passerelle/platform';
import { prepareDatabases } from '@passerelle/privacy';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app';
import { FileClock } from './file-clock';

async function main(): Promise<void> {
  const file = process.env.TEST_CLOCK_FILE;
  if (!file) throw new Error('TEST_CLOCK_FILE names no file');
  const config = loadConfig();
  await prepareDatabases(config);
  const app = await createWorkerApp(config, { clock: new FileClock(file) });
  await app.init();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
