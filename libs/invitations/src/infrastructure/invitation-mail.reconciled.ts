import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, type DueJob, EventStorePool, type ReconciledJobs } from '@passerelle/platform';
import { invitationStream } from '../application/invitation-commands';
import { INVITATION_MAIL_QUEUE, type InvitationMailJob, invitationJobId, invitationMailJob } from './invitation-mail.queue';

/** Issued invitations with their InvitationIssued event (whose id gives the job's); $1 is the stream prefix. */
export const DUE_INVITATION_MAILS_SQL = `SELECT i.id, i.issued_at, e.event_id, e.metadata->>'correlationId' AS correlation_id
  FROM invitations i JOIN events e ON e.stream_id = $1 || i.id::text AND e.type = 'InvitationIssued'
  WHERE i.status = 'issued'`;

interface DueInvitationMail extends DueJob {
  eventId: string;
  correlationId: string;
}

/**
 * Invitations the store says are issued and neither e-mailed nor bounced: each must have its mail job
 * in Redis (the one the invitation-mail reactor queued, same id). Reads the partial index
 * `invitations_issued`, so a pass costs only the invitations still waiting for their e-mail.
 */
@Injectable()
export class InvitationMailReconciled implements ReconciledJobs {
  readonly kind = 'invitation-mail';

  constructor(
    @InjectQueue(INVITATION_MAIL_QUEUE) readonly queue: Queue<InvitationMailJob>,
    private readonly pool: EventStorePool,
    private readonly config: AppConfig,
  ) {}

  async findDue(): Promise<DueInvitationMail[]> {
    const result = await this.pool.query(DUE_INVITATION_MAILS_SQL, [invitationStream('')]);
    return result.rows.map((row) => ({
      subjectId: row.id,
      jobId: invitationJobId(row.event_id),
      since: row.issued_at,
      eventId: row.event_id,
      correlationId: row.correlation_id,
    }));
  }

  async enqueue(missing: DueInvitationMail[]): Promise<void> {
    await this.queue.addBulk(
      missing.map((due) => invitationMailJob(this.config, { invitationId: due.subjectId, eventId: due.eventId, correlationId: due.correlationId })),
    );
  }
}
