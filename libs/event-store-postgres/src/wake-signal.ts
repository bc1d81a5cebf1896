import { MIN_READ_INTERVAL_MS, STOP_CHECK_INTERVAL_MS } from './subscription-timing';

/** What wakes a waiting runner (appends, requests, stop) and how it waits. */
export class WakeSignal {
  stopping = false;
  /** When the runner last read: reads woken by appends are spaced by MIN_READ_INTERVAL_MS. */
  lastReadAt = 0;
  private woken = false;
  private wakeUp: (() => void) | null = null;

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Forgets earlier wake-ups: called just before a read, which sees whatever they announced. */
  clear(): void {
    this.woken = false;
  }

  /**
   * Waits for a wake-up (or `ms`), then lets at least MIN_READ_INTERVAL_MS pass since the last read:
   * under a stream of appends, many wake-ups make one read instead of one each. True if woken (or stopping).
   */
  async waitForWake(ms: number): Promise<boolean> {
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
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      const onStop = setInterval(() => this.stopping && finish(), STOP_CHECK_INTERVAL_MS);
      function finish() {
        clearTimeout(timer);
        clearInterval(onStop);
        resolve();
      }
    });
  }
}
