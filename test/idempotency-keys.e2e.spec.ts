import { Client } from 'pg';
import { IdempotencyKeyPurgeTimer } from '../apps/worker/src/idempotency/idempotency-key-purge.timer';
import { type Stack, startStack } from './support/stack';

const person = (n: number) => ({
  fullName: `Keyholder Nakamura ${n}`,
  email: `keyholder${n}@ministry-id.gov.test`,
  country: 'ID',
  organization: `Directorate of Retained Keys ${n}`,
  language: 'en',
});

/** The same object with its keys in the reverse order, at every depth. */
function reversed<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversed) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse().map(([k, v]) => [k, reversed(v)])) as T;
}

describe('Idempotency-Key: only a hash of the request is kept, and answers expire', () => {
  let stack: Stack;
  let pg: Client;
  let auth: Record<string, string>;
  let workshopId: string;

  beforeAll(async () => {
    stack = await startStack('idempotency_keys', { env: { IDEMPOTENCY_KEY_HOURS: '2' } });
    pg = new Client({ connectionString: stack.db.url });
    await pg.connect();
    auth = { Authorization: `Bearer ${stack.token}` };
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Keys', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2031-05-10', endsOn: '2031-05-10', themes: ['education'] })
      .expect(201);
    workshopId = created.body.id;
    await stack.http
      .post(`/api/workshops/${workshopId}/sessions`)
      .set(auth)
      .send({ kind: 'study', title: 'Study', startsAt: '2031-05-10T09:00:00Z', endsAt: '2031-05-10T12:00:00Z' })
      .expect(201);
    await stack.http.post(`/api/workshops/${workshopId}/open-registration`).set(auth).expect(200);
  });

  afterAll(async () => {
    await pg?.end();
    await stack?.close();
  });

  /** Every column of the key's row, as text. */
  async function row(key: string): Promise<Record<string, string> | undefined> {
    const found = await pg.query<{ row: Record<string, string> }>(
      `SELECT json_object_agg(c.key, c.value) AS row FROM idempotency_keys k, json_each_text(row_to_json(k)) c WHERE k.key = $1 GROUP BY k.scope, k.key`,
      [key],
    );
    return found.rows[0]?.row;
  }

  const invite = (key: string) => stack.http.post(`/api/workshops/${workshopId}/invitations`).set(auth).set('Idempotency-Key', key);

  it('keeps no request body: the row holds a SHA-256, and the address only in the answer', async () => {
    const body = { participants: [person(1)] };
    const first = await invite('invite-private').send(body).expect(202);
    const stored = await row('invite-private');
    expect(Object.keys(stored ?? {}).sort()).toEqual(['created_at', 'fingerprint', 'key', 'result', 'scope']);
    expect(stored?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const all = JSON.stringify(stored);
    // Only in the request: never stored.
    expect(all).not.toContain('Keyholder Nakamura 1');
    expect(all).not.toContain('Retained Keys 1');
    // The address is in the answer (kept until the key expires), in no other column.
    const { result, ...others } = stored ?? {};
    expect(JSON.stringify(others)).not.toContain('keyholder1@');
    expect(JSON.parse(result)).toEqual(first.body);
  });

  it('replays the first answer for the same body in another key order, and refuses another body (422)', async () => {
    const body = { participants: [person(2)] };
    const first = await invite('invite-order').send(body).expect(202);
    const again = await invite('invite-order').send(reversed(body)).expect(202);
    expect(again.body).toEqual(first.body);
    const other = await invite('invite-order').send({ participants: [person(3)] }).expect(422);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    const list = await stack.http.get(`/api/workshops/${workshopId}/invitations?limit=500`).set(auth).set('X-Min-Position', String(first.body.position)).expect(200);
    expect(list.body.items.filter((i: { email: string }) => i.email.startsWith('keyholder2@'))).toHaveLength(1);
    expect(list.body.items.filter((i: { email: string }) => i.email.startsWith('keyholder3@'))).toHaveLength(0);
  });

  it('treats a key older than IDEMPOTENCY_KEY_HOURS as new, and never replays it', async () => {
    const body = { participants: [person(4)] };
    const first = await invite('invite-expiring').send(body).expect(202);
    await pg.query(`UPDATE idempotency_keys SET created_at = now() - interval '2 hours 1 minute' WHERE key = 'invite-expiring'`);
    const other = { participants: [person(5)] };
    const fresh = await invite('invite-expiring').send(other).expect(202);
    expect(fresh.body.position).toBeGreaterThan(first.body.position);
    expect(fresh.body.items.map((i: { email: string }) => i.email)).toEqual(['keyholder5@ministry-id.gov.test']);
    const replay = await invite('invite-expiring').send(other).expect(202);
    expect(replay.body).toEqual(fresh.body);
  });

  it('deletes expired keys in the worker\'s purge, and leaves the others', async () => {
    const body = { participants: [person(6)] };
    await invite('invite-purged').send(body).expect(202);
    await invite('invite-kept').send({ participants: [person(7)] }).expect(202);
    await pg.query(`UPDATE idempotency_keys SET created_at = now() - interval '3 hours' WHERE key IN ('invite-purged', 'invite-private', 'invite-order')`);
    const pass = await stack.worker!.get(IdempotencyKeyPurgeTimer).runPass();
    expect(pass).toEqual({ ran: true, deleted: 3 });
    expect(await row('invite-purged')).toBeUndefined();
    expect(await row('invite-kept')).toBeDefined();
    const left = await pg.query<{ dump: string }>('SELECT coalesce(string_agg(k::text, \' \'), \'\') AS dump FROM idempotency_keys k');
    expect(left.rows[0].dump).not.toContain('keyholder6@');
    expect(left.rows[0].dump).not.toContain('keyholder1@');
  });
});
