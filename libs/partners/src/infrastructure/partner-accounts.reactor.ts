import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import { NOTIFICATION_MAIL_QUEUE, type NotificationMailJob, notificationJobId } from '@passerelle/mail';
import { ACTIVATION_VALID_HOURS, ActivationTokens, AppConfig, eventJobOptions, EventStorePool } from '@passerelle/platform';
import { insertPartnerAccount } from '../application/change-institution';
import type { InstitutionContact } from '../domain/partner-institution.events';

export const PARTNER_ACCOUNTS_REACTOR = 'partner-accounts-reactor';

/**
 * For each contact registered on an institution: the partner account (without a password: the command
 * inserted it already, with the event; this insert covers events recorded before it did) and its
 * activation token (hash and expiry), then the activation e-mail job. The account and token are
 * committed before the job is added, not in the checkpoint's transaction: the worker may take the job
 * at once, and a job that finds no account sends nothing (and, its id being fixed, is never added
 * again). Both inserts do nothing when repeated, so handling a batch again is harmless.
 */
@Injectable()
export class PartnerAccountsReactor implements EventConsumer {
  readonly name = PARTNER_ACCOUNTS_REACTOR;
  readonly categories = ['institution'];

  constructor(
    @InjectQueue(NOTIFICATION_MAIL_QUEUE) private readonly queue: Queue<NotificationMailJob>,
    private readonly tokens: ActivationTokens,
    private readonly config: AppConfig,
    private readonly pool: EventStorePool,
  ) {}

  filter(event: StoredEvent): boolean {
    return event.type === 'InstitutionRegistered' || event.type === 'InstitutionContactAdded';
  }

  async handle(events: StoredEvent[]): Promise<void> {
    const jobs = [];
    for (const event of events) {
      const contact = event.data.contact as InstitutionContact;
      await insertPartnerAccount(this.pool, contact, event.data.institutionId as string);
      await this.pool.query(
        `INSERT INTO activation_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3::timestamptz + interval '${ACTIVATION_VALID_HOURS} hours')
         ON CONFLICT DO NOTHING`,
        [ActivationTokens.hash(this.tokens.tokenFor(contact.userId)), contact.userId, event.recordedAt],
      );
      const data: NotificationMailJob = {
        kind: 'account-activation',
        streamId: event.streamId,
        eventId: event.id,
        recipientUserId: contact.userId,
        correlationId: event.metadata.correlationId,
      };
      jobs.push({ name: data.kind, data, opts: eventJobOptions(this.config, notificationJobId(data)) });
    }
    await this.queue.addBulk(jobs);
  }
}
