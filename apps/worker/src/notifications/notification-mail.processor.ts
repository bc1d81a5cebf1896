import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PostgresEventStore } from '@passerelle/event-store';
import { MailTemplates, NOTIFICATION_MAIL_QUEUE, type NotificationMailJob, OnceMailer } from '@passerelle/mail';
import { ActivationTokens, AppConfig, EventStorePool } from '@passerelle/platform';

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
    private readonly pool: EventStorePool,
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
    const recipient = await this.recipient(recipientUserId);
    if (!event || !recipient) return 'nothing to send';
    const base = this.config.APP_BASE_URL.replace(/\/$/, '');
    let template: string;
    let values: Record<string, string>;
    if (kind === 'account-activation') {
      template = 'account-activation';
      const institution = events[0].data as { name: string };
      values = { fullName: recipient.fullName, institution: institution.name, activationUrl: `${base}/activate/${this.tokens.tokenFor(recipientUserId)}` };
    } else {
      template = DECISION_TEMPLATES[event.type];
      const drafted = events[0].data as { title: string };
      const note = (event.data.comment ?? event.data.reason ?? '') as string;
      values = { fullName: recipient.fullName, proposalTitle: drafted.title, note, proposalUrl: `${base}/api/proposals/${event.data.proposalId}` };
    }
    const rendered = this.templates.render(template, recipient.language, values);
    const outcome = await this.mailer.send(`${kind}:${eventId}:${recipientUserId}`, { to: recipient.email, ...rendered });
    if (outcome.status === 'rejected') this.logger.warn(`${kind} to ${recipient.email} refused: ${outcome.reason}`);
    return outcome.status;
  }

  /** A partner account and the language its institution registered for it. */
  private async recipient(userId: string): Promise<{ email: string; fullName: string; language: string } | null> {
    const result = await this.pool.query(
      `SELECT u.email, u.full_name, coalesce(c->>'language', 'en') AS language
       FROM users u LEFT JOIN partner_institutions i ON i.id = u.institution_id
       LEFT JOIN LATERAL jsonb_array_elements(i.contacts) c ON c->>'userId' = u.id::text
       WHERE u.id = $1 LIMIT 1`,
      [userId],
    );
    const row = result.rows[0];
    return row ? { email: row.email, fullName: row.full_name, language: row.language } : null;
  }
}
