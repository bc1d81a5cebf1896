import { Injectable } from '@nestjs/common';
import { loadAggregate, type StoredEvent } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { MailTemplates } from '@passerelle/mail';
import { AppConfig, EventStorePool } from '@passerelle/platform';
import { workshopStream, workshopTimeZone, type WorkshopEvent } from '@passerelle/workshops';
import { invitationDecider, type InvitationState } from '../domain/invitation.decider';
import type { InvitationEvent } from '../domain/invitation.events';
import { invitationStream } from './invitation-commands';
import { formatDates, formatProgramme, formatTimeZone, type ProgrammeSession } from './format-dates';
import { RsvpTokens } from './rsvp-tokens';
import { CALENDAR_ATTACHMENT, workshopCalendar } from './workshop-calendar';

type Issued = Extract<InvitationEvent, { type: 'InvitationIssued' }>['data'];
type Planned = Extract<WorkshopEvent, { type: 'WorkshopPlanned' }>['data'];

/** An invitation as its stream has it, for its e-mails. */
export interface InvitationLetter {
  state: InvitationState;
  events: StoredEvent<InvitationEvent>[];
  issued?: Issued;
  /** The participant's data subject, as the issued event's sealed address names it. */
  subjectId?: string;
}

/** The e-mail of an invitation or of its reminder: its template, language, values and calendar file. */
export interface InvitationLetterMail {
  template: 'invitation' | 'invitation-reminder';
  language: string;
  values: Record<string, string>;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

/**
 * What the invitation and its reminder say, built in one place for the invitation mail processor and
 * the invitation reminder source: the workshop, its dates and programme in the participant's language
 * and the venue's time, the RSVP link and the workshop as a calendar file.
 */
@Injectable()
export class InvitationLetters {
  /** A workshop's plan never changes once planned: kept per workshop while its invitations go out. */
  private readonly plans = new Map<string, Planned>();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly templates: MailTemplates,
    private readonly tokens: RsvpTokens,
    private readonly config: AppConfig,
    private readonly pool: EventStorePool,
  ) {}

  async load(invitationId: string): Promise<InvitationLetter> {
    const { state, events } = await loadAggregate(this.store, invitationStream(invitationId), invitationDecider);
    const issuedEvent = events.find((e) => e.type === 'InvitationIssued');
    return { state, events: events as StoredEvent<InvitationEvent>[], issued: issuedEvent?.data as Issued | undefined, subjectId: issuedEvent?.subjectIds?.[0] };
  }

  async mail(template: InvitationLetterMail['template'], invitationId: string, issued: Issued): Promise<InvitationLetterMail> {
    const workshop = await this.plan(issued.workshopId);
    const timeZone = workshopTimeZone(workshop);
    const sessions = await this.sessions(issued.workshopId);
    const rsvpUrl = `${this.config.APP_BASE_URL.replace(/\/$/, '')}/rsvp/${this.tokens.tokenFor(invitationId)}`;
    // Dates written as the e-mail's language writes them: the participant's, or English when it has no texts.
    const language = this.templates.languageOf(template, issued.language);
    const values = {
      fullName: issued.fullName,
      workshopTitle: workshop.title,
      hostInstitution: workshop.hostInstitution,
      city: workshop.city,
      dates: formatDates(workshop.startsOn, workshop.endsOn, language),
      startsOn: formatDates(workshop.startsOn, workshop.startsOn, language),
      timeZone: formatTimeZone(timeZone, workshop.startsOn, language),
      programme: formatProgramme(sessions, timeZone, language, this.templates.label(template, language, 'noProgramme')),
      rsvpUrl,
    };
    // The workshop for the participant's calendar, at the venue's local time.
    const calendar = workshopCalendar({ ...workshop, timeZone, sessions, rsvpUrl });
    return { template, language, values, attachments: [{ ...CALENDAR_ATTACHMENT, content: calendar }] };
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
