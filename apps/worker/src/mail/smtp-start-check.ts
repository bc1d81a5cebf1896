import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { probeSmtp, smtpServerOf } from '@passerelle/mail';
import { AppConfig, PROCESS_LOGGER } from '@passerelle/platform';

/**
 * Says at start, in one warning, when the mail server (SMTP_URL) does not answer: e-mails would then
 * wait and retry unseen. The worker starts all the same; the check runs beside its start-up.
 */
@Injectable()
export class SmtpStartCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private check: Promise<void> | null = null;

  constructor(
    @Inject(PROCESS_LOGGER) logger: Logger,
    private readonly config: AppConfig,
  ) {
    this.logger = logger.child({ context: 'SmtpStartCheck' });
  }

  onApplicationBootstrap(): void {
    const server = smtpServerOf(this.config.SMTP_URL);
    this.check = probeSmtp(this.config.SMTP_URL).then((result) => {
      if (result.answers) this.logger.info({ smtp: server }, `The mail server at ${server} answers`);
      else this.logger.warn({ smtp: server, reason: result.reason }, `The mail server at ${server} (SMTP_URL) does not answer: e-mails wait and are retried until it does`);
    });
  }

  /** Lets a check under way end (at most its time-out) so nothing is logged after the logger is gone. */
  async onApplicationShutdown(): Promise<void> {
    await this.check;
  }
}
