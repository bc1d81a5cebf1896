import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { AppConfig } from '@passerelle/platform';
import { ADMIN, type ApiUnderTest, login, startApi } from './support/api';
import { queryRows } from './support/sql';
import {
  claimsOf,
  correlationId,
  DEVELOPMENT_KEY,
  eventsOf,
  expectProblem,
  handMadeToken,
  JWT_SECRET,
  PRODUCTION_ENV,
  rawRequest,
  tampered,
} from './support/security';

/**
 * What the security probe (issue 19) found holding, kept holding, on the API as production runs it
 * (NODE_ENV=production, its own JWT_SECRET): forged tokens, body limits, unknown fields, CORS.
 * Isolation by caller, injection, and escaping of pages and CSV are in test/security-*.e2e.spec.ts.
 */

const STAFF = { email: 'probe.staff@institute.test', fullName: 'Probe Staff', password: 'staff-password-Jq4#wX9z' };
const WORKSHOP = { title: 'Security probe', hostInstitution: 'Institute', city: 'Lusaka', country: 'ZM', startsOn: '2031-05-04', endsOn: '2031-05-05', themes: ['health'] };
const PROPOSAL = { title: 'Crop monitoring', summary: 'Imagery for smallholders', sectors: ['agriculture'], countries: ['ZM'], durationMonths: 12 };

