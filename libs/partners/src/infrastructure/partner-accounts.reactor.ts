import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ActivationTokens, PartnerAccounts } from '@passerelle/accounts';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import { NOTIFICATION_MAIL_QUEUE, type NotificationMailJob, notificationJobId } from '@passerelle/mail';
import { AppConfig, eventJobOptions } from '@passerelle/platform';
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
    private readonly accounts: PartnerAccounts,
  ) {}

  filter(event: StoredEvent): boolean {
    return event.type === 'InstitutionRegistered' || event.type === 'InstitutionContactAdded';
  }

  async handle(events: StoredEvent[]): Promise<void> {
    const jobs = [];
    for (const event of events) {
      const contact = event.data.contact as InstitutionContact;
      const { userId, email, fullName } = contact;
      await this.accounts.claim({ userId, email, fullName, institutionId: event.data.institutionId as string });
      await this.tokens.issue(userId, event.recordedAt);
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
