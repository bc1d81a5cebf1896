import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DomainError } from '@passerelle/event-store-core';
import { AppConfig, Clock, EventStorePool, PROCESS_LOGGER } from '@passerelle/platform';
import { invitationStream } from '@passerelle/invitations';
import { SubjectErasure, subjectStream } from '@passerelle/privacy';
import { workshopStream } from '@passerelle/workshops';

/** One pass at a time across every worker process of a database: a session advisory lock, tried, never waited for. */
const RETENTION_LOCK = "hashtext('passerelle.personal-data-retention')";

/** Subjects read per query: a pass erases them, then reads the next ones. */
const BATCH = 100;

/**
 * Data subjects not erased yet who were invited to a workshop and are named by nothing but workshops
 * (an invitation's stream, or the workshop's own, which lists whom it invited), each of which concluded
 * before $3; with their latest such workshop and its conclusion, for the reason. A person also named
 * elsewhere (a partner contact, a ministry contact, a staff member), or invited to a workshop not
 * concluded or not past retention, is not. $1 and $2 are the workshop and subject stream prefixes, $4
 * the invitation stream prefix, $5 the subjects to leave out (read already in this pass).
 */
export const DUE_FOR_RETENTION_SQL = `WITH named AS (
    SELECT ss.subject_id, ss.stream_id LIKE $4 || '%' AS invited,
      CASE WHEN ss.stream_id LIKE $1 || '%' THEN substr(ss.stream_id, length($1) + 1) ELSE i.data->>'workshopId' END AS workshop_id
    FROM subject_streams ss
    LEFT JOIN events i ON i.stream_id = ss.stream_id AND i.type = 'InvitationIssued' AND ss.stream_id LIKE $4 || '%'
    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = $2 || ss.subject_id AND e.type = 'PersonalDataErased')
      AND ss.subject_id <> ALL($5::uuid[])),
  concluded AS (
    SELECT n.subject_id, n.invited, n.workshop_id, c.recorded_at AS concluded_at
    FROM named n LEFT JOIN events c ON c.stream_id = $1 || n.workshop_id AND c.type = 'WorkshopConcluded')
  SELECT subject_id, (array_agg(workshop_id ORDER BY concluded_at DESC))[1] AS workshop_id, max(concluded_at) AS concluded_at
  FROM concluded
  GROUP BY subject_id
  HAVING bool_or(invited) AND bool_and(concluded_at IS NOT NULL AND concluded_at < $3)
  ORDER BY max(concluded_at), subject_id
  LIMIT ${BATCH}`;

export interface RetentionPass {
  /** False when retention is off or another process held the lock: this pass did nothing. */
  ran: boolean;
  /** Subject ids erased now. */
  erased: string[];
  /** Subject ids whose erasure failed (tried again at the next pass). */
  failed: string[];
}

/**
 * PERSONAL_DATA_RETENTION_DAYS: erases the participants of every workshop that concluded more than that
 * many days ago, each once (a subject already erased is skipped), with basis `retention`, no actor, and a
 * reason that names the workshop, its conclusion and the setting. A participant invited to several
 * workshops is erased once the last of them has passed retention; a person the system also knows
 * otherwise (partner contact, ministry contact, staff member) is never erased by retention, only on
 * request: their other roles have a life of their own. The reports they are in are rendered again
 * without them, as after any erasure.
 */
@Injectable()
export class PersonalDataRetention {
  private readonly logger: Logger;

  constructor(
    private readonly pool: EventStorePool,
    private readonly erasure: SubjectErasure,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(PROCESS_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: 'PersonalDataRetention' });
  }

  async pass(): Promise<RetentionPass> {
    const days = this.config.PERSONAL_DATA_RETENTION_DAYS;
    if (days === undefined) return { ran: false, erased: [], failed: [] };
    const client = await this.pool.connect();
    let lockError: Error | undefined;
    try {
      const locked = (await client.query(`SELECT pg_try_advisory_lock(${RETENTION_LOCK}) AS locked`)).rows[0].locked as boolean;
      if (!locked) return { ran: false, erased: [], failed: [] };
      try {
        return { ran: true, ...(await this.eraseDue(days)) };
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${RETENTION_LOCK})`).catch((err: Error) => {
          lockError = err;
        });
      }
    } finally {
      // A connection that may still hold the lock is closed rather than returned to the pool.
      client.release(lockError);
    }
  }

  private async eraseDue(days: number): Promise<Omit<RetentionPass, 'ran'>> {
    const now = this.clock.now();
    const cutoff = new Date(now - days * 86_400_000);
    const erased: string[] = [];
    const failed: string[] = [];
    // Read once each in a pass, whatever became of them: a pass always ends.
    const seen: string[] = [];
    for (;;) {
      const { rows } = await this.pool.query(DUE_FOR_RETENTION_SQL, [workshopStream(''), subjectStream(''), cutoff, invitationStream(''), seen]);
      if (rows.length === 0) break;
      for (const row of rows) {
        seen.push(row.subject_id);
        const concluded = (row.concluded_at as Date).toISOString().slice(0, 10);
        const reason = `retention: workshop ${row.workshop_id} concluded ${concluded}, PERSONAL_DATA_RETENTION_DAYS=${days}`;
        try {
          await this.erasure.erase(row.subject_id, { reason, basis: 'retention', actor: null, now: this.clock.now() });
          erased.push(row.subject_id);
        } catch (err) {
          // Erased meanwhile (on request, by another process): nothing left to do for them.
          if (err instanceof DomainError && err.code === 'already_erased') continue;
          failed.push(row.subject_id);
          this.logger.warn({ subjectId: row.subject_id, reason: (err as Error).message }, `Retention could not erase subject ${row.subject_id}: ${(err as Error).message}`);
        }
      }
    }
    if (erased.length > 0) this.logger.info({ erased: erased.length, days }, `Retention erased ${erased.length} participants (PERSONAL_DATA_RETENTION_DAYS=${days})`);
    return { erased, failed };
  }
}
