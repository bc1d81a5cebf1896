import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import { AppConfig, eventJobOptions } from '@passerelle/platform';
import { INVITATION_MAIL_QUEUE, type InvitationMailJob, invitationJobId } from './invitation-mail.queue';

export const INVITATION_MAIL_REACTOR = 'invitation-mail-reactor';

/**
 * Turns each InvitationIssued into a mail job whose id is derived from the event's id, so a replay of
 * the store enqueues nothing twice while the job is kept (30 days), and the mail ledger stops a second
 * send after that. The checkpoint moves only after the jobs are in Redis.
 */
@Injectable()
export class InvitationMailReactor implements EventConsumer {
  readonly name = INVITATION_MAIL_REACTOR;
  readonly categories = ['invitation'];
  readonly batchSize = 500;

  constructor(
    @InjectQueue(INVITATION_MAIL_QUEUE) private readonly queue: Queue<InvitationMailJob>,
    private readonly config: AppConfig,
  ) {}

  filter(event: StoredEvent): boolean {
    return event.type === 'InvitationIssued';
  }

  async handle(events: StoredEvent[]): Promise<void> {
    await this.queue.addBulk(
      events.map((event) => ({
        name: 'invitation',
        data: { invitationId: event.data.invitationId, eventId: event.id, correlationId: event.metadata.correlationId },
        opts: eventJobOptions(this.config, invitationJobId(event.id)),
      })),
    );
  }
}
