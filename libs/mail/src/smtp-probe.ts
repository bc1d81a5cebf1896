import SMTPConnection from 'nodemailer/lib/smtp-connection';

/** `host:port` of an SMTP URL, without its credentials: what may be logged. */
export function smtpServerOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'smtps:' ? 465 : 25)}`;
}

/**
 * Whether the SMTP server at `url` answers: connects, waits for its greeting and EHLO, and quits
 * (no login, nothing sent). Resolves with the reason when it does not; never rejects.
 */
export function probeSmtp(url: string, timeoutMs = 5_000): Promise<{ answers: true } | { answers: false; reason: string }> {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  const connection = new SMTPConnection({
    host: parsed.hostname,
    port: Number(parsed.port || (secure ? 465 : 25)),
    secure,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return new Promise((resolve) => {
    connection.once('error', (err: Error) => {
      connection.close();
      resolve({ answers: false, reason: err.message });
    });
    connection.connect(() => {
      connection.quit();
      resolve({ answers: true });
    });
  });
}
