import { prepareKeysDatabase } from '@passerelle/privacy';
import { dropTestDatabase, type TestDatabase } from './test-database';
import { testDatabaseUrl } from './test-servers';

/**
 * The key database of a test database, where AppConfig looks for it by default (`<name>_keys` on the
 * same server), created and migrated like production's (prepareKeysDatabase). drop() removes it;
 * dropping the test database it belongs to removes it too.
 */
export async function createTestKeysDatabase(db: Pick<TestDatabase, 'name'>): Promise<TestDatabase> {
  const name = `${db.name}_keys`;
  const url = testDatabaseUrl(name);
  await prepareKeysDatabase(url);
  return { name, url, drop: () => dropTestDatabase(name) };
}
