export { OnceMailer, TransientMailError, RECIPIENT_ERASED } from './once-mailer';
export type { OutgoingMail, MailOutcome, MailRecipients } from './once-mailer';
export { sentMailCounter } from './sent-mails';
export { MailTemplates, defaultTemplatesDir, escapeHtml } from './templates';
export type { RenderedMail } from './templates';
export { MailModule } from './mail.module';
export * from './notification-mail.queue';
export { mailAttemptFailure, nextRetryDelayMs } from './mail-attempt-failure';
/** Mail servers quote the recipient in their answers: the one function that strikes addresses out. */
export { withoutAddresses } from '@passerelle/platform';
export type { FailedMailJob, MailAttemptFailure } from './mail-attempt-failure';
export { probeSmtp, smtpServerOf } from './smtp-probe';
export { unsentNotificationMails } from './due-notification-mails';
export type { DueNotificationMail } from './due-notification-mails';
