import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { IdempotencyKeyPurge, type IdempotencyKeyPurgePass, PROCESS_LOGGER } from '@passerelle/platform';
import { PeriodicPass } from '../common/periodic-pass';

/** Keys expire by the hour (IDEMPOTENCY_KEY_HOURS), so an hourly purge keeps none much past its time. */
const PURGE_INTERVAL_MS = 3_600_000;

/**
 * Deletes expired Idempotency-Keys at start and every hour. Passes never overlap in one process; the
 * purge's lock keeps them one at a time across processes.
 */
@Injectable()
export class IdempotencyKeyPurgeTimer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly passes: PeriodicPass<IdempotencyKeyPurgePass>;

  constructor(
    private readonly purge: IdempotencyKeyPurge,
    @Inject(PROCESS_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: 'IdempotencyKeyPurge' });
    this.passes = new PeriodicPass(
      async () => {
        const pass = await this.purge.pass();
        if (pass.deleted > 0) this.logger.info({ deleted: pass.deleted }, `Deleted ${pass.deleted} expired Idempotency-Keys`);
        return pass;
      },
      PURGE_INTERVAL_MS,
      (err) => this.logger.warn({ reason: err.message }, `Idempotency-Key purge failed, tried again in an hour: ${err.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass, unless the previous one is still running; resolves when it is over. */
  runPass(): Promise<IdempotencyKeyPurgePass | undefined> {
    return this.passes.run();
  }
}
