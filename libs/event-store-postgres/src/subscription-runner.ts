import { EventEmitter } from 'node:events';
import { ConsumerStoppedError, describeError } from '@passerelle/event-store-core';
import { type AppendedCategories, parseAppendedPayload } from './append-notifier';
import { Checkpoint } from './checkpoint';
import type { ConsumerRun } from './consumer-run';
import type { PostgresEventStore } from './event-store';
import { backendPidOf, becomeLeader, openConnection } from './leader-connection';
import { readLoop } from './read-loop';
import { requestRebuild, requestReplay } from './subscription-admin';
import { SubscriptionRequests } from './subscription-requests';
import type { ConsumerTransaction, EventConsumer, SubscriptionOptions, SubscriptionStatus } from './subscription.types';
import { DEFAULT_RECONNECT_DELAY_MS } from './subscription-timing';
import { WakeSignal } from './wake-signal';

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

  private client: ConsumerTransaction | null = null;
  private readonly checkpoint: Checkpoint;
  private readonly signal = new WakeSignal();
  private readonly requests = new SubscriptionRequests();
  private loop: Promise<void> | null = null;
  private stopLocalWakeups: (() => void) | null = null;

  constructor(
    private readonly store: PostgresEventStore,
    readonly consumer: EventConsumer,
    private readonly options: SubscriptionOptions,
  ) {
    super();
    this.setMaxListeners(0);
    this.checkpoint = new Checkpoint(consumer.name);
  }

  start(): void {
    if (this.loop) return;
    this.signal.stopping = false;
    this.stopLocalWakeups = this.store.onAppended((categories) => this.appended(categories));
    this.loop = this.run().finally(() => {
      this.loop = null;
    });
  }

  async stop(): Promise<void> {
    this.signal.stopping = true;
    this.wake();
    await this.loop;
    this.stopLocalWakeups?.();
    this.stopLocalWakeups = null;
  }

  wake(): void {
    this.signal.wake();
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
    const done = new Promise<void>((resolve) => super.once('rebuilt', () => resolve()));
    await requestRebuild(this.store.pool, this.consumer.name);
    this.requested();
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
    this.requested();
    await outcome;
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

  /** A rebuild or replay was requested: look at the requests now. */
  private requested(): void {
    this.requests.markPending();
    this.wake();
  }

  /** Connects, waits for the lock, works; after a lost connection, connects again, until stopped or failed. */
  private async run(): Promise<void> {
    while (!this.signal.stopping) {
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
        if (this.signal.stopping) break;
        this.status = 'standby';
        this.lastError = err;
        this.options.logger?.warn(`${this.consumer.name}: ${describeError(err)}; connecting again`);
        this.emit('connection-lost', err);
        await this.signal.sleep(this.options.reconnectDelayMs ?? DEFAULT_RECONNECT_DELAY_MS);
      } finally {
        await this.closeClient();
      }
    }
    if (this.status !== 'failed') this.status = 'stopped';
  }

  private async session(): Promise<void> {
    const client = openConnection(this.options, this.consumer);
    this.client = client;
    client.on('error', (err) => {
      this.lastError = err;
      this.wake();
    });
    client.on('notification', (message) => {
      const appended = parseAppendedPayload(message.payload);
      // Not an append: a rebuild or replay was requested.
      if (!appended) this.requested();
      else if (appended.instance !== this.store.instance) this.appended(appended.categories); // this process's own appends woke the runner as they committed
    });
    await client.connect();
    this.backendPid = backendPidOf(client);
    this.status = 'standby';
    const position = await becomeLeader(client, this.consumer, this.options, this.signal);
    if (position === null) return;
    this.position = position;
    this.checkpoint.saved = position;
    this.requests.markPending();
    this.status = 'running';
    this.options.logger?.log(`${this.consumer.name}: running from position ${this.position}`);
    this.emit('acquired');
    this.emit('progress', this.position);
    const run: ConsumerRun = { store: this.store, consumer: this.consumer, options: this.options, client, checkpoint: this.checkpoint, signal: this.signal, runner: this };
    await readLoop(run, this.requests);
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.backendPid = null;
    if (client) await client.end().catch(() => undefined);
  }
}
