import { waitFor } from '@passerelle/testing';
import { addMonths } from '@passerelle/partnerships';
import { PartnershipExpiryTimer } from '../apps/worker/src/partnerships/partnership-expiry.timer';
import { anyBody, checkRandomBodies, expectFieldsNamed } from './support/bad-input';
import { type Callers, setUpCallers } from './support/callers';
import { queryRows } from './support/sql';
import { type Stack, startStack } from './support/stack';

/** Events of one partnership's stream, by type, as the store holds them. */
async function eventsOf(stack: Stack, id: string): Promise<string[]> {
  return (await queryRows<{ type: string }>(stack.db.url, 'SELECT type FROM events WHERE stream_id = $1 ORDER BY version', [`partnership-${id}`])).map((row) => row.type);
}

describe('partnership terms: established with a term, renewed, corrected and expired by themselves', () => {
  let stack: Stack;
  let c: Callers;
  let staff: Record<string, string>;

  beforeAll(async () => {
    // The worker's expiry pass runs every RECONCILE_INTERVAL_SECONDS: each second here, no long wait.
    stack = await startStack('partnership_terms', { env: { APPROVALS_REQUIRED: '1', RECONCILE_INTERVAL_SECONDS: '1' } });
    c = await setUpCallers(stack);
    staff = c.staffHeaders;
  });

  afterAll(async () => {
    await stack?.close();
  });

  const read = async (id: string, position?: number) =>
    (await stack.http.get(`/api/partnerships/${id}`).set(staff).set(position ? { 'X-Min-Position': String(position) } : {}).expect(200)).body;

  it("starts on the approval's date and lasts the proposal's duration in months", async () => {
    const id = await c.partnership('active');
    const partnership = await read(id);
    const startsOn = partnership.establishedAt.slice(0, 10);
    expect(partnership).toMatchObject({ status: 'active', startsOn, endsOn: addMonths(startsOn, 12) });
    const listed = (await stack.http.get('/api/partnerships?limit=500').set(c.headers.partnerA).expect(200)).body.items.find((p: { id: string }) => p.id === id);
    expect(listed).toMatchObject({ startsOn, endsOn: addMonths(startsOn, 12) });
  });

  it('counts calendar months, the 31st becoming the last day of a shorter month', () => {
    expect(addMonths('2031-01-31', 1)).toBe('2031-02-28');
    expect(addMonths('2032-01-31', 1)).toBe('2032-02-29');
    expect(addMonths('2031-03-31', 6)).toBe('2031-09-30');
    expect(addMonths('2031-11-15', 18)).toBe('2033-05-15');
  });

  it('renews to a later end only, honouring If-Match, and refuses bad input with no event', async () => {
    const id = await c.partnership('active');
    const before = await read(id);
    const stale = await stack.http.post(`/api/partnerships/${id}/renew`).set(staff).set('If-Match', `"${before.version + 5}"`).send({ endsOn: '2099-01-01' });
    expect(stale.status).toBe(412);
    for (const body of [{}, { endsOn: '2031-02-30' }, { endsOn: 'tomorrow' }, { endsOn: 20310101 }, { endsOn: null }]) {
      expectFieldsNamed(await stack.http.post(`/api/partnerships/${id}/renew`).set(staff).send(body), ['endsOn']);
    }
    await stack.http.post(`/api/partnerships/${id}/renew`).set(c.headers.partnerA).send({ endsOn: '2099-01-01' }).expect(403);
    const same = await stack.http.post(`/api/partnerships/${id}/renew`).set(staff).send({ endsOn: before.endsOn }).expect(409);
    expect(same.body.code).toBe('term_not_extended');
    expect(await eventsOf(stack, id)).toEqual(['PartnershipEstablished']);

    const renewed = await stack.http.post(`/api/partnerships/${id}/renew`).set(staff).set('If-Match', `"${before.version}"`).send({ endsOn: '2099-01-01' }).expect(200);
    expect(await read(id, renewed.body.position)).toMatchObject({ status: 'active', startsOn: before.startsOn, endsOn: '2099-01-01', version: before.version + 1 });
    const earlier = await stack.http.post(`/api/partnerships/${id}/renew`).set(staff).send({ endsOn: '2098-12-31' }).expect(409);
    expect(earlier.body.code).toBe('term_not_extended');
  });

  it('corrects the term (either date), start before end, honouring If-Match, and refuses bad input with no event', async () => {
    const id = await c.partnership('active');
    const before = await read(id);
    expectFieldsNamed(await stack.http.patch(`/api/partnerships/${id}/term`).set(staff).send({}), ['startsOn']);
    expectFieldsNamed(await stack.http.patch(`/api/partnerships/${id}/term`).set(staff).send({ startsOn: '2031-13-01' }), ['startsOn']);
    expectFieldsNamed(await stack.http.patch(`/api/partnerships/${id}/term`).set(staff).send({ startsOn: null, endsOn: '31/12/2031' }), ['startsOn', 'endsOn']);
    await stack.http.patch(`/api/partnerships/${id}/term`).set(c.headers.partnerA).send({ endsOn: '2099-01-01' }).expect(403);
    const backwards = await stack.http.patch(`/api/partnerships/${id}/term`).set(staff).send({ startsOn: '2040-01-01', endsOn: '2039-12-31' }).expect(409);
    expect(backwards.body.code).toBe('term_invalid');
    const afterEnd = await stack.http.patch(`/api/partnerships/${id}/term`).set(staff).send({ startsOn: before.endsOn }).expect(409);
    expect(afterEnd.body.code).toBe('term_invalid');
    await stack.http.patch(`/api/partnerships/${id}/term`).set(staff).set('If-Match', '"9"').send({ startsOn: '2025-01-01' }).expect(412);
    expect(await eventsOf(stack, id)).toEqual(['PartnershipEstablished']);

    const changed = await stack.http.patch(`/api/partnerships/${id}/term`).set(staff).set('If-Match', `"${before.version}"`).send({ startsOn: '2025-01-01' }).expect(200);
    expect(await read(id, changed.body.position)).toMatchObject({ startsOn: '2025-01-01', endsOn: before.endsOn });
    expect(await eventsOf(stack, id)).toEqual(['PartnershipEstablished', 'PartnershipTermChanged']);
  });

  it('expires by itself, once, suspended or not, when its end has passed; a renewal makes it active again', async () => {
    const active = await c.partnership('active');
    const suspended = await c.partnership('suspended');
    for (const id of [active, suspended]) await stack.http.patch(`/api/partnerships/${id}/term`).set(staff).send({ startsOn: '2020-01-01', endsOn: '2020-12-31' }).expect(200);
    for (const id of [active, suspended]) {
      await waitFor(async () => (await read(id)).status === 'expired', { timeoutMs: 30_000, what: `the expiry of ${id}` });
    }
    await stack.worker!.get(PartnershipExpiryTimer).runPass();
    expect(await eventsOf(stack, suspended)).toEqual(['PartnershipEstablished', 'PartnershipSuspended', 'PartnershipTermChanged', 'PartnershipExpired']);
    expect(await eventsOf(stack, active)).toEqual(['PartnershipEstablished', 'PartnershipTermChanged', 'PartnershipExpired']);

    const expired = await read(active);
    expect(expired).toMatchObject({ status: 'expired', startsOn: '2020-01-01', endsOn: '2020-12-31' });
    const corrected = await stack.http.patch(`/api/partnerships/${active}/term`).set(staff).send({ endsOn: '2099-01-01' }).expect(409);
    expect(corrected.body.code).toBe('partnership_status');
    const stillPast = await stack.http.post(`/api/partnerships/${active}/renew`).set(staff).send({ endsOn: '2021-06-30' }).expect(409);
    expect(stillPast.body.code).toBe('term_not_extended');
    const renewed = await stack.http.post(`/api/partnerships/${active}/renew`).set(staff).set('If-Match', `"${expired.version}"`).send({ endsOn: '2099-01-01' }).expect(200);
    expect(await read(active, renewed.body.position)).toMatchObject({ status: 'active', endsOn: '2099-01-01' });

    const past = await stack.http.get(`/api/partnerships/${active}?version=${expired.version}`).set(staff).expect(200);
    expect(past.body).toMatchObject({ status: 'expired', startsOn: '2020-01-01', endsOn: '2020-12-31', version: expired.version });
  });

  it('answers random bodies to renew and PATCH term with a 4xx and no event, never a 5xx', async () => {
    const id = await c.partnership('active');
    let requests = 0;
    const countAll = async () => (await queryRows<{ n: number }>(stack.db.url, 'SELECT count(*)::int AS n FROM events'))[0].n;
    for (const [method, path, valid] of [
      ['post', `/api/partnerships/${id}/renew`, { endsOn: '2099-01-01' }],
      ['patch', `/api/partnerships/${id}/term`, { startsOn: '2025-01-01' }],
    ] as const) {
      await checkRandomBodies(
        {
          send: (text, idempotencyKey) => {
            requests += 1;
            let request = stack.http[method](path).set(staff);
            if (idempotencyKey) request = request.set('Idempotency-Key', idempotencyKey);
            return text === undefined ? request : request.set('Content-Type', 'application/json').send(text);
          },
          requests: () => requests,
          countEvents: countAll,
        },
        anyBody(valid),
      );
    }
  });
});
