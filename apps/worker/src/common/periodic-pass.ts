/** How long a shutdown waits for a pass in flight (a pass waiting for a Redis that is down, say). */
const STOP_WAIT_MS = 5000;

/**
 * A pass run at start and every `intervalMs`, never two at once in one process. A failed pass goes to
 * `onFailure` (unless the process is stopping) and is tried again at the next interval.
 */
export class PeriodicPass<T> {
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private running: Promise<T | undefined> | undefined;

  constructor(
    private readonly pass: () => Promise<T>,
    private readonly intervalMs: number,
    private readonly onFailure: (err: Error) => void,
  ) {}

  start(): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), this.intervalMs);
  }

  /** Stops the interval and waits for a pass in flight, at most STOP_WAIT_MS. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (bound = setTimeout(resolve, STOP_WAIT_MS).unref()))]);
    clearTimeout(bound);
  }

  /** One pass, unless the previous one is still running (then that one); resolves when it is over. */
  run(): Promise<T | undefined> {
    this.running ??= this.pass()
      .catch((err: Error) => {
        if (!this.stopping) this.onFailure(err);
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
