import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { PersonalDataRegistry } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { EventFieldEncryption, PersonalDataVault } from '@passerelle/privacy';
import { createTestDatabase, type TestDatabase, testPool } from './test-database';
import { testDatabaseUrl } from './test-servers';

/** For the personal-data specs: a fresh database and key database, and two stores on them, one sealing and one not. */
export interface SealingTestStores {
  db: TestDatabase;
  pool: Pool;
  vault: PersonalDataVault;
  codec: EventFieldEncryption;
  /** Seals personal fields as the apps do. */
  sealing: PostgresEventStore;
  /** Writes data as given: an event store from before personal fields were sealed. */
  clear: PostgresEventStore;
  close(): Promise<void>;
}

export async function sealingTestStores(label: string, registry: PersonalDataRegistry): Promise<SealingTestStores> {
  const db = await createTestDatabase(label);
  // testPool: the forced DROP at close may end a backend pool.end() left exiting; that late error is expected.
  const pool = testPool(db.url, 6);
  const vault = await PersonalDataVault.open({ keysDatabaseUrl: testDatabaseUrl(`${db.name}_keys`), masterKey: randomBytes(32), cacheSeconds: 60, cacheSize: 100 });
  const codec = new EventFieldEncryption(vault, registry);
  const sealing = new PostgresEventStore(pool, { personalData: codec, notify: false });
  const clear = new PostgresEventStore(pool, { notify: false });
  return {
    db,
    pool,
    vault,
    codec,
    sealing,
    clear,
    async close() {
      sealing.close();
      clear.close();
      await vault.close();
      await pool.end();
      await db.drop();
    },
  };
}
