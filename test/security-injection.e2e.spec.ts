import { waitFor } from '@passerelle/testing';
import { ADMIN } from './support/api';
import { BAD_IDS } from './support/bad-input';
import { correlationId, eventsOf, expectProblem, PRODUCTION_ENV, rawRequest } from './support/security';
import { queryRows } from './support/sql';
import { type Stack, startStack } from './support/stack';

/**
 * Injection (issue 19), on a production-mode API: SQL metacharacters and operator tricks in query filters
 * and path parameters get a 400 (or a 404 for a link), never a 500 and never more rows; text full of them
 * is stored and read back as it was; CR and LF in headers get a 4xx and never split the answer.
 * (?cursor= is left out: its format is changing.)
 */

const WORKSHOP = { title: 'Injection probe', hostInstitution: 'Institute', city: 'Lusaka', country: 'ZM', startsOn: '2031-07-01', endsOn: '2031-07-02', themes: ['health'] };
const SQL = ["x' OR '1'='1", "draft'--", 'draft; DROP TABLE events;--', 'draft" OR ""="', "' UNION SELECT * FROM users--", '%', '_', '*', '\\', 'draft\u0000', 'DRAFT'];
const OPERATORS = ['status[$ne]=draft', 'status[]=draft&status[]=submitted', 'status=draft&status=approved', 'status.$ne=draft', 'status=%7B%22%24ne%22%3Anull%7D', 'status=__proto__', 'limit[$gt]=0', 'limit=1%20OR%201=1', 'limit=-1', 'limit=1e9', 'limit=1;DELETE%20FROM%20events'];

