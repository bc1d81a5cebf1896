import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ActivationTokens } from '@passerelle/accounts';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { MailTemplates, NOTIFICATION_MAIL_QUEUE, type NotificationMailJob, notificationLedgerKey, OnceMailer, withoutAddresses } from '@passerelle/mail';
import { institutionStream } from '@passerelle/partners';
import { AppConfig } from '@passerelle/platform';

const DECISION_TEMPLATES: Record<string, string> = {
  ProposalApproved: 'proposal-approved',
  ProposalRejected: 'proposal-rejected',
  ProposalChangesRequested: 'proposal-changes-requested',
};

/** Account activation and proposal decision e-mails to partner contacts, in the contact's language, once each. */
@Processor(NOTIFICATION_MAIL_QUEUE, { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class NotificationMailProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger('NotificationMail');

  constructor(
    private readonly store: PostgresEventStore,
    private readonly mailer: OnceMailer,
    private readonly templates: MailTemplates,
    private readonly tokens: ActivationTokens,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.MAIL_CONCURRENCY;
  }

  async process(job: Job<NotificationMailJob>): Promise<string> {
    const { kind, streamId, eventId, recipientUserId } = job.data;
    const events = await this.store.readStream(streamId);
    const event = events.find((e) => e.id === eventId);
    if (!event) return 'nothing to send';
    const base = this.config.APP_BASE_URL.replace(/\/$/, '');
    let template: string;
    let values: Record<string, string>;
    let institutionId: string;
    if (kind === 'account-activation') {
      template = 'account-activation';
      institutionId = event.data.institutionId;
      values = { institution: (events[0].data as { name: string }).name, activationUrl: `${base}/activate/${this.tokens.tokenFor(recipientUserId)}` };
    } else {
      template = DECISION_TEMPLATES[event.type];
      const drafted = events[0].data as { title: string; institutionId: string };
      institutionId = drafted.institutionId;
      const note = (event.data.comment ?? event.data.reason ?? '') as string;
      values = { proposalTitle: drafted.title, note, proposalUrl: `${base}/api/proposals/${event.data.proposalId}` };
    }
    const contact = await this.contact(institutionId, recipientUserId);
    if (!contact) return 'no such contact';
    const rendered = this.templates.render(template, contact.language, { fullName: contact.fullName, ...values });
    const outcome = await this.mailer.send(notificationLedgerKey(job.data), { to: contact.email, ...rendered });
    if (outcome.status === 'rejected') this.logger.warn(`${kind} for user ${recipientUserId} refused: ${withoutAddresses(outcome.reason)}`);
    return outcome.status;
  }

  /** The contact as the institution's own stream registered it (not a read model, which may lag). */
  private async contact(institutionId: string, userId: string): Promise<{ email: string; fullName: string; language: string } | null> {
    const events = await this.store.readStream(institutionStream(institutionId));
    for (const event of events) {
      const contact = event.data.contact as { userId: string; email: string; fullName: string; language: string } | undefined;
      if (contact?.userId === userId) return contact;
    }
    return null;
  }
}
