import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How a migration learns the data subject of an address (PersonalDataVault.findOrCreateSubject). */
export type SubjectOfAddress = (email: string) => Promise<string>;

/**
 * The mail ledger holds no address (issue 20): each row names its recipient by data subject id, and says
 * what an access request lists of it (the kind of e-mail, from its key, and its subject line). Rows
 * written before are given the subject of their address, through `subjectOfAddress`, before the address
 * column goes. A ledger that holds addresses cannot be migrated without it: the process that migrates it
 * must reach the key database (prepareDatabases in @passerelle/privacy, which npm start and both apps use).
 */
export class MailLedgerSubjects1764547200016 implements MigrationInterface {
  name = 'MailLedgerSubjects1764547200016';

  constructor(private readonly subjectOfAddress?: SubjectOfAddress) {}

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE mail_ledger ADD COLUMN subject_id uuid, ADD COLUMN kind text, ADD COLUMN title text');
    await db.query("UPDATE mail_ledger SET kind = split_part(key, ':', 1)");
    const recipients: { recipient: string }[] = await db.query('SELECT DISTINCT recipient FROM mail_ledger');
    if (recipients.length > 0 && !this.subjectOfAddress) {
      throw new Error(
        `mail_ledger holds ${recipients.length} distinct recipient address(es): migrate with the key database at hand (npm start, or prepareDatabases in @passerelle/privacy)`,
      );
    }
    for (const { recipient } of recipients) {
      const subjectId = await this.subjectOfAddress!(recipient);
      await db.query('UPDATE mail_ledger SET subject_id = $1 WHERE recipient = $2', [subjectId, recipient]);
    }
    await db.query('ALTER TABLE mail_ledger DROP COLUMN recipient, ALTER COLUMN subject_id SET NOT NULL, ALTER COLUMN kind SET NOT NULL');
    await db.query('CREATE INDEX mail_ledger_subject ON mail_ledger (subject_id)');
  }

  async down(db: QueryRunner): Promise<void> {
    // The addresses are not brought back: rows keep their key, kind and title only.
    await db.query('DROP INDEX mail_ledger_subject');
    await db.query("ALTER TABLE mail_ledger ADD COLUMN recipient text NOT NULL DEFAULT '[erased]'");
    await db.query('ALTER TABLE mail_ledger DROP COLUMN subject_id, DROP COLUMN kind, DROP COLUMN title');
  }
}
