import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { InvitationMailReconciled } from '@passerelle/invitations';
import { ActivationMailReconciled } from '@passerelle/partners';
import { CallClosingReconciled } from '@passerelle/calls';
import { DecisionMailReconciled } from '@passerelle/proposals';
import { ReportCompileReconciled, ReportDeliveryReconciled, ReportRerenderReconciled } from '@passerelle/reporting';
import { AppConfig, JobReconciler, PROCESS_LOGGER, type ReconciledJobs, type ReconciledScheduler, type ReconcilePass } from '@passerelle/platform';
import { PeriodicPass } from '../common/periodic-pass';
import { RemindersReconciled } from '@passerelle/reminders';
import { ReminderSweepsProcessor } from '../reminders/reminder-sweeps.processor';
import { PersonalDataRetentionProcessor } from '../privacy/personal-data-retention.processor';

/**
 * Runs the reconciler at start and every RECONCILE_INTERVAL_SECONDS: the jobs Redis lost (a restart
 * without persistence, a failover, an old snapshot) are queued again without a restart or an operator.
 * Passes never overlap in one process; the reconciler's lock keeps them one at a time across processes.
 */
@Injectable()
export class ReconcileTimer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly kinds: ReconciledJobs[];
  private readonly schedulers: ReconciledScheduler[];
  private readonly passes: PeriodicPass<ReconcilePass>;

  constructor(
    private readonly reconciler: JobReconciler,
    private readonly config: AppConfig,
    @Inject(PROCESS_LOGGER) logger: Logger,
    invitationMail: InvitationMailReconciled,
    reminder: RemindersReconciled,
    activationMail: ActivationMailReconciled,
    decisionMail: DecisionMailReconciled,
    reportCompile: ReportCompileReconciled,
    reportDelivery: ReportDeliveryReconciled,
    reportRerender: ReportRerenderReconciled,
    reminderSweeps: ReminderSweepsProcessor,
    retention: PersonalDataRetentionProcessor,
    callClosing: CallClosingReconciled,
  ) {
    this.logger = logger.child({ context: 'Reconciler' });
    this.kinds = [invitationMail, reminder, activationMail, decisionMail, reportCompile, reportDelivery, reportRerender, callClosing];
    this.schedulers = [reminderSweeps, retention];
    this.passes = new PeriodicPass(
      () => this.reconciler.pass(this.kinds, this.schedulers),
      this.config.RECONCILE_INTERVAL_SECONDS * 1000,
      (err) => this.logger.warn({ reason: err.message }, `Reconcile pass failed, tried again in ${this.config.RECONCILE_INTERVAL_SECONDS} s: ${err.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  // Before the pool and the queues close, so no pass is cut short by the shutdown itself; but a pass
  // waiting for a Redis that is down does not hold the shutdown more than a few seconds.
  onModuleDestroy(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass, unless the previous one is still running; resolves when it is over. */
  runPass(): Promise<ReconcilePass | undefined> {
    return this.passes.run();
  }
}
