import { type AppConfig, MAIN_MIGRATIONS, migrationsWithSubjects, prepareDatabase } from '@passerelle/platform';
import { prepareKeysDatabase } from '../infrastructure/key-database';
import { PersonalDataVault } from './personal-data-vault';
import { vaultOptions } from './vault-options';

/**
 * Prepares the key database, then the event database (creating each if missing and applying its
 * migrations), the way a process does at start. The key database goes first: a migration of the event
 * database that meets addresses written before issue 20 (the mail ledger's) gives them their data
 * subject through a vault opened for the time of the migrations. Returns the migrations applied to each.
 */
export async function prepareDatabases(
  config: Pick<AppConfig, 'DATABASE_URL' | 'keysDatabaseUrl' | 'privacyMasterKey' | 'privacyPreviousMasterKeys' | 'PRIVACY_KEY_CACHE_SECONDS' | 'PRIVACY_KEY_CACHE_SIZE'>,
): Promise<{ main: string[]; keys: string[] }> {
  const keys = await prepareKeysDatabase(config.keysDatabaseUrl);
  let vault: PersonalDataVault | undefined;
  const subjectOfAddress = async (email: string) => {
    vault ??= await PersonalDataVault.open(vaultOptions(config, { poolSize: 1 }));
    return vault.findOrCreateSubject(email);
  };
  try {
    const main = await prepareDatabase(config.DATABASE_URL, { ...MAIN_MIGRATIONS, migrations: migrationsWithSubjects(subjectOfAddress) });
    return { main, keys };
  } finally {
    await vault?.close();
  }
}
