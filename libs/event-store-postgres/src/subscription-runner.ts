import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import { ConsumerStoppedError, describeError } from '@passerelle/event-store-core';
import type { PostgresEventStore } from './event-store';
import { type AppendedCategories, parseAppendedPayload, toPosition } from './event-store';
import { NOTIFY_CHANNEL } from './sql';
import { requestRebuild, requestReplay } from './subscription-admin';
import type { EventConsumer, SubscriptionOptions, SubscriptionStatus } from './subscription.types';
import type { StoredEvent } from '@passerelle/event-store-core';

/** Reads of an idle runner woken by appends are at least this far apart. */
const MIN_READ_INTERVAL_MS = 15;

/** A checkpoint moved past other categories' events is stored after this long with nothing new... */
const IDLE_SAVE_MS = 20;
/** ...and at least this often while events keep coming. */
const BUSY_SAVE_MS = 200;

/** First key of the two-key advisory lock that each consumer's runner holds. */
const LOCK_NAMESPACE = 0x70617373;

/** The connection is gone, or another runner moved the checkpoint: give up the lock and start over. */
class LeadershipLostError extends Error {
  constructor(readonly reason: unknown) {
    super(`Subscription connection lost: ${describeError(reason)}`);
  }
}

/**
 * Hands the store's events, in global order and in batches, to one consumer, and moves the consumer's
 * checkpoint in the same transaction as its writes. Only the runner holding the consumer's advisory
 * lock works; the others wait on standby and take over when its connection dies.
 *
 * Events: `acquired`, `progress` (position), `retrying` ({ event, attempt, error }), `parked`
 * ({ event, error }), `rebuilt`, `replayed` (id), `replay-failed` ({ id, error }), `connection-lost`,
 * `failed` (error).
 */
export class SubscriptionRunner extends EventEmitter {
  status: SubscriptionStatus = 'idle';
  /** Checkpoint: the last position this consumer has dealt with. */
  position = 0;
  /** PostgreSQL backend pid of the runner's connection, while it has one. */
  backendPid: number | null = null;
  lastError: unknown = null;

  private client: Client | null = null;
  /** The checkpoint as stored; `position` may be ahead of it after batches the consumer had nothing to do with. */
  private saved = 0;
  private savedAt = 0;
  /** A NOTIFY arrived (or a request was made here): look at the rebuild and replay requests. */
  private requestsPending = true;
  private requestsCheckedAt = 0;
  private lastReadAt = 0;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private stopLocalWakeups: (() => void) | null = null;

