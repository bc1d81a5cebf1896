import { UsersService } from '@passerelle/accounts';
import { type Stack, startStack } from './support/stack';

const workshop = (title: string, startsOn = '2031-03-10') => ({
  title,
  hostInstitution: 'Institute',
  city: 'Shanghai',
  country: 'CN',
  startsOn,
  endsOn: startsOn,
  themes: ['education'],
});

describe('HTTP conventions on workshops: ETag, If-Match, Idempotency-Key, X-Min-Position, pagination', () => {
  let stack: Stack;
  let auth: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack('workshops_http');
    auth = { Authorization: `Bearer ${stack.token}` };
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('answers a write with id, version and position, and the ETag and X-Position headers', async () => {
    const created = await stack.http.post('/api/workshops').set(auth).send(workshop('Headers')).expect(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), version: 1, position: expect.any(Number) });
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers['x-position']).toBe(String(created.body.position));
    const detail = await stack.http.get(`/api/workshops/${created.body.id}`).set(auth).set('X-Min-Position', String(created.body.position)).expect(200);
    expect(detail.body).toMatchObject({ id: created.body.id, title: 'Headers', status: 'planned', version: 1, sessions: [], invitations: { total: 0 } });
  });

  it('applies a write whose If-Match is current and refuses a stale one with 412, changing nothing', async () => {
    const created = await stack.http.post('/api/workshops').set(auth).send(workshop('If-Match')).expect(201);
    const id = created.body.id;
    const session = { kind: 'roundtable', title: 'Roundtable', startsAt: '2031-03-10T14:00:00Z', endsAt: '2031-03-10T16:00:00Z' };
    const added = await stack.http.post(`/api/workshops/${id}/sessions`).set(auth).set('If-Match', '"1"').send(session).expect(201);
    expect(added.body.version).toBe(2);
    const stale = await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).set('If-Match', '"1"').expect(412);
    expect(stale.body).toMatchObject({ status: 412, title: 'Precondition Failed' });
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).set('If-Match', 'W/"2"').expect(200);
    const bad = await stack.http.post(`/api/workshops/${id}/start`).set(auth).set('If-Match', 'three').expect(400);
    expect(bad.body.errors).toEqual([{ field: 'If-Match', message: expect.any(String) }]);
  });

  it('replays the first answer for a repeated Idempotency-Key, and refuses the key with another body (422)', async () => {
    const body = workshop('Idempotent');
    const first = await stack.http.post('/api/workshops').set(auth).set('Idempotency-Key', 'create-idempotent-1').send(body).expect(201);
    const again = await stack.http.post('/api/workshops').set(auth).set('Idempotency-Key', 'create-idempotent-1').send(body).expect(201);
    expect(again.body).toEqual(first.body);
    const other = await stack.http.post('/api/workshops').set(auth).set('Idempotency-Key', 'create-idempotent-1').send({ ...body, city: 'Beijing' }).expect(422);
    expect(other.body.status).toBe(422);
    const all = await stack.http.get('/api/workshops?limit=500').set(auth).set('X-Min-Position', String(first.body.position)).expect(200);
    expect(all.body.items.filter((w: { title: string }) => w.title === 'Idempotent')).toHaveLength(1);
  });

  it('pages through workshops with a cursor, newest start first', async () => {
    let last = 0;
    for (let i = 0; i < 7; i += 1) {
      const created = await stack.http.post('/api/workshops').set(auth).send(workshop(`Paged ${i}`, `2032-01-${String(10 + i).padStart(2, '0')}`)).expect(201);
      last = created.body.position;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { title: string; startsOn: string }[]; nextCursor: string | null } } = await stack.http
        .get(`/api/workshops?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        .set(auth)
        .set('X-Min-Position', String(last))
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((w) => w.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.filter((t) => t.startsWith('Paged'))).toEqual(['Paged 6', 'Paged 5', 'Paged 4', 'Paged 3', 'Paged 2', 'Paged 1', 'Paged 0']);
    expect(new Set(seen).size).toBe(seen.length);
    await stack.http.get('/api/workshops?limit=501').set(auth).expect(400);
    const badCursor = await stack.http.get('/api/workshops?cursor=nonsense').set(auth).expect(400);
    expect(badCursor.body.errors[0].field).toBe('cursor');
  });

  // How long it waits (5 s) is checked with a clock in libs/platform's read-models spec.
  it('answers 503 with Retry-After when the read model has not reached X-Min-Position in time', async () => {
    const response = await stack.http.get('/api/workshops').set(auth).set('X-Min-Position', String(Number.MAX_SAFE_INTEGER)).expect(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toMatchObject({ status: 503, detail: `The data has not yet reached position ${Number.MAX_SAFE_INTEGER}; try again shortly` });
    await stack.http.get('/api/workshops').set(auth).set('X-Min-Position', 'soon').expect(400);
  });

  it('answers 404 for an unknown workshop and 403 for an account without the staff role', async () => {
    await stack.http.get('/api/workshops/00000000-0000-4000-8000-000000000000').set(auth).expect(404);
    const missing = await stack.http.post('/api/workshops/00000000-0000-4000-8000-000000000000/open-registration').set(auth).expect(404);
    expect(missing.body.code).toBe('workshop_not_found');
    await stack.http.get('/api/workshops').expect(401);
    await stack.api.get(UsersService).create({ email: 'partner@university.test', fullName: 'Partner', role: 'partner', password: 'a-long-partner-password' });
    const partner = await stack.http.post('/api/auth/login').send({ email: 'partner@university.test', password: 'a-long-partner-password' }).expect(200);
    const partnerAuth = { Authorization: `Bearer ${partner.body.accessToken}` };
    await stack.http.get('/api/workshops').set(partnerAuth).expect(403);
    await stack.http.post('/api/workshops').set(partnerAuth).send(workshop('Not allowed')).expect(403);
    await stack.http.get('/admin/queues').set(partnerAuth).expect(403);
  });

  it('lets an admin read a stream\'s events with who did what, and nobody else', async () => {
    const created = await stack.http.post('/api/workshops').set(auth).set('X-Correlation-Id', 'audit-trail-1').send(workshop('Audited')).expect(201);
    await stack.http.post(`/api/workshops/${created.body.id}/open-registration`).set(auth).expect(200);
    const trail = await stack.http.get(`/api/audit/workshop/${created.body.id}`).set(auth).expect(200);
    expect(trail.body.map((e: { type: string }) => e.type)).toEqual(['WorkshopPlanned', 'WorkshopRegistrationOpened']);
    expect(trail.body[0]).toMatchObject({
      version: 1,
      position: created.body.position,
      data: { title: 'Audited' },
      metadata: { actor: expect.any(String), correlationId: 'audit-trail-1', causationId: null },
      recordedAt: expect.any(String),
    });
    await stack.http.get('/api/audit/workshop/00000000-0000-4000-8000-000000000000').set(auth).expect(404);
    await stack.http.get(`/api/audit/Workshop!/${created.body.id}`).set(auth).expect(400);
    const staff = await stack.http.post('/api/staff').set(auth).send({ email: 'auditor@institute.test', fullName: 'Staff', password: 'a-long-staff-password' }).expect(201);
    expect(staff.body.role).toBe('staff');
    const staffLogin = await stack.http.post('/api/auth/login').send({ email: 'auditor@institute.test', password: 'a-long-staff-password' }).expect(200);
    await stack.http.get(`/api/audit/workshop/${created.body.id}`).set('Authorization', `Bearer ${staffLogin.body.accessToken}`).expect(403);
  });
});
