import { Injectable } from '@nestjs/common';
import { EventStorePool, type KeysetList, ListCursors, ReadModels } from '@passerelle/platform';
import { WORKSHOP_READ_MODEL, workshopTimeZone } from '@passerelle/workshops';
import { programmeOrder, type ProgrammeSession } from '../application/format-dates';
import type { InvitationStatus, Participant } from '../domain/invitation.events';
import { INVITATION_READ_MODEL } from './invitation-read-model.projection';

export interface InvitationView extends Participant {
  id: string;
  workshopId: string;
  status: InvitationStatus;
  issuedAt: string;
  emailedAt: string | null;
  respondedAt: string | null;
  remindedAt: string | null;
  bounceReason: string | null;
  attendedSessions: string[];
  version: number;
  /** Present when the participant was erased: their personal fields read `[erased]`. */
  personalDataErased?: true;
}

export interface RsvpView {
  invitationId: string;
  fullName: string;
  language: string;
  status: InvitationStatus;
  /** Present when the participant was erased: `fullName` reads `[erased]`. */
  personalDataErased?: true;
  workshop: {
    id: string;
    title: string;
    hostInstitution: string;
    city: string;
    startsOn: string;
    endsOn: string;
    status: string;
    /** The IANA zone the workshop happens in: its programme is shown in that zone's time. */
    timeZone: string;
    /** The programme so far, by start. */
    sessions: ProgrammeSession[];
  };
}

/** An invitation due for its reminder, and since which day. */
export interface DueReminder {
  invitationId: string;
  dueOn: string;
}

/**
 * The reminders due on $1 (today, a date) for workshops starting within $2 days: exported for the
 * reconcile bench, which plans this very statement.
 */
export const DUE_REMINDERS_SQL = `SELECT i.id, to_char(GREATEST(w.starts_on - $2::int, i.issued_at::date + 1), 'YYYY-MM-DD') AS due_on
  FROM invitations i JOIN workshops w ON w.id = i.workshop_id
  WHERE i.status IN ('issued', 'emailed') AND i.reminded_at IS NULL AND w.status = 'registration_open'
    AND w.starts_on <= $1::date + $2::int AND w.starts_on > $1::date
    AND i.issued_at < $1::date`;

/** One workshop's invitations, in the order they were issued. */
const INVITATIONS: KeysetList = { name: 'workshop-invitations', columns: [['issued_at', 'timestamp'], ['id', 'uuid']] };

@Injectable()
export class InvitationQueries {
  constructor(
    private readonly pool: EventStorePool,
    private readonly readModels: ReadModels,
    private readonly cursors: ListCursors,
  ) {}

  async list(workshopId: string, status: InvitationStatus | undefined, limit: number, cursor?: string) {
    const binding = { workshopId, status };
    const after = this.cursors.after(INVITATIONS, cursor, binding);
    const result = await this.pool.query(
      `SELECT * FROM invitations
       WHERE workshop_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (issued_at, id) > ($3::timestamptz, $4::uuid))
       ORDER BY issued_at, id LIMIT $5`,
      [workshopId, status ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return this.cursors.page(INVITATIONS, result.rows, limit, toView, binding);
  }

  /**
   * The e-mail with the link may reach its reader before the read models have the invitation (they are
   * updated by other runners): a link not found is looked up once more after they have caught up. If they
   * do not within the wait (no worker running), it stays not found.
   */
  private async foundOnceCaughtUp<T>(lookup: () => Promise<T | null>): Promise<T | null> {
    const found = await lookup();
    if (found) return found;
    return (await this.readModels.caughtUp([INVITATION_READ_MODEL, WORKSHOP_READ_MODEL])) ? lookup() : null;
  }

  idForTokenHash(tokenHash: string): Promise<{ invitationId: string; workshopId: string } | null> {
    return this.foundOnceCaughtUp(() => this.lookUpIdForTokenHash(tokenHash));
  }

  rsvp(tokenHash: string): Promise<RsvpView | null> {
    return this.foundOnceCaughtUp(() => this.lookUpRsvp(tokenHash));
  }

  private async lookUpIdForTokenHash(tokenHash: string): Promise<{ invitationId: string; workshopId: string } | null> {
    const result = await this.pool.query('SELECT id, workshop_id FROM invitations WHERE token_hash = $1', [tokenHash]);
    return result.rows[0] ? { invitationId: result.rows[0].id, workshopId: result.rows[0].workshop_id } : null;
  }

  private async lookUpRsvp(tokenHash: string): Promise<RsvpView | null> {
    const result = await this.pool.query(
      `SELECT i.id, i.full_name, i.language, i.status, i.personal_data_erased, w.id AS workshop_id, w.title, w.host_institution, w.city,
              to_char(w.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(w.ends_on, 'YYYY-MM-DD') AS ends_on, w.status AS workshop_status,
              w.country AS workshop_country, w.time_zone, w.sessions
       FROM invitations i JOIN workshops w ON w.id = i.workshop_id WHERE i.token_hash = $1`,
      [tokenHash],
    );
    const row = result.rows[0];
    if (!row) return null;
    return {
      invitationId: row.id,
      fullName: row.full_name,
      language: row.language,
      status: row.status,
      ...erasedMark(row),
      workshop: {
        id: row.workshop_id,
        title: row.title,
        hostInstitution: row.host_institution,
        city: row.city,
        startsOn: row.starts_on,
        endsOn: row.ends_on,
        status: row.workshop_status,
        timeZone: workshopTimeZone({ country: row.workshop_country, timeZone: row.time_zone }),
        sessions: programmeOrder(row.sessions ?? []),
      },
    };
  }

  /**
   * Invitations still unanswered, issued before `today`, whose workshop starts within `days` days of
   * `today` and has not started; with the day each became due (YYYY-MM-DD).
   */
  async dueForReminder(today: string, days: number): Promise<DueReminder[]> {
    const result = await this.pool.query(DUE_REMINDERS_SQL, [today, days]);
    return result.rows.map((row) => ({ invitationId: row.id, dueOn: row.due_on }));
  }
}

function toView(row: Record<string, any>): InvitationView {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    id: row.id,
    workshopId: row.workshop_id,
    fullName: row.full_name,
    email: row.email,
    country: row.country,
    organization: row.organization,
    position: row.position_title,
    language: row.language,
    status: row.status,
    issuedAt: row.issued_at.toISOString(),
    emailedAt: iso(row.emailed_at),
    respondedAt: iso(row.responded_at),
    remindedAt: iso(row.reminded_at),
    bounceReason: row.bounce_reason,
    attendedSessions: row.attended_sessions,
    version: row.version,
    ...erasedMark(row),
  };
}

/** `personalDataErased: true` for a row whose participant was erased; nothing otherwise. */
function erasedMark(row: Record<string, any>): { personalDataErased?: true } {
  return row.personal_data_erased ? { personalDataErased: true } : {};
}
