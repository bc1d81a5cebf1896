import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { PartnershipExpiry, type PartnershipExpiryPass } from '@passerelle/partnerships';
import { AppConfig, PROCESS_LOGGER } from '@passerelle/platform';
import { PeriodicPass } from '../common/periodic-pass';

/**
 * Expires the partnerships whose term has ended, at start and every RECONCILE_INTERVAL_SECONDS (a term
 * ends by the day, so a few minutes late is on time). Passes never overlap in one process; across
 * processes each expiry is recorded once (PartnershipExpiry's idempotency key and the decider).
 */
@Injectable()
export class PartnershipExpiryTimer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly passes: PeriodicPass<PartnershipExpiryPass>;

  constructor(
    private readonly expiry: PartnershipExpiry,
    config: AppConfig,
    @Inject(PROCESS_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: 'PartnershipExpiry' });
    this.passes = new PeriodicPass(
      async () => {
        const pass = await this.expiry.pass();
        if (pass.expired > 0) this.logger.info({ expired: pass.expired, today: pass.today }, `Expired ${pass.expired} partnerships whose term ended before ${pass.today}`);
        return pass;
      },
      config.RECONCILE_INTERVAL_SECONDS * 1000,
      (err) => this.logger.warn({ reason: err.message }, `Partnership expiry pass failed, tried again in ${config.RECONCILE_INTERVAL_SECONDS} s: ${err.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass, unless the previous one is still running; resolves when it is over. */
  runPass(): Promise<PartnershipExpiryPass | undefined> {
    return this.passes.run();
  }
}
