import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { waitFor } from '@passerelle/testing';
import { type Stack, startStack } from './support/stack';

type Headers = Record<string, string>;

/** One list as one caller reads it: the path with its filters, and who asks. */
interface List {
  name: string;
  path: string;
  as: () => Headers;
}

/** What a client can make by hand: the cursor's values without the server's seal. Main answered it with a 500. */
const CRAFTED = Buffer.from(JSON.stringify(['not-a-date', randomUUID()])).toString('base64');

describe('list cursors: only a cursor a list gave, for its filters and its caller, is taken', () => {
  let stack: Stack;
  let admin: Headers;
  const partners: Record<'a' | 'b', Headers> = { a: {}, b: {} };
  const workshops: string[] = [];
  let position = 0;
  const lists: List[] = [];

  /** Keeps the highest position written, so that reads wait for the read models to reach it. */
  function wrote(response: Response): Response {
    position = Math.max(position, Number(response.body.position ?? 0));
    return response;
  }

  function read(list: List, query: Record<string, string | number> = {}) {
    return stack.http.get(list.path).set(list.as()).set('X-Min-Position', String(position)).query(query);
  }

  async function partner(name: string, email: string): Promise<{ id: string; headers: Headers }> {
    const contact = { fullName: name, email, language: 'en' };
    const registered = wrote(await stack.http.post('/api/partner-institutions').set(admin).send({ name, country: 'ZM', contact }).expect(201));
    await waitFor(() => stack.smtp.to(email).length === 1, { timeoutMs: 20_000, what: `the activation e-mail to ${email}` });
    const token = /\/activate\/([A-Za-z0-9_-]{43})/.exec(stack.smtp.to(email)[0].parsed.text ?? '')![1];
    await stack.http.post('/api/auth/activate').send({ token, password: 'partner-password-for-lists' }).expect(200);
    const login = await stack.http.post('/api/auth/login').send({ email, password: 'partner-password-for-lists' }).expect(200);
    return { id: registered.body.id, headers: { Authorization: `Bearer ${login.body.accessToken}` } };
  }

  async function proposal(headers: Headers, title: string, approve: boolean): Promise<void> {
    const body = { title, summary: 'Pilots', sectors: ['healthcare'], countries: ['ZM'], durationMonths: 12, budget: { amount: 1000, currency: 'USD' } };
    const created = wrote(await stack.http.post('/api/proposals').set(headers).send(body).expect(201));
    wrote(await stack.http.post(`/api/proposals/${created.body.id}/submit`).set(headers).expect(200));
    if (approve) {
      wrote(await stack.http.post(`/api/proposals/${created.body.id}/conflict-declarations`).set(admin).send({ conflict: false }).expect(201));
      wrote(await stack.http.post(`/api/proposals/${created.body.id}/approve`).set(admin).expect(200));
    }
  }

  beforeAll(async () => {
    stack = await startStack('list_cursors', { env: { APPROVALS_REQUIRED: '1' } });
    admin = { Authorization: `Bearer ${stack.token}` };
    for (const [i, city] of ['Lusaka', 'Dakar', 'Almaty'].entries()) {
      const plan = { title: `Workshop ${city}`, hostInstitution: 'Institute', city, country: 'CN', startsOn: `2031-0${i + 1}-10`, endsOn: `2031-0${i + 1}-12`, themes: ['healthcare'] };
      const created = wrote(await stack.http.post('/api/workshops').set(admin).send(plan).expect(201));
      workshops.push(created.body.id);
      wrote(await stack.http.post(`/api/workshops/${created.body.id}/open-registration`).set(admin).expect(200));
    }
    const participant = (n: number) => ({ fullName: `Official ${n}`, email: `official${n}@gov.test`, country: 'ZM', organization: 'Ministry', language: 'en' });
    wrote(await stack.http.post(`/api/workshops/${workshops[0]}/invitations`).set(admin).send({ participants: [1, 2, 3].map(participant) }).expect(202));
    wrote(await stack.http.post(`/api/workshops/${workshops[1]}/invitations`).set(admin).send({ participants: [4, 5].map(participant) }).expect(202));
    const a = await partner('Alpha University', 'alpha@alpha.test');
    const b = await partner('Beta Institute', 'beta@beta.test');
    wrote(await stack.http.post('/api/partner-institutions').set(admin).send({ name: 'Gamma College', country: 'SN', contact: { fullName: 'G', email: 'g@gamma.test', language: 'fr' } }).expect(201));
    partners.a = a.headers;
    partners.b = b.headers;
    await proposal(a.headers, 'Alpha one', true);
    await proposal(a.headers, 'Alpha two', true);
    await proposal(a.headers, 'Alpha three', false);
    await proposal(b.headers, 'Beta one', true);
    await proposal(b.headers, 'Beta two', true);
    await proposal(b.headers, 'Beta three', false);
    for (const country of ['ZM', 'SN']) {
      wrote(await stack.http.put(`/api/ministries/${country}`).set(admin).send({ ministryName: `Ministry ${country}`, email: `ict@${country}.test`, language: 'en' }).expect(200));
    }
    await waitFor(async () => (await stack.http.get('/api/partnerships').set(admin)).body.items?.length === 4, { timeoutMs: 20_000, what: 'the partnerships' });
    const as = (headers: () => Headers) => headers;
    lists.push(
      { name: 'workshops', path: '/api/workshops', as: as(() => admin) },
      { name: 'invitations of one workshop', path: `/api/workshops/${workshops[0]}/invitations`, as: as(() => admin) },
      { name: 'invitations of another workshop', path: `/api/workshops/${workshops[1]}/invitations`, as: as(() => admin) },
      { name: 'partner institutions', path: '/api/partner-institutions', as: as(() => admin) },
      { name: 'proposals (staff)', path: '/api/proposals', as: as(() => admin) },
      { name: 'submitted proposals (staff)', path: '/api/proposals?status=submitted', as: as(() => admin) },
      { name: "proposals (partner A's)", path: '/api/proposals', as: as(() => partners.a) },
      { name: "proposals (partner B's)", path: '/api/proposals', as: as(() => partners.b) },
      { name: 'partnerships (staff)', path: '/api/partnerships', as: as(() => admin) },
      { name: "partnerships (partner A's)", path: '/api/partnerships', as: as(() => partners.a) },
      { name: "partnerships (partner B's)", path: '/api/partnerships', as: as(() => partners.b) },
    );
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  function expectCursorRefused(response: Response, what: string): void {
    expect({ what, status: response.status, type: response.headers['content-type'] }).toEqual({ what, status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(response.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  }

  async function firstCursor(list: List): Promise<string> {
    const page = await read(list, { limit: 1 }).expect(200);
    expect(typeof page.body.nextCursor).toBe('string');
    return page.body.nextCursor;
  }

  it('walks every list a page at a time and meets each item once, in the order of the whole list', async () => {
    for (const list of lists) {
      const whole = (await read(list, { limit: 500 }).expect(200)).body;
      expect(whole.nextCursor).toBeNull();
      expect({ list: list.name, enough: whole.items.length >= 2 }).toEqual({ list: list.name, enough: true });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await read(list, cursor ? { limit: 1, cursor } : { limit: 1 }).expect(200);
        seen.push(...page.body.items.map((item: { id: string }) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor && seen.length <= whole.items.length);
      expect({ list: list.name, ids: seen }).toEqual({ list: list.name, ids: whole.items.map((item: { id: string }) => item.id) });
    }
    const ministries = await stack.http.get('/api/ministries').set(admin).set('X-Min-Position', String(position)).expect(200);
    expect(ministries.body).toEqual({ items: [expect.objectContaining({ country: 'SN' }), expect.objectContaining({ country: 'ZM' })], nextCursor: null });
  });

  it('answers a crafted cursor with a 400 naming cursor on every list, the ministries too', async () => {
    for (const list of [...lists, { name: 'ministries', path: '/api/ministries', as: () => admin }]) {
      expectCursorRefused(await read(list, { cursor: CRAFTED }), `${list.name}: crafted`);
      expectCursorRefused(await read(list, { cursor: Buffer.from(JSON.stringify([])).toString('base64url') }), `${list.name}: empty values`);
    }
  });

  it('refuses a cursor whose values or seal were changed', async () => {
    for (const list of lists) {
      const [payload, seal] = (await firstCursor(list)).split('.');
      const values = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const moved = Buffer.from(JSON.stringify([values[0], randomUUID()])).toString('base64url');
      expectCursorRefused(await read(list, { cursor: `${moved}.${seal}` }), `${list.name}: another position`);
      const broken = `${seal.slice(0, 10)}${seal[10] === 'A' ? 'B' : 'A'}${seal.slice(11)}`;
      expectCursorRefused(await read(list, { cursor: `${payload}.${broken}` }), `${list.name}: a changed seal`);
      expectCursorRefused(await read(list, { cursor: payload }), `${list.name}: no seal`);
    }
  });

  it("refuses on every list a cursor that another list gave, another filter's or another caller's", async () => {
    const cursors = await Promise.all(lists.map(firstCursor));
    for (const [i, list] of lists.entries()) {
      for (const [j, other] of lists.entries()) {
        if (i !== j) expectCursorRefused(await read(list, { cursor: cursors[j] }), `${other.name}'s cursor on ${list.name}`);
      }
      expectCursorRefused(await read({ name: 'ministries', path: '/api/ministries', as: () => admin }, { cursor: cursors[i] }), `${list.name}'s cursor on ministries`);
    }
    const issued = { ...lists[1], path: `${lists[1].path}?status=issued` };
    expectCursorRefused(await read(issued, { cursor: cursors[1] }), 'a workshop cursor under another status filter');
  });
});
