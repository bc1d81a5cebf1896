import type { WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { mailAttemptFailure } from '@passerelle/mail';
import { PROCESS_LOGGER } from '@passerelle/platform';
import { InvitationMailProcessor } from '../invitations/invitation-mail.processor';
import { NotificationMailProcessor } from '../notifications/notification-mail.processor';
import { RemindersProcessor } from '../reminders/reminders.processor';
import { ReportProcessor } from '../reporting/report.processor';

/**
 * One log line per failed attempt of every job that sends e-mail (invitations, reminders of every kind, account
 * activations and proposal decisions, report deliveries): without it a mail server that is down shows
 * only as invitations staying `issued`. Listens on the workers' `failed` event, so the processors stay
 * about their work.
 */
@Injectable()
export class MailAttemptsLog implements OnApplicationBootstrap {
  private readonly logger: Logger;
  private readonly hosts: WorkerHost[];

  constructor(
    @Inject(PROCESS_LOGGER) logger: Logger,
    invitations: InvitationMailProcessor,
    reminders: RemindersProcessor,
    notifications: NotificationMailProcessor,
    reports: ReportProcessor,
  ) {
    this.logger = logger.child({ context: 'MailAttempts' });
    this.hosts = [invitations, reminders, notifications, reports];
  }

  onApplicationBootstrap(): void {
    for (const host of this.hosts) {
      host.worker.on('failed', (job: Job | undefined, err: Error) => {
        if (!job) return;
        const { level, fields, message } = mailAttemptFailure(job, err);
        this.logger[level](fields, message);
      });
    }
  }
}
