import { Injectable } from '@nestjs/common';
import { ERASED, eventsAt, type PointInTime, type StoredEvent } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { WorkshopEvent } from '../domain/workshop.events';
import { workshopTimeZone } from '../domain/time-zones';
import { workshopStream } from '../application/change-workshop.command';
import type { WorkshopDetail } from './workshop.queries';

/** Someone the workshop had invited by then, as its stream names them: "[erased]" once they are erased. */
export interface InvitedThen {
  invitationId: string;
  email: string;
  personalDataErased?: true;
}

/**
 * A workshop's detail in the past. The invitations' statuses live in each invitation's own stream, not in
 * the workshop's: only `total` (who had been invited by then) is rebuilt, the counts by status are null.
 * `invited` lists those invitations, with the address the workshop's stream holds.
 */
export interface WorkshopPastDetail extends Omit<WorkshopDetail, 'invitations'> {
  invitations: { [status in Exclude<keyof WorkshopDetail['invitations'], 'total'>]: null } & { total: number };
  invited: InvitedThen[];
}

const STATUS_AFTER = {
  WorkshopRegistrationOpened: 'registration_open',
  WorkshopStarted: 'in_progress',
  WorkshopConcluded: 'concluded',
} as const;

/**
 * A workshop as it was at a point of its past, folded from its stream (never the read model), its sealed
 * fields opened as every reader of the store sees them: an erased participant's address reads "[erased]".
 */
@Injectable()
export class WorkshopPastQueries {
  constructor(private readonly store: PostgresEventStore) {}

  /** Null when it did not exist then. */
  async get(id: string, point: PointInTime): Promise<WorkshopPastDetail | null> {
    return workshopAsItWas(eventsAt(await this.store.readStream<WorkshopEvent>(workshopStream(id)), point));
  }
}

/**
 * A workshop's detail as it was after `events` (its stream's first events, in order), in the shape of
 * today's detail (sessions by start, solutions by company and title), folded from the stream alone. Null
 * when the stream had not begun. Events of types this fold does not know count in the version only.
 */
export function workshopAsItWas(events: readonly StoredEvent<WorkshopEvent>[]): WorkshopPastDetail | null {
  const [first] = events;
  if (first?.type !== 'WorkshopPlanned') return null;
  const { workshopId, plannedAt: _at, ...plan } = first.data;
  const past: WorkshopPastDetail = {
    id: workshopId,
    ...plan,
    timeZone: workshopTimeZone(plan),
    status: 'planned',
    version: first.version,
    sessions: [],
    solutions: [],
    invitations: { issued: null, emailed: null, bounced: null, accepted: null, declined: null, total: 0 },
    invited: [],
  };
  for (const event of events) {
    past.version = event.version;
    switch (event.type) {
      case 'WorkshopSessionAdded': {
        const { workshopId: _id, ...session } = event.data;
        past.sessions.push(session);
        break;
      }
      case 'WorkshopSolutionPresented': {
        const { workshopId: _id, ...solution } = event.data;
        past.solutions.push(solution);
        break;
      }
      case 'WorkshopParticipantsInvited':
        for (const { invitationId, email } of event.data.invitations) {
          past.invited.push(email === ERASED ? { invitationId, email, personalDataErased: true } : { invitationId, email });
        }
        past.invitations.total = past.invited.length;
        break;
      case 'WorkshopRegistrationOpened':
      case 'WorkshopStarted':
      case 'WorkshopConcluded':
        past.status = STATUS_AFTER[event.type];
        break;
    }
  }
  past.sessions.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  past.solutions.sort((a, b) => a.company.localeCompare(b.company) || a.title.localeCompare(b.title));
  return past;
}
