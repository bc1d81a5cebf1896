import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Pool } from 'pg';
import { ERASED } from '@passerelle/event-store-core';
import { withoutAddresses } from '@passerelle/platform';
import type { PersonalDataVault } from '@passerelle/privacy';
import { composeMail } from './compose';
import { SmtpPool } from './smtp-pool';

export interface OutgoingMail {
  to: string;
  /** The recipient's data subject, when the caller knows it; else found (or made) from `to`. */
  subjectId?: string;
  subject: string;
  text: string;
  html: string;
  /** The language the mail is written in (its Content-Language header), as the template rendered it. */
  language?: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export type MailOutcome =
  | { status: 'sent'; messageId: string }
  /** The ledger already holds this key: it was sent before (or its sending was interrupted after commit). */
  | { status: 'already-sent'; messageId: string }
  /** The server refused it for good (5xx): not to be retried. `reason` is its answer, addresses struck out. */
  | { status: 'rejected'; reason: string };

/** What the mail ledger knows of recipients: their data subject (PersonalDataVault), never their address. */
export type MailRecipients = Pick<PersonalDataVault, 'findSubject' | 'findOrCreateSubject'>;

/** The reason of a mail not sent because its recipient's personal data was erased (nothing went out). */
export const RECIPIENT_ERASED = "the recipient's personal data was erased";

/**
 * The advisory lock (on the event database) of a subject's mail: every claim in the ledger holds it
 * shared, an erasure's count of the e-mails sent (sentMailCounter) exclusively, so that the count sees
 * every e-mail claimed before the subject's key was destroyed and none is claimed after.
 */
export const SUBJECT_MAIL_LOCK = "hashtextextended('mail-subject:' || $1, 0)";

/** A refusal worth retrying: 4xx, a refused connection, a time-out. Its message never holds an address. */
export class TransientMailError extends Error {
  constructor(
    message: string,
    /** The mail's ledger key (ids only, never an address): which e-mail failed, for the logs. */
    readonly mailKey?: string,
  ) {
    super(withoutAddresses(message));
    this.name = 'TransientMailError';
  }
}

/**
 * Sends each mail at most once per ledger key, and exactly once unless the process dies in the few
 * microseconds between the ledger's commit and the message's final ".".
 *
 * The message is streamed to the server but its terminating "." is held back until a row for the key
 * is committed in `mail_ledger`. A worker that dies before that commit leaves no row and the server
 * discards the unfinished message (RFC 5321: nothing is delivered before the final "."), so a retry
 * sends it; one that dies after it leaves the row, and a retry sends nothing. Two attempts running at
 * once (a stalled job run twice) meet on the ledger's primary key: the loser aborts its message.
 */
export class OnceMailer {
  private readonly pool: SmtpPool;

  constructor(
    private readonly db: Pool,
    private readonly recipients: MailRecipients,
    private readonly options: { smtpUrl: string; from: string; maxConnections: number; messageIdDomain?: string },
  ) {
    this.pool = new SmtpPool({ url: options.smtpUrl, maxConnections: options.maxConnections });
  }

