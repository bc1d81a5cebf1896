/**
 * `npm run privacy:rotate-master-key`: re-wraps every subject key and the blind-index key in the key
 * database under a new master key, in batches, each in its own transaction, while the API and the
 * worker keep running. Nothing else changes: encrypted fields and blind indexes stay as they are.
 *
 *   PRIVACY_NEW_MASTER_KEY       the new key, 32 bytes in base64 (openssl rand -base64 32), or
 *   PRIVACY_NEW_MASTER_KEY_FILE  a file holding it (better: it stays out of the shell's history)
 *   PRIVACY_MASTER_KEY, PRIVACY_PREVIOUS_MASTER_KEYS, KEYS_DATABASE_URL (or DATABASE_URL): as the processes have them
 *   PRIVACY_ROTATION_BATCH_SIZE  keys per transaction (default 500)
 *
 * The procedure (README, "Personal data"):
 *   1. Give every process PRIVACY_MASTER_KEY=<new> and PRIVACY_PREVIOUS_MASTER_KEYS=<old>, and restart
 *      them one at a time: they wrap new keys with the new one and unwrap with either.
 *   2. Run this command with the same environment and PRIVACY_NEW_MASTER_KEY=<new>. It can be run again.
 *   3. Remove PRIVACY_PREVIOUS_MASTER_KEYS and restart the processes; then destroy every copy of the old key.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, parseMasterKey } from '@passerelle/platform';
import { prepareKeysDatabase, rotateMasterKey } from '@passerelle/privacy';

class UsageError extends Error {}

function newMasterKey(): Buffer {
  const file = process.env.PRIVACY_NEW_MASTER_KEY_FILE;
  const text = file ? readFileSync(file, 'utf8') : process.env.PRIVACY_NEW_MASTER_KEY;
  if (!text) throw new UsageError('Set PRIVACY_NEW_MASTER_KEY (or PRIVACY_NEW_MASTER_KEY_FILE) to the new master key');
  const key = parseMasterKey(text);
  if (!key) throw new UsageError(`${file ? 'PRIVACY_NEW_MASTER_KEY_FILE' : 'PRIVACY_NEW_MASTER_KEY'} must hold 32 bytes written in base64 (openssl rand -base64 32)`);
  return key;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const target = newMasterKey();
  const batchSize = Number(process.env.PRIVACY_ROTATION_BATCH_SIZE ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError('PRIVACY_ROTATION_BATCH_SIZE must be a whole number of keys, 1 or more');
  if (!target.equals(config.privacyMasterKey)) {
    throw new UsageError('Do step 1 first: PRIVACY_MASTER_KEY must be the new key (and PRIVACY_PREVIOUS_MASTER_KEYS the old one), here and in every running process');
  }
  await prepareKeysDatabase(config.keysDatabaseUrl);
  const done = await rotateMasterKey({
    keysDatabaseUrl: config.keysDatabaseUrl,
    newMasterKey: target,
    oldMasterKeys: [config.privacyMasterKey, ...config.privacyPreviousMasterKeys],
    batchSize,
    onBatch: (progress) => console.log(`Re-wrapped ${progress.subjectKeys} subject keys so far`),
  });
  console.log(`Master key rotated: ${done.subjectKeys} subject keys and ${done.serverKeys} server keys re-wrapped; none is left under an old master key.`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof UsageError ? err.message : err);
  process.exit(1);
});
