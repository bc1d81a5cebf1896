import { Client } from 'pg';
import {
  BAD_IDS,
  UNKNOWN_ID,
  checkRandomBodies,
  countEvents as countEventsIn,
  errorsOf,
  expectFieldsNamed,
  expectProblem,
  expectRequired,
  nested,
  notNullMostlyNumbers,
  randomBodies,
  type Presence,
  type Rule,
  type Rules,
  withDeep,
  without,
} from './support/bad-input';
import { bearer, type Headers, partnerInstitution } from './support/callers';
import { type Stack, startStack } from './support/stack';

/**
 * DESIGN.md principle 7 for the call endpoints, and for the call a proposal names: bad input is a 400
 * problem+json naming exactly the offending fields (unknown ones too), a bad path id a 400 naming the
 * parameter, an unknown id a 404, no input ever a 5xx, and nothing refused appends an event.
 */

const CALL = {
  title: 'Digital health 2031',
  summary: 'Proposals on digital health in rural districts.',
  sectors: ['health', 'education'],
  countries: ['ZM', 'SN'],
  opensAt: '2020-01-15T09:00:00Z',
  closesAt: '2040-03-31T17:00:00+02:00',
  budgetCeiling: { amount: 250000.5, currency: 'USD' },
};
const PROPOSAL = { title: 'Telemedicine', summary: 'Remote consultations.', sectors: ['health'], countries: ['ZM'], durationMonths: 12 };

type Method = 'post' | 'patch' | 'get';
interface Target {
  method: Method;
  path: string;
  as: Headers;
}

