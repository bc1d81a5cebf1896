import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { InvitationMailReconciled } from '@passerelle/invitations';
import { AppConfig, JobReconciler, PROCESS_LOGGER, type ReconciledJobs, type ReconciledScheduler, type ReconcilePass } from '@passerelle/platform';
import { InvitationRemindersProcessor } from '../invitations/invitation-reminders.processor';

/**
 * Runs the reconciler at start and every RECONCILE_INTERVAL_SECONDS: the jobs Redis lost (a restart
 * without persistence, a failover, an old snapshot) are queued again without a restart or an operator.
 * Passes never overlap in one process; the reconciler's lock keeps them one at a time across processes.
 */
@Injectable()
export class ReconcileTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly kinds: ReconciledJobs[];
  private readonly schedulers: ReconciledScheduler[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReconcilePass | undefined> | undefined;

  constructor(
    private readonly reconciler: JobReconciler,
    private readonly config: AppConfig,
    @Inject(PROCESS_LOGGER) logger: Logger,
    invitationMail: InvitationMailReconciled,
    reminders: InvitationRemindersProcessor,
  ) {
    this.logger = logger.child({ context: 'Reconciler' });
    this.kinds = [invitationMail];
    this.schedulers = [reminders];
  }

  onApplicationBootstrap(): void {
    void this.runPass();
    this.timer = setInterval(() => void this.runPass(), this.config.RECONCILE_INTERVAL_SECONDS * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass, unless the previous one is still running; resolves when it is over. */
  runPass(): Promise<ReconcilePass | undefined> {
    this.running ??= this.reconciler
      .pass(this.kinds, this.schedulers)
      .catch((err: Error) => {
        this.logger.warn({ reason: err.message }, `Reconcile pass failed, tried again in ${this.config.RECONCILE_INTERVAL_SECONDS} s: ${err.message}`);
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
