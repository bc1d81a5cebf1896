import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import type { InvitationEvent } from '../domain/invitation.events';

export const INVITATION_READ_MODEL = 'invitation-read-model';

type Issued = StoredEvent & Extract<InvitationEvent, { type: 'InvitationIssued' }>;
type Emailed = StoredEvent & Extract<InvitationEvent, { type: 'InvitationEmailed' }>;

/** One row per invitation: who, where it stands, when it was e-mailed and answered. */
@Injectable()
export class InvitationReadModelProjection implements EventConsumer {
  readonly name = INVITATION_READ_MODEL;
  readonly categories = ['invitation'];
  readonly batchSize = 1000;

  filter(event: StoredEvent): boolean {
    return event.category === 'invitation';
  }

  async handle(events: StoredEvent[], tx: PoolClient): Promise<void> {
    // Runs of InvitationIssued (a bulk invitation) and of InvitationEmailed (the worker sending them) go
    // in as one statement each; everything else one by one, in order.
    let issued: Issued[] = [];
    let emailed: Emailed[] = [];
    const emailedIds = new Set<string>();
    const flush = async () => {
      if (issued.length) await this.insertIssued(issued, tx);
      if (emailed.length) await this.updateEmailed(emailed, tx);
      issued = [];
      emailed = [];
      emailedIds.clear();
    };
    for (const event of events as (StoredEvent & InvitationEvent)[]) {
      if (event.type === 'InvitationIssued' && !emailed.length) {
        issued.push(event);
      } else if (event.type === 'InvitationEmailed' && !issued.length && !emailedIds.has(event.data.invitationId)) {
        emailed.push(event);
        emailedIds.add(event.data.invitationId);
      } else {
        await flush();
        if (event.type === 'InvitationIssued') issued.push(event);
        else if (event.type === 'InvitationEmailed') {
          emailed.push(event);
          emailedIds.add(event.data.invitationId);
        } else await this.apply(event, tx);
      }
    }
    await flush();
  }

  private async updateEmailed(events: Emailed[], tx: PoolClient): Promise<void> {
    await tx.query(
      `UPDATE invitations i SET emailed_at = n.emailed_at, status = CASE WHEN i.status = 'issued' THEN 'emailed' ELSE i.status END, version = n.version
       FROM unnest($1::uuid[], $2::timestamptz[], $3::int[]) AS n(id, emailed_at, version)
       WHERE i.id = n.id`,
      [events.map((e) => e.data.invitationId), events.map((e) => e.data.emailedAt), events.map((e) => e.version)],
    );
  }

  private async insertIssued(events: Issued[], tx: PoolClient): Promise<void> {
    const column = <T>(pick: (d: (typeof events)[number]['data']) => T) => events.map((e) => pick(e.data));
    await tx.query(
      `INSERT INTO invitations (id, workshop_id, full_name, email, country, organization, position_title, language, token_hash, status, issued_at, version)
       SELECT id, workshop_id, full_name, email, country, organization, position_title, language, token_hash, 'issued', issued_at, version
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::int[])
         AS n(id, workshop_id, full_name, email, country, organization, position_title, language, token_hash, issued_at, version)
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
      ],
    );
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE invitations');
  }

  private async apply(event: StoredEvent & InvitationEvent, tx: PoolClient): Promise<void> {
    const id = event.data.invitationId;
    switch (event.type) {
      case 'InvitationIssued': {
        const d = event.data;
        await tx.query(
          `INSERT INTO invitations (id, workshop_id, full_name, email, country, organization, position_title, language, token_hash, status, issued_at, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'issued', $10, $11) ON CONFLICT (id) DO NOTHING`,
          [id, d.workshopId, d.fullName, d.email, d.country, d.organization, d.position, d.language, d.tokenHash, d.issuedAt, event.version],
        );
        return;
      }
      case 'InvitationEmailed':
        return this.update(tx, id, event.version, "emailed_at = $3, status = CASE WHEN status = 'issued' THEN 'emailed' ELSE status END", [event.data.emailedAt]);
      case 'InvitationBounced':
        return this.update(tx, id, event.version, "status = 'bounced', bounce_reason = $3", [event.data.reason]);
      case 'InvitationAccepted':
        return this.update(tx, id, event.version, "status = 'accepted', responded_at = $3", [event.data.respondedAt]);
      case 'InvitationDeclined':
        return this.update(tx, id, event.version, "status = 'declined', responded_at = $3", [event.data.respondedAt]);
      case 'InvitationReminded':
        return this.update(tx, id, event.version, 'reminded_at = $3', [event.data.remindedAt]);
      case 'InvitationAttended':
        return this.update(tx, id, event.version, 'attended_sessions = attended_sessions || $3::jsonb', [JSON.stringify([event.data.sessionId])]);
    }
  }

  private async update(tx: PoolClient, id: string, version: number, set: string, values: unknown[]): Promise<void> {
    await tx.query(`UPDATE invitations SET ${set}, version = $2 WHERE id = $1`, [id, version, ...values]);
  }
}
