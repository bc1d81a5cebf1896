import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MAIN_MIGRATIONS, MIGRATIONS, prepareDatabase } from '@passerelle/platform';
import { dropTestDatabase, testConfig, testDatabaseUrl } from '@passerelle/testing';
import { PersonalDataVault } from './personal-data-vault';
import { prepareDatabases } from './prepare-databases';
import { vaultOptions } from './vault-options';

/**
 * A database written before the mail ledger named recipients by data subject (its rows hold addresses)
 * is migrated at start: each row gets the subject of its address, and the addresses go.
 */
describe('preparing the databases of an installation whose mail ledger holds addresses', () => {
  const name = `passerelle_test_ledger_migration_${randomBytes(4).toString('hex')}`;
  const url = testDatabaseUrl(name);
  const config = testConfig(url, { PRIVACY_MASTER_KEY: randomBytes(32).toString('base64') });

  afterAll(async () => {
    await dropTestDatabase(name);
  });

  it('gives each row the subject of its address, drops the addresses, and refuses to do it without the key database', async () => {
    // The migrations before the ledger's, as an installation of that time has them.
    const before = MIGRATIONS.slice(0, MIGRATIONS.findIndex((migration) => migration.name === 'MailLedgerSubjects1764547200016'));
    expect(before.length).toBeGreaterThan(10);
    await prepareDatabase(url, { ...MAIN_MIGRATIONS, migrations: before });
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(`INSERT INTO mail_ledger (key, message_id, recipient, status) VALUES
        ('invitation:1', '<1@x>', 'Siti.Rahma@kominfo.go.id', 'sent'),
        ('invitation-reminder:1', '<2@x>', 'siti.rahma@kominfo.go.id', 'uncertain'),
        ('report:w1:ZM', '<3@x>', 'ict@mots.gov.zm', 'rejected')`);

      // Without the key database at hand, the migration says why it cannot run (and changes nothing).
      await expect(prepareDatabase(url)).rejects.toThrow(/mail_ledger holds 3 distinct recipient address\(es\)/);

      const applied = await prepareDatabases(config);
      expect(applied.main[0]).toBe('MailLedgerSubjects1764547200016');
      const rows = (await db.query('SELECT key, subject_id, kind, l::text AS row FROM mail_ledger l ORDER BY key')).rows;
      const vault = await PersonalDataVault.open(vaultOptions(config));
      try {
        const siti = (await vault.findSubject('siti.rahma@kominfo.go.id'))!.subjectId;
        const ministry = (await vault.findSubject('ict@mots.gov.zm'))!.subjectId;
        expect(rows.map(({ key, subject_id, kind }) => ({ key, subject_id, kind }))).toEqual([
          { key: 'invitation-reminder:1', subject_id: siti, kind: 'invitation-reminder' },
          { key: 'invitation:1', subject_id: siti, kind: 'invitation' },
          { key: 'report:w1:ZM', subject_id: ministry, kind: 'report' },
        ]);
      } finally {
        await vault.close();
      }
      expect(rows.filter((row) => /kominfo|mots/i.test(row.row))).toEqual([]);
      expect(await prepareDatabases(config)).toEqual({ main: [], keys: [] });
    } finally {
      await db.end();
    }
  });
});
