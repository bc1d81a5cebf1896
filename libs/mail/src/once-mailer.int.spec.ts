import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { PersonalDataVault } from '@passerelle/privacy';
import { createTestDatabase, testDatabaseUrl, testPool, SmtpSink, type TestDatabase } from '@passerelle/testing';
import { OnceMailer, RECIPIENT_ERASED, TransientMailError } from './once-mailer';
import { sentMailCounter } from './sent-mails';
import { MailTemplates } from './templates';

describe('OnceMailer', () => {
  let db: TestDatabase;
  let pool: Pool;
  let sink: SmtpSink;
  let mailer: OnceMailer;
  let vault: PersonalDataVault;
  const mail = (to: string) => ({ to, subject: 'Invitation', text: 'Hello', html: '<p>Hello</p>' });

  beforeAll(async () => {
    db = await createTestDatabase('once_mailer');
    pool = testPool(db.url);
    vault = await PersonalDataVault.open({ keysDatabaseUrl: testDatabaseUrl(`${db.name}_keys`), masterKey: randomBytes(32), cacheSeconds: 60, cacheSize: 100 });
    sink = await new SmtpSink({ refuseRecipient: (address) => (address.startsWith('gone@') ? 550 : address.startsWith('busy@') ? 451 : null) }).start();
    mailer = new OnceMailer(pool, vault, { smtpUrl: sink.url, from: 'Passerelle <no-reply@passerelle.test>', maxConnections: 4 });
  });

  afterAll(async () => {
    mailer.close();
    await vault.close();
    await sink.stop();
    await pool.end();
    await db.drop();
  });

  it('sends a mail once per key, however often it is asked', async () => {
    const first = await mailer.send('invitation:1', mail('siti@kominfo.go.id'));
    const again = await mailer.send('invitation:1', mail('siti@kominfo.go.id'));
    expect(first.status).toBe('sent');
    expect(again).toEqual({ status: 'already-sent', messageId: (first as { messageId: string }).messageId });
    expect(sink.to('siti@kominfo.go.id')).toHaveLength(1);
    expect(sink.to('siti@kominfo.go.id')[0].parsed.subject).toBe('Invitation');
    expect(sink.to('siti@kominfo.go.id')[0].parsed.from?.value[0]).toMatchObject({ name: 'Passerelle', address: 'no-reply@passerelle.test' });
  });

  it('names the recipient in the ledger by data subject, never by address, with the kind and subject line', async () => {
    await mailer.send('invitation:ledger', mail('Ledger.Row@kominfo.go.id'));
    const subjectId = (await vault.findSubject('ledger.row@kominfo.go.id'))!.subjectId;
    const rows = await pool.query("SELECT row_to_json(l)::text AS row, subject_id, kind, title FROM mail_ledger l WHERE key = 'invitation:ledger'");
    expect(rows.rows[0]).toMatchObject({ subject_id: subjectId, kind: 'invitation', title: 'Invitation' });
    expect(rows.rows[0].row.toLowerCase()).not.toContain('ledger.row@');
    expect(await sentMailCounter(pool)(subjectId)).toBe(1);
  });

  it('sends nothing to a person whose personal data was erased, and counts nothing more', async () => {
    const subjectId = await vault.findOrCreateSubject('erased@kominfo.go.id');
    // An erasure: the key goes, then the e-mails sent are counted (and the subject marked) under the mail lock.
    await vault.destroyKey(subjectId);
    expect(await sentMailCounter(pool)(subjectId)).toBe(0);
    expect(await mailer.send('invitation:erased', mail('erased@kominfo.go.id'))).toEqual({ status: 'rejected', reason: RECIPIENT_ERASED });
    // A job that read the address before the erasure and names the subject: refused by the mark.
    expect(await mailer.send('invitation:erased-by-id', { ...mail('erased@kominfo.go.id'), subjectId })).toEqual({ status: 'rejected', reason: RECIPIENT_ERASED });
    expect(sink.to('erased@kominfo.go.id')).toHaveLength(0);
    expect(await sentMailCounter(pool)(subjectId)).toBe(0);
    expect((await pool.query("SELECT count(*)::int AS n FROM mail_ledger WHERE key LIKE 'invitation:erased%'")).rows[0].n).toBe(0);
  });

  it('sends once when many attempts race for the same key', async () => {
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => mailer.send('invitation:race', mail('race@ministry.gov.eg'))));
    expect(outcomes.filter((o) => o.status === 'sent')).toHaveLength(1);
    expect(sink.to('race@ministry.gov.eg')).toHaveLength(1);
  });

  it('reports a permanent refusal (5xx) as rejected and a temporary one (4xx) as transient, freeing the key', async () => {
    expect(await mailer.send('invitation:gone', mail('gone@ministry.gov.zm'))).toMatchObject({ status: 'rejected' });
    await expect(mailer.send('invitation:busy', mail('busy@ministry.gov.zm'))).rejects.toBeInstanceOf(TransientMailError);
    const ledger = await pool.query("SELECT key, status FROM mail_ledger WHERE key IN ('invitation:gone', 'invitation:busy')");
    expect(ledger.rows).toEqual([{ key: 'invitation:gone', status: 'rejected' }]);
  });

  it('fails transiently while the mail server is down and sends once it is back', async () => {
    const port = sink.port;
    await sink.stop();
    const down = new OnceMailer(pool, vault, { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'no-reply@passerelle.test', maxConnections: 1 });
    try {
      await expect(down.send('invitation:later', mail('later@ministry.gov.br'))).rejects.toBeInstanceOf(TransientMailError);
      await sink.start();
      expect(await down.send('invitation:later', mail('later@ministry.gov.br'))).toMatchObject({ status: 'sent' });
      expect(sink.to('later@ministry.gov.br')).toHaveLength(1);
    } finally {
      down.close();
    }
  });

  it('renders templates by language, falling back to English, escaping values in HTML', () => {
    const templates = new MailTemplates();
    const values = { fullName: 'Aïda <b>', workshopTitle: 'AI & health', hostInstitution: 'Institute', city: 'Shanghai', dates: '23–25 Oct 2025', timeZone: 'China Standard Time (Asia/Shanghai)', programme: '23 Oct 2025, 09:00–12:00: Foundations', rsvpUrl: 'http://x/rsvp/t' };
    const fr = templates.render('invitation', 'fr', values);
    expect(fr.language).toBe('fr');
    expect(fr.subject).toBe('Invitation : AI & health, Shanghai, 23–25 Oct 2025');
    expect(fr.html).toContain('Aïda &lt;b&gt;');
    expect(fr.text).toContain('Aïda <b>');
    const unknown = templates.render('invitation', 'kk', values);
    expect(unknown.language).toBe('en');
    expect(unknown.subject).toMatch(/^Invitation: /);
    expect(() => templates.render('invitation', 'en', { fullName: 'x' })).toThrow(/missing/);
  });
});
