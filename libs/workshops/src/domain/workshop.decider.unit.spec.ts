import { deciderSpec } from '@passerelle/testing';
import type { WorkshopCommand } from './workshop.commands';
import { evolveWorkshop, initialWorkshopState, workshopDecider } from './workshop.decider';
import type { SessionData, WorkshopEvent } from './workshop.events';

const spec = deciderSpec(workshopDecider);
const W = 'w-1';
const planned: WorkshopEvent = {
  type: 'WorkshopPlanned',
  data: {
    workshopId: W,
    title: 'AI capacity building',
    hostInstitution: 'Shanghai AI research institute',
    city: 'Shanghai',
    country: 'CN',
    startsOn: '2025-10-23',
    endsOn: '2025-10-25',
    themes: ['healthcare'],
    timeZone: 'Asia/Shanghai',
    plannedAt: '2025-09-01T08:00:00Z',
  },
};
const study: SessionData = { sessionId: 's-1', kind: 'study' as const, title: 'Foundations', startsAt: '2025-10-23T09:00:00Z', endsAt: '2025-10-23T12:00:00Z', location: null };
const sharing: SessionData = { ...study, sessionId: 's-2', kind: 'solutions_sharing' as const, title: 'Solutions sharing' };
const sessionAdded = (s: SessionData): WorkshopEvent => ({ type: 'WorkshopSessionAdded', data: { workshopId: W, ...s } });
const opened: WorkshopEvent = { type: 'WorkshopRegistrationOpened', data: { workshopId: W, openedAt: '2025-09-02T08:00:00Z' } };
const invited: WorkshopEvent = {
  type: 'WorkshopParticipantsInvited',
  data: { workshopId: W, invitations: [{ invitationId: 'i-1', email: 'Siti@kominfo.go.id' }] },
};
const started: WorkshopEvent = { type: 'WorkshopStarted', data: { workshopId: W, startedAt: '2025-10-23T08:00:00Z' } };
const concluded: WorkshopEvent = { type: 'WorkshopConcluded', data: { workshopId: W, concludedAt: '2025-10-25T18:00:00Z' } };
const plan: WorkshopCommand = { type: 'PlanWorkshop', ...planned.data, at: planned.data.plannedAt } as WorkshopCommand;

