import { type AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpSinkOptions {
  /**
   * Answer RCPT TO for this address with this SMTP code (e.g. 550) instead of accepting it; or with a
   * code and the text after it, as real servers answer ("550 5.1.1 <address>: Recipient address rejected").
   */
  refuseRecipient?: (address: string) => number | { code: number; text: string } | null;
  port?: number;
  /**
   * Called for each message received whole: while the promise it returns is pending, the server keeps its
   * answer ("250 OK") back, so the client cannot yet know the message was accepted.
   */
  holdAnswer?: (mail: ReceivedMail) => Promise<void> | undefined;
}

/**
 * A real SMTP server (the `smtp-server` package) that keeps every message it accepted — only messages
 * completed with the final "." — and can be stopped and started again on the same port.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** RCPT TO commands seen, per address, accepted or not. */
  readonly recipientAttempts = new Map<string, number>();
  private server: SMTPServer | null = null;
  port = 0;

  constructor(private readonly options: SmtpSinkOptions = {}) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 200,
      size: 50 * 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        this.recipientAttempts.set(address.address, (this.recipientAttempts.get(address.address) ?? 0) + 1);
        const refusal = this.options.refuseRecipient?.(address.address);
        if (typeof refusal === 'number') return callback(Object.assign(new Error(`${refusal} recipient refused`), { responseCode: refusal }));
        if (refusal) return callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              const mail = { envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed };
              this.received.push(mail);
              const held = this.options.holdAnswer?.(mail);
              if (held) held.then(() => callback(), () => callback());
              else callback();
            },
            (err) => callback(err),
          );
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.listen(this.port || this.options.port || 0, '127.0.0.1', () => resolve());
      server.once('error', reject);
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.envelopeTo.includes(address));
  }
}