describe('injection: query filters, path parameters, stored text and headers', () => {
  let api: Stack;
  let auth: Record<string, string>;
  let workshopId: string;
  /** The position of the last write before the tests: the read models have the workshop once there. */
  let opened: number;
  let port: number;

  beforeAll(async () => {
    api = await startStack('security_injection', { env: PRODUCTION_ENV });
    auth = { Authorization: `Bearer ${api.token}` };
    workshopId = (await api.http.post('/api/workshops').set(auth).send(WORKSHOP).expect(201)).body.id;
    opened = (await api.http.post(`/api/workshops/${workshopId}/open-registration`).set(auth).expect(200)).body.position;
    port = Number(new URL(api.baseUrl).port);
  });

  afterAll(async () => {
    await api?.close();
  });

  const countEvents = async () => (await queryRows<{ n: number }>(api.db.url, 'SELECT count(*)::int AS n FROM events'))[0].n;

  it('answers SQL metacharacters and operator tricks in ?status= and ?limit= with a 400 naming the parameter', async () => {
    const before = await countEvents();
    for (const list of ['/api/proposals', `/api/workshops/${workshopId}/invitations`]) {
      for (const value of SQL) {
        const answer = await api.http.get(`${list}?status=${encodeURIComponent(value)}`).set(auth);
        expectProblem(answer, 400, `${list}?status=${value}`);
        expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual(['status']);
      }
      for (const query of OPERATORS) {
        const answer = await api.http.get(`${list}?${query}`).set(auth);
        expectProblem(answer, 400, `${list}?${query}`);
        const named = answer.body.errors.map((e: { field: string }) => e.field);
        expect({ query, named: named.length > 0 && named.every((field: string) => query.startsWith(field.split(/[[.]/)[0])) }).toEqual({ query, named: true });
      }
    }
    for (const query of ["language=en'--", 'language=../../../etc/passwd', 'file=../../package.json', "file=participants' OR '1'='1", 'language[$ne]=xx']) {
      expectProblem(await api.http.get(`/api/workshops/${workshopId}/report.csv?${query}`).set(auth), 400, `report.csv?${query}`);
    }
    for (const path of ['/api/exports/proposals.xlsx', '/api/exports/partnerships.xlsx', `/api/workshops/${workshopId}/participants.xlsx`]) {
      for (const query of ["country=ZM'--", 'country[$ne]=ZM', "language=en'--", 'language=../../../etc/passwd', 'language[$ne]=xx']) {
        expectProblem(await api.http.get(`${path}?${query}`).set(auth), 400, `${path}?${query}`);
      }
    }
    expect(await countEvents()).toBe(before);
    const workshops = await api.http.get('/api/workshops?limit=500').set(auth).set('X-Min-Position', String(opened)).expect(200);
    expect(workshops.body.items.map((w: { id: string }) => w.id)).toEqual([workshopId]);
  });

  it('answers path ids that are not UUIDs with a 400 naming them, and links that match nothing with a 404, never a 500', async () => {
    const ids = [...BAD_IDS, "1' OR '1'='1", '1;DROP TABLE events', "%27%20OR%201=1--", '..%2F..%2Fhealth', '%E0%A4%A', '$ne', '%7B%22%24ne%22%3A1%7D'];
    const routes = [
      (id: string) => `/api/workshops/${id}`,
      (id: string) => `/api/workshops/${id}/invitations`,
      (id: string) => `/api/workshops/${id}/report`,
      (id: string) => `/api/workshops/${id}/report.csv`,
      (id: string) => `/api/workshops/${id}/participants.xlsx`,
      (id: string) => `/api/partner-institutions/${id}`,
      (id: string) => `/api/proposals/${id}`,
      (id: string) => `/api/partnerships/${id}`,
      (id: string) => `/api/audit/workshop/${id}`,
    ];
    for (const route of routes) {
      for (const id of ids) {
        const answer = await api.http.get(route(id)).set(auth);
        expect({ path: route(id), status: [400, 404].includes(answer.status) }).toEqual({ path: route(id), status: true });
        expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
        if (answer.status === 400 && answer.body.errors) expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual(['id']);
      }
      expectProblem(await api.http.get(route("1' OR '1'='1")).set(auth), 400, route("1' OR '1'='1"));
    }
    for (const id of ids) {
      const path = `/api/privacy/subjects/${id}/export`;
      const answer = await api.http.get(path).set(auth);
      expect({ path, status: [400, 404].includes(answer.status) }).toEqual({ path, status: true });
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (answer.status === 400 && answer.body.errors) expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual(['subjectId']);
    }
    for (const streamType of ["workshop'--", 'workshop%20OR%201=1', '..', 'WORKSHOP', 'x'.repeat(41)]) {
      const answer = await api.http.get(`/api/audit/${streamType}/${workshopId}`).set(auth);
      expectProblem(answer, 400, `audit ${streamType}`);
      expect(answer.body.errors).toEqual([{ field: 'streamType', message: expect.any(String) }]);
    }
    for (const country of ["ZM'--", 'Z%27', 'ZMB', '..', 'zz']) {
      const answer = await api.http.put(`/api/ministries/${country}`).set(auth).send({ ministryName: 'Ministry', email: 'm@gov.test', language: 'en' });
      expectProblem(answer, 400, `ministry ${country}`);
      expect(answer.body.errors).toEqual([{ field: 'country', message: expect.any(String) }]);
    }
    for (const token of ["' OR '1'='1", "x'--", 'a'.repeat(42) + "'", '%00', '*']) {
      expectProblem(await api.http.get(`/api/rsvp/${encodeURIComponent(token)}`), 404, `rsvp ${token}`);
      expectProblem(await api.http.post(`/api/rsvp/${encodeURIComponent(token)}`).send({ response: 'accept' }), 404, `rsvp answer ${token}`);
      expect((await api.http.get(`/activate/${encodeURIComponent(token)}`)).status).toBe(404);
    }
  });

  it('refuses operator objects as credentials (400), and a password of SQL is only a wrong password (401)', async () => {
    const tricks: [object, string[]][] = [
      [{ email: { $ne: null }, password: { $ne: null } }, ['email', 'password']],
      [{ email: ADMIN.email, password: { $gt: '' } }, ['password']],
      [{ email: ["' OR '1'='1"], password: 'x' }, ['email']],
      [{ email: "' OR '1'='1' --", password: 'whatever-password' }, ['email']],
    ];
    for (const [body, fields] of tricks) {
      const answer = await api.http.post('/api/auth/login').send(body);
      expectProblem(answer, 400, JSON.stringify(body));
      expect([...new Set(answer.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(fields);
    }
    await api.http.post('/api/staff').set(auth).send({ email: 'sql.target@institute.test', fullName: 'Target', password: 'target-password-Rr5#qY' }).expect(201);
    const answer = await api.http.post('/api/auth/login').send({ email: 'sql.target@institute.test', password: "' OR '1'='1' --" });
    expectProblem(answer, 401, 'a password of SQL');
    expect(answer.body.accessToken).toBeUndefined();
  });

  it('stores text full of SQL and JSON metacharacters as it is, and reads it back the same', async () => {
    const odd = { ...WORKSHOP, title: "Robert'); DROP TABLE events;--", hostInstitution: '{"$ne": null} \\" \\u0000', city: "' OR '1'='1" };
    const created = await api.http.post('/api/workshops').set(auth).send(odd).expect(201);
    // A 503 (read model still behind after 5 s, as when a long transaction elsewhere on the server holds it back) is asked again.
    const read = await waitFor(
      async () => {
        const answer = await api.http.get(`/api/workshops/${created.body.id}`).set(auth).set('X-Min-Position', String(created.body.position));
        return answer.status === 503 ? null : answer;
      },
      { timeoutMs: 30_000, what: 'the workshop read back' },
    );
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ title: odd.title, hostInstitution: odd.hostInstitution, city: odd.city });
    expect(await countEvents()).toBeGreaterThan(0);
  });

  it('answers CR and LF in Idempotency-Key, If-Match and X-Min-Position with a 4xx, and never splits the answer', async () => {
    const request = (method: string, path: string, header: string, body = '') =>
      `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n${auth.Authorization ? `Authorization: ${auth.Authorization}\r\n` : ''}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${header}\r\n\r\n${body}`;
    const sessions = `/api/workshops/${workshopId}/sessions`;
    const session = JSON.stringify({ kind: 'study', title: 'Split', startsAt: '2031-07-01T09:00:00Z', endsAt: '2031-07-01T10:00:00Z' });
    const values = ['a\rSet-Cookie: injected=1', 'a\r\n Set-Cookie: injected=1', 'a\r\n\tSet-Cookie: injected=1', 'a%0d%0aSet-Cookie:%20injected=1', 'a\u0000b', 'a\u0085Set-Cookie: injected=1'];
    const cases = values.flatMap((value) => [
      { what: `Idempotency-Key ${JSON.stringify(value)}`, text: request('POST', sessions, `Idempotency-Key: ${value}`, session) },
      { what: `If-Match ${JSON.stringify(value)}`, text: request('POST', sessions, `If-Match: "1${value}"`, session) },
      { what: `X-Min-Position ${JSON.stringify(value)}`, text: request('GET', `/api/workshops/${workshopId}`, `X-Min-Position: 1${value}`) },
    ]);
    for (const { what, text } of cases) {
      const id = correlationId();
      const answer = await rawRequest(port, Buffer.from(text.replace('Connection: close', `Connection: close\r\nX-Correlation-Id: ${id}`), 'latin1'));
      expect({ what, status: answer.status >= 400 && answer.status < 500 }).toEqual({ what, status: true });
      expect({ what, injected: answer.headers.filter(([name]) => name === 'set-cookie' || name.includes('injected')) }).toEqual({ what, injected: [] });
      expect({ what, statusLines: answer.text.match(/HTTP\/1\.1 \d{3}/g)?.length }).toEqual({ what, statusLines: 1 });
      expect({ what, appended: await eventsOf(api.db.url, id) }).toEqual({ what, appended: 0 });
    }
  });

  it('echoes no unsafe correlation id, and keeps CR and LF of a path out of a redirect', async () => {
    const echoed = await api.http.get('/health').set('X-Correlation-Id', 'abc%0d%0aSet-Cookie:%20injected=1');
    expect(echoed.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    const raw = await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: localhost\r\nX-Correlation-Id: abc\rSet-Cookie: injected=1\r\nConnection: close\r\n\r\n');
    expect(raw.headers.filter(([name]) => name === 'set-cookie')).toEqual([]);
    const redirect = await api.http.post('/rsvp/x%0d%0aSet-Cookie:%20injected=1').type('form').send('response=maybe');
    expect(redirect.status).toBe(303);
    expect(redirect.headers.location).toBe('/rsvp/x%0D%0ASet-Cookie%3A%20injected%3D1');
    expect(redirect.headers['set-cookie']).toBeUndefined();
  });
});