describe('workshop decider', () => {
  describe('PlanWorkshop', () => {
    it('plans a new workshop', () => spec([]).when(plan).then([planned]));
    it('refuses to plan it twice', () => spec([planned]).when(plan).thenRefuses('workshop_exists', 'This workshop already exists'));
    it("takes the zone of the country's capital when staff name none", () => {
      const { timeZone: _zone, ...withoutZone } = plan as Extract<WorkshopCommand, { type: 'PlanWorkshop' }>;
      spec([]).when({ ...withoutZone, country: 'BR' } as WorkshopCommand).then([{ ...planned, data: { ...planned.data, country: 'BR', timeZone: 'America/Sao_Paulo' } } as WorkshopEvent]);
    });
    it('keeps the zone staff name', () =>
      spec([]).when({ ...plan, timeZone: 'Asia/Urumqi' } as WorkshopCommand).then([{ ...planned, data: { ...planned.data, timeZone: 'Asia/Urumqi' } } as WorkshopEvent]));
    it('refuses a zone that is not one', () => spec([]).when({ ...plan, timeZone: 'Mars/Olympus_Mons' } as WorkshopCommand).thenRefuses('time_zone'));
    it("reads a plan recorded before zones were in the zone of the country's capital", () => {
      const { timeZone: _zone, ...old } = planned.data as Extract<WorkshopEvent, { type: 'WorkshopPlanned' }>['data'];
      expect(evolveWorkshop(initialWorkshopState(), { type: 'WorkshopPlanned', data: old })).toMatchObject({ timeZone: 'Asia/Shanghai' });
      expect(evolveWorkshop(initialWorkshopState(), { type: 'WorkshopPlanned', data: { ...old, country: 'US' } })).toMatchObject({ timeZone: 'America/New_York' });
    });
    it('refuses an end before the start', () =>
      spec([]).when({ ...plan, endsOn: '2025-10-01' } as WorkshopCommand).thenRefuses('workshop_dates'));
  });

  describe('AddSession', () => {
    const add: WorkshopCommand = { type: 'AddSession', ...study };
    it('adds a session while planned, open or in progress', () => {
      spec([planned]).when(add).then([sessionAdded(study)]);
      spec([planned, opened]).when(add).then([sessionAdded(study)]);
      spec([planned, opened, started]).when(add).then([sessionAdded(study)]);
    });
    it('refuses once concluded', () =>
      spec([planned, opened, started, concluded]).when(add).thenRefuses('workshop_status', 'Cannot add a session to a workshop that is concluded'));
    it('refuses for an unknown workshop', () => spec([]).when(add).thenRefuses('workshop_not_found', 'This workshop does not exist'));
    it('refuses the same session twice', () => spec([planned, sessionAdded(study)]).when(add).thenRefuses('session_exists'));
    it('refuses a session that ends before it starts', () =>
      spec([planned]).when({ ...add, endsAt: study.startsAt } as WorkshopCommand).thenRefuses('session_times'));
    it('refuses a session outside the workshop dates', () =>
      spec([planned])
        .when({ ...add, startsAt: '2025-10-26T09:00:00Z', endsAt: '2025-10-26T10:00:00Z' } as WorkshopCommand)
        .thenRefuses('session_outside_workshop'));
  });

  describe('OpenRegistration', () => {
    const open: WorkshopCommand = { type: 'OpenRegistration', at: '2025-09-02T08:00:00Z' };
    it('opens a planned workshop', () => spec([planned]).when(open).then([opened]));
    it('refuses to open twice or later', () => {
      spec([planned, opened]).when(open).thenRefuses('workshop_status', 'Cannot open registration of a workshop that is registration open');
      spec([planned, opened, started]).when(open).thenRefuses('workshop_status', 'Cannot open registration of a workshop that is in progress');
    });
  });

  describe('InviteParticipants', () => {
    const invite = (email: string, invitationId = 'i-2'): WorkshopCommand => ({ type: 'InviteParticipants', invitations: [{ invitationId, email }] });
    it('invites while registration is open', () =>
      spec([planned, opened]).when(invite('siti@kominfo.go.id', 'i-1')).then([
        { type: 'WorkshopParticipantsInvited', data: { workshopId: W, invitations: [{ invitationId: 'i-1', email: 'siti@kominfo.go.id' }] } },
      ]));
    it('refuses before registration opens and after the start', () => {
      spec([planned]).when(invite('a@b.org')).thenRefuses('workshop_status');
      spec([planned, opened, started]).when(invite('a@b.org')).thenRefuses('workshop_status');
    });
    it('refuses an e-mail already invited, whatever its case', () =>
      spec([planned, opened, invited]).when(invite('siti@KOMINFO.go.id')).thenRefuses('duplicate_participant'));
    it('refuses the same e-mail twice in one request', () =>
      spec([planned, opened])
        .when({ type: 'InviteParticipants', invitations: [{ invitationId: 'a', email: 'x@y.org' }, { invitationId: 'b', email: 'X@y.org' }] })
        .thenRefuses('duplicate_participant'));
    it('refuses an empty list', () => spec([planned, opened]).when({ type: 'InviteParticipants', invitations: [] }).thenRefuses('no_participants'));
  });

  describe('StartWorkshop', () => {
    const start: WorkshopCommand = { type: 'StartWorkshop', at: '2025-10-23T08:00:00Z' };
    it('starts once registration was open', () => spec([planned, opened]).when(start).then([started]));
    it('refuses to start a planned, started or concluded workshop', () => {
      spec([planned]).when(start).thenRefuses('workshop_status');
      spec([planned, opened, started]).when(start).thenRefuses('workshop_status');
      spec([planned, opened, started, concluded]).when(start).thenRefuses('workshop_status');
    });
  });

  describe('RecordAttendance', () => {
    const history = [planned, sessionAdded(study), opened, invited, started];
    it('records attendance of invited participants at a session, once each', () =>
      spec(history).when({ type: 'RecordAttendance', sessionId: 's-1', invitationIds: ['i-1', 'i-1'] }).then([
        { type: 'WorkshopAttendanceRecorded', data: { workshopId: W, sessionId: 's-1', invitationIds: ['i-1'] } },
      ]));
    it('refuses before the start', () =>
      spec([planned, sessionAdded(study), opened, invited]).when({ type: 'RecordAttendance', sessionId: 's-1', invitationIds: ['i-1'] }).thenRefuses('workshop_status'));
    it('refuses an unknown session', () =>
      spec(history).when({ type: 'RecordAttendance', sessionId: 'nope', invitationIds: ['i-1'] }).thenRefuses('session_not_found'));
    it('refuses someone not invited', () =>
      spec(history).when({ type: 'RecordAttendance', sessionId: 's-1', invitationIds: ['i-9'] }).thenRefuses('invitation_not_found'));
  });

  describe('PresentSolution', () => {
    const history = [planned, sessionAdded(study), sessionAdded(sharing), opened, started];
    const present: WorkshopCommand = { type: 'PresentSolution', solutionId: 'sol-1', sessionId: 's-2', company: 'MedAI', title: 'Triage', sector: 'healthcare' };
    it('records a solution presented in a solutions-sharing session', () =>
      spec(history).when(present).then([
        { type: 'WorkshopSolutionPresented', data: { workshopId: W, solutionId: 'sol-1', sessionId: 's-2', company: 'MedAI', title: 'Triage', sector: 'healthcare' } },
      ]));
    it('refuses another kind of session, an unknown one, a repeat, and outside the workshop', () => {
      spec(history).when({ ...present, sessionId: 's-1' } as WorkshopCommand).thenRefuses('session_kind');
      spec(history).when({ ...present, sessionId: 'nope' } as WorkshopCommand).thenRefuses('session_not_found');
      spec([...history, ...workshopDecider.decide(present, history.reduce(workshopDecider.evolve, workshopDecider.initialState()))])
        .when(present)
        .thenRefuses('solution_exists');
      spec([planned, sessionAdded(sharing), opened]).when(present).thenRefuses('workshop_status');
    });
  });

  describe('state', () => {
    it('holds nothing before the plan', () => expect(workshopDecider.initialState()).toEqual({ status: 'none' }));
    it('keeps the dates, the sessions, who was invited and the solutions', () => {
      const history = [planned, sessionAdded(study), opened, invited, started];
      expect(history.reduce(workshopDecider.evolve, workshopDecider.initialState())).toEqual({
        status: 'in_progress',
        workshopId: 'w-1',
        startsOn: '2025-10-23',
        endsOn: '2025-10-25',
        timeZone: 'Asia/Shanghai',
        sessions: { 's-1': { sessionId: 's-1', kind: 'study', title: 'Foundations', startsAt: '2025-10-23T09:00:00Z', endsAt: '2025-10-23T12:00:00Z', location: null } },
        invitedEmails: new Set(['siti@kominfo.go.id']),
        invitationIds: new Set(['i-1']),
        solutionIds: new Set(),
      });
    });
  });

  describe('ConcludeWorkshop', () => {
    const conclude: WorkshopCommand = { type: 'ConcludeWorkshop', at: '2025-10-25T18:00:00Z' };
    it('concludes a workshop in progress', () => spec([planned, opened, started]).when(conclude).then([concluded]));
    it('refuses otherwise', () => {
      spec([planned, opened]).when(conclude).thenRefuses('workshop_status');
      spec([planned, opened, started, concluded]).when(conclude).thenRefuses('workshop_status');
    });
  });
});
