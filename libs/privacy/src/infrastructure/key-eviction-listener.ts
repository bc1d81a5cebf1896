import { Client } from 'pg';
import type { KeyCache } from './key-cache';
import { KEY_DESTROYED_CHANNEL } from './subject-keys';

/** The application_name of the LISTEN connection, so that operators (and tests) can find it. */
export const LISTENER_APPLICATION_NAME = 'passerelle-privacy-listener';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;
/** A connection cut without a word (a network partition) is noticed by a ping this often, answered within the timeout. */
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 5_000;

/**
 * Keeps a connection to the key database LISTENing for destroyed keys and evicts each from the
 * process's cache the moment its notice arrives. The cache is open only while the connection
 * listens: when it drops (error, server restart, terminated backend), the cache is emptied and
 * closed at once, every key is read from the database meanwhile, and the listener reconnects with
 * a growing pause (0.1 s to 5 s); once LISTEN is in force again, the cache reopens, empty. A
 * connection that dies silently is caught by TCP keep-alive and a ping every 10 s (5 s to answer);
 * until then the cache time (PRIVACY_KEY_CACHE_SECONDS) bounds how long a destroyed key may be served.
 */
export class KeyEvictionListener {
  private client?: Client;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;

  constructor(
    private readonly keysDatabaseUrl: string,
    private readonly cache: KeyCache,
    private readonly onProblem: (err: Error) => void = () => undefined,
  ) {}

  /** Resolves once listening (the cache is open); rejects if the first connection fails. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  get listening(): boolean {
    return this.cache.isOpen;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.cache.clear({ closed: true });
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.keysDatabaseUrl,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
      query_timeout: PING_TIMEOUT_MS,
    });
    client.on('notification', (message) => {
      if (message.channel === KEY_DESTROYED_CHANNEL && message.payload) this.cache.evict(message.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('The key database closed the LISTEN connection')));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${KEY_DESTROYED_CHANNEL}`);
    } catch (err) {
      this.lost(client, err as Error);
      throw err;
    }
    if (this.stopped || this.client !== client) return;
    this.retryMs = FIRST_RETRY_MS;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => client.query('SELECT 1').catch((err: Error) => this.lost(client, err)), PING_INTERVAL_MS);
    this.pingTimer.unref();
    this.cache.reopen();
  }

  /** The connection is gone: close the cache now, then try again later (unless stopping). */
  private lost(client: Client, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    clearInterval(this.pingTimer);
    this.cache.clear({ closed: true });
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.onProblem(err);
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
    this.retryTimer = setTimeout(() => this.connect().catch(() => undefined), wait);
  }
}
