// nodemailer's SMTP connection, the piece its transports are built on: it lets us hold the final "."
// of a message until the sent-mail ledger has committed.
import SMTPConnection from 'nodemailer/lib/smtp-connection';

export interface SmtpPoolOptions {
  url: string;
  /** Connections kept open at most. */
  maxConnections: number;
  timeoutMs?: number;
}

/** A small pool of open SMTP connections; a connection that saw any error is closed, never reused. */
export class SmtpPool {
  private readonly idle: SMTPConnection[] = [];
  private open = 0;
  private readonly waiting: { resolve: (connection: SMTPConnection) => void; reject: (err: Error) => void }[] = [];
  private closed = false;

  constructor(private readonly options: SmtpPoolOptions) {}

  async acquire(): Promise<SMTPConnection> {
    if (this.closed) throw new Error('The SMTP pool is closed');
    const ready = this.idle.pop();
    if (ready) return ready;
    if (this.open < this.options.maxConnections) {
      this.open += 1;
      try {
        return await this.connect();
      } catch (err) {
        this.open -= 1;
        this.wakeOne();
        throw err;
      }
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  release(connection: SMTPConnection, healthy: boolean): void {
    if (!healthy || this.closed) {
      this.open -= 1;
      connection.close();
      this.wakeOne();
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(connection);
    else this.idle.push(connection);
  }

  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.quit();
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('The SMTP pool is closed'));
  }

  /**
   * A connection's place came free (it failed or was closed): the longest waiting caller tries for one
   * itself, so each waiter gets a connection or its own connection error; none is left waiting with
   * no connection open to free a place.
   */
  private wakeOne(): void {
    const next = this.waiting.shift();
    if (next) this.acquire().then(next.resolve, next.reject);
  }

  private connect(): Promise<SMTPConnection> {
    const url = new URL(this.options.url);
    const secure = url.protocol === 'smtps:';
    const timeout = this.options.timeoutMs ?? 15_000;
    const connection = new SMTPConnection({
      host: url.hostname,
      port: Number(url.port || (secure ? 465 : 25)),
      secure,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 2,
    });
    return new Promise((resolve, reject) => {
      connection.once('error', reject);
      connection.connect(() => {
        // Without it each message's final "." waits for the server's delayed ACK (about 40 ms).
        (connection as unknown as { _socket?: { setNoDelay?: (on: boolean) => void } })._socket?.setNoDelay?.(true);
        const done = (err?: Error | null) => {
          if (err) return reject(err);
          connection.removeListener('error', reject);
          connection.on('error', () => undefined);
          resolve(connection);
        };
        if (url.username) connection.login({ user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }, done);
        else done();
      });
    });
  }
}
