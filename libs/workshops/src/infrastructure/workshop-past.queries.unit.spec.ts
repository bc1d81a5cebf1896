import { ERASED, type StoredEvent } from '@passerelle/event-store-core';
import type { WorkshopEvent } from '../domain/workshop.events';
import { workshopAsItWas } from './workshop-past.queries';

const W = 'w-1';
const plan = { title: 'Data governance', hostInstitution: 'Institute', city: 'Jakarta', country: 'ID', startsOn: '2030-05-10', endsOn: '2030-05-12', themes: ['governance'] };
const late = { sessionId: 's-2', kind: 'roundtable', title: 'Roundtable', startsAt: '2030-05-11T02:00:00.000Z', endsAt: '2030-05-11T05:00:00.000Z', location: null } as const;
const early = { sessionId: 's-1', kind: 'study', title: 'Foundations', startsAt: '2030-05-10T02:00:00.000Z', endsAt: '2030-05-10T05:00:00.000Z', location: 'Hall' } as const;
const EVENTS: WorkshopEvent[] = [
  { type: 'WorkshopPlanned', data: { workshopId: W, ...plan, plannedAt: '2030-01-01T10:00:00.000Z' } },
  { type: 'WorkshopSessionAdded', data: { workshopId: W, ...late } },
  { type: 'WorkshopSessionAdded', data: { workshopId: W, ...early } },
  { type: 'WorkshopRegistrationOpened', data: { workshopId: W, openedAt: '2030-02-01T10:00:00.000Z' } },
  { type: 'WorkshopParticipantsInvited', data: { workshopId: W, invitations: [{ invitationId: 'i-1', email: 'siti@kominfo.test' }, { invitationId: 'i-2', email: ERASED }] } },
  { type: 'WorkshopStarted', data: { workshopId: W, startedAt: '2030-05-10T01:00:00.000Z' } },
  { type: 'WorkshopSolutionPresented', data: { workshopId: W, solutionId: 'so-2', sessionId: 's-2', company: 'Zeta', title: 'Triage', sector: 'healthcare' } },
  { type: 'WorkshopSolutionPresented', data: { workshopId: W, solutionId: 'so-1', sessionId: 's-2', company: 'Alpha', title: 'Maps', sector: 'transport' } },
  { type: 'WorkshopAttendanceRecorded', data: { workshopId: W, sessionId: 's-1', invitationIds: ['i-1'] } },
  { type: 'WorkshopConcluded', data: { workshopId: W, concludedAt: '2030-05-12T10:00:00.000Z' } },
];
const stream = EVENTS.map((event, i) => ({ ...event, version: i + 1, recordedAt: new Date(2030, 0, i + 1), metadata: { actor: null, correlationId: 'c', causationId: null } }) as StoredEvent<WorkshopEvent>);
const upTo = (version: number) => workshopAsItWas(stream.slice(0, version))!;
const noCounts = { issued: null, emailed: null, bounced: null, accepted: null, declined: null };

describe('a workshop as it was', () => {
  it('is nothing before it was planned', () => {
    expect(workshopAsItWas([])).toBeNull();
  });

  it('is the plan alone at version 1', () => {
    expect(upTo(1)).toEqual({ id: W, ...plan, timeZone: 'Asia/Jakarta', status: 'planned', version: 1, sessions: [], solutions: [], invitations: { ...noCounts, total: 0 }, invited: [] });
  });

  it('names the zone staff gave, or the capital\'s for a plan recorded before zones were', () => {
    const planned = { ...stream[0], data: { ...stream[0].data, timeZone: 'Asia/Makassar' } } as StoredEvent<WorkshopEvent>;
    expect(workshopAsItWas([planned])?.timeZone).toBe('Asia/Makassar');
  });

  it('lists the sessions added by then, by start', () => {
    expect(upTo(2).sessions).toEqual([late]);
    expect(upTo(3).sessions).toEqual([early, late]);
  });

  it('follows its status and who had been invited, an erased participant reading "[erased]"', () => {
    expect(upTo(4)).toMatchObject({ status: 'registration_open', invitations: { ...noCounts, total: 0 } });
    expect(upTo(5)).toMatchObject({
      invitations: { ...noCounts, total: 2 },
      invited: [{ invitationId: 'i-1', email: 'siti@kominfo.test' }, { invitationId: 'i-2', email: ERASED, personalDataErased: true }],
    });
    expect(upTo(6).status).toBe('in_progress');
    expect(upTo(10)).toMatchObject({ status: 'concluded', version: 10 });
  });

  it('lists the solutions presented by then, by company and title', () => {
    expect(upTo(7).solutions.map((s) => s.solutionId)).toEqual(['so-2']);
    expect(upTo(8).solutions).toEqual([
      { solutionId: 'so-1', sessionId: 's-2', company: 'Alpha', title: 'Maps', sector: 'transport' },
      { solutionId: 'so-2', sessionId: 's-2', company: 'Zeta', title: 'Triage', sector: 'healthcare' },
    ]);
  });
});
