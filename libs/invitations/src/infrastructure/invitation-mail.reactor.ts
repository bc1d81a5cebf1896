import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { type StoredEventOf, TypedConsumer } from '@passerelle/event-store-postgres';
import { AppConfig } from '@passerelle/platform';
import type { InvitationEvent } from '../domain/invitation.events';
import { INVITATION_MAIL_QUEUE, type InvitationMailJob, invitationMailJob } from './invitation-mail.queue';

export const INVITATION_MAIL_REACTOR = 'invitation-mail-reactor';

/**
 * Turns each InvitationIssued into a mail job whose id is derived from the event's id, so a replay of
 * the store enqueues nothing twice while the job is kept (30 days), and the mail ledger stops a second
 * send after that. The checkpoint moves only after the jobs are in Redis.
 */
@Injectable()
export class InvitationMailReactor extends TypedConsumer<InvitationEvent> {
  constructor(@InjectQueue(INVITATION_MAIL_QUEUE) queue: Queue<InvitationMailJob>, config: AppConfig) {
    const enqueue = async (events: StoredEventOf<InvitationEvent, 'InvitationIssued'>[]) => {
      await queue.addBulk(
        events.map((event) => invitationMailJob(config, { invitationId: event.data.invitationId, eventId: event.id, correlationId: event.metadata.correlationId })),
      );
    };
    super({
      name: INVITATION_MAIL_REACTOR,
      categories: ['invitation'],
      batchSize: 500,
      handlers: {
        InvitationIssued: (event) => enqueue([event]),
        // The mail is sent once, at issue; reminders are queued by the reminder scheduler.
        InvitationEmailed: null,
        InvitationBounced: null,
        InvitationAccepted: null,
        InvitationDeclined: null,
        InvitationReminded: null,
        InvitationAttended: null,
      },
      // A bulk invitation's mails go to Redis in one round trip.
      runHandlers: { InvitationIssued: enqueue },
    });
  }
}