describe('bad input to the call endpoints', () => {
  let stack: Stack;
  let db: Client;
  let staff: Headers;
  let partner: Headers;
  /** Open calls: one for the named cases of closing, one for the random bodies, one proposals name. */
  let calls: { close: string; random: string; named: string };
  let draft: string;
  let requests = 0;

  beforeAll(async () => {
    stack = await startStack('calls_input');
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    staff = bearer(stack.token);
    partner = (await partnerInstitution(stack, 'University of Zambia', { fullName: 'Lindiwe Banda', email: 'l.banda@unza.test' })).headers;
    let position = 0;
    const open = async () => {
      const opened = (await stack.http.post('/api/calls').set(staff).send(CALL).expect(201)).body as { id: string; position: number };
      position = opened.position;
      return opened.id;
    };
    calls = { close: await open(), random: await open(), named: await open() };
    draft = (await stack.http.post('/api/proposals').set(partner).send(PROPOSAL).expect(201)).body.id;
    // The calls projected (the lists below page through them); then the worker stops, so that it
    // appends nothing behind the tests' backs.
    await stack.http.get('/api/calls').set(staff).set('X-Min-Position', String(position)).expect(200);
    await stack.stopWorker();
  });

  afterAll(async () => {
    await db?.end();
    await stack?.close();
  });

  const countEvents = () => countEventsIn(db);

  function send(to: Target, text: string | undefined, options: { idempotencyKey?: string; headers?: Headers } = {}) {
    requests += 1;
    let request = stack.http[to.method](to.path).set(to.as).set(options.headers ?? {});
    if (options.idempotencyKey) request = request.set('Idempotency-Key', options.idempotencyKey);
    return text === undefined ? request : request.set('Content-Type', 'application/json').send(text);
  }

  async function expectBadInput(to: Target, body: unknown, fields: string[], options: { raw?: string; idempotencyKey?: string; headers?: Headers } = {}) {
    const before = await countEvents();
    const response = await send(to, options.raw ?? (body === undefined ? undefined : JSON.stringify(body)), options);
    expectFieldsNamed(response, fields);
    expect(await countEvents()).toBe(before);
    return response;
  }

  async function expectRefused(to: Target, body: unknown, status: number) {
    const before = await countEvents();
    const response = await send(to, body === undefined ? undefined : JSON.stringify(body));
    expectProblem(response, status);
    expect(await countEvents()).toBe(before);
    return response;
  }

  const openCall = (): Target => ({ method: 'post', path: '/api/calls', as: staff });
  const close = (id: string): Target => ({ method: 'post', path: `/api/calls/${id}/close`, as: staff });

  it('POST /api/calls names exactly the missing, wrong-typed, unknown and out-of-range fields', async () => {
    const to = openCall();
    const required = ['title', 'summary', 'sectors', 'countries', 'opensAt', 'closesAt'];
    expectRequired(await expectBadInput(to, {}, required), required);
    expectRequired(await expectBadInput(to, without(CALL, 'closesAt'), ['closesAt']), ['closesAt']);
    // wrong-typed
    await expectBadInput(to, { ...CALL, title: 42, sectors: 'health', countries: 'ZM' }, ['title', 'sectors', 'countries']);
    await expectBadInput(to, { ...CALL, opensAt: 1_900_000_000_000, closesAt: true }, ['opensAt', 'closesAt']);
    await expectBadInput(to, { ...CALL, budgetCeiling: 'USD 1000' }, ['budgetCeiling']);
    await expectBadInput(to, { ...CALL, budgetCeiling: [CALL.budgetCeiling] }, ['budgetCeiling']);
    await expectBadInput(to, { ...CALL, budgetCeiling: { amount: '1000', currency: 840 } }, ['budgetCeiling.amount', 'budgetCeiling.currency']);
    await expectBadInput(to, { ...CALL, workshopId: 7 }, ['workshopId']);
    // unknown
    await expectBadInput(to, { ...CALL, status: 'open', closedBy: 'staff' }, ['status', 'closedBy']);
    await expectBadInput(to, { ...CALL, budgetCeiling: { ...CALL.budgetCeiling, perYear: true } }, ['budgetCeiling.perYear']);
    // out of range
    expect(errorsOf(await expectBadInput(to, { ...CALL, title: 'x'.repeat(201) }, ['title']))).toEqual([{ field: 'title', message: 'title must be shorter than or equal to 200 characters' }]);
    await expectBadInput(to, { ...CALL, title: '   ', summary: '' }, ['title', 'summary']);
    await expectBadInput(to, { ...CALL, summary: 'x'.repeat(5001) }, ['summary']);
    await expectBadInput(to, { ...CALL, sectors: [] }, ['sectors']);
    await expectBadInput(to, { ...CALL, sectors: Array.from({ length: 21 }, (_, i) => `sector ${i}`) }, ['sectors']);
    await expectBadInput(to, { ...CALL, sectors: ['health', ''] }, ['sectors']);
    await expectBadInput(to, { ...CALL, countries: ['ZM', 'XX'] }, ['countries']);
    await expectBadInput(to, { ...CALL, countries: [] }, ['countries']);
    await expectBadInput(to, { ...CALL, opensAt: '2031-01-15' }, ['opensAt']);
    await expectBadInput(to, { ...CALL, opensAt: '2031-02-30T09:00:00Z', closesAt: '2040-03-31T17:00:00' }, ['opensAt', 'closesAt']);
    await expectBadInput(to, { ...CALL, workshopId: 'workshop-1' }, ['workshopId']);
    await expectBadInput(to, { ...CALL, budgetCeiling: { amount: 0, currency: 'usd' } }, ['budgetCeiling.amount', 'budgetCeiling.currency']);
    for (const amount of [-1, 1.005, 1e-7, 1e13]) await expectBadInput(to, { ...CALL, budgetCeiling: { amount, currency: 'USD' } }, ['budgetCeiling.amount']);
    // text PostgreSQL cannot store
    await expectBadInput(to, { ...CALL, title: 'Call \u0000', sectors: ['\ud800'] }, ['title', 'sectors']);
    // the times together, and the workshop, against what is
    expect(errorsOf(await expectBadInput(to, { ...CALL, opensAt: '2040-04-01T00:00:00Z' }, ['closesAt']))).toEqual([{ field: 'closesAt', message: 'closesAt must be after opensAt' }]);
    await expectBadInput(to, { ...CALL, closesAt: CALL.opensAt }, ['closesAt']);
    expect(errorsOf(await expectBadInput(to, { ...CALL, opensAt: '2019-01-01T00:00:00Z', closesAt: '2020-01-01T00:00:00Z' }, ['closesAt']))).toEqual([
      { field: 'closesAt', message: 'closesAt must be in the future' },
    ]);
    expect(errorsOf(await expectBadInput(to, { ...CALL, workshopId: UNKNOWN_ID }, ['workshopId']))).toEqual([{ field: 'workshopId', message: 'is not a workshop' }]);
    // a list, or no body
    await expectBadInput(to, [], required);
    await expectBadInput(to, undefined, required);
    // not for partners, nor anyone unknown
    await expectRefused({ ...to, as: partner }, CALL, 403);
    await expectRefused({ ...to, as: {} }, CALL, 401);
    // a bad Idempotency-Key
    await expectBadInput(to, CALL, ['Idempotency-Key'], { idempotencyKey: 'not a key!' });

    const created = await send(to, JSON.stringify({ ...CALL, countries: ['zm'], title: '  Trimmed  ', workshopId: undefined }));
    expect(created.status).toBe(201);
    const stored = await db.query("SELECT data FROM events WHERE stream_id = $1 AND type = 'CallOpened'", [`call-${created.body.id}`]);
    expect(stored.rows[0].data).toMatchObject({ title: 'Trimmed', countries: ['ZM'], closesAt: '2040-03-31T15:00:00.000Z', workshopId: null });
  });

  it('POST /api/calls/:id/close names exactly the offending fields; If-Match must be an ETag', async () => {
    const to = close(calls.close);
    await expectBadInput(to, { reason: 42 }, ['reason']);
    await expectBadInput(to, { reason: 'x'.repeat(2001) }, ['reason']);
    await expectBadInput(to, { reason: 'Budget \u0000' }, ['reason']);
    await expectBadInput(to, { reason: ['Budget'] }, ['reason']);
    await expectBadInput(to, { by: 'deadline' }, ['by']);
    await expectBadInput(to, { reason: 'x', closedAt: '2031-01-01T00:00:00Z' }, ['closedAt']);
    await expectBadInput(to, [], ['body']);
    await expectBadInput(to, {}, ['If-Match'], { headers: { 'If-Match': 'version 1' } });
    await expectRefused({ ...to, as: partner }, {}, 403);
    await expectRefused({ ...to, as: { ...staff, 'If-Match': '"7"' } }, {}, 412);
    const closed = await send(to, JSON.stringify({ reason: 'Budget reallocated' }), { headers: { 'If-Match': '"1"' } });
    expect(closed.status).toBe(200);
    const again = await expectRefused(to, {}, 409);
    expect(again.body.code).toBe('call_closed');
  });

  it('an id that is not a UUID is 400 naming it, an unknown one is 404 (close and read)', async () => {
    for (const bad of BAD_IDS) {
      await expectBadInput(close(bad), {}, ['id']);
      await expectBadInput({ method: 'get', path: `/api/calls/${bad}`, as: staff }, undefined, ['id']);
    }
    await expectRefused(close(UNKNOWN_ID), {}, 404);
    await expectRefused({ method: 'get', path: `/api/calls/${UNKNOWN_ID}`, as: staff }, undefined, 404);
    await expectRefused({ method: 'get', path: `/api/calls/${UNKNOWN_ID}`, as: partner }, undefined, 404);
  });

  it('GET /api/calls names a bad status, limit or cursor', async () => {
    const list = (query: string): Target => ({ method: 'get', path: `/api/calls?${query}`, as: staff });
    await expectBadInput(list('status=opened'), undefined, ['status']);
    await expectBadInput(list('status=open&limit=0'), undefined, ['limit']);
    await expectBadInput(list('limit=501'), undefined, ['limit']);
    await expectBadInput(list('cursor=abc'), undefined, ['cursor']);
    await expectBadInput(list('sort=title'), undefined, ['sort']);
    // A cursor is bound to its filters: one from the staff's full list is refused with another status.
    const page = await send(list('limit=1'), undefined);
    expect(page.status).toBe(200);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    await expectBadInput(list(`status=closed&limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`), undefined, ['cursor']);
  });

  it('a proposal names a call by its id: not a UUID or no such call is a 400 naming callId', async () => {
    const create: Target = { method: 'post', path: '/api/proposals', as: partner };
    const edit: Target = { method: 'patch', path: `/api/proposals/${draft}`, as: partner };
    for (const callId of ['call-1', 42, true, ['x'], { id: calls.named }]) {
      await expectBadInput(create, { ...PROPOSAL, callId }, ['callId']);
      await expectBadInput(edit, { callId }, ['callId']);
    }
    expect(errorsOf(await expectBadInput(create, { ...PROPOSAL, callId: UNKNOWN_ID }, ['callId']))).toEqual([{ field: 'callId', message: 'is not a call for proposals' }]);
    await expectBadInput(edit, { callId: UNKNOWN_ID }, ['callId']);
    await expectBadInput(create, { ...PROPOSAL, callId: UNKNOWN_ID, workshopId: UNKNOWN_ID }, ['callId', 'workshopId']);
    await expectBadInput({ method: 'get', path: '/api/proposals?callId=call-1', as: staff }, undefined, ['callId']);
    const named = await send(create, JSON.stringify({ ...PROPOSAL, callId: calls.named }));
    expect({ status: named.status, body: named.body }).toMatchObject({ status: 201, body: { id: expect.any(String) } });
  });

  it('answers a body nested thousands of levels deep with a 400 naming the field, on every call endpoint', async () => {
    const targets: { to: () => Target; valid: object; field: string }[] = [
      { to: openCall, valid: CALL, field: 'sectors' },
      { to: () => close(calls.random), valid: {}, field: 'reason' },
    ];
    for (const { to, valid, field } of targets) {
      for (const depth of [40, 20_000]) {
        await expectBadInput(to(), undefined, [field], { raw: withDeep(valid, field, nested(depth, '[', '', ']')), idempotencyKey: `deep-${requests}` });
        await expectBadInput(to(), undefined, ['x'], { raw: withDeep(valid, 'x', nested(depth, '{"a":', '1', '}')) });
      }
      await expectBadInput(to(), undefined, ['body'], { raw: nested(50_000, '[', '', ']'), idempotencyKey: `deep-${requests}` });
    }
  });

  describe('random bodies (fast-check, 200 each): never a 5xx, and nothing refused appends an event', () => {
    const text = (max: number, options: Presence = {}): Rule => ({ type: 'text', max, ...options });
    const token = (presence: Presence = {}): Rule => ({ type: 'token', ...presence });
    /** An amount of a ceiling: more than 0, at most 10^12, with at most two decimal places as JavaScript writes it. */
    const amount = (n: number) => n > 0 && n <= 1e12 && /^\d+(\.\d{1,2})?$/.test(String(n));
    const mutations = { tokenMax: 500, notNull: notNullMostlyNumbers };
    const target = (to: Target) => ({
      send: (body: string | undefined, idempotencyKey: string | undefined) => send(to, body, { idempotencyKey }),
      requests: () => requests,
      countEvents: () => countEvents(),
    });

    it('POST /api/calls', async () => {
      const rules: Rules = {
        title: text(200),
        summary: text(5000),
        sectors: { type: 'list', oversize: Array.from({ length: 21 }, (_, i) => `sector ${i}`) },
        'sectors.*': text(60),
        countries: { type: 'list', oversize: Array.from({ length: 251 }, () => 'ZM') },
        'countries.*': token(),
        opensAt: token(),
        closesAt: token(),
        budgetCeiling: { type: 'object', optional: true, nullable: true },
        'budgetCeiling.amount': { type: 'number', accepts: amount },
        'budgetCeiling.currency': token(),
      };
      await checkRandomBodies(target(openCall()), randomBodies(CALL, rules, mutations));
    });

    it('POST /api/calls/:id/close', async () => {
      await checkRandomBodies(target(close(calls.random)), randomBodies({ reason: 'Budget reallocated' }, { reason: text(2000, { optional: true, nullable: true }) }, mutations));
    });
  });
});
