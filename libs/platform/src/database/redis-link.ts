import type { Logger } from 'pino';
import type { Counter } from 'prom-client';

/** What a Redis client (ioredis, or BullMQ's wrapper of one) says about its connection. */
export interface ConnectionEvents {
  on(event: 'close' | 'ready', listener: () => void): unknown;
}

/** Errors that only say Redis cannot be reached: the link's "lost" line already says it. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = /Connection is closed|Stream isn't writeable|enableOfflineQueue|Reached the max retries|connect E[A-Z]+/;

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || CONNECTION_MESSAGES.test(err.message);
}

/** A Redis address for the logs: scheme, host, port and database, never the user or password. */
export function redisAddress(redisUrl: string): string {
  const url = new URL(redisUrl);
  return `${url.protocol}//${url.host}${url.pathname.length > 1 ? url.pathname : ''}`;
}

/**
 * One named Redis connection of the process (`general`, `queues`), made of one or more clients: one
 * warning when the first of them loses Redis, one info line when all of them are back, and a count of
 * the recoveries. Whatever the clients retry in between stays out of the logs.
 */
export class RedisLink {
  private readonly lost = new Set<ConnectionEvents>();

  constructor(
    readonly name: string,
    private readonly address: string,
    private readonly logger: Logger,
    private readonly reconnects: Counter<'connection'>,
  ) {}

  get isLost(): boolean {
    return this.lost.size > 0;
  }

  /** Follows one client of this connection; `closing` is true once the app closes it on purpose. */
  watch(client: ConnectionEvents, closing: () => boolean): void {
    client.on('close', () => {
      if (!closing()) this.markLost(client);
    });
    client.on('ready', () => this.markBack(client));
  }

  /** An error event of a client: nothing more when it only says Redis is unreachable, else one line. */
  error(err: unknown): void {
    if (this.isLost || isConnectionError(err)) return;
    const message = err instanceof Error ? err.message : String(err);
    this.logger.warn({ connection: this.name, address: this.address, error: message }, `Redis error on the ${this.name} connection: ${message}`);
  }

  private markLost(client: ConnectionEvents): void {
    const wasUp = !this.isLost;
    this.lost.add(client);
    if (wasUp) {
      this.logger.warn({ connection: this.name, address: this.address }, `Redis connection lost (${this.name}, ${this.address}); retrying`);
    }
  }

  private markBack(client: ConnectionEvents): void {
    if (!this.lost.delete(client) || this.isLost) return;
    this.reconnects.inc({ connection: this.name });
    this.logger.info({ connection: this.name, address: this.address }, `Redis connection back (${this.name}, ${this.address})`);
  }
}
