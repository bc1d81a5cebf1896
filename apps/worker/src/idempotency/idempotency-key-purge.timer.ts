import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { IdempotencyKeyPurge, type IdempotencyKeyPurgePass, PROCESS_LOGGER } from '@passerelle/platform';

/** Keys expire by the hour (IDEMPOTENCY_KEY_HOURS), so an hourly purge keeps none much past its time. */
const PURGE_INTERVAL_MS = 3_600_000;

/**
 * Deletes expired Idempotency-Keys at start and every hour. Passes never overlap in one process; the
 * purge's lock keeps them one at a time across processes.
 */
@Injectable()
export class IdempotencyKeyPurgeTimer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private running: Promise<IdempotencyKeyPurgePass | undefined> | undefined;

  constructor(
    private readonly purge: IdempotencyKeyPurge,
    @Inject(PROCESS_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: 'IdempotencyKeyPurge' });
  }

  onApplicationBootstrap(): void {
    void this.runPass();
    this.timer = setInterval(() => void this.runPass(), PURGE_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (bound = setTimeout(resolve, 5000).unref()))]);
    clearTimeout(bound);
  }

  /** One pass, unless the previous one is still running; resolves when it is over. */
  runPass(): Promise<IdempotencyKeyPurgePass | undefined> {
    this.running ??= this.purge
      .pass()
      .then((pass) => {
        if (pass.deleted > 0) this.logger.info({ deleted: pass.deleted }, `Deleted ${pass.deleted} expired Idempotency-Keys`);
        return pass;
      })
      .catch((err: Error) => {
        if (this.stopping) return undefined;
        this.logger.warn({ reason: err.message }, `Idempotency-Key purge failed, tried again in an hour: ${err.message}`);
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
