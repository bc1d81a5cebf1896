import { type MigrationSet, prepareDatabase } from '@passerelle/platform';
import { KeyStore1765000000000 } from './migrations/1765000000000-key-store';

/** The key database's own migrations, applied under their own advisory lock (the main set has another). */
export const KEY_MIGRATIONS: MigrationSet = { migrations: [KeyStore1765000000000], lockId: 0x7061726b };

/**
 * Creates the key database if it is missing and applies its migrations, the way the main database
 * is prepared at start (scripts/start.js calls both). Returns the names of the migrations applied.
 */
export function prepareKeysDatabase(keysDatabaseUrl: string): Promise<string[]> {
  return prepareDatabase(keysDatabaseUrl, KEY_MIGRATIONS);
}
