import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig, EventStorePool } from '@passerelle/platform';
import { PersonalDataVault } from '@passerelle/privacy';
import { OnceMailer } from './once-mailer';
import { MailTemplates } from './templates';

/** The worker's mailer (SMTP_URL, MAIL_FROM, one ledger naming recipients by data subject) and the templates. */
@Global()
@Module({
  providers: [
    {
      provide: OnceMailer,
      inject: [EventStorePool, PersonalDataVault, AppConfig],
      useFactory: (pool: EventStorePool, vault: PersonalDataVault, config: AppConfig) =>
        new OnceMailer(pool, vault, { smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, maxConnections: config.MAIL_CONCURRENCY }),
    },
    { provide: MailTemplates, useFactory: () => new MailTemplates() },
  ],
  exports: [OnceMailer, MailTemplates],
})
export class MailModule implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationShutdown(): void {
    this.moduleRef.get(OnceMailer).close();
  }
}
