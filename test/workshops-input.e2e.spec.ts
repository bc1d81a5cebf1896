import { Client } from 'pg';
import { waitFor } from '@passerelle/testing';
import {
  BAD_IDS,
  UNKNOWN_ID,
  bodylessCases,
  checkRandomBodies,
  countEvents as countEventsIn,
  errorsOf,
  expectBodyRefused,
  expectFieldsNamed,
  expectProblem,
  expectRequired,
  nested,
  notNull,
  randomBodies,
  type Rule,
  type Rules,
  withDeep,
  without,
} from './support/bad-input';
import { type Stack, startStack, tokenIn } from './support/stack';

/**
 * DESIGN.md principle 7 for the workshop and invitation write endpoints: bad input is a 400
 * problem+json naming exactly the offending fields (unknown ones too), a bad path id is a 400 naming
 * the parameter, an unknown id a 404, no input is ever a 5xx, and nothing refused appends an event.
 */

const WORKSHOP = {
  title: 'AI capacity building for public administrations',
  hostInstitution: 'Shanghai AI Research Institute',
  city: 'Shanghai',
  country: 'CN',
  startsOn: '2030-10-23',
  endsOn: '2030-10-25',
  themes: ['healthcare', 'education'],
};
const SESSION = { kind: 'study', title: 'Foundations of machine learning', startsAt: '2030-10-23T09:00:00Z', endsAt: '2030-10-23T12:00:00Z', location: 'Main auditorium' };
const SHARING = { kind: 'solutions_sharing', title: 'Solutions from industry', startsAt: '2030-10-24T09:00:00Z', endsAt: '2030-10-24T12:00:00Z' };
const SOLUTION = { company: 'MedVision', title: 'Early screening of diabetic retinopathy', sector: 'healthcare' };

function participant(name: string, country = 'ID') {
  return {
    fullName: `Participant ${name}`,
    email: `participant-${name}@ministry-${country.toLowerCase()}.gov.test`,
    country,
    organization: `Ministry of Digital Affairs (${country})`,
    position: 'Director of digital policy',
    language: 'en',
  };
}

/** Valid-looking UUIDs, numbered: over-long lists without randomness. */
const numberedUuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Fixtures {
  /** Planned, with a study session. */
  planned: string;
  /** Registration open, one invitation (whose RSVP link is `token`). */
  open: string;
  token: string;
  /** In progress: a study session, a solutions-sharing session and two invitations. */
  running: string;
  studySession: string;
  sharingSession: string;
  invitationIds: string[];
}

