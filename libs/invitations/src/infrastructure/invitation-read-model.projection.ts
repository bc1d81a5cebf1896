import { Injectable } from '@nestjs/common';
import { ERASED, type StoredEvent } from '@passerelle/event-store-core';
import { type ConsumerTransaction, type StoredEventOf, TypedConsumer } from '@passerelle/event-store-postgres';
import { AppConfig } from '@passerelle/platform';
import type { SubjectEvent } from '@passerelle/privacy';
import type { InvitationEvent } from '../domain/invitation.events';

export const INVITATION_READ_MODEL = 'invitation-read-model';

type Issued = StoredEventOf<InvitationEvent, 'InvitationIssued'>;
type Emailed = StoredEventOf<InvitationEvent, 'InvitationEmailed'>;

/**
 * One row per invitation: who, where it stands, when it was e-mailed and answered. The participant's
 * subject id is kept with it: their erasure (`PersonalDataErased`, on their subject stream) strikes out
 * their name, address, organisation, position and bounce reason, and leaves the rest (country, status,
 * dates) as it was, so that every count stays the same. Rebuilt after an erasure, the row is the same:
 * the participant's events then read `[erased]` and say so (`personalDataErased`).
 */
@Injectable()
export class InvitationReadModelProjection extends TypedConsumer<InvitationEvent | SubjectEvent> {
  constructor(config: AppConfig) {
    super({
      name: INVITATION_READ_MODEL,
      categories: ['invitation', 'subject'],
      batchSize: 1000,
      handlers: {
        InvitationIssued: async (event, tx) => {
          const d = event.data;
          await tx.query(
            `INSERT INTO invitations (id, workshop_id, full_name, email, country, organization, position_title, language, token_hash, status, issued_at, version, subject_id, personal_data_erased)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'issued', $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING`,
            [d.invitationId, d.workshopId, d.fullName, d.email, d.country, d.organization, d.position, d.language, d.tokenHash, d.issuedAt, event.version, subjectOf(event), erased(event)],
          );
        },
        InvitationEmailed: (event, tx) =>
          update(tx, event, "emailed_at = $3, status = CASE WHEN status = 'issued' THEN 'emailed' ELSE status END", [event.data.emailedAt]),
        InvitationBounced: (event, tx) => update(tx, event, "status = 'bounced', bounce_reason = $3", [event.data.reason]),
        InvitationAccepted: (event, tx) => update(tx, event, "status = 'accepted', responded_at = $3", [event.data.respondedAt]),
        InvitationDeclined: (event, tx) => update(tx, event, "status = 'declined', responded_at = $3", [event.data.respondedAt]),
        InvitationReminded: (event, tx) => update(tx, event, 'reminded_at = $3', [event.data.remindedAt]),
        InvitationAttended: (event, tx) => update(tx, event, 'attended_sessions = attended_sessions || $3::jsonb', [JSON.stringify([event.data.sessionId])]),
        PersonalDataErased: async (event, tx) => {
          await tx.query(
            `UPDATE invitations SET full_name = $2, email = $2, organization = $2,
               position_title = CASE WHEN position_title IS NULL THEN NULL ELSE $2 END,
               bounce_reason = CASE WHEN bounce_reason IS NULL THEN NULL ELSE $2 END,
               personal_data_erased = true
             WHERE subject_id = $1`,
            [event.data.subjectId, ERASED],
          );
        },
      },
      // A bulk invitation is a run of InvitationIssued, the worker sending them a run of InvitationEmailed:
      // one statement per run (INVITATION_PROJECTION_BATCH_RUNS, on unless turned off).
      runHandlers: config.INVITATION_PROJECTION_BATCH_RUNS ? { InvitationIssued: insertIssued, InvitationEmailed: updateEmailed } : undefined,
      reset: async (tx) => {
        await tx.query('TRUNCATE invitations');
      },
    });
  }
}

/** The participant an invitation names (its events name no one else); null for events written in clear. */
function subjectOf(event: Issued): string | null {
  return event.subjectIds?.[0] ?? null;
}

/** Whether the participant was erased before this event was read (a rebuild): it reads `[erased]`. */
function erased(event: StoredEvent): boolean {
  return event.personalDataErased === true;
}

async function update(tx: ConsumerTransaction, event: StoredEvent<InvitationEvent>, set: string, values: unknown[]): Promise<void> {
  await tx.query(`UPDATE invitations SET ${set}, version = $2 WHERE id = $1`, [event.data.invitationId, event.version, ...values]);
}

/** A run of InvitationIssued in one statement. */
async function insertIssued(events: Issued[], tx: ConsumerTransaction): Promise<void> {
  const column = <T>(pick: (d: Issued['data']) => T) => events.map((e) => pick(e.data));
  await tx.query(
    `INSERT INTO invitations (id, workshop_id, full_name, email, country, organization, position_title, language, token_hash, status, issued_at, version, subject_id, personal_data_erased)
     SELECT id, workshop_id, full_name, email, country, organization, position_title, language, token_hash, 'issued', issued_at, version, subject_id, personal_data_erased
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::int[], $12::uuid[], $13::boolean[])
       AS n(id, workshop_id, full_name, email, country, organization, position_title, language, token_hash, issued_at, version, subject_id, personal_data_erased)
     ON CONFLICT (id) DO NOTHING`,
    [
      column((d) => d.invitationId),
      column((d) => d.workshopId),
      column((d) => d.fullName),
      column((d) => d.email),
      column((d) => d.country),
      column((d) => d.organization),
      column((d) => d.position),
      column((d) => d.language),
      column((d) => d.tokenHash),
      column((d) => d.issuedAt),
      events.map((e) => e.version),
      events.map(subjectOf),
      events.map(erased),
    ],
  );
}

/**
 * A run of InvitationEmailed in one statement per part: an UPDATE ... FROM applies one source row per
 * target row, so a second e-mail of the same invitation starts a new part, applied after the first.
 */
async function updateEmailed(events: Emailed[], tx: ConsumerTransaction): Promise<void> {
  let part: Emailed[] = [];
  const ids = new Set<string>();
  for (const event of events) {
    if (ids.has(event.data.invitationId)) {
      await updateEmailedPart(part, tx);
      part = [];
      ids.clear();
    }
    part.push(event);
    ids.add(event.data.invitationId);
  }
  await updateEmailedPart(part, tx);
}

async function updateEmailedPart(events: Emailed[], tx: ConsumerTransaction): Promise<void> {
  await tx.query(
    `UPDATE invitations i SET emailed_at = n.emailed_at, status = CASE WHEN i.status = 'issued' THEN 'emailed' ELSE i.status END, version = n.version
     FROM unnest($1::uuid[], $2::timestamptz[], $3::int[]) AS n(id, emailed_at, version)
     WHERE i.id = n.id`,
    [events.map((e) => e.data.invitationId), events.map((e) => e.data.emailedAt), events.map((e) => e.version)],
  );
}
