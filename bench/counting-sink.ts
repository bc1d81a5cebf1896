import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server (`smtp-server`, configured as SmtpSink is) that only counts: a message counts when
 * its final "." has come in (an aborted message's stream never ends). No parsing, so it costs little CPU.
 */
export class CountingSink {
  messages = 0;
  bytes = 0;
  firstAt = 0;
  lastAt = 0;
  /** Messages per envelope recipient. */
  readonly recipients = new Map<string, number>();
  private server: SMTPServer | null = null;
  private port = 0;
  private waiter: { count: number; resolve: () => void } | null = null;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get host(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 200,
      size: 50 * 1024 * 1024,
      onData: (stream, session, callback) => {
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
        });
        stream.on('end', () => {
          this.received(session.envelope.rcptTo.map((r) => r.address), size);
          callback();
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.listen(0, '127.0.0.1', () => resolve());
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

  /** Resolves at the `count`th message; rejects after `timeoutMs` with the count so far. */
  waitFor(count: number, timeoutMs: number, what: string): Promise<void> {
    if (this.messages >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}: ${this.messages} of ${count} e-mails arrived`));
      }, timeoutMs);
      this.waiter = { count, resolve: () => (clearTimeout(timer), resolve()) };
    });
  }

  reset(): void {
    this.messages = 0;
    this.bytes = 0;
    this.firstAt = 0;
    this.lastAt = 0;
    this.recipients.clear();
  }

  /** Recipients that got more than one message. */
  duplicates(): number {
    let n = 0;
    for (const times of this.recipients.values()) if (times > 1) n += 1;
    return n;
  }

  private received(to: string[], size: number): void {
    const now = performance.now();
    if (this.messages === 0) this.firstAt = now;
    this.lastAt = now;
    this.messages += 1;
    this.bytes += size;
    for (const address of to) this.recipients.set(address, (this.recipients.get(address) ?? 0) + 1);
    if (this.waiter && this.messages >= this.waiter.count) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve();
    }
  }
}
