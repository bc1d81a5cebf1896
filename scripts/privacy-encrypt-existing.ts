/**
 * `npm run privacy:encrypt-existing`: seals, in place, the personal fields of the events a database holds
 * from before personal fields were sealed (issue 20), with the codec every append uses; then asks the
 * worker to rebuild every read model from the rewritten events. The one rewrite of history the product
 * does: see docs/personal-data.md, "Encrypting an existing database".
 *
 *   DATABASE_URL, KEYS_DATABASE_URL, PRIVACY_MASTER_KEY, PRIVACY_PREVIOUS_MASTER_KEYS: as the processes have them
 *   PRIVACY_ENCRYPTION_BATCH_SIZE    events per transaction (default 500)
 *   PRIVACY_REBUILD_WAIT_SECONDS     how long to wait for the worker to rebuild the read models (default 600;
 *                                    0: only ask, and do not wait)
 *
 * Each batch is one transaction, and the progress moves with it: a run stopped anywhere is taken up by the
 * next, and a run after everything is sealed changes nothing. The API and the worker may keep running.
 */
import { Pool } from 'pg';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { PERSONAL_DATA_REGISTRY, rebuildReadModels } from '@passerelle/personal-data';
import { ConfigError, loadConfig, prepareDatabase } from '@passerelle/platform';
import { encryptExistingEvents, EventFieldEncryption, PersonalDataVault, prepareKeysDatabase, vaultOptions } from '@passerelle/privacy';

class UsageError extends Error {}

function wholeNumber(name: string, fallback: number, least: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < least) throw new UsageError(`${name} must be a whole number, ${least} or more`);
  return value;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const batchSize = wholeNumber('PRIVACY_ENCRYPTION_BATCH_SIZE', 500, 1);
  const waitSeconds = wholeNumber('PRIVACY_REBUILD_WAIT_SECONDS', 600, 0);
  await prepareDatabase(config.DATABASE_URL);
  await prepareKeysDatabase(config.keysDatabaseUrl);
  const vault = await PersonalDataVault.open(vaultOptions(config));
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 2, application_name: 'passerelle-encrypt-existing' });
  pool.on('error', () => undefined); // an idle connection's error; the next query reports it
  const codec = new EventFieldEncryption(vault, PERSONAL_DATA_REGISTRY);
  const store = new PostgresEventStore(pool, { personalData: codec, notify: true });
  try {
    console.log(`Sealing the personal fields of existing events, ${batchSize} events per transaction...`);
    const done = await encryptExistingEvents({
      store,
      codec,
      registry: PERSONAL_DATA_REGISTRY,
      batchSize,
      onBatch: (progress) =>
        console.log(`Batch ${progress.batches}: through position ${progress.position}, ${progress.eventsEncrypted} events and ${progress.fieldsEncrypted} fields sealed so far`),
    });
    console.log(
      `Sealed ${done.fieldsEncrypted} personal fields in ${done.eventsEncrypted} events (${done.batches} batches), through position ${done.position}. ` +
        `Over every run: ${done.total.eventsEncrypted} events, ${done.total.fieldsEncrypted} fields, ${done.total.runs} runs.`,
    );
    if (!done.recorded) {
      console.log('Nothing was left to seal: an earlier run finished the job, and no read model needs rebuilding.');
      return;
    }
    console.log('Recorded as PersonalDataEncrypted on the privacy-migration stream.');
    console.log('Asking the worker to rebuild every read model from the rewritten events...');
    const pending = await rebuildReadModels(pool, {
      timeoutMs: waitSeconds * 1000,
      onWaiting: (names) => console.log(`Waiting for the worker to rebuild ${names.join(', ')}`),
    });
    if (pending.length === 0) console.log('Every read model is rebuilt.');
    else console.log(`Not rebuilt yet: ${pending.join(', ')}. The requests stay: the worker rebuilds them when it runs (the table subscription_checkpoints and /metrics, subscription_lag_events, show how far each is).`);
  } finally {
    store.close();
    await pool.end();
    await vault.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof UsageError ? err.message : err);
  process.exit(1);
});
