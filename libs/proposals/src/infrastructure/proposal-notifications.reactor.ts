import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { StoredEvent } from '@passerelle/event-store-core';
import { type ConsumerTransaction, TypedConsumer } from '@passerelle/event-store-postgres';
import { NOTIFICATION_MAIL_QUEUE, type NotificationMailJob, notificationMailJob } from '@passerelle/mail';
import { AppConfig } from '@passerelle/platform';
import { ProposalRecipients } from '../application/proposal-recipients';
import type { ProposalEvent } from '../domain/proposal.events';

export const PROPOSAL_NOTIFICATIONS_REACTOR = 'proposal-notifications-reactor';

/** When a proposal is approved, rejected or sent back, one e-mail job per contact of its institution. */
@Injectable()
export class ProposalNotificationsReactor extends TypedConsumer<ProposalEvent> {
  constructor(@InjectQueue(NOTIFICATION_MAIL_QUEUE) queue: Queue<NotificationMailJob>, config: AppConfig, recipients: ProposalRecipients) {
    const notify = async (event: StoredEvent<ProposalEvent>, tx: ConsumerTransaction) => {
      const jobs = [];
      // The accounts of the proposal's institution (created by the partner-accounts reactor at registration).
      for (const recipientUserId of await recipients.of(event.streamId, tx)) {
        jobs.push(
          notificationMailJob(config, {
            kind: 'proposal-decision',
            streamId: event.streamId,
            eventId: event.id,
            recipientUserId,
            correlationId: event.metadata.correlationId,
          }),
        );
      }
      if (jobs.length) await queue.addBulk(jobs);
    };
    super({
      name: PROPOSAL_NOTIFICATIONS_REACTOR,
      categories: ['proposal'],
      handlers: {
        ProposalApproved: notify,
        ProposalRejected: notify,
        ProposalChangesRequested: notify,
        // The partner hears of decisions only, not of the steps on the way.
        ProposalDrafted: null,
        ProposalEdited: null,
        ProposalSubmitted: null,
        ConflictOfInterestDeclared: null,
        ProposalResubmitted: null,
        ProposalWithdrawn: null,
        ProposalReviewed: null,
        ProposalApprovalRecorded: null,
      },
    });
  }
}