  constructor(
    private readonly store: PostgresEventStore,
    readonly consumer: EventConsumer,
    private readonly options: SubscriptionOptions,
  ) {
    super();
    this.setMaxListeners(0);
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.stopLocalWakeups = this.store.onAppended((categories) => this.appended(categories));
    this.loop = this.run().finally(() => {
      this.loop = null;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    this.stopLocalWakeups?.();
    this.stopLocalWakeups = null;
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Events of these categories (null: unknown) were committed: wake if the consumer reads them. Others'
   * events are passed at the next poll; a read waiting on this consumer (X-Min-Position) does not wait
   * for that, since it looks only for events of the categories stored with the checkpoint.
   */
  private appended(categories: AppendedCategories): void {
    const mine = this.consumer.categories;
    if (!mine || !categories || categories.some((category) => mine.includes(category))) this.wake();
  }

  /** Resolves once the checkpoint has reached `position`; false if `timeoutMs` passed first. */
  waitForPosition(position: number, timeoutMs = 10_000): Promise<boolean> {
    if (this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onProgress = (reached: number) => {
        if (reached < position) return;
        clearTimeout(timer);
        this.off('progress', onProgress);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.off('progress', onProgress);
        resolve(false);
      }, timeoutMs);
      this.on('progress', onProgress);
    });
  }

  /** Empties the read model and replays from position 0; resolves when the reset is done. */
  async rebuild(): Promise<void> {
    const done = this.nextEvent('rebuilt');
    await requestRebuild(this.store.pool, this.consumer.name);
    this.requestsPending = true;
    this.wake();
    await done;
  }

  /** Hands a parked event to the consumer again; rejects if it fails again (it stays parked). */
  async replay(parkedId: number): Promise<void> {
    const outcome = new Promise<void>((resolve, reject) => {
      const onReplayed = (id: number) => {
        if (id !== parkedId) return;
        cleanup();
        resolve();
      };
      const onFailed = (failure: { id: number; error: unknown }) => {
        if (failure.id !== parkedId) return;
        cleanup();
        reject(failure.error);
      };
      const cleanup = () => {
        this.off('replayed', onReplayed);
        this.off('replay-failed', onFailed);
      };
      this.on('replayed', onReplayed);
      this.on('replay-failed', onFailed);
    });
    await requestReplay(this.store.pool, parkedId);
    this.requestsPending = true;
    this.wake();
    await outcome;
  }

  private nextEvent(event: string): Promise<void> {
    return new Promise((resolve) => super.once(event, () => resolve()));
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.session();
      } catch (err) {
        if (err instanceof ConsumerStoppedError) {
          this.status = 'failed';
          this.lastError = err;
          this.options.logger?.error(err.message);
          this.emit('failed', err);
          break;
        }
        if (this.stopping) break;
        this.status = 'standby';
        this.lastError = err;
        this.options.logger?.warn(`${this.consumer.name}: ${describeError(err)}; connecting again`);
        this.emit('connection-lost', err);
        await this.sleep(this.options.reconnectDelayMs ?? 1000);
      } finally {
        await this.closeClient();
      }
    }
    if (this.status !== 'failed') this.status = 'stopped';
  }

  private async session(): Promise<void> {
    const client = new Client({ connectionString: this.options.connectionString, application_name: `subscription:${this.consumer.name}` });
    this.client = client;
    client.on('error', (err) => {
      this.lastError = err;
      this.wake();
    });
    client.on('notification', (message) => {
      const appended = parseAppendedPayload(message.payload);
      if (!appended) {
        // Not an append: a rebuild or replay was requested.
        this.requestsPending = true;
        this.wake();
      } else if (appended.instance !== this.store.instance) {
        this.appended(appended.categories); // this process's own appends woke the runner as they committed
      }
    });
    await client.connect();
    this.backendPid = (client as unknown as { processID: number }).processID;
    this.status = 'standby';
    while (!this.stopping) {
      const lock = await client.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_NAMESPACE, this.consumer.name]);
      if (lock.rows[0].ok) break;
      await this.sleep(this.options.lockRetryMs ?? 1000);
    }
    if (this.stopping) return;
    await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    await client.query(
      `INSERT INTO subscription_checkpoints (name, categories) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET categories = EXCLUDED.categories`,
      [this.consumer.name, this.consumer.categories ? [...this.consumer.categories] : null],
    );
    const checkpoint = await client.query('SELECT position FROM subscription_checkpoints WHERE name = $1', [this.consumer.name]);
    this.position = toPosition(checkpoint.rows[0].position);
    this.saved = this.position;
    this.requestsPending = true;
    this.status = 'running';
    this.options.logger?.log(`${this.consumer.name}: running from position ${this.position}`);
    this.emit('acquired');
    this.emit('progress', this.position);

    const batchSize = this.consumer.batchSize ?? 500;
    const pollInterval = this.options.pollIntervalMs ?? 1000;
    let held = 0;
    while (!this.stopping) {
      this.woken = false;
      if (this.requestsPending || Date.now() - this.requestsCheckedAt > 1000) await this.serveRequests(client);
      this.lastReadAt = Date.now();
      const { events, readTo, beyond } = await this.read(client, batchSize);
      if (events.length > 0) {
        held = 0;
        const last = events[events.length - 1].position;
        await this.processBatch(client, events);
        if (this.position !== last || readTo <= this.position) continue;
      }
      if (readTo > this.position) {
        // Everything of this consumer's categories below the bound has been read: move past the rest.
        if (Date.now() - this.savedAt > 200) await this.saveCheckpoint(client, readTo);
        this.advance(readTo);
      }
      // Written but not yet readable: an older transaction is still open somewhere. Look again soon,
      // since its end may send no NOTIFY (it may not be an append, or be in another database).
      held = (beyond ?? (await this.anythingBeyond(client))) ? held + 1 : 0;
      const wait = held > 0 ? Math.min(pollInterval, 10 * 2 ** Math.min(held, 6)) : pollInterval;
      if (this.saved !== this.position && Date.now() - this.savedAt >= BUSY_SAVE_MS) await this.saveCheckpoint(client, this.position);
      if (this.saved === this.position) {
        await this.waitForWake(wait);
      } else if (!(await this.waitForWake(Math.min(wait, IDLE_SAVE_MS)))) {
        // Nothing new for a moment: store how far the consumer is, then wait on.
        await this.saveCheckpoint(client, this.position);
        await this.waitForWake(Math.max(0, wait - IDLE_SAVE_MS));
      }
    }
  }

  /**
   * The next batch, and for consumers of some categories how far that read covers and whether events
   * lie beyond it (not yet readable).
   */
  private async read(client: Client, batchSize: number): Promise<{ events: StoredEvent[]; readTo: number; beyond?: boolean }> {
    if (!this.consumer.categories) return { events: await this.store.readAll(this.position, batchSize, client), readTo: 0 };
    const { events, bound, beyond } = await this.store.readCategories(this.position, batchSize, [...this.consumer.categories], client);
    return { events, readTo: events.length < batchSize ? bound - 1 : 0, beyond };
  }

  /** Whether any event lies after this consumer's position (for consumers of every category, which read without a bound). */
  private async anythingBeyond(client: Client): Promise<boolean> {
    // In position order with a limit, so PostgreSQL walks the primary key from this position instead of
    // scanning the table from its start (as it chose to for an EXISTS, at 1 ms and more per look).
    const next = await client.query('SELECT position FROM events WHERE position > $1 ORDER BY position LIMIT 1', [this.position]);
    return next.rows.length > 0;
  }

  private async processBatch(client: Client, events: StoredEvent[]): Promise<void> {
    const relevant = this.consumer.filter ? events.filter((event) => this.consumer.filter!(event)) : events;
    const last = events[events.length - 1].position;
    if (relevant.length === 0) {
      // Nothing for this consumer: move on in memory, and store the checkpoint now and then (and when idle).
      if (Date.now() - this.savedAt > 200) await this.saveCheckpoint(client, last);
      this.advance(last);
      return;
    }
    try {
      await this.transaction(client, async () => {
        if (relevant.length > 0) await this.consumer.handle(relevant, client as never);
        await this.saveCheckpoint(client, last);
      });
      this.advance(last);
      return;
    } catch (err) {
      if (err instanceof LeadershipLostError) throw err;
      this.options.logger?.warn(`${this.consumer.name}: batch up to ${last} failed (${describeError(err)}); going event by event`);
    }
    const wanted = new Set(relevant);
    for (const event of events) {
      if (this.stopping) return;
      await this.processOne(client, event, wanted.has(event));
    }
  }

  private async processOne(client: Client, event: StoredEvent, relevant: boolean): Promise<void> {
    const attempts = this.options.retry?.attempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.transaction(client, async () => {
          if (relevant) await this.consumer.handle([event], client as never);
          await this.saveCheckpoint(client, event.position);
        });
        this.advance(event.position);
        return;
      } catch (err) {
        if (err instanceof LeadershipLostError) throw err;
        if (attempt < attempts) {
          this.emit('retrying', { event, attempt, error: err });
          await this.sleep(this.backoff(attempt));
          if (this.stopping) return;
          continue;
        }
        if (this.consumer.onError === 'stop') throw new ConsumerStoppedError(this.consumer.name, event.position, err);
        await this.park(client, event, err, attempts);
        return;
      }
    }
  }

  private async park(client: Client, event: StoredEvent, error: unknown, attempts: number): Promise<void> {
    await this.transaction(client, async () => {
      await client.query(
        `INSERT INTO subscription_dead_letters (consumer, position, event_id, event_type, error, attempts)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (consumer, position) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts,
           parked_at = now(), replayed_at = NULL, replay_requested = false`,
        [this.consumer.name, event.position, event.id, event.type, describeError(error), attempts],
      );
      await this.saveCheckpoint(client, event.position);
    });
    this.advance(event.position);
    this.options.logger?.error(`${this.consumer.name}: parked ${event.type} at ${event.position}: ${describeError(error)}`);
    this.emit('parked', { event, error });
  }

  /** Rebuild and replay requests, made from any process through the checkpoint and dead-letter tables. */
  private async serveRequests(client: Client): Promise<void> {
    this.requestsPending = false;
    this.requestsCheckedAt = Date.now();
    const pending = await client.query(
      `SELECT c.rebuild_requested,
         coalesce((SELECT array_agg(d.id ORDER BY d.id) FROM subscription_dead_letters d
                   WHERE d.consumer = c.name AND d.replay_requested AND d.replayed_at IS NULL), '{}') AS replays
       FROM subscription_checkpoints c WHERE c.name = $1`,
      [this.consumer.name],
    );
    const row = pending.rows[0];
    if (!row) return;
    if (row.rebuild_requested) await this.resetForRebuild(client);
    for (const id of row.replays as string[]) await this.replayParked(client, Number(id));
  }

  private async resetForRebuild(client: Client): Promise<void> {
    if (!this.consumer.reset) {
      this.options.logger?.error(`${this.consumer.name}: cannot rebuild, the consumer has no reset`);
      await client.query('UPDATE subscription_checkpoints SET rebuild_requested = false WHERE name = $1', [this.consumer.name]);
      return;
    }
    await this.transaction(client, async () => {
      await this.consumer.reset!(client as never);
      await client.query('DELETE FROM subscription_dead_letters WHERE consumer = $1', [this.consumer.name]);
      await client.query(
        'UPDATE subscription_checkpoints SET position = 0, rebuild_requested = false, updated_at = now() WHERE name = $1',
        [this.consumer.name],
      );
    });
    this.position = 0;
    this.saved = 0;
    this.savedAt = Date.now();
    this.options.logger?.log(`${this.consumer.name}: read model reset, replaying from position 0`);
    this.emit('rebuilt');
  }

  private async replayParked(client: Client, id: number): Promise<void> {
    const found = await client.query('SELECT position FROM subscription_dead_letters WHERE id = $1', [id]);
    const event = found.rows[0] ? await this.store.readEventAt(toPosition(found.rows[0].position), client) : null;
    try {
      await this.transaction(client, async () => {
        if (event) await this.consumer.handle([event], client as never);
        await client.query('UPDATE subscription_dead_letters SET replayed_at = now(), replay_requested = false WHERE id = $1', [id]);
      });
      this.emit('replayed', id);
    } catch (err) {
      if (err instanceof LeadershipLostError) throw err;
      await client.query(
        'UPDATE subscription_dead_letters SET replay_requested = false, attempts = attempts + 1, error = $2 WHERE id = $1',
        [id, describeError(err)],
      );
      this.emit('replay-failed', { id, error: err });
    }
  }

  private async saveCheckpoint(client: Client, position: number): Promise<void> {
    const result = await client.query(
      'UPDATE subscription_checkpoints SET position = $2, updated_at = now() WHERE name = $1 AND position = $3',
      [this.consumer.name, position, this.saved],
    );
    if (result.rowCount !== 1) throw new LeadershipLostError(new Error('the checkpoint was moved by another runner'));
    this.saved = position;
    this.savedAt = Date.now();
  }

  /** BEGIN ... COMMIT; a failed ROLLBACK means the connection is gone. */
  private async transaction(client: Client, work: () => Promise<void>): Promise<void> {
    try {
      await client.query('BEGIN');
    } catch (err) {
      throw new LeadershipLostError(err);
    }
    const { saved, savedAt } = this;
    try {
      await work();
      await client.query('COMMIT');
    } catch (err) {
      this.saved = saved;
      this.savedAt = savedAt;
      try {
        await client.query('ROLLBACK');
      } catch {
        throw new LeadershipLostError(err);
      }
      throw err;
    }
  }

  private advance(position: number): void {
    this.position = position;
    this.emit('progress', position);
  }

  private backoff(attempt: number): number {
    const base = this.options.retry?.baseDelayMs ?? 200;
    const max = this.options.retry?.maxDelayMs ?? 10_000;
    return Math.min(max, base * 2 ** (attempt - 1));
  }

  /**
   * Waits for a wake-up (or `ms`), then lets at least MIN_READ_INTERVAL_MS pass since the last read:
   * under a stream of appends, many wake-ups make one read instead of one each. True if woken (or stopping).
   */
  private async waitForWake(ms: number): Promise<boolean> {
    if (!this.woken && !this.stopping && ms > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.wakeUp = null;
          resolve();
        };
        const timer = setTimeout(done, ms);
        this.wakeUp = done;
      });
    }
    const woken = this.woken || this.stopping;
    const pause = this.lastReadAt + MIN_READ_INTERVAL_MS - Date.now();
    if (woken && pause > 0 && !this.stopping) await new Promise((resolve) => setTimeout(resolve, pause));
    return woken;
  }

  /** A pause that ends early when the runner is stopped. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      const onStop = setInterval(() => this.stopping && finish(), 25);
      function finish() {
        clearTimeout(timer);
        clearInterval(onStop);
        resolve();
      }
    });
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.backendPid = null;
    if (client) await client.end().catch(() => undefined);
  }
}
