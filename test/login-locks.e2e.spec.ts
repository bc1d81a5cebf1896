import { randomUUID } from 'node:crypto';
import { ListCursors } from '@passerelle/platform';
import { LogLines } from '@passerelle/testing';
import { ADMIN, type ApiUnderTest, startApi } from './support/api';
import { guessFrom, loginFrom, times } from './support/login-attempts';
import { expectDocumented, type OpenApiDocument } from './support/openapi-shapes';

/**
 * Admins see the login throttle's entries and clear them (issue 19): the real API behind a "reverse
 * proxy" (TRUST_PROXY=127.0.0.1, the client in X-Forwarded-For), on the real Redis.
 */
const A = '203.0.113.7';
const STAFF = { email: 'lucia.ferreira@institute.test', fullName: 'Lucia Ferreira', password: 'lucia-staff-password' };
const LIST = '/api/admin/login-locks';

interface LockItem {
  id: string;
  scope: string;
  effect: string;
  account: { userId: string; email: string } | null;
  accountHash: string | null;
  sourceHash: string | null;
  failures: number;
  until: string;
}

describe('login locks: admins see and clear them', () => {
  const logs = new LogLines();
  let api: ApiUnderTest;
  let document: OpenApiDocument;
  let admin: Record<string, string>;
  let staff: Record<string, string>;
  let adminId: string;

  beforeAll(async () => {
    api = await startApi('login_locks', { TRUST_PROXY: '127.0.0.1' }, logs);
    document = (await api.http.get('/docs-json').expect(200)).body;
    const answer = await loginFrom(api.http, ADMIN.email, ADMIN.password).expect(200);
    admin = { Authorization: `Bearer ${answer.body.accessToken}` };
    adminId = answer.body.user.id;
    await api.http.post('/api/staff').set(admin).send(STAFF).expect(201);
    staff = { Authorization: `Bearer ${(await loginFrom(api.http, STAFF.email, STAFF.password).expect(200)).body.accessToken}` };
    expect(await guessFrom(api.http, ADMIN.email, A, 30)).toEqual([...times(5, 401), ...times(25, 429)]);
    expect(await guessFrom(api.http, 'nobody@nowhere.test', A, 5)).toEqual(times(5, 401));
  });

  afterAll(async () => {
    await api?.close();
  });

  it('lists who is held back or slowed, naming the account but never the address', async () => {
    const listed = await api.http.get(LIST).set(admin);
    expectDocumented(document, `GET ${LIST}`, listed);
    const items: LockItem[] = listed.body.items;
    const sourceOnAdmin = items.find((item) => item.scope === 'source-on-account' && item.account?.email === ADMIN.email);
    expect(sourceOnAdmin).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}\.[0-9a-f]{32}$/),
      scope: 'source-on-account',
      effect: 'refused',
      account: { userId: adminId, email: ADMIN.email },
      accountHash: expect.stringMatching(/^[0-9a-f]{12}$/),
      sourceHash: expect.stringMatching(/^[0-9a-f]{12}$/),
      failures: 5,
      until: expect.any(String),
    });
    expect(Date.parse(sourceOnAdmin!.until)).toBeGreaterThan(Date.now());
    expect(items.find((item) => item.scope === 'account' && item.account?.userId === adminId)).toMatchObject({ effect: 'slowed', failures: 5, sourceHash: null });
    // An e-mail no account has is listed by its hash; the source, after ten failures, is not yet refused everywhere.
    expect(items.filter((item) => item.scope === 'source-on-account' && item.account === null)).toHaveLength(1);
    expect(items.filter((item) => item.scope === 'source')).toEqual([]);
    expect(JSON.stringify(listed.body)).not.toContain(A);
  });

  it('pages the list with ?limit and ?cursor, each entry once', async () => {
    const all: string[] = (await api.http.get(LIST).set(admin).expect(200)).body.items.map((item: LockItem) => item.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: LockItem[]; nextCursor: string | null } } = await api.http.get(LIST).query(cursor ? { limit: 1, cursor } : { limit: 1 }).set(admin).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      paged.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    const bad = await api.http.get(LIST).query({ cursor: 'not-a-cursor', limit: 0 }).set(admin).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit']);
    const badCursor = await api.http.get(LIST).query({ cursor: 'not-a-cursor' }).set(admin).expect(400);
    expect(badCursor.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it('refuses a crafted cursor, a changed one and one sealed for another list, naming cursor', async () => {
    const first = (await api.http.get(LIST).query({ limit: 1 }).set(admin).expect(200)).body.nextCursor as string;
    const [payload, seal] = first.split('.');
    const [untilMs, id] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const sealedElsewhere = api.app.get(ListCursors).next({ name: 'workshops', columns: [] }, [untilMs, id]);
    for (const cursor of [
      Buffer.from(JSON.stringify(['not-a-date', randomUUID()])).toString('base64'),
      Buffer.from(JSON.stringify([untilMs, id])).toString('base64url'),
      `${Buffer.from(JSON.stringify([untilMs + 1, id])).toString('base64url')}.${seal}`,
      sealedElsewhere,
    ]) {
      const refused = await api.http.get(LIST).query({ cursor }).set(admin);
      expect({ cursor, status: refused.status, errors: refused.body.errors }).toEqual({ cursor, status: 400, errors: [{ field: 'cursor', message: expect.any(String) }] });
    }
  });

  it('is for admins only: 403 for staff, 401 without a token', async () => {
    const id = (await api.http.get(LIST).set(admin).expect(200)).body.items[0].id;
    for (const call of [() => api.http.get(LIST), () => api.http.delete(`${LIST}/${id}`)]) {
      await call().expect(401);
      const refused = await call().set(staff).expect(403);
      expect(refused.body).toMatchObject({ status: 403, title: 'Forbidden' });
    }
    expect((await api.http.get(LIST).set(admin).expect(200)).body.items.map((item: LockItem) => item.id)).toContain(id);
  });

  it('clears a source\'s lock on the admin account: the source may log in at once, and the clearing is logged with the admin as actor', async () => {
    await loginFrom(api.http, ADMIN.email, ADMIN.password, A).expect(429);
    const items: LockItem[] = (await api.http.get(LIST).set(admin).expect(200)).body.items;
    const lock = items.find((item) => item.scope === 'source-on-account' && item.account?.userId === adminId)!;
    const cleared = await api.http.delete(`${LIST}/${lock.id}`).set(admin);
    expectDocumented(document, `DELETE ${LIST}/{id}`, cleared);
    expect(cleared.body).toMatchObject({ id: lock.id, scope: 'source-on-account', failures: 5, account: { email: ADMIN.email } });

    const line = logs.of('LoginLocks').find((entry) => entry.event === 'login-lock-cleared');
    expect(line).toMatchObject({ actor: adminId, lock: lock.id, scope: 'source-on-account', userId: adminId, failures: 5, correlationId: cleared.headers['x-correlation-id'] });
    expect(logs.of('LoginLocks').map((entry) => JSON.stringify(entry)).join('\n')).not.toContain(A);

    const ids = (await api.http.get(LIST).set(admin).expect(200)).body.items.map((item: LockItem) => item.id);
    expect(ids).not.toContain(lock.id);
    // Its five failures are forgiven in the account's count too: the admin account is no longer slowed.
    expect(ids).not.toContain(`${lock.id.split('.')[0]}.any`);
    await loginFrom(api.http, ADMIN.email, ADMIN.password, A).expect(200);
  });

  it('answers 404 for an entry no longer there and 400 naming the id for text that is no entry id', async () => {
    const gone = `${'a'.repeat(32)}.${'b'.repeat(32)}`;
    const missing = await api.http.delete(`${LIST}/${gone}`).set(admin).expect(404);
    expectDocumented(document, `DELETE ${LIST}/{id}`, missing);
    for (const bad of ['nothing', 'any.any', `${'a'.repeat(32)}.${'b'.repeat(31)}`, `${'A'.repeat(32)}.any`, `${'a'.repeat(32)}.any.any`]) {
      const refused = await api.http.delete(`${LIST}/${bad}`).set(admin).expect(400);
      expect(refused.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
    }
  });
});
