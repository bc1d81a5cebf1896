import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ActivationTokens, PartnerAccounts } from '@passerelle/accounts';
import type { StoredEvent } from '@passerelle/event-store-core';
import { TypedConsumer } from '@passerelle/event-store-postgres';
import { NOTIFICATION_MAIL_QUEUE, type NotificationMailJob, notificationMailJob } from '@passerelle/mail';
import { AppConfig } from '@passerelle/platform';
import type { PartnerInstitutionEvent } from '../domain/partner-institution.events';

export const PARTNER_ACCOUNTS_REACTOR = 'partner-accounts-reactor';

/**
 * For each contact registered on an institution: the partner account (without a password: the command
 * inserted it already, with the event; this insert covers events recorded before it did) and its
 * activation token (hash and expiry), then the activation e-mail job. The account and token are
 * committed before the job is added, not in the checkpoint's transaction: the worker may take the job
 * at once, and a job that finds no account sends nothing (and, its id being fixed, is never added
 * again). Both inserts do nothing when repeated, so handling an event again is harmless.
 */
@Injectable()
export class PartnerAccountsReactor extends TypedConsumer<PartnerInstitutionEvent> {
  constructor(
    @InjectQueue(NOTIFICATION_MAIL_QUEUE) queue: Queue<NotificationMailJob>,
    tokens: ActivationTokens,
    config: AppConfig,
    accounts: PartnerAccounts,
  ) {
    const activate = async (event: StoredEvent<PartnerInstitutionEvent>) => {
      const { contact, institutionId } = event.data;
      const { userId, email, fullName } = contact;
      await accounts.claim({ userId, email, fullName, institutionId });
      await tokens.issue(userId, event.recordedAt);
      const job = notificationMailJob(config, {
        kind: 'account-activation',
        streamId: event.streamId,
        eventId: event.id,
        recipientUserId: contact.userId,
        correlationId: event.metadata.correlationId,
      });
      await queue.add(job.name, job.data, job.opts);
    };
    super({
      name: PARTNER_ACCOUNTS_REACTOR,
      categories: ['institution'],
      handlers: { InstitutionRegistered: activate, InstitutionContactAdded: activate },
    });
  }
}