describe('bad input to the workshop and invitation write endpoints', () => {
  let stack: Stack;
  let db: Client;
  let auth: Record<string, string>;
  let f: Fixtures;
  let requests = 0;

  beforeAll(async () => {
    stack = await startStack('workshops_input', { worker: false });
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    auth = { Authorization: `Bearer ${stack.token}` };

    const planned = await createWorkshop();
    await addSession(planned, SESSION);

    const open = await createWorkshop();
    await act(open, 'open-registration', 200);
    await invite(open, [participant('rsvp', 'FR')]);

    const running = await createWorkshop();
    const studySession = await addSession(running, SESSION);
    const sharingSession = await addSession(running, SHARING);
    await act(running, 'open-registration', 200);
    const invitationIds = await invite(running, [participant('running-1', 'PK'), participant('running-2', 'EG')]);
    await act(running, 'start', 200);

    // The worker only long enough to e-mail the three invitations and project them (the RSVP link of
    // the open workshop must resolve); then it stops, so that no event is appended behind the tests' backs.
    await stack.startWorker();
    await waitFor(() => stack.smtp.received.length >= 3, { timeoutMs: 30_000, what: 'three invitation e-mails' });
    const token = tokenIn(stack.smtp.to(participant('rsvp', 'FR').email)[0].parsed.text ?? '');
    await waitFor(
      async () => (await countEvents("type = 'InvitationEmailed'")) === 3 && (await stack.http.get(`/api/rsvp/${token}`)).body?.status === 'emailed',
      { timeoutMs: 30_000, what: 'the invitations e-mailed and projected' },
    );
    await stack.stopWorker();
    f = { planned, open, token, running, studySession, sharingSession, invitationIds };
  });

  afterAll(async () => {
    await db?.end();
    await stack?.close();
  });

  async function createWorkshop(): Promise<string> {
    const created = await stack.http.post('/api/workshops').set(auth).send(WORKSHOP).expect(201);
    return created.body.id;
  }

  async function addSession(workshopId: string, session: object): Promise<string> {
    const added = await stack.http.post(`/api/workshops/${workshopId}/sessions`).set(auth).send(session).expect(201);
    return added.body.sessionId;
  }

  async function act(workshopId: string, action: string, status: number): Promise<void> {
    await stack.http.post(`/api/workshops/${workshopId}/${action}`).set(auth).expect(status);
  }

  async function invite(workshopId: string, participants: object[]): Promise<string[]> {
    const invited = await stack.http.post(`/api/workshops/${workshopId}/invitations`).set(auth).send({ participants }).expect(202);
    return invited.body.items.map((item: { id: string }) => item.id);
  }

  const countEvents = (where?: string) => countEventsIn(db, where);

  /** A POST with a JSON text as it is (undefined: no body at all), optionally with an Idempotency-Key. */
  function send(path: string, text: string | undefined, idempotencyKey?: string) {
    requests += 1;
    let request = stack.http.post(path).set(auth);
    if (idempotencyKey) request = request.set('Idempotency-Key', idempotencyKey);
    return text === undefined ? request : request.set('Content-Type', 'application/json').send(text);
  }

  const post = (path: string, body?: unknown, idempotencyKey?: string) => send(path, body === undefined ? undefined : JSON.stringify(body), idempotencyKey);

  /** A 400 problem+json naming exactly `fields`, and not one event more. */
  async function expectBadInput(path: string, body: unknown, fields: string[], options: { raw?: string; idempotencyKey?: string } = {}) {
    const before = await countEvents();
    const response = await send(path, options.raw ?? JSON.stringify(body), options.idempotencyKey);
    expectFieldsNamed(response, fields);
    expect(await countEvents()).toBe(before);
    return response;
  }

  async function expectNotFound(path: string, body?: unknown) {
    const before = await countEvents();
    const response = await post(path, body);
    expectProblem(response, 404);
    expect(await countEvents()).toBe(before);
  }

  it('POST /api/workshops names exactly the missing, wrong-typed, unknown and out-of-range fields', async () => {
    const path = '/api/workshops';
    // missing: one message each, that it is required
    expectRequired(await expectBadInput(path, {}, Object.keys(WORKSHOP)), Object.keys(WORKSHOP));
    expectRequired(await expectBadInput(path, without(WORKSHOP, 'title'), ['title']), ['title']);
    expectRequired(await expectBadInput(path, without(WORKSHOP, 'themes', 'endsOn'), ['themes', 'endsOn']), ['themes', 'endsOn']);
    // wrong-typed: the kind of value it takes
    expect(errorsOf(await expectBadInput(path, { ...WORKSHOP, title: 42 }, ['title']))).toEqual([{ field: 'title', message: 'title must be a string' }]);
    expect(errorsOf(await expectBadInput(path, { ...WORKSHOP, city: null }, ['city']))).toEqual([{ field: 'city', message: 'city must be a string' }]);
    await expectBadInput(path, { ...WORKSHOP, themes: 'healthcare' }, ['themes']);
    await expectBadInput(path, { ...WORKSHOP, themes: ['healthcare', 7] }, ['themes']);
    await expectBadInput(path, { ...WORKSHOP, themes: [['healthcare']] }, ['themes']);
    const wrongTyped = await expectBadInput(path, { ...WORKSHOP, startsOn: 20301023, country: ['CN'] }, ['startsOn', 'country']);
    expect(errorsOf(wrongTyped)).toEqual([
      { field: 'country', message: 'country must be a valid ISO31661 Alpha2 code' },
      { field: 'startsOn', message: 'startsOn must be a string' },
    ]);
    // unknown
    await expectBadInput(path, { ...WORKSHOP, status: 'concluded' }, ['status']);
    await expectBadInput(path, { ...WORKSHOP, id: UNKNOWN_ID, budget: { amount: 1000 } }, ['id', 'budget']);
    // out of range: present, so its own messages
    expect(errorsOf(await expectBadInput(path, { ...WORKSHOP, title: 'x'.repeat(201) }, ['title']))).toEqual([{ field: 'title', message: 'title must be shorter than or equal to 200 characters' }]);
    expect(errorsOf(await expectBadInput(path, { ...WORKSHOP, title: '   ' }, ['title']))).toEqual([{ field: 'title', message: 'title should not be empty' }]);
    await expectBadInput(path, { ...WORKSHOP, city: 'x'.repeat(101) }, ['city']);
    await expectBadInput(path, { ...WORKSHOP, country: 'XX' }, ['country']);
    await expectBadInput(path, { ...WORKSHOP, startsOn: '2030-02-30', endsOn: '2030-13-01' }, ['startsOn', 'endsOn']);
    expect(errorsOf(await expectBadInput(path, { ...WORKSHOP, startsOn: '23/10/2030' }, ['startsOn']))).toEqual([
      { field: 'startsOn', message: 'startsOn must be a valid ISO 8601 date string' },
      { field: 'startsOn', message: 'startsOn must be a date such as 2025-10-23' },
    ]);
    await expectBadInput(path, { ...WORKSHOP, themes: Array.from({ length: 21 }, (_, i) => `theme ${i}`) }, ['themes']);
    await expectBadInput(path, { ...WORKSHOP, themes: ['x'.repeat(61)] }, ['themes']);
    await expectBadInput(path, { ...WORKSHOP, themes: [''] }, ['themes']);
    // text PostgreSQL cannot store
    await expectBadInput(path, { ...WORKSHOP, title: 'AI\u0000', hostInstitution: 'Institute \ud800', themes: ['health\udfff'] }, ['title', 'hostInstitution', 'themes']);
    // all at once
    const allAtOnce = await expectBadInput(path, { ...without(WORKSHOP, 'city'), title: 7, country: 'XX', extra: true }, ['city', 'title', 'country', 'extra']);
    expect(errorsOf(allAtOnce)).toEqual([
      { field: 'city', message: 'city is required' },
      { field: 'country', message: 'country must be a valid ISO31661 Alpha2 code' },
      { field: 'extra', message: 'is not a known field' },
      { field: 'title', message: 'title must be a string' },
    ]);

    const created = await post(path, { ...WORKSHOP, title: '  IA · 人工智能 · الذكاء الاصطناعي 🤖  ', themes: [] });
    expect(created.status).toBe(201);
  });

  it('POST /api/workshops/:id/sessions names exactly the missing, wrong-typed, unknown and out-of-range fields', async () => {
    const path = `/api/workshops/${f.planned}/sessions`;
    expectRequired(await expectBadInput(path, {}, ['kind', 'title', 'startsAt', 'endsAt']), ['kind', 'title', 'startsAt', 'endsAt']);
    expectRequired(await expectBadInput(path, without(SESSION, 'startsAt'), ['startsAt']), ['startsAt']);
    await expectBadInput(path, { ...SESSION, kind: 3 }, ['kind']);
    await expectBadInput(path, { ...SESSION, startsAt: 1918976400000, title: ['Foundations'] }, ['startsAt', 'title']);
    await expectBadInput(path, { ...SESSION, location: 5 }, ['location']);
    await expectBadInput(path, { ...SESSION, speaker: 'Dr. Chen' }, ['speaker']);
    await expectBadInput(path, { ...SESSION, kind: 'party' }, ['kind']);
    await expectBadInput(path, { ...SESSION, startsAt: '2030-10-23T25:00:00Z', endsAt: 'tomorrow' }, ['startsAt', 'endsAt']);
    await expectBadInput(path, { ...SESSION, title: '', location: 'x'.repeat(201) }, ['title', 'location']);
    await expectBadInput(path, { ...SESSION, location: 'Hall \u0000B' }, ['location']);
    await expectBadInput(path, { ...SESSION, title: '\udc00 Foundations' }, ['title']);

    const added = await post(path, { ...SESSION, location: null });
    expect(added.status).toBe(201);
  });

  it('POST /api/workshops/:id/invitations names exactly the offending participants.N.fields, and refuses 0 or 1001 participants', async () => {
    const path = `/api/workshops/${f.open}/invitations`;
    const people = ['a', 'b', 'c', 'd'].map((name) => participant(`list-${name}`));
    const withPerson = (index: number, person: unknown) => ({ participants: people.map((p, i) => (i === index ? person : p)) });
    // missing
    expectRequired(await expectBadInput(path, {}, ['participants']), ['participants']);
    expectRequired(await expectBadInput(path, withPerson(3, without(people[3], 'email')), ['participants.3.email']), ['participants.3.email']);
    const everyField = ['fullName', 'email', 'country', 'organization', 'language'].map((field) => `participants.0.${field}`);
    expectRequired(await expectBadInput(path, { participants: [{}] }, everyField), everyField);
    // wrong-typed
    await expectBadInput(path, { participants: 'everyone' }, ['participants']);
    await expectBadInput(path, { participants: null }, ['participants']);
    expect(errorsOf(await expectBadInput(path, withPerson(3, { ...people[3], email: 42 }), ['participants.3.email']))).toEqual([{ field: 'participants.3.email', message: 'email must be an email' }]);
    await expectBadInput(path, withPerson(2, { ...people[2], position: 12 }), ['participants.2.position']);
    await expectBadInput(path, withPerson(1, 'Participant b'), ['participants', 'participants.1']);
    await expectBadInput(path, withPerson(1, [people[1]]), ['participants']);
    await expectBadInput(path, { participants: [[]] }, ['participants']);
    // unknown
    await expectBadInput(path, { participants: people, sendReminders: true }, ['sendReminders']);
    await expectBadInput(path, withPerson(3, { ...people[3], role: 'admin' }), ['participants.3.role']);
    await expectBadInput(path, withPerson(2, { ...people[2], hasOwnProperty: true }), ['participants.2.hasOwnProperty']);
    // out of range
    await expectBadInput(path, { participants: [] }, ['participants']);
    const crowd = Array.from({ length: 1001 }, (_, i) => participant(`crowd-${i}`));
    await expectBadInput(path, { participants: crowd }, ['participants']);
    await expectBadInput(path, withPerson(3, { ...people[3], country: 'XX', language: 'english' }), ['participants.3.country', 'participants.3.language']);
    await expectBadInput(path, withPerson(0, { ...people[0], email: 'not-an-email' }), ['participants.0.email']);
    await expectBadInput(path, withPerson(1, { ...people[1], fullName: 'x'.repeat(201), organization: ' ' }), ['participants.1.fullName', 'participants.1.organization']);
    // text PostgreSQL cannot store, and an e-mail address the validator used to choke on
    await expectBadInput(path, withPerson(1, { ...people[1], fullName: 'Siti\u0000Rahma' }), ['participants.1.fullName']);
    await expectBadInput(path, withPerson(0, { ...people[0], email: 'siti\ud800@kominfo.go.id' }), ['participants.0.email']);
    await expectBadInput(path, withPerson(2, { ...people[2], email: 'siti@kominfo\udbff.go.id', organization: '\udc00' }), ['participants.2.email', 'participants.2.organization']);
    // all at once
    await expectBadInput(
      path,
      { participants: [without(people[0], 'email'), people[1], { ...people[2], country: 'XX' }, { ...people[3], extra: 1 }], note: 'x' },
      ['participants.0.email', 'participants.2.country', 'participants.3.extra', 'note'],
    );

    const invited = await post(path, { participants: [{ ...participant('list-ok'), position: undefined, fullName: 'Nguyễn Thị Minh Khai' }] });
    expect(invited.status).toBe(202);
  });

  it('POST /api/workshops/:id/sessions/:sessionId/attendance names exactly the offending fields, 404 for an unknown session or invitation', async () => {
    const path = `/api/workshops/${f.running}/sessions/${f.studySession}/attendance`;
    await expectBadInput(path, {}, ['invitationIds']);
    await expectBadInput(path, { invitationIds: f.invitationIds[0] }, ['invitationIds']);
    await expectBadInput(path, { invitationIds: [42] }, ['invitationIds']);
    await expectBadInput(path, { invitationIds: [f.invitationIds] }, ['invitationIds']);
    await expectBadInput(path, { invitationIds: f.invitationIds, late: true }, ['late']);
    await expectBadInput(path, { invitationIds: [] }, ['invitationIds']);
    await expectBadInput(path, { invitationIds: Array.from({ length: 1001 }, (_, i) => numberedUuid(i)) }, ['invitationIds']);
    await expectBadInput(path, { invitationIds: [f.invitationIds[0], 'not-a-uuid'] }, ['invitationIds']);
    await expectNotFound(`/api/workshops/${f.running}/sessions/${UNKNOWN_ID}/attendance`, { invitationIds: f.invitationIds });
    await expectNotFound(path, { invitationIds: [UNKNOWN_ID] });

    const recorded = await post(path, { invitationIds: f.invitationIds });
    expect(recorded.status).toBe(200);
  });

  it('POST /api/workshops/:id/solutions names exactly the offending fields, 404 for an unknown session', async () => {
    const path = `/api/workshops/${f.running}/solutions`;
    const solution = { ...SOLUTION, sessionId: f.sharingSession };
    await expectBadInput(path, {}, ['company', 'title', 'sector', 'sessionId']);
    await expectBadInput(path, without(solution, 'sector'), ['sector']);
    await expectBadInput(path, { ...solution, company: { name: 'MedVision' }, sessionId: 5 }, ['company', 'sessionId']);
    await expectBadInput(path, { ...solution, award: 'best' }, ['award']);
    await expectBadInput(path, { ...solution, sector: 'x'.repeat(61), sessionId: 'session-1' }, ['sector', 'sessionId']);
    await expectBadInput(path, { ...solution, title: '' }, ['title']);
    await expectBadInput(path, { ...solution, company: 'Med\u0000Vision', title: '\ud800' }, ['company', 'title']);
    await expectNotFound(path, { ...solution, sessionId: UNKNOWN_ID });

    const presented = await post(path, solution);
    expect(presented.status).toBe(201);
  });

  it('POST /api/rsvp/:token names exactly the offending fields; an unknown or malformed token is 404', async () => {
    const path = `/api/rsvp/${f.token}`;
    await expectBadInput(path, {}, ['response']);
    await expectBadInput(path, { response: true }, ['response']);
    await expectBadInput(path, { response: ['accept'] }, ['response']);
    await expectBadInput(path, { response: 'maybe' }, ['response']);
    await expectBadInput(path, { response: 'ACCEPT' }, ['response']);
    await expectBadInput(path, { response: 'accept', comment: 'See you there' }, ['comment']);
    await expectNotFound(`/api/rsvp/${f.token.slice(0, -1)}${f.token.endsWith('A') ? 'B' : 'A'}`, { response: 'accept' });
    await expectNotFound('/api/rsvp/not-a-token', { response: 'accept' });

    const answered = await post(path, { response: 'decline' });
    expect(answered.status).toBe(200);
  });

  describe.each([
    { action: 'open-registration', status: 200, prepare: async (_id: string) => undefined },
    { action: 'start', status: 200, prepare: async (id: string) => act(id, 'open-registration', 200) },
    {
      action: 'conclude',
      status: 202,
      prepare: async (id: string) => {
        await act(id, 'open-registration', 200);
        await act(id, 'start', 200);
      },
    },
  ])('POST /api/workshops/:id/$action, which takes no body', ({ action, status, prepare }) => {
    it('refuses any field sent to it with a 400 naming each, then still works without one', async () => {
      const id = await createWorkshop();
      await prepare(id);
      const path = `/api/workshops/${id}/${action}`;
      await expectBadInput(path, { note: 'please' }, ['note']);
      await expectBadInput(path, { reason: 'done', force: true, at: '2030-10-25' }, ['reason', 'force', 'at']);
      await expectBadInput(path, { constructor: 1, __proto__x: 2 }, ['constructor', '__proto__x']);
      await expectBadInput(path, [], ['body']);
      await expectBadInput(path, ['note'], ['body']);
      const done = await post(path);
      expect(done.status).toBe(status);
    });
  });

  /** Every write endpoint, its path for a workshop id (and session id), and a body it would accept. */
  const ENDPOINTS: { name: string; path: (id: string, sessionId?: string) => string; body: () => unknown }[] = [
    { name: 'sessions', path: (id) => `/api/workshops/${id}/sessions`, body: () => SESSION },
    { name: 'open-registration', path: (id) => `/api/workshops/${id}/open-registration`, body: () => undefined },
    { name: 'invitations', path: (id) => `/api/workshops/${id}/invitations`, body: () => ({ participants: [participant('nowhere')] }) },
    { name: 'start', path: (id) => `/api/workshops/${id}/start`, body: () => undefined },
    { name: 'attendance', path: (id, sessionId = f.studySession) => `/api/workshops/${id}/sessions/${sessionId}/attendance`, body: () => ({ invitationIds: f.invitationIds }) },
    { name: 'solutions', path: (id) => `/api/workshops/${id}/solutions`, body: () => ({ ...SOLUTION, sessionId: f.sharingSession }) },
    { name: 'conclude', path: (id) => `/api/workshops/${id}/conclude`, body: () => undefined },
  ];

  it.each(ENDPOINTS)('POST $name: a workshop id that is not a UUID is 400 naming it, an unknown one is 404', async ({ path, body }) => {
    for (const bad of BAD_IDS) {
      await expectBadInput(path(bad), body(), ['id']);
    }
    await expectNotFound(path(UNKNOWN_ID), body());
  });

  it('POST attendance: a session id that is not a UUID is 400 naming it', async () => {
    for (const bad of ['not-a-uuid', '1', `${f.studySession}x`]) {
      await expectBadInput(`/api/workshops/${f.running}/sessions/${bad}/attendance`, { invitationIds: f.invitationIds }, ['sessionId']);
    }
    await expectBadInput(`/api/workshops/nope/sessions/${f.studySession}/attendance`, { invitationIds: f.invitationIds }, ['id']);
  });

  it('answers a body nested thousands of levels deep with a 400 naming the field, Idempotency-Key or not, on every endpoint', async () => {
    const targets: { path: string; valid: object; field: string }[] = [
      { path: '/api/workshops', valid: WORKSHOP, field: 'themes' },
      { path: `/api/workshops/${f.planned}/sessions`, valid: SESSION, field: 'title' },
      { path: `/api/workshops/${f.planned}/open-registration`, valid: {}, field: 'note' },
      { path: `/api/workshops/${f.open}/invitations`, valid: { participants: [participant('deep')] }, field: 'participants' },
      { path: `/api/workshops/${f.open}/start`, valid: {}, field: 'note' },
      { path: `/api/workshops/${f.running}/sessions/${f.studySession}/attendance`, valid: { invitationIds: f.invitationIds }, field: 'invitationIds' },
      { path: `/api/workshops/${f.running}/solutions`, valid: { ...SOLUTION, sessionId: f.sharingSession }, field: 'sessionId' },
      { path: `/api/workshops/${f.running}/conclude`, valid: {}, field: 'note' },
      { path: `/api/rsvp/${f.token}`, valid: { response: 'accept' }, field: 'response' },
    ];
    for (const { path, valid, field } of targets) {
      for (const depth of [20, 100, 20_000]) {
        const arrays = nested(depth, '[', '', ']');
        await expectBadInput(path, undefined, [field], { raw: withDeep(valid, field, arrays) });
        await expectBadInput(path, undefined, [field], { raw: withDeep(valid, field, arrays), idempotencyKey: `deep-${requests}` });
        await expectBadInput(path, undefined, ['x'], { raw: withDeep(valid, 'x', nested(depth, '{"a":', '1', '}')), idempotencyKey: `deep-${requests}` });
      }
      await expectBadInput(path, undefined, ['body'], { raw: nested(50_000, '[', '', ']'), idempotencyKey: `deep-${requests}` });
    }
  });

  describe('random bodies (fast-check, 200 each): never a 5xx, and nothing refused appends an event', () => {
    const text = (max: number, optional = false): Rule => ({ type: 'text', max, optional, nullable: optional });
    const token: Rule = { type: 'token' };
    const mutations = { tokenMax: 254, notNull };
    const target = (path: string) => ({ send: (body: string | undefined, key: string | undefined) => send(path, body, key), requests: () => requests, countEvents: () => countEvents() });

    const withBody: { name: string; path: () => string; valid: () => unknown; rules: Rules }[] = [
      {
        name: 'POST /api/workshops',
        path: () => '/api/workshops',
        valid: () => WORKSHOP,
        rules: { title: text(200), hostInstitution: text(200), city: text(100), country: token, startsOn: token, endsOn: token, themes: { type: 'list', oversize: Array.from({ length: 21 }, (_, i) => `theme ${i}`) }, 'themes.*': text(60) },
      },
      {
        name: 'POST /api/workshops/:id/sessions',
        path: () => `/api/workshops/${f.planned}/sessions`,
        valid: () => SESSION,
        rules: { kind: token, title: text(200), startsAt: token, endsAt: token, location: text(200, true) },
      },
      {
        name: 'POST /api/workshops/:id/invitations',
        path: () => `/api/workshops/${f.open}/invitations`,
        // {RUN} becomes the request's number: every valid body invites people not yet invited.
        valid: () => ({ participants: [participant('{RUN}-1', 'BR'), without(participant('{RUN}-2', 'KZ'), 'position')] }),
        rules: {
          participants: { type: 'list' },
          'participants.*': { type: 'object' },
          'participants.*.fullName': text(200),
          'participants.*.email': token,
          'participants.*.country': token,
          'participants.*.organization': text(200),
          'participants.*.position': text(200, true),
          'participants.*.language': token,
        },
      },
      {
        name: 'POST /api/workshops/:id/sessions/:sessionId/attendance',
        path: () => `/api/workshops/${f.running}/sessions/${f.studySession}/attendance`,
        valid: () => ({ invitationIds: f.invitationIds }),
        rules: { invitationIds: { type: 'list', oversize: Array.from({ length: 1001 }, (_, i) => numberedUuid(i)) }, 'invitationIds.*': token },
      },
      {
        name: 'POST /api/workshops/:id/solutions',
        path: () => `/api/workshops/${f.running}/solutions`,
        valid: () => ({ ...SOLUTION, sessionId: f.sharingSession }),
        rules: { company: text(200), title: text(200), sector: text(60), sessionId: token },
      },
      { name: 'POST /api/rsvp/:token', path: () => `/api/rsvp/${f.token}`, valid: () => ({ response: 'accept' }), rules: { response: token } },
    ];

    it.each(withBody)('$name', async ({ path, valid, rules }) => {
      await checkRandomBodies(target(path()), randomBodies(valid(), rules, mutations));
    });

    const bodyless: { name: string; path: () => string }[] = [
      { name: 'POST /api/workshops/:id/open-registration', path: () => `/api/workshops/${f.planned}/open-registration` },
      { name: 'POST /api/workshops/:id/start', path: () => `/api/workshops/${f.open}/start` },
      { name: 'POST /api/workshops/:id/conclude', path: () => `/api/workshops/${f.running}/conclude` },
    ];

    it.each(bodyless)('$name (any body at all is refused, naming its fields)', async ({ path }) => {
      await checkRandomBodies(target(path()), bodylessCases(), expectBodyRefused);
    });
  });
});
