import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ERASED, handleCommand, loadAggregate } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { MailTemplates, OnceMailer, RECIPIENT_ERASED, withoutAddresses } from '@passerelle/mail';
import { AppConfig, EventStorePool } from '@passerelle/platform';
import { CALENDAR_ATTACHMENT, workshopCalendar } from './workshop-calendar';
import { workshopStream, workshopTimeZone, type WorkshopEvent } from '@passerelle/workshops';
import {
  formatDates,
  formatProgramme,
  formatTimeZone,
  INVITATION_MAIL_QUEUE,
  invitationDecider,
  type InvitationEvent,
  type InvitationMailJob,
  invitationStream,
  type ProgrammeSession,
  RsvpTokens,
} from '@passerelle/invitations';

type Issued = Extract<InvitationEvent, { type: 'InvitationIssued' }>['data'];
type Planned = Extract<WorkshopEvent, { type: 'WorkshopPlanned' }>['data'];

/**
 * Sends one invitation (or reminder) e-mail per job and records the outcome as a command. Thin: the
 * job carries ids; the ledger in OnceMailer makes a second run of the same job send nothing.
 */
// A job's lock lapses 10 s after its worker dies; the stalled check every 5 s then hands it to another.
@Processor(INVITATION_MAIL_QUEUE, { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class InvitationMailProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger('InvitationMail');
  /** A workshop's plan never changes once planned: kept per workshop while its invitations go out. */
  private readonly plans = new Map<string, Planned>();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly mailer: OnceMailer,
    private readonly templates: MailTemplates,
    private readonly tokens: RsvpTokens,
    private readonly config: AppConfig,
    private readonly pool: EventStorePool,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.MAIL_CONCURRENCY;
  }

  async process(job: Job<InvitationMailJob>): Promise<string> {
    const reminder = job.name === 'reminder';
    const { invitationId } = job.data;
    const { state, events } = await loadAggregate(this.store, invitationStream(invitationId), invitationDecider);
    const issuedEvent = events.find((e) => e.type === 'InvitationIssued');
    const issued = issuedEvent?.data as Issued | undefined;
    if (!issued || state.status === 'none') return 'no such invitation';
    if (state.status === 'bounced') return 'bounced before';
    // The participant was erased after the invitation was queued: no one to write to, nothing to record.
    if (issued.email === ERASED) return 'personal data erased';
    if (reminder && (state.status === 'accepted' || state.status === 'declined' || state.reminded)) return 'no reminder needed';
    const workshop = await this.plan(issued.workshopId);
    const timeZone = workshopTimeZone(workshop);

    const kind = reminder ? 'invitation-reminder' : 'invitation';
    const sessions = await this.sessions(issued.workshopId);
    const rsvpUrl = `${this.config.APP_BASE_URL.replace(/\/$/, '')}/rsvp/${this.tokens.tokenFor(invitationId)}`;
    const rendered = this.templates.render(kind, issued.language, {
      fullName: issued.fullName,
      workshopTitle: workshop.title,
      hostInstitution: workshop.hostInstitution,
      city: workshop.city,
      dates: formatDates(workshop.startsOn, workshop.endsOn, issued.language),
      startsOn: formatDates(workshop.startsOn, workshop.startsOn, issued.language),
      timeZone: formatTimeZone(timeZone, workshop.startsOn, issued.language),
      programme: formatProgramme(sessions, timeZone, issued.language, this.templates.label(kind, issued.language, 'noProgramme')),
      rsvpUrl,
    });
    // The workshop for the participant's calendar, at the venue's local time.
    const calendar = workshopCalendar({ ...workshop, timeZone, sessions, rsvpUrl });
    // The participant's subject is the one their invitation's sealed address names: no look-up by address.
    const outcome = await this.mailer.send(`${kind}:${invitationId}`, {
      to: issued.email,
      subjectId: issuedEvent?.subjectIds?.[0],
      ...rendered,
      attachments: [{ ...CALENDAR_ATTACHMENT, content: calendar }],
    });
    const metadata = { actor: 'worker', correlationId: job.data.correlationId, causationId: job.data.eventId };
    const at = new Date().toISOString();
    if (outcome.status === 'rejected' && outcome.reason === RECIPIENT_ERASED) return 'personal data erased';
    if (outcome.status === 'rejected') {
      this.logger.warn(`${kind} for invitation ${invitationId} refused: ${withoutAddresses(outcome.reason)}`);
      if (!reminder) {
        await handleCommand(this.store, invitationStream(invitationId), invitationDecider, { type: 'RecordEmailBounced', reason: outcome.reason, at }, { metadata, loaded: events });
      }
      return 'bounced';
    }
    await handleCommand(
      this.store,
      invitationStream(invitationId),
      invitationDecider,
      reminder ? { type: 'RecordReminderSent', messageId: outcome.messageId, at } : { type: 'RecordEmailSent', messageId: outcome.messageId, at },
      { metadata, loaded: events },
    );
    return outcome.status;
  }

  /** The programme as it is when the e-mail goes out (sessions are added after planning): one row of the read model. */
  private async sessions(workshopId: string): Promise<(ProgrammeSession & { sessionId?: string })[]> {
    const found = await this.pool.query('SELECT sessions FROM workshops WHERE id = $1', [workshopId]);
    return (found.rows[0]?.sessions as (ProgrammeSession & { sessionId?: string })[] | undefined) ?? [];
  }

  private async plan(workshopId: string): Promise<Planned> {
    let plan = this.plans.get(workshopId);
    if (!plan) {
      const [planned] = await this.store.readStream(workshopStream(workshopId), 1, undefined, 1);
      plan = planned.data as Planned;
      if (this.plans.size >= 1000) this.plans.clear();
      this.plans.set(workshopId, plan);
    }
    return plan;
  }
}
