/**
 * Text with every e-mail address in it replaced by `[address]`. Mail servers quote the recipient in
 * their answers ("550 5.1.1 <a@b>: Recipient address rejected"), and so do the errors nodemailer builds
 * from them: what such a text becomes before it goes into a log line, a queue's failed job or an event.
 */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g, '[address]');
}
