import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ERASED, handleCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { MailTemplates, OnceMailer, RECIPIENT_ERASED, withoutAddresses } from '@passerelle/mail';
import { AppConfig } from '@passerelle/platform';
import { INVITATION_MAIL_QUEUE, invitationDecider, InvitationLetters, type InvitationMailJob, invitationStream } from '@passerelle/invitations';

/**
 * Sends one invitation e-mail per job and records the outcome as a command. Thin: the job carries ids;
 * the ledger in OnceMailer makes a second run of the same job send nothing. (Reminders go through the
 * reminder engine, with the same letter: InvitationLetters.)
 */
// A job's lock lapses 10 s after its worker dies; the stalled check every 5 s then hands it to another.
@Processor(INVITATION_MAIL_QUEUE, { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class InvitationMailProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger('InvitationMail');

  constructor(
    private readonly store: PostgresEventStore,
    private readonly mailer: OnceMailer,
    private readonly templates: MailTemplates,
    private readonly letters: InvitationLetters,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.MAIL_CONCURRENCY;
  }

  async process(job: Job<InvitationMailJob>): Promise<string> {
    const { invitationId } = job.data;
    const { state, events, issued, subjectId } = await this.letters.load(invitationId);
    if (!issued || state.status === 'none') return 'no such invitation';
    if (state.status === 'bounced') return 'bounced before';
    // The participant was erased after the invitation was queued: no one to write to, nothing to record.
    if (issued.email === ERASED) return 'personal data erased';

    const letter = await this.letters.mail('invitation', invitationId, issued);
    const rendered = this.templates.render(letter.template, letter.language, letter.values);
    // The participant's subject is the one their invitation's sealed address names: no look-up by address.
    const outcome = await this.mailer.send(`invitation:${invitationId}`, { to: issued.email, subjectId, ...rendered, attachments: letter.attachments });
    const metadata = { actor: 'worker', correlationId: job.data.correlationId, causationId: job.data.eventId };
    const at = new Date().toISOString();
    if (outcome.status === 'rejected' && outcome.reason === RECIPIENT_ERASED) return 'personal data erased';
    if (outcome.status === 'rejected') {
      this.logger.warn(`invitation for invitation ${invitationId} refused: ${withoutAddresses(outcome.reason)}`);
      await handleCommand(this.store, invitationStream(invitationId), invitationDecider, { type: 'RecordEmailBounced', reason: outcome.reason, at }, { metadata, loaded: events });
      return 'bounced';
    }
    await handleCommand(this.store, invitationStream(invitationId), invitationDecider, { type: 'RecordEmailSent', messageId: outcome.messageId, at }, { metadata, loaded: events });
    return outcome.status;
  }
}
