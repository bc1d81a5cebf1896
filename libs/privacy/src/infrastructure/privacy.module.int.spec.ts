import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { PlatformModule } from '@passerelle/platform';
import { createTestDatabase, createTestKeysDatabase, type TestDatabase, testConfig, waitFor } from '@passerelle/testing';
import { PersonalDataVault } from '../application/personal-data-vault';
import { LISTENER_APPLICATION_NAME } from './key-eviction-listener';
import { PrivacyModule } from './privacy.module';

/** The vault as an app gets it: from its configuration, the key database beside the test database by default. */
describe('PrivacyModule', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('privacy_module');
    await createTestKeysDatabase(db);
  });

  afterAll(async () => {
    await db?.drop();
  });

  const listeners = async () => {
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [`${db.name}_keys`, LISTENER_APPLICATION_NAME]);
    await admin.end();
    return rows[0].n as number;
  };

  it('opens the vault on <name>_keys with the configured keys, and closes it with the app', async () => {
    const config = testConfig(db.url);
    expect(config.keysDatabaseUrl).toMatch(new RegExp(`/${db.name}_keys$`));
    const moduleRef = await Test.createTestingModule({ imports: [PlatformModule.forRoot(config), PrivacyModule] }).compile();
    const app = await moduleRef.init();
    const vault = app.get(PersonalDataVault);
    const subjectId = await vault.findOrCreateSubject('ana@example.org');
    const context = { streamId: 's', eventType: 'E', field: 'f' };
    const sealed = (await vault.encrypt(subjectId, 'Ana', context))!;
    expect(await vault.decrypt(sealed, context)).toMatchObject({ status: 'decrypted', value: 'Ana' });
    expect(vault.listening).toBe(true);
    expect(await listeners()).toBe(1);
    await app.close();
    await waitFor(async () => (await listeners()) === 0, { what: 'the LISTEN connection to close' });
  });
});
