import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { CallClosing, type CallClosingPass } from '@passerelle/calls';
import { AppConfig, PROCESS_LOGGER } from '@passerelle/platform';
import { PeriodicPass } from '../common/periodic-pass';

/**
 * The safety net of the closing jobs: at start and every RECONCILE_INTERVAL_SECONDS, closes every call
 * past its closing time that is not recorded closed (a job Redis lost, a worker down at the time). Until
 * then the call already reads as closed and takes no submission: its status follows its closing time.
 */
@Injectable()
export class CallClosingTimer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly passes: PeriodicPass<CallClosingPass>;

  constructor(
    private readonly closing: CallClosing,
    config: AppConfig,
    @Inject(PROCESS_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: 'CallClosing' });
    this.passes = new PeriodicPass(
      async () => {
        const pass = await this.closing.pass();
        if (pass.closed > 0) this.logger.info({ closed: pass.closed }, `Closed ${pass.closed} calls past their closing time that no job had closed`);
        return pass;
      },
      config.RECONCILE_INTERVAL_SECONDS * 1000,
      (err) => this.logger.warn({ reason: err.message }, `Call closing pass failed, tried again in ${config.RECONCILE_INTERVAL_SECONDS} s: ${err.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass, unless the previous one is still running; resolves when it is over. */
  runPass(): Promise<CallClosingPass | undefined> {
    return this.passes.run();
  }
}
