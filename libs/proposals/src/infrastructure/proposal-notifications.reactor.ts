import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { PoolClient } from 'pg';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import { NOTIFICATION_MAIL_QUEUE, type NotificationMailJob, notificationJobId } from '@passerelle/mail';
import { AppConfig, eventJobOptions } from '@passerelle/platform';
import { ProposalRecipients } from '../application/proposal-recipients';

export const PROPOSAL_NOTIFICATIONS_REACTOR = 'proposal-notifications-reactor';
const DECISIONS = new Set(['ProposalApproved', 'ProposalRejected', 'ProposalChangesRequested']);

/** When a proposal is approved, rejected or sent back, one e-mail job per contact of its institution. */
@Injectable()
export class ProposalNotificationsReactor implements EventConsumer {
  readonly name = PROPOSAL_NOTIFICATIONS_REACTOR;
  readonly categories = ['proposal'];

  constructor(
    @InjectQueue(NOTIFICATION_MAIL_QUEUE) private readonly queue: Queue<NotificationMailJob>,
    private readonly config: AppConfig,
    private readonly recipients: ProposalRecipients,
  ) {}

  filter(event: StoredEvent): boolean {
    return DECISIONS.has(event.type);
  }

  async handle(events: StoredEvent[], tx: PoolClient): Promise<void> {
    const jobs = [];
    for (const event of events) {
      for (const recipientUserId of await this.recipients.of(event.streamId, tx)) {
        const data: NotificationMailJob = {
          kind: 'proposal-decision',
          streamId: event.streamId,
          eventId: event.id,
          recipientUserId,
          correlationId: event.metadata.correlationId,
        };
        jobs.push({
          name: data.kind,
          data,
          opts: eventJobOptions(this.config, notificationJobId(data)),
        });
      }
    }
    if (jobs.length) await this.queue.addBulk(jobs);
  }
}