  /**
   * Sends `mail` once per `key`. The ledger row names the recipient by data subject and keeps the mail's
   * kind (the key's first part) and subject line; a recipient whose personal data was erased is sent
   * nothing (`rejected`, RECIPIENT_ERASED), even when the erasure comes while the message is on its way.
   */
  async send(key: string, mail: OutgoingMail): Promise<MailOutcome> {
    // An address read after its subject's erasure reads `[erased]`: there is no one to send it to.
    const subjectId = mail.to === ERASED ? undefined : (mail.subjectId ?? (await this.subjectOf(mail.to)));
    if (subjectId === undefined) return { status: 'rejected', reason: RECIPIENT_ERASED };
    const row = { subjectId, kind: key.split(':')[0], title: mail.subject };
    // A key already in the ledger is found when claiming it below: the message is then aborted before its final ".".
    const messageId = `<${randomUUID()}@${this.options.messageIdDomain ?? 'passerelle.local'}>`;
    const raw = await composeMail({ from: this.options.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, attachments: mail.attachments, messageId, headers: { 'X-Passerelle-Key': key, ...(mail.language ? { 'Content-Language': mail.language } : {}) } });
    const envelope = { from: addressOf(this.options.from), to: [mail.to] };

    let connection;
    try {
      connection = await this.pool.acquire();
    } catch (err) {
      throw new TransientMailError(`Cannot reach the mail server: ${(err as Error).message}`, key);
    }
    const body = new PassThrough();
    let finished = false;
    const result = new Promise<{ error: (Error & { responseCode?: number }) | null }>((resolve) => {
      connection.send(envelope, body, (error) => {
        finished = true;
        resolve({ error: error ?? null });
      });
    });
    // nodemailer pipes the message only once the server has answered DATA with 354: from then on, all
    // that is left before delivery is the final ".". The ledger is claimed only then.
    const inDataPhase = new Promise<boolean>((resolve) => {
      body.once('resume', () => resolve(true));
      void result.then(() => resolve(false));
    });
    body.write(raw);
    // On a refused envelope nodemailer also pipes the message (into a sink) and reports at once: `finished`.
    if (!(await inDataPhase) || finished) {
      // Refused before the message (MAIL FROM, RCPT TO, DATA) or no connection: nothing was sent.
      const { error } = await result;
      this.pool.release(connection, false);
      const code = error?.responseCode;
      if (code !== undefined && code >= 500) {
        await this.db.query(
          `INSERT INTO mail_ledger (key, message_id, subject_id, kind, title, status, detail) VALUES ($1, $2, $3, $4, $5, 'rejected', $6) ON CONFLICT (key) DO NOTHING`,
          [key, messageId, row.subjectId, row.kind, row.title, withoutAddresses(error!.message)],
        );
        return { status: 'rejected', reason: withoutAddresses(error!.message) };
      }
      throw new TransientMailError(error?.message ?? 'the mail server ended the session', key);
    }

    // Claim the key in a transaction and send its COMMIT in the same turn of the event loop as the final
    // ".": both are in the kernel's buffers before any I/O is awaited, so a crash leaves both or neither.
    const claim = await this.db.connect();
    let claimed = false;
    let dotSent = false;
    try {
      // One round trip: BEGIN, the subject's lock (shared) and the claim as one simple-protocol query, values
      // quoted by pg. An erasure marks the subject in `erased_subjects` and counts the e-mails sent under the
      // same lock, exclusive, after destroying the key: this claim is committed before it (and counted) or
      // starts after it and is refused by the mark, in the same statement.
      const lit = (value: string) => claim.escapeLiteral(value);
      const results = (await claim.query(
        `BEGIN; SELECT pg_advisory_xact_lock_shared(${SUBJECT_MAIL_LOCK.replace('$1', lit(row.subjectId))});
         INSERT INTO mail_ledger (key, message_id, subject_id, kind, title, status)
         SELECT ${lit(key)}, ${lit(messageId)}, ${lit(row.subjectId)}, ${lit(row.kind)}, ${lit(row.title)}, 'sent'
         WHERE NOT EXISTS (SELECT 1 FROM erased_subjects WHERE subject_id = ${lit(row.subjectId)})
         ON CONFLICT (key) DO NOTHING RETURNING key`,
      )) as unknown as { rowCount: number | null }[];
      claimed = results[2].rowCount === 1;
      if (claimed && !finished) {
        const committed = claim.query('COMMIT');
        body.end(); // the final "." goes out only now
        dotSent = true;
        await committed;
      } else {
        await claim.query('ROLLBACK');
      }
    } catch (err) {
      await claim.query('ROLLBACK').catch(() => undefined);
      if (!dotSent) body.destroy(new Error('ledger unavailable'));
      await result;
      this.pool.release(connection, false);
      throw err;
    } finally {
      claim.release();
    }
    if (!claimed) {
      body.destroy(new Error('already sent by another attempt, or the recipient erased'));
      await result;
      this.pool.release(connection, false);
      const row = await this.db.query<{ message_id: string }>('SELECT message_id FROM mail_ledger WHERE key = $1', [key]);
      // Not in the ledger and not claimed: the recipient's erasure refused the claim.
      if (row.rows.length === 0) return { status: 'rejected', reason: RECIPIENT_ERASED };
      return { status: 'already-sent', messageId: row.rows[0].message_id };
    }
    const { error } = await result;
    this.pool.release(connection, !error);
    // The row was written 'sent' with the final "."; only a failure after it changes it.
    if (!error) return { status: 'sent', messageId };
    const code = error.responseCode;
    if (code !== undefined && code >= 500) {
      await this.db.query("UPDATE mail_ledger SET status = 'rejected', detail = $2, updated_at = now() WHERE key = $1", [key, withoutAddresses(error.message)]);
      return { status: 'rejected', reason: withoutAddresses(error.message) };
    }
    if (code !== undefined || !dotSent) {
      // 4xx, or a failure before the message was complete: nothing was delivered; free the key for a retry.
      await this.db.query('DELETE FROM mail_ledger WHERE key = $1', [key]);
      throw new TransientMailError(error.message, key);
    }
    // The connection broke after the final ".": the server may have the message. Keep the key: never twice.
    await this.db.query("UPDATE mail_ledger SET status = 'uncertain', detail = $2, updated_at = now() WHERE key = $1", [key, withoutAddresses(error.message)]);
    return { status: 'already-sent', messageId };
  }

  /** The living subject of the address (made if there is none); undefined when that person was erased. */
  private async subjectOf(address: string): Promise<string | undefined> {
    const known = await this.recipients.findSubject(address);
    if (known?.erased) return undefined;
    return known?.subjectId ?? (await this.recipients.findOrCreateSubject(address));
  }

  close(): void {
    this.pool.close();
  }
}

function addressOf(from: string): string {
  const match = /<([^>]+)>/.exec(from);
  return (match ? match[1] : from).trim();
}
