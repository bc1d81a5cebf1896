import { EventEmitter } from 'node:events';
import type { Queryable } from './event-rows';
import { NOTIFY_CHANNEL } from './sql';

/**
 * The categories of newly committed events, for waking the subscriptions that read them; null when not
 * known (wake them all).
 */
export type AppendedCategories = readonly string[] | null;

/** The NOTIFY payload sent after appends: `appended <store instance> <categories, comma-separated, or *>`. */
export function appendedPayload(instance: string, categories: AppendedCategories): string {
  return `appended ${instance} ${categories ? categories.join(',') : '*'}`;
}

/** The sender and categories of an append's NOTIFY payload; null for any other payload (a request to subscriptions). */
export function parseAppendedPayload(payload: string | undefined): { instance: string; categories: AppendedCategories } | null {
  const parts = (payload ?? '').split(' ');
  if (parts.length !== 3 || parts[0] !== 'appended') return null;
  return { instance: parts[1], categories: parts[2] === '*' ? null : parts[2].split(',') };
}

/** How long appends are gathered into one NOTIFY, unless said. */
export const NOTIFY_DELAY_MS = 10;

/**
 * Tells of committed appends: this process's listeners at once, other processes' subscriptions by one
 * NOTIFY for all the appends of the next few milliseconds (one per append would cost a round trip each).
 */
export class AppendNotifier {
  private readonly listeners = new EventEmitter();
  private timer: NodeJS.Timeout | null = null;
  /** Categories appended since the last NOTIFY went out; null: not known. */
  private pending: Set<string> | null = new Set();
  private closed = false;

  constructor(
    private readonly db: Queryable,
    /** Tells this store's own NOTIFYs apart from other processes'. */
    private readonly instance: string,
    private readonly options: { notify?: boolean; notifyDelayMs?: number },
  ) {
    this.listeners.setMaxListeners(0);
  }

  /** Called after events may have become visible, in this process, with their categories (null: not known). */
  onAppended(listener: (categories: AppendedCategories) => void): () => void {
    this.listeners.on('appended', listener);
    return () => this.listeners.off('appended', listener);
  }

  /** Wakes this process's subscriptions now and, one NOTIFY for many appends, other processes' soon after. */
  announce(categories: AppendedCategories): void {
    if (this.closed) return;
    this.listeners.emit('appended', categories);
    if (this.options.notify === false) return;
    if (categories === null) this.pending = null;
    else if (this.pending) for (const category of categories) this.pending.add(category);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.closed) return;
      const payload = appendedPayload(this.instance, this.pending ? [...this.pending] : null);
      this.pending = new Set();
      this.db.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, payload]).catch(() => undefined);
    }, this.options.notifyDelayMs ?? NOTIFY_DELAY_MS);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.removeAllListeners();
  }
}
