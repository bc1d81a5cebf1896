import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { PoolClient } from 'pg';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import { NOTIFICATION_MAIL_QUEUE, type NotificationMailJob, notificationJobId } from '@passerelle/mail';
import { AppConfig, eventJobOptions } from '@passerelle/platform';

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
  ) {}

  filter(event: StoredEvent): boolean {
    return DECISIONS.has(event.type);
  }

  async handle(events: StoredEvent[], tx: PoolClient): Promise<void> {
    const jobs = [];
    for (const event of events) {
      // The accounts of the proposal's institution (created by the partner-accounts reactor at registration).
      const contacts = await tx.query(
        `SELECT u.id FROM users u WHERE u.role = 'partner' AND u.institution_id =
           (SELECT (data->>'institutionId')::uuid FROM events WHERE stream_id = $1 AND version = 1)`,
        [event.streamId],
      );
      for (const contact of contacts.rows) {
        const data: NotificationMailJob = {
          kind: 'proposal-decision',
          streamId: event.streamId,
          eventId: event.id,
          recipientUserId: contact.id,
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
