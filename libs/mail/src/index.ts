export { OnceMailer, TransientMailError } from './once-mailer';
export type { OutgoingMail, MailOutcome } from './once-mailer';
export { MailTemplates, defaultTemplatesDir, escapeHtml } from './templates';
export type { RenderedMail } from './templates';
export { MailModule } from './mail.module';
export * from './notification-mail.queue';
export { mailAttemptFailure, nextRetryDelayMs, withoutAddresses } from './mail-attempt-failure';
export type { FailedMailJob, MailAttemptFailure } from './mail-attempt-failure';
export { probeSmtp, smtpServerOf } from './smtp-probe';