describe('security on a production-mode API: forged tokens, body limits, unknown fields, CORS', () => {
  let api: ApiUnderTest;
  let admin: { id: string; email: string; role: string; token: string };
  let staff: { id: string; email: string; role: string; token: string };
  const partner = { id: randomUUID(), email: 'someone@partner.test', role: 'partner', institutionId: randomUUID() };

  beforeAll(async () => {
    api = await startApi('security', PRODUCTION_ENV);
    const adminLogin = await api.http.post('/api/auth/login').send(ADMIN).expect(200);
    admin = { ...adminLogin.body.user, token: adminLogin.body.accessToken };
    await api.http.post('/api/staff').set('Authorization', `Bearer ${admin.token}`).send(STAFF).expect(201);
    const staffLogin = await api.http.post('/api/auth/login').send({ email: STAFF.email, password: STAFF.password }).expect(200);
    staff = { ...staffLogin.body.user, token: staffLogin.body.accessToken };
    // A partner account as activation leaves it (tokens are checked against their account on each request).
    await queryRows(api.db.url, "INSERT INTO users (id, email, full_name, role, institution_id) VALUES ($1, $2, 'Probe Partner', 'partner', $3)", [
      partner.id,
      partner.email,
      partner.institutionId,
    ]);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('runs with NODE_ENV=production and the configured JWT_SECRET, not the development key', async () => {
    expect(api.app.get(AppConfig)).toMatchObject({ NODE_ENV: 'production', JWT_SECRET, jwtSecret: JWT_SECRET });
    expect(await login(api.http, ADMIN.email, ADMIN.password)).toEqual(expect.any(String));
  });

  /** A representative endpoint of each role: who it is for, how to call it, and what it answers a good token. */
  type Endpoint = { name: string; role: () => { id: string; email: string; role: string; institutionId?: string | null }; ok: number; send: (http: ReturnType<typeof request>, correlation: string) => request.Test };
  /** What a write stored under a correlation id: events, or for staff accounts (kept outside the event store), the account named after it. */
  const stored = async (name: string, id: string) =>
    name === 'POST /api/staff (admin)' ? (await queryRows<{ n: number }>(api.db.url, 'SELECT count(*)::int AS n FROM users WHERE email = $1', [`${id}@institute.test`]))[0].n : eventsOf(api.db.url, id);
  const ENDPOINTS: Endpoint[] = [
    { name: 'GET /api/me (any role)', role: () => staff, ok: 200, send: (http) => http.get('/api/me') },
    { name: 'POST /api/staff (admin)', role: () => admin, ok: 201, send: (http, id) => http.post('/api/staff').send({ ...STAFF, email: `${id}@institute.test` }) },
    { name: 'GET /api/audit/:streamType/:id (admin)', role: () => admin, ok: 404, send: (http) => http.get(`/api/audit/workshop/${randomUUID()}`) },
    { name: 'GET /api/workshops (staff)', role: () => staff, ok: 200, send: (http) => http.get('/api/workshops') },
    { name: 'POST /api/workshops (staff)', role: () => staff, ok: 201, send: (http) => http.post('/api/workshops').send(WORKSHOP) },
    { name: 'GET /api/proposals (partner)', role: () => partner, ok: 200, send: (http) => http.get('/api/proposals') },
    { name: 'POST /api/proposals (partner)', role: () => partner, ok: 201, send: (http) => http.post('/api/proposals').send(PROPOSAL) },
  ];

  /** Tokens that must all be refused with 401, made for the endpoint's own role where they carry claims. */
  const FORGERIES: [string, (claims: object) => string][] = [
    ['alg none, no signature', (claims) => handMadeToken(claims, null)],
    ['alg none, a genuine signature kept', (claims) => `${handMadeToken(claims, null)}${handMadeToken(claims, JWT_SECRET).split('.')[2]}`],
    ['signed with another key', (claims) => handMadeToken(claims, 'another-secret-of-more-than-thirty-two-characters')],
    ['signed with the development key', (claims) => handMadeToken(claims, DEVELOPMENT_KEY)],
    ['HS512 with the right key (the algorithm is pinned to HS256)', (claims) => handMadeToken(claims, JWT_SECRET, 'HS512')],
    ['expired a minute ago, the right key', (claims) => handMadeToken({ ...claims, iat: Math.floor(Date.now() / 1000) - 3660, exp: Math.floor(Date.now() / 1000) - 60 }, JWT_SECRET)],
    ["a real staff token, role changed to the endpoint's", (claims) => tampered(staff.token, { role: (claims as { role: string }).role === 'staff' ? 'admin' : (claims as { role: string }).role })],
    ['a real staff token, sub changed to the admin', () => tampered(staff.token, { sub: admin.id, email: admin.email, role: 'admin' })],
    ['a real staff token, signature altered', () => `${staff.token.slice(0, -4)}${staff.token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`],
    ['a real staff token, signature dropped', () => staff.token.split('.').slice(0, 2).join('.') + '.'],
    ['an unknown user, admin, signed with another key', () => handMadeToken(claimsOf({ id: randomUUID(), email: 'ghost@nowhere.test', role: 'admin' }), 'a-guessed-key-0000000000000000000000000')],
    ['garbage', () => 'garbage'],
    ['three empty parts', () => '..'],
    ['a JSON header alone', () => Buffer.from('{"alg":"HS256"}').toString('base64url')],
    ['8 KB of letters', () => 'a'.repeat(8192)],
  ];

  it.each(ENDPOINTS)('$name answers a token made with JWT_SECRET, and 401 to every forged or broken one, appending nothing', async ({ name, role, ok, send }) => {
    const claims = claimsOf(role());
    const control = correlationId();
    const good = await send(api.http, control).set('Authorization', `Bearer ${handMadeToken(claims, JWT_SECRET)}`).set('X-Correlation-Id', control);
    expect({ name, status: good.status }).toEqual({ name, status: ok });
    const writes = name.startsWith('POST');
    if (writes) expect(await stored(name, control)).toBeGreaterThan(0);

    for (const [what, forge] of FORGERIES) {
      const id = correlationId();
      const answer = await send(api.http, id).set('Authorization', `Bearer ${forge(claims)}`).set('X-Correlation-Id', id);
      expectProblem(answer, 401, `${name}, ${what}`);
      expect(answer.headers['www-authenticate']).toBe('Bearer');
      if (writes) expect({ what, appended: await stored(name, id) }).toEqual({ what, appended: 0 });
    }
    for (const authorization of [undefined, 'Bearer', 'Bearer ', `Basic ${Buffer.from(`${ADMIN.email}:${ADMIN.password}`).toString('base64')}`, `Token ${handMadeToken(claims, JWT_SECRET)}`]) {
      const test = send(api.http, correlationId());
      expectProblem(await (authorization === undefined ? test : test.set('Authorization', authorization)), 401, `${name}, Authorization: ${authorization}`);
    }
  });

  it('answers a 10 MB body with 413, with or without Content-Length, and a form over 100 KB with 413', async () => {
    const huge = JSON.stringify({ ...WORKSHOP, title: 'x'.repeat(10 * 1024 * 1024) });
    const auth = { Authorization: `Bearer ${staff.token}` };
    const port = Number(new URL(await api.app.getUrl()).port);
    const head = `POST /api/workshops HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${staff.token}\r\nContent-Type: application/json\r\nConnection: close\r\n`;
    // Sent by hand: the server answers before it has read it all, and closes (a client library says EPIPE).
    const sized = await rawRequest(port, `${head}Content-Length: ${Buffer.byteLength(huge)}\r\n\r\n${huge}`);
    const chunked = await rawRequest(port, `${head}Transfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(huge).toString(16)}\r\n${huge}\r\n0\r\n\r\n`);
    for (const [what, answer] of [['with Content-Length', sized], ['chunked', chunked]] as const) {
      expect({ what, status: answer.status, type: answer.headers.find(([name]) => name === 'content-type')?.[1] }).toEqual({ what, status: 413, type: expect.stringMatching(/^application\/problem\+json/) });
    }

    const form = await api.http.post(`/rsvp/${'a'.repeat(43)}`).type('form').send(`response=accept&padding=${'x'.repeat(200 * 1024)}`);
    expect(form.status).toBe(413);
    await api.http.get('/health').expect(200);
    const workshops = await api.http.get('/api/workshops?limit=500').set(auth).expect(200);
    expect(workshops.body.items.filter((w: { title: string }) => w.title.length > 200)).toEqual([]);
  });

  it('answers JSON nested 10,000 levels deep with a 400 naming the field, and stays up', async () => {
    const auth = { Authorization: `Bearer ${staff.token}` };
    for (const [open, inner, close] of [['[', '', ']'], ['{"a":', '1', '}']]) {
      const deep = `${open.repeat(10_000)}${inner}${close.repeat(10_000)}`;
      const body = JSON.stringify(WORKSHOP).replace(/}$/, `,"themes2":${deep}}`);
      const answer = await api.http.post('/api/workshops').set(auth).set('Content-Type', 'application/json').send(body);
      expectProblem(answer, 400, `nested ${open}`);
      expect(answer.body.errors).toEqual([{ field: 'themes2', message: expect.stringContaining('nested') }]);
      const whole = await api.http.post('/api/auth/login').set('Content-Type', 'application/json').send(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
      expectProblem(whole, 400, 'a login body nested 10,000 deep');
    }
    await api.http.get('/health').expect(200);
    await api.http.get('/api/me').set(auth).expect(200);
  });

  it('refuses unknown fields with a 400 naming them, so no one grants a role or an owner by adding one', async () => {
    const adminAuth = { Authorization: `Bearer ${admin.token}` };
    const cases: { what: string; send: () => request.Test; fields: string[] }[] = [
      { what: 'staff with a role', send: () => api.http.post('/api/staff').set(adminAuth).send({ ...STAFF, email: 'mass@institute.test', role: 'admin' }), fields: ['role'] },
      { what: 'staff with an id and an institution', send: () => api.http.post('/api/staff').set(adminAuth).send({ ...STAFF, email: 'mass@institute.test', id: randomUUID(), institutionId: randomUUID() }), fields: ['id', 'institutionId'] },
      { what: 'a workshop with its status', send: () => api.http.post('/api/workshops').set(adminAuth).send({ ...WORKSHOP, status: 'concluded', version: 7 }), fields: ['status', 'version'] },
      { what: 'a login with a role', send: () => api.http.post('/api/auth/login').send({ ...ADMIN, role: 'admin' }), fields: ['role'] },
      { what: 'staff with __proto__', send: () => api.http.post('/api/staff').set(adminAuth).set('Content-Type', 'application/json').send(`{"email":"mass@institute.test","fullName":"M","password":"${STAFF.password}","__proto__":{"role":"admin","polluted":true}}`), fields: ['__proto__'] },
      { what: 'staff with constructor.prototype', send: () => api.http.post('/api/staff').set(adminAuth).send({ ...STAFF, email: 'mass@institute.test', constructor: { prototype: { polluted: true } } }), fields: ['constructor'] },
    ];
    for (const { what, send, fields } of cases) {
      const id = correlationId();
      const answer = await send().set('X-Correlation-Id', id);
      expectProblem(answer, 400, what);
      expect({ what, fields: answer.body.errors.map((e: { field: string }) => e.field).sort() }).toEqual({ what, fields: [...fields].sort() });
      expect(await eventsOf(api.db.url, id)).toBe(0);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    const mass = await api.http.post('/api/auth/login').send({ email: 'mass@institute.test', password: STAFF.password });
    expectProblem(mass, 401, 'logging in as an account no refused request created');
  });

  it('gives no Access-Control-Allow-Origin to other sites: preflights and requests from them get none', async () => {
    const origins = ['https://evil.example', 'null', 'http://localhost:3000.evil.example', 'https://passerelle.local.evil.example'];
    for (const origin of origins) {
      const preflight = await api.http
        .options('/api/me')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type');
      expect({ origin, status: preflight.status >= 400 && preflight.status < 500 }).toEqual({ origin, status: true });
      const read = await api.http.get('/api/me').set('Origin', origin).set('Authorization', `Bearer ${staff.token}`).expect(200);
      const login = await api.http.post('/api/auth/login').set('Origin', origin).send({ email: STAFF.email, password: STAFF.password }).expect(200);
      for (const answer of [preflight, read, login]) {
        const cors = Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));
        expect({ origin, cors }).toEqual({ origin, cors: [] });
      }
    }
  });
});
