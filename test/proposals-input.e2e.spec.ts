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
  notNullMostlyNumbers,
  randomBodies,
  type Presence,
  type Rule,
  type Rules,
  withDeep,
  without,
} from './support/bad-input';
import { type Stack, startStack } from './support/stack';

/**
 * DESIGN.md principle 7 for the write endpoints of partners, proposals and partnerships (and account
 * activation): bad input is a 400 problem+json naming exactly the offending fields (unknown ones too),
 * a bad path id is a 400 naming the parameter, an unknown id a 404, no input is ever a 5xx, and
 * nothing refused appends an event.
 */

const STAFF_PASSWORD = 'a-long-staff-password';
const PARTNER_PASSWORD = 'partner-password-123';
const CONTACT = { fullName: 'Awa Diop', email: 'awa.diop@ucad.sn', language: 'fr' };
const INSTITUTION = { name: 'Université Cheikh Anta Diop', country: 'SN', website: 'https://www.ucad.sn', contact: CONTACT };
const BUDGET = { amount: 120000.5, currency: 'USD' };
/** Its workshopId is set to a planned workshop before the tests. */
const PROPOSAL = {
  title: 'AI-assisted screening in rural clinics',
  summary: 'Diabetic retinopathy screening with portable cameras in twelve rural clinics.',
  sectors: ['healthcare', 'education'],
  countries: ['SN', 'ZM'],
  workshopId: UNKNOWN_ID,
  durationMonths: 18,
  budget: BUDGET,
};
const REVIEW = { score: 4, recommendation: 'revise', comment: 'Please detail the budget.' };

type Headers = Record<string, string>;
type Method = 'post' | 'patch';
/** Where a request goes and on whose behalf (no headers: nobody logged in). */
interface Target {
  method: Method;
  path: string;
  as: Headers;
}

/** The activation token in an e-mail's link. */
function activationTokenIn(text: string): string {
  const match = /\/activate\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!match) throw new Error(`No activation link in: ${text}`);
  return match[1];
}

interface Fixtures {
  staff: Headers;
  partner: Headers;
  institution: string;
  /** Two pending activation tokens: one for the named cases, one for the random bodies. */
  activation: { named: string; random: string };
  /** Proposals of `institution`: `named` for the named cases, `random` for the random bodies. */
  proposals: {
    edit: string;
    submit: string;
    withdraw: { named: string; random: string };
    review: { named: string; random: string };
    changes: { named: string; random: string };
    approve: string;
    reject: { named: string; random: string };
    /** Submitted, on which the staff member of `staff` has not declared yet. */
    declare: { named: string; random: string };
  };
  /** Partnerships: active ones to suspend and conclude, suspended ones to resume. */
  partnerships: {
    suspend: { named: string; random: string };
    resume: { named: string; random: string };
    conclude: { named: string; random: string };
  };
}

describe('bad input to the partner, proposal and partnership write endpoints', () => {
  let stack: Stack;
  let db: Client;
  let admin: Headers;
  let f: Fixtures;
  let requests = 0;

  beforeAll(async () => {
    stack = await startStack('proposals_input');
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    admin = { Authorization: `Bearer ${stack.token}` };
    const staff = await staffMember('amina@institute.test');
    const otherStaff = await staffMember('kairat@institute.test');
    const workshop = await stack.http
      .post('/api/workshops')
      .set(admin)
      .send({ title: 'AI in public health', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-05-10', endsOn: '2030-05-12', themes: ['healthcare'] })
      .expect(201);
    PROPOSAL.workshopId = workshop.body.id;

    // An institution whose first contact is activated (the partner) and two more contacts left pending.
    const registered = await stack.http.post('/api/partner-institutions').set(admin).send(INSTITUTION).expect(201);
    const institution: string = registered.body.id;
    for (const name of ['moussa', 'fatou']) {
      await stack.http.post(`/api/partner-institutions/${institution}/contacts`).set(admin).send({ fullName: name, email: `${name}@ucad.sn`, language: 'fr' }).expect(201);
    }
    const tokenFor = async (email: string) => {
      const [mail] = await waitFor(() => (stack.smtp.to(email).length > 0 ? stack.smtp.to(email) : null), { timeoutMs: 30_000, what: `the activation e-mail to ${email}` });
      return activationTokenIn(mail.parsed.text ?? '');
    };
    await stack.http.post('/api/auth/activate').send({ token: await tokenFor(CONTACT.email), password: PARTNER_PASSWORD }).expect(200);
    const login = await stack.http.post('/api/auth/login').send({ email: CONTACT.email, password: PARTNER_PASSWORD }).expect(200);
    const partner = { Authorization: `Bearer ${login.body.accessToken}` };
    const activation = { named: await tokenFor('moussa@ucad.sn'), random: await tokenFor('fatou@ucad.sn') };

    const draft = async () => (await stack.http.post('/api/proposals').set(partner).send(PROPOSAL).expect(201)).body.id as string;
    const submitted = async () => {
      const id = await draft();
      await stack.http.post(`/api/proposals/${id}/submit`).set(partner).expect(200);
      return id;
    };
    const pair = async (make: () => Promise<string>) => ({ named: await make(), random: await make() });
    /** Submitted, and `staff` declared free of conflict on it: what reviewing, sending back, approving and rejecting need. */
    const declared = async (as: Headers[] = [staff]) => {
      const id = await submitted();
      for (const headers of as) await stack.http.post(`/api/proposals/${id}/conflict-declarations`).set(headers).send({ conflict: false }).expect(201);
      return id;
    };
    const proposals = {
      edit: await draft(),
      submit: await draft(),
      withdraw: await pair(draft),
      review: await pair(() => declared()),
      changes: await pair(() => declared()),
      approve: await declared(),
      reject: await pair(() => declared()),
      declare: await pair(submitted),
    };

    // Six approved proposals: the worker's policy makes each a partnership.
    const approved = async () => {
      const id = await declared([staff, otherStaff]);
      await stack.http.post(`/api/proposals/${id}/approve`).set(staff).expect(200);
      const second = await stack.http.post(`/api/proposals/${id}/approve`).set(otherStaff).expect(200);
      expect(second.body.status).toBe('approved');
      return id;
    };
    const forPartnerships = { suspend: await pair(approved), resume: await pair(approved), conclude: await pair(approved) };
    const established = await waitFor(
      async () => {
        const list = await stack.http.get('/api/partnerships?limit=500').set(staff).expect(200);
        return list.body.items.length === 6 ? (list.body.items as { id: string; proposalId: string }[]) : null;
      },
      { timeoutMs: 30_000, what: 'six partnerships' },
    );
    const partnershipOf = (proposalId: string) => established.find((p) => p.proposalId === proposalId)!.id;
    const partnershipsOf = ({ named, random }: { named: string; random: string }) => ({ named: partnershipOf(named), random: partnershipOf(random) });
    const partnerships = {
      suspend: partnershipsOf(forPartnerships.suspend),
      resume: partnershipsOf(forPartnerships.resume),
      conclude: partnershipsOf(forPartnerships.conclude),
    };
    for (const id of [partnerships.resume.named, partnerships.resume.random]) {
      await stack.http.post(`/api/partnerships/${id}/suspend`).set(staff).send({ reason: 'Audit' }).expect(200);
    }

    // Everything the worker had to do is done: stopped, it appends nothing behind the tests' backs.
    await stack.stopWorker();
    f = { staff, partner, institution, activation, proposals, partnerships };
  });

  afterAll(async () => {
    await db?.end();
    await stack?.close();
  });

  async function staffMember(email: string): Promise<Headers> {
    await stack.http.post('/api/staff').set(admin).send({ email, fullName: email.split('@')[0], password: STAFF_PASSWORD }).expect(201);
    const login = await stack.http.post('/api/auth/login').send({ email, password: STAFF_PASSWORD }).expect(200);
    return { Authorization: `Bearer ${login.body.accessToken}` };
  }

  const countEvents = (where?: string) => countEventsIn(db, where);

  /** A request with a JSON text as it is (undefined: no body at all), optionally with an Idempotency-Key or other headers. */
  function send(to: Target, text: string | undefined, options: { idempotencyKey?: string; headers?: Headers } = {}) {
    requests += 1;
    let request = stack.http[to.method](to.path).set(to.as).set(options.headers ?? {});
    if (options.idempotencyKey) request = request.set('Idempotency-Key', options.idempotencyKey);
    return text === undefined ? request : request.set('Content-Type', 'application/json').send(text);
  }

  const request = (to: Target, body?: unknown, headers?: Headers) => send(to, body === undefined ? undefined : JSON.stringify(body), { headers });

  /** A 400 problem+json naming exactly `fields`, and not one event more. */
  async function expectBadInput(to: Target, body: unknown, fields: string[], options: { raw?: string; idempotencyKey?: string; headers?: Headers } = {}) {
    const before = await countEvents();
    const response = await send(to, options.raw ?? JSON.stringify(body), options);
    expectFieldsNamed(response, fields);
    expect(await countEvents()).toBe(before);
    return response;
  }

  async function expectRefused(to: Target, body: unknown, status: number) {
    const before = await countEvents();
    const response = await request(to, body);
    expectProblem(response, status);
    expect(await countEvents()).toBe(before);
  }

  const post = (path: string, as: () => Headers): Target => ({ method: 'post', path, as: as() });
  const asAdmin = () => admin;
  const asStaff = () => f.staff;
  const asPartner = () => f.partner;
  const asNobody = () => ({});

  it('POST /api/partner-institutions names exactly the missing, wrong-typed, unknown and out-of-range fields, contact.* included', async () => {
    const to = post('/api/partner-institutions', asAdmin);
    // An e-mail no account has: a gap in validation would show as a 201 or a 500, not as the 409 of a known address.
    const contact = { ...CONTACT, email: 'mariama.ba@ucad.sn' };
    const institution = { ...INSTITUTION, contact };
    const withContact = (value: unknown) => ({ ...INSTITUTION, contact: value });
    // missing: one message each, that it is required
    expectRequired(await expectBadInput(to, {}, ['name', 'country', 'contact']), ['name', 'country', 'contact']);
    expectRequired(await expectBadInput(to, without(institution, 'name'), ['name']), ['name']);
    expectRequired(await expectBadInput(to, without(institution, 'contact'), ['contact']), ['contact']);
    const contactFields = ['contact.fullName', 'contact.email', 'contact.language'];
    expectRequired(await expectBadInput(to, withContact({}), contactFields), contactFields);
    expectRequired(await expectBadInput(to, withContact(without(contact, 'email')), ['contact.email']), ['contact.email']);
    // wrong-typed
    expect(errorsOf(await expectBadInput(to, { ...institution, name: 42, country: ['SN'] }, ['name', 'country']))).toEqual([
      { field: 'country', message: 'country must be a valid ISO31661 Alpha2 code' },
      { field: 'name', message: 'name must be a string' },
    ]);
    await expectBadInput(to, { ...institution, website: 5 }, ['website']);
    await expectBadInput(to, withContact('Awa Diop <awa.diop@ucad.sn>'), ['contact']);
    expect(errorsOf(await expectBadInput(to, withContact(null), ['contact']))).toEqual([{ field: 'contact', message: 'contact must be an object' }]);
    await expectBadInput(to, withContact([]), ['contact']);
    await expectBadInput(to, withContact([contact]), ['contact']);
    await expectBadInput(to, withContact({ ...contact, email: 42, language: ['fr'] }), ['contact.email', 'contact.language']);
    // unknown
    await expectBadInput(to, { ...institution, status: 'active' }, ['status']);
    await expectBadInput(to, withContact({ ...contact, role: 'admin', password: 'x' }), ['contact.role', 'contact.password']);
    // out of range
    expect(errorsOf(await expectBadInput(to, { ...institution, name: 'x'.repeat(201) }, ['name']))).toEqual([{ field: 'name', message: 'name must be shorter than or equal to 200 characters' }]);
    await expectBadInput(to, { ...institution, name: '   ', country: 'XX' }, ['name', 'country']);
    await expectBadInput(to, { ...institution, website: 'ftp://ucad.sn' }, ['website']);
    await expectBadInput(to, { ...institution, website: 'www.ucad.sn' }, ['website']);
    await expectBadInput(to, { ...institution, website: `https://www.ucad.sn/${'a'.repeat(500)}` }, ['website']);
    await expectBadInput(to, withContact({ ...contact, email: 'awa.diop', language: 'french' }), ['contact.email', 'contact.language']);
    await expectBadInput(to, withContact({ ...contact, fullName: '', email: `${'a'.repeat(250)}@ucad.sn` }), ['contact.fullName', 'contact.email']);
    // text PostgreSQL cannot store
    await expectBadInput(to, { ...institution, name: 'UCAD\u0000' }, ['name']);
    await expectBadInput(to, { ...institution, website: 'https://www.ucad.sn/\u0000' }, ['website']);
    await expectBadInput(to, { ...institution, website: 'https://www.ucad.sn/\ud800' }, ['website']);
    await expectBadInput(to, withContact({ ...contact, fullName: 'Awa \udfff', email: 'awa\ud800@ucad.sn' }), ['contact.fullName', 'contact.email']);
    // all at once
    const allAtOnce = await expectBadInput(to, { ...without(institution, 'country'), name: 7, contact: { ...without(contact, 'language'), extra: true }, note: 'x' }, [
      'country',
      'name',
      'contact.language',
      'contact.extra',
      'note',
    ]);
    expect(errorsOf(allAtOnce)).toEqual([
      { field: 'contact.extra', message: 'is not a known field' },
      { field: 'contact.language', message: 'language is required' },
      { field: 'country', message: 'country is required' },
      { field: 'name', message: 'name must be a string' },
      { field: 'note', message: 'is not a known field' },
    ]);
    // the e-mail of an existing account
    await expectRefused(to, withContact({ ...CONTACT, email: 'AWA.DIOP@ucad.sn' }), 409);

    const created = await request(to, { ...INSTITUTION, country: 'sn', website: undefined, contact: { ...CONTACT, email: 'ndeye@ucad.sn', fullName: '  Ndèye Fatou Ndiaye  ' } });
    expect(created.status).toBe(201);
  });

  it('POST /api/partner-institutions/:id/contacts names exactly the offending fields, 404 for an unknown institution', async () => {
    const to = post(`/api/partner-institutions/${f.institution}/contacts`, asAdmin);
    const contact = { ...CONTACT, email: 'aminata.sy@ucad.sn' };
    await expectBadInput(to, {}, ['fullName', 'email', 'language']);
    await expectBadInput(to, without(contact, 'fullName'), ['fullName']);
    await expectBadInput(to, { ...contact, fullName: { first: 'Awa' }, email: ['awa.diop@ucad.sn'] }, ['fullName', 'email']);
    await expectBadInput(to, { ...contact, language: 33 }, ['language']);
    await expectBadInput(to, { ...contact, role: 'partner' }, ['role']);
    await expectBadInput(to, { ...contact, contact }, ['contact']);
    await expectBadInput(to, { ...contact, fullName: 'x'.repeat(201), language: 'FR' }, ['fullName', 'language']);
    await expectBadInput(to, { ...contact, email: 'awa@' }, ['email']);
    await expectBadInput(to, { ...contact, fullName: '\u0000', email: 'awa@ucad\udbff.sn' }, ['fullName', 'email']);
    await expectRefused(to, { ...CONTACT, email: 'Moussa@ucad.sn' }, 409);
    await expectRefused(post(`/api/partner-institutions/${UNKNOWN_ID}/contacts`, asAdmin), { ...CONTACT, email: 'nobody@ucad.sn' }, 404);

    const added = await request(to, { ...CONTACT, email: 'ousmane@ucad.sn', fullName: 'Ousmane Sow' });
    expect(added.status).toBe(201);
  });

  it('POST /api/proposals names exactly the missing, wrong-typed, unknown and out-of-range fields, budget.* included', async () => {
    const to = post('/api/proposals', asPartner);
    const withBudget = (budget: unknown) => ({ ...PROPOSAL, budget });
    // missing
    const required = ['title', 'summary', 'sectors', 'countries', 'durationMonths'];
    expectRequired(await expectBadInput(to, {}, required), required);
    expectRequired(await expectBadInput(to, without(PROPOSAL, 'summary', 'durationMonths'), ['summary', 'durationMonths']), ['summary', 'durationMonths']);
    expectRequired(await expectBadInput(to, withBudget({}), ['budget.amount', 'budget.currency']), ['budget.amount', 'budget.currency']);
    expectRequired(await expectBadInput(to, withBudget({ amount: 1000 }), ['budget.currency']), ['budget.currency']);
    // wrong-typed: the kind of value it takes
    expect(errorsOf(await expectBadInput(to, { ...PROPOSAL, title: 42, summary: null }, ['title', 'summary']))).toEqual([
      { field: 'summary', message: 'summary must be a string' },
      { field: 'title', message: 'title must be a string' },
    ]);
    await expectBadInput(to, { ...PROPOSAL, sectors: 'healthcare' }, ['sectors']);
    await expectBadInput(to, { ...PROPOSAL, sectors: ['healthcare', 7] }, ['sectors']);
    await expectBadInput(to, { ...PROPOSAL, countries: [['SN']] }, ['countries']);
    await expectBadInput(to, { ...PROPOSAL, countries: 'SN' }, ['countries']);
    await expectBadInput(to, { ...PROPOSAL, durationMonths: '18' }, ['durationMonths']);
    await expectBadInput(to, { ...PROPOSAL, durationMonths: null, workshopId: 5 }, ['durationMonths', 'workshopId']);
    await expectBadInput(to, withBudget(120000), ['budget']);
    await expectBadInput(to, withBudget([]), ['budget']);
    await expectBadInput(to, withBudget([BUDGET]), ['budget']);
    await expectBadInput(to, withBudget({ amount: '120000', currency: 840 }), ['budget.amount', 'budget.currency']);
    // unknown
    await expectBadInput(to, { ...PROPOSAL, status: 'approved', institutionId: UNKNOWN_ID }, ['status', 'institutionId']);
    await expectBadInput(to, withBudget({ ...BUDGET, vat: 0.2 }), ['budget.vat']);
    // named like members of Object.prototype, which the DTO transform alone would drop without a word
    await expectBadInput(to, { ...PROPOSAL, constructor: 'x', toString: 1 }, ['constructor', 'toString']);
    await expectBadInput(to, null, ['__proto__', 'budget.valueOf'], { raw: `{"__proto__":{"status":"approved"},${JSON.stringify(withBudget({ ...BUDGET, valueOf: 3 })).slice(1)}` });
    // out of range (an item of a list of codes or texts is named by its list, as themes are for workshops)
    await expectBadInput(to, { ...PROPOSAL, countries: ['SN', 'XX'] }, ['countries']);
    await expectBadInput(to, { ...PROPOSAL, countries: [], sectors: [] }, ['countries', 'sectors']);
    await expectBadInput(to, { ...PROPOSAL, countries: Array.from({ length: 251 }, () => 'SN') }, ['countries']);
    await expectBadInput(to, { ...PROPOSAL, sectors: Array.from({ length: 21 }, (_, i) => `sector ${i}`) }, ['sectors']);
    await expectBadInput(to, { ...PROPOSAL, sectors: ['x'.repeat(61)] }, ['sectors']);
    await expectBadInput(to, { ...PROPOSAL, sectors: [''] }, ['sectors']);
    await expectBadInput(to, { ...PROPOSAL, title: 'x'.repeat(201), summary: 'x'.repeat(5001) }, ['title', 'summary']);
    await expectBadInput(to, { ...PROPOSAL, title: ' \n ' }, ['title']);
    await expectBadInput(to, { ...PROPOSAL, durationMonths: 0 }, ['durationMonths']);
    await expectBadInput(to, { ...PROPOSAL, durationMonths: 121 }, ['durationMonths']);
    await expectBadInput(to, { ...PROPOSAL, durationMonths: 18.5 }, ['durationMonths']);
    await expectBadInput(to, { ...PROPOSAL, workshopId: 'workshop-1' }, ['workshopId']);
    await expectBadInput(to, { ...PROPOSAL, workshopId: UNKNOWN_ID }, ['workshopId']);
    await expectBadInput(to, withBudget({ ...BUDGET, amount: -1 }), ['budget.amount']);
    await expectBadInput(to, withBudget({ ...BUDGET, amount: 1e13 }), ['budget.amount']);
    await expectBadInput(to, withBudget({ ...BUDGET, amount: 0.001 }), ['budget.amount']);
    // numbers JavaScript writes with an exponent (1e-7): the decimal places must still be counted, not thrown on
    await expectBadInput(to, withBudget({ ...BUDGET, amount: 1e-7 }), ['budget.amount']);
    await expectBadInput(to, withBudget({ ...BUDGET, amount: 5e-324 }), ['budget.amount']);
    await expectBadInput(to, withBudget({ ...BUDGET, amount: -2e-10 }), ['budget.amount']);
    await expectBadInput(to, withBudget({ ...BUDGET, currency: 'usd' }), ['budget.currency']);
    await expectBadInput(to, withBudget({ ...BUDGET, currency: 'USDT' }), ['budget.currency']);
    // text PostgreSQL cannot store
    await expectBadInput(to, { ...PROPOSAL, title: 'AI\u0000', summary: 'Screening \ud800', sectors: ['health\udfff'] }, ['title', 'summary', 'sectors']);
    // all at once
    await expectBadInput(to, { ...without(PROPOSAL, 'title'), countries: ['XX'], budget: { amount: 1, currency: 'EUR', extra: 1 }, extra: true }, [
      'title',
      'countries',
      'budget.extra',
      'extra',
    ]);

    const created = await request(to, { ...PROPOSAL, countries: ['sn', 'zm'], workshopId: null, budget: null, title: '  Dépistage · 人工智能 · الذكاء الاصطناعي  ' });
    expect(created.status).toBe(201);
    const minimal = await request(to, { ...without(PROPOSAL, 'workshopId', 'budget'), budget: { amount: 0, currency: 'XOF' } });
    expect(minimal.status).toBe(201);
  });

  it('PATCH /api/proposals/:id names exactly the offending fields; a field it may not clear cannot be null', async () => {
    const to: Target = { method: 'patch', path: `/api/proposals/${f.proposals.edit}`, as: f.partner };
    // wrong-typed, null included: a PATCH changes the fields it names, and these cannot be cleared
    await expectBadInput(to, { title: 42 }, ['title']);
    await expectBadInput(to, { title: null }, ['title']);
    await expectBadInput(to, { summary: null, sectors: null, countries: null, durationMonths: null }, ['summary', 'sectors', 'countries', 'durationMonths']);
    await expectBadInput(to, { sectors: 'education' }, ['sectors']);
    await expectBadInput(to, { budget: [BUDGET] }, ['budget']);
    await expectBadInput(to, { budget: { amount: 1 } }, ['budget.currency']);
    // unknown
    await expectBadInput(to, { status: 'submitted' }, ['status']);
    await expectBadInput(to, { durationMonths: 24, budget: { ...BUDGET, currency: 'EUR', note: 'x' } }, ['budget.note']);
    // out of range
    await expectBadInput(to, { countries: ['ZZ'], durationMonths: 200 }, ['countries', 'durationMonths']);
    await expectBadInput(to, { title: '' }, ['title']);
    await expectBadInput(to, { budget: { amount: 1e-7, currency: 'EUR' } }, ['budget.amount']);
    await expectBadInput(to, { summary: 'Clinics\u0000' }, ['summary']);
    await expectBadInput(to, [], ['body']);
    // a malformed If-Match is named too
    await expectBadInput(to, { durationMonths: 24 }, ['If-Match'], { headers: { 'If-Match': 'version 1' } });

    await expectBadInput(to, { workshopId: UNKNOWN_ID }, ['workshopId']);
    const cleared = await request(to, { workshopId: null, budget: null, durationMonths: 24 });
    expect(cleared.status).toBe(200);
    const unchanged = await request(to, {});
    expect(unchanged.status).toBe(200);
  });

  describe.each([
    { action: 'submit', id: () => f.proposals.submit, as: asPartner },
    { action: 'approve', id: () => f.proposals.approve, as: asStaff },
  ])('POST /api/proposals/:id/$action, which takes no body', ({ action, id, as }) => {
    it('refuses any field sent to it with a 400 naming each, then still works without one', async () => {
      const to = post(`/api/proposals/${id()}/${action}`, as);
      await expectBadInput(to, { note: 'please' }, ['note']);
      await expectBadInput(to, { reason: 'done', force: true, approvals: 2 }, ['reason', 'force', 'approvals']);
      await expectBadInput(to, { constructor: 1, __proto__x: 2 }, ['constructor', '__proto__x']);
      await expectBadInput(to, [], ['body']);
      await expectBadInput(to, ['note'], ['body']);
      const done = await request(to);
      expect(done.status).toBe(200);
    });
  });

  /** The endpoints whose body is `{ reason? }`: the same rules for each. */
  describe.each([
    { name: 'POST /api/proposals/:id/withdraw', to: () => post(`/api/proposals/${f.proposals.withdraw.named}/withdraw`, asPartner) },
    { name: 'POST /api/partnerships/:id/suspend', to: () => post(`/api/partnerships/${f.partnerships.suspend.named}/suspend`, asStaff) },
    { name: 'POST /api/partnerships/:id/resume', to: () => post(`/api/partnerships/${f.partnerships.resume.named}/resume`, asStaff) },
    { name: 'POST /api/partnerships/:id/conclude', to: () => post(`/api/partnerships/${f.partnerships.conclude.named}/conclude`, asStaff) },
  ])('$name, which takes an optional reason', ({ to: target }) => {
    it('names a wrong-typed, unknown or out-of-range reason, then works with one, and a second time is a 409', async () => {
      const to = target();
      await expectBadInput(to, { reason: 5 }, ['reason']);
      await expectBadInput(to, { reason: ['Audit'] }, ['reason']);
      await expectBadInput(to, { reason: { text: 'Audit' } }, ['reason']);
      await expectBadInput(to, { reason: 'x'.repeat(2001) }, ['reason']);
      await expectBadInput(to, { reason: 'Audit\u0000' }, ['reason']);
      await expectBadInput(to, { reason: '\udc00' }, ['reason']);
      await expectBadInput(to, { reason: 'Audit', force: true }, ['force']);
      await expectBadInput(to, { comment: 'Audit' }, ['comment']);
      const done = await request(to, { reason: '  Audit des comptes  ' });
      expect(done.status).toBe(200);
      await expectRefused(to, {}, 409);
    });
  });

  it('POST /api/proposals/:id/reviews names exactly the offending fields', async () => {
    const to = post(`/api/proposals/${f.proposals.review.named}/reviews`, asStaff);
    await expectBadInput(to, {}, ['score', 'recommendation', 'comment']);
    await expectBadInput(to, without(REVIEW, 'recommendation'), ['recommendation']);
    await expectBadInput(to, { ...REVIEW, score: '4' }, ['score']);
    await expectBadInput(to, { ...REVIEW, score: null, comment: 3 }, ['score', 'comment']);
    await expectBadInput(to, { ...REVIEW, recommendation: ['approve'] }, ['recommendation']);
    await expectBadInput(to, { ...REVIEW, reviewerId: UNKNOWN_ID }, ['reviewerId']);
    await expectBadInput(to, { ...REVIEW, score: 0 }, ['score']);
    await expectBadInput(to, { ...REVIEW, score: 6 }, ['score']);
    await expectBadInput(to, { ...REVIEW, score: 3.5 }, ['score']);
    await expectBadInput(to, { ...REVIEW, recommendation: 'APPROVE' }, ['recommendation']);
    await expectBadInput(to, { ...REVIEW, recommendation: 'maybe', comment: 'x'.repeat(5001) }, ['recommendation', 'comment']);
    await expectBadInput(to, { ...REVIEW, comment: 'Budget\ud800' }, ['comment']);
    await expectBadInput(to, { ...REVIEW, comment: '  ' }, ['comment']);

    const reviewed = await request(to, REVIEW);
    expect(reviewed.status).toBe(201);
    await expectRefused(to, REVIEW, 409);
  });

  it('POST /api/proposals/:id/request-changes names exactly the offending fields', async () => {
    const to = post(`/api/proposals/${f.proposals.changes.named}/request-changes`, asStaff);
    await expectBadInput(to, {}, ['comment']);
    await expectBadInput(to, { comment: 42 }, ['comment']);
    await expectBadInput(to, { comment: null }, ['comment']);
    await expectBadInput(to, { comment: '   ' }, ['comment']);
    await expectBadInput(to, { comment: 'x'.repeat(5001) }, ['comment']);
    await expectBadInput(to, { comment: '\u0000' }, ['comment']);
    await expectBadInput(to, { comment: 'Budget', reason: 'Budget' }, ['reason']);

    const requested = await request(to, { comment: 'Merci de détailler le budget.' });
    expect(requested.status).toBe(200);
  });

  it('POST /api/proposals/:id/reject names exactly the offending fields', async () => {
    const to = post(`/api/proposals/${f.proposals.reject.named}/reject`, asStaff);
    await expectBadInput(to, {}, ['reason']);
    await expectBadInput(to, { reason: null }, ['reason']);
    await expectBadInput(to, { reason: false }, ['reason']);
    await expectBadInput(to, { reason: '' }, ['reason']);
    await expectBadInput(to, { reason: 'x'.repeat(2001) }, ['reason']);
    await expectBadInput(to, { reason: 'Out of scope \ud800' }, ['reason']);
    await expectBadInput(to, { reason: 'Out of scope', comment: 'x' }, ['comment']);

    const rejected = await request(to, { reason: 'Out of scope' });
    expect(rejected.status).toBe(200);
  });

  it('POST /api/proposals/:id/conflict-declarations names exactly the offending fields; a second declaration is a 409', async () => {
    const to = post(`/api/proposals/${f.proposals.declare.named}/conflict-declarations`, asStaff);
    expectRequired(await expectBadInput(to, {}, ['conflict']), ['conflict']);
    expectRequired(await expectBadInput(to, { reason: 'Former employer' }, ['conflict']), ['conflict']);
    await expectBadInput(to, { conflict: true }, ['reason']);
    await expectBadInput(to, { conflict: true, reason: null }, ['reason']);
    await expectBadInput(to, { conflict: true, reason: '   ' }, ['reason']);
    await expectBadInput(to, { conflict: true, reason: 'x'.repeat(1001) }, ['reason']);
    await expectBadInput(to, { conflict: true, reason: 'Spouse \u0000' }, ['reason']);
    await expectBadInput(to, { conflict: true, reason: '\udc00' }, ['reason']);
    await expectBadInput(to, { conflict: true, reason: 42 }, ['reason']);
    await expectBadInput(to, { conflict: true, reason: ['Spouse'] }, ['reason']);
    await expectBadInput(to, { conflict: false, reason: '' }, ['reason']);
    for (const conflict of ['true', 'false', 1, 0, null, [], {}, [true]]) await expectBadInput(to, { conflict }, ['conflict']);
    await expectBadInput(to, { conflict: 'yes', reason: 7 }, ['conflict', 'reason']);
    await expectBadInput(to, { conflict: false, staffId: UNKNOWN_ID }, ['staffId']);
    await expectBadInput(to, { conflict: false, declaredAt: '2020-01-01T00:00:00Z', comment: 'x' }, ['declaredAt', 'comment']);
    await expectBadInput(to, [], ['conflict']);
    await expectRefused(post(`/api/proposals/${f.proposals.declare.named}/conflict-declarations`, asPartner), { conflict: false }, 403);

    const declared = await request(to, { conflict: true, reason: '  Former employer of the project lead  ' });
    expect(declared.status).toBe(201);
    await expectRefused(to, { conflict: false }, 409);
    const again = await request(to, { conflict: true, reason: 'Former employer of the project lead' });
    expect(again.body.code).toBe('conflict_already_declared');
    const [event] = (await db.query("SELECT data FROM events WHERE stream_id = $1 AND type = 'ConflictOfInterestDeclared'", [`proposal-${f.proposals.declare.named}`])).rows;
    expect(event.data).toMatchObject({ conflict: true, reason: 'Former employer of the project lead' });
  });

  it('POST /api/auth/activate names exactly the offending fields; an unknown token is 404, a spent one 410', async () => {
    const to = post('/api/auth/activate', asNobody);
    const token = f.activation.named;
    await expectBadInput(to, {}, ['token', 'password']);
    await expectBadInput(to, { token }, ['password']);
    await expectBadInput(to, { token: 42, password: ['a-long-password'] }, ['token', 'password']);
    await expectBadInput(to, { token: null, password: null }, ['token', 'password']);
    await expectBadInput(to, { token, password: PARTNER_PASSWORD, email: 'moussa@ucad.sn' }, ['email']);
    await expectBadInput(to, { token: token.slice(1), password: PARTNER_PASSWORD }, ['token']);
    await expectBadInput(to, { token: `${token.slice(1)}=`, password: PARTNER_PASSWORD }, ['token']);
    await expectBadInput(to, { token, password: 'short' }, ['password']);
    await expectBadInput(to, { token, password: 'x'.repeat(1025) }, ['password']);
    await expectRefused(to, { token: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, password: PARTNER_PASSWORD }, 404);

    const activated = await request(to, { token, password: PARTNER_PASSWORD });
    expect(activated.status).toBe(200);
    await expectRefused(to, { token, password: PARTNER_PASSWORD }, 410);
  });

  /** Every write endpoint with an id in its path, a body it would accept, and who may call it. */
  const WITH_ID: { name: string; method: Method; path: (id: string) => string; as: () => Headers; body: () => unknown }[] = [
    { name: 'POST contacts', method: 'post', path: (id) => `/api/partner-institutions/${id}/contacts`, as: asAdmin, body: () => ({ ...CONTACT, email: 'nobody@ucad.sn' }) },
    { name: 'PATCH proposal', method: 'patch', path: (id) => `/api/proposals/${id}`, as: asPartner, body: () => ({ durationMonths: 12 }) },
    { name: 'POST submit', method: 'post', path: (id) => `/api/proposals/${id}/submit`, as: asPartner, body: () => undefined },
    { name: 'POST withdraw', method: 'post', path: (id) => `/api/proposals/${id}/withdraw`, as: asPartner, body: () => ({ reason: 'x' }) },
    { name: 'POST reviews', method: 'post', path: (id) => `/api/proposals/${id}/reviews`, as: asStaff, body: () => REVIEW },
    { name: 'POST request-changes', method: 'post', path: (id) => `/api/proposals/${id}/request-changes`, as: asStaff, body: () => ({ comment: 'x' }) },
    { name: 'POST approve', method: 'post', path: (id) => `/api/proposals/${id}/approve`, as: asStaff, body: () => undefined },
    { name: 'POST conflict-declarations', method: 'post', path: (id) => `/api/proposals/${id}/conflict-declarations`, as: asStaff, body: () => ({ conflict: false }) },
    { name: 'POST reject', method: 'post', path: (id) => `/api/proposals/${id}/reject`, as: asStaff, body: () => ({ reason: 'x' }) },
    { name: 'POST suspend', method: 'post', path: (id) => `/api/partnerships/${id}/suspend`, as: asStaff, body: () => ({}) },
    { name: 'POST resume', method: 'post', path: (id) => `/api/partnerships/${id}/resume`, as: asStaff, body: () => ({}) },
    { name: 'POST conclude', method: 'post', path: (id) => `/api/partnerships/${id}/conclude`, as: asStaff, body: () => ({}) },
  ];

  it.each(WITH_ID)('$name: an id that is not a UUID is 400 naming it, an unknown one is 404', async ({ method, path, as, body }) => {
    for (const bad of BAD_IDS) {
      await expectBadInput({ method, path: path(bad), as: as() }, body(), ['id']);
    }
    await expectRefused({ method, path: path(UNKNOWN_ID), as: as() }, body(), 404);
  });

  it('answers a body nested thousands of levels deep with a 400 naming the field, Idempotency-Key or not, on every endpoint', async () => {
    const targets: { to: () => Target; valid: object; field: string }[] = [
      { to: () => post('/api/partner-institutions', asAdmin), valid: INSTITUTION, field: 'contact' },
      { to: () => post(`/api/partner-institutions/${f.institution}/contacts`, asAdmin), valid: CONTACT, field: 'email' },
      { to: () => post('/api/proposals', asPartner), valid: PROPOSAL, field: 'countries' },
      { to: () => ({ method: 'patch', path: `/api/proposals/${f.proposals.edit}`, as: f.partner }), valid: {}, field: 'budget' },
      { to: () => post(`/api/proposals/${f.proposals.edit}/submit`, asPartner), valid: {}, field: 'note' },
      { to: () => post(`/api/proposals/${f.proposals.withdraw.random}/withdraw`, asPartner), valid: {}, field: 'reason' },
      { to: () => post(`/api/proposals/${f.proposals.review.random}/reviews`, asStaff), valid: REVIEW, field: 'score' },
      { to: () => post(`/api/proposals/${f.proposals.changes.random}/request-changes`, asStaff), valid: { comment: 'x' }, field: 'comment' },
      { to: () => post(`/api/proposals/${f.proposals.review.random}/approve`, asStaff), valid: {}, field: 'note' },
      { to: () => post(`/api/proposals/${f.proposals.reject.random}/reject`, asStaff), valid: { reason: 'x' }, field: 'reason' },
      { to: () => post(`/api/proposals/${f.proposals.declare.random}/conflict-declarations`, asStaff), valid: { conflict: true, reason: 'x' }, field: 'reason' },
      { to: () => post(`/api/partnerships/${f.partnerships.suspend.random}/suspend`, asStaff), valid: {}, field: 'reason' },
      { to: () => post(`/api/partnerships/${f.partnerships.resume.random}/resume`, asStaff), valid: {}, field: 'reason' },
      { to: () => post(`/api/partnerships/${f.partnerships.conclude.random}/conclude`, asStaff), valid: {}, field: 'reason' },
      { to: () => post('/api/auth/activate', asNobody), valid: { token: f.activation.random, password: PARTNER_PASSWORD }, field: 'password' },
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
    const text = (max: number, options: Presence & { anyText?: boolean } = {}): Rule => ({ type: 'text', max, ...options });
    const token = (presence: Presence = {}): Rule => ({ type: 'token', ...presence });
    const number = (accepts: (n: number) => boolean, presence: Presence = {}): Rule => ({ type: 'number', accepts, ...presence });
    const integer = (min: number, max: number) => (n: number) => Number.isInteger(n) && n >= min && n <= max;
    /** An amount of money: 0 to 10^12, with at most two decimal places as JavaScript writes it. */
    const amount = (n: number) => n >= 0 && n <= 1e12 && /^\d+(\.\d{1,2})?$/.test(String(n));

    const mutations = { tokenMax: 500, notNull: notNullMostlyNumbers };
    const target = (to: Target) => ({
      send: (body: string | undefined, idempotencyKey: string | undefined) => send(to, body, { idempotencyKey }),
      requests: () => requests,
      countEvents: () => countEvents(),
    });

    const CONTACT_RULES: Rules = { fullName: text(200), email: token(), language: token() };
    const within = (prefix: string, rules: Rules): Rules => Object.fromEntries(Object.entries(rules).map(([key, rule]) => [`${prefix}.${key}`, rule]));
    const proposalRules = (presence: Presence): Rules => ({
      title: text(200, presence),
      summary: text(5000, presence),
      sectors: { type: 'list', oversize: Array.from({ length: 21 }, (_, i) => `sector ${i}`), ...presence },
      'sectors.*': text(60),
      countries: { type: 'list', oversize: Array.from({ length: 251 }, () => 'ZM'), ...presence },
      'countries.*': token(),
      workshopId: token({ optional: true, nullable: true }),
      durationMonths: number(integer(1, 120), presence),
      budget: { type: 'object', optional: true, nullable: true },
      'budget.amount': number(amount),
      'budget.currency': token(),
    });
    const reason: Rules = { reason: text(2000, { optional: true, nullable: true }) };

    const withBody: { name: string; to: () => Target; valid: () => unknown; rules: Rules }[] = [
      {
        name: 'POST /api/partner-institutions',
        to: () => post('/api/partner-institutions', asAdmin),
        // {RUN} becomes the request's number: every valid body registers a contact not yet known.
        valid: () => ({ ...INSTITUTION, contact: { ...CONTACT, email: 'contact-{RUN}@ucad.sn' } }),
        rules: { name: text(200), country: token(), website: token({ optional: true, nullable: true }), contact: { type: 'object' }, ...within('contact', CONTACT_RULES) },
      },
      {
        name: 'POST /api/partner-institutions/:id/contacts',
        to: () => post(`/api/partner-institutions/${f.institution}/contacts`, asAdmin),
        valid: () => ({ ...CONTACT, email: 'contact-{RUN}@ucad.sn' }),
        rules: CONTACT_RULES,
      },
      { name: 'POST /api/proposals', to: () => post('/api/proposals', asPartner), valid: () => PROPOSAL, rules: proposalRules({}) },
      {
        name: 'PATCH /api/proposals/:id',
        to: () => ({ method: 'patch', path: `/api/proposals/${f.proposals.edit}`, as: f.partner }),
        valid: () => ({ ...PROPOSAL, title: 'Edited {RUN}' }),
        rules: proposalRules({ optional: true }),
      },
      { name: 'POST /api/proposals/:id/withdraw', to: () => post(`/api/proposals/${f.proposals.withdraw.random}/withdraw`, asPartner), valid: () => ({ reason: 'Merged' }), rules: reason },
      {
        name: 'POST /api/proposals/:id/reviews',
        to: () => post(`/api/proposals/${f.proposals.review.random}/reviews`, asStaff),
        valid: () => REVIEW,
        rules: { score: number(integer(1, 5)), recommendation: token(), comment: text(5000) },
      },
      {
        name: 'POST /api/proposals/:id/request-changes',
        to: () => post(`/api/proposals/${f.proposals.changes.random}/request-changes`, asStaff),
        valid: () => ({ comment: 'Detail the budget' }),
        rules: { comment: text(5000) },
      },
      { name: 'POST /api/proposals/:id/reject', to: () => post(`/api/proposals/${f.proposals.reject.random}/reject`, asStaff), valid: () => ({ reason: 'Out of scope' }), rules: { reason: text(2000) } },
      {
        name: 'POST /api/proposals/:id/conflict-declarations',
        to: () => post(`/api/proposals/${f.proposals.declare.random}/conflict-declarations`, asStaff),
        valid: () => ({ conflict: true, reason: 'Former employer' }),
        rules: { conflict: { type: 'boolean' }, reason: text(1000) },
      },
      { name: 'POST /api/partnerships/:id/suspend', to: () => post(`/api/partnerships/${f.partnerships.suspend.random}/suspend`, asStaff), valid: () => ({ reason: 'Audit' }), rules: reason },
      { name: 'POST /api/partnerships/:id/resume', to: () => post(`/api/partnerships/${f.partnerships.resume.random}/resume`, asStaff), valid: () => ({ reason: 'Audited' }), rules: reason },
      { name: 'POST /api/partnerships/:id/conclude', to: () => post(`/api/partnerships/${f.partnerships.conclude.random}/conclude`, asStaff), valid: () => ({}), rules: reason },
      {
        name: 'POST /api/auth/activate',
        to: () => post('/api/auth/activate', asNobody),
        valid: () => ({ token: f.activation.random, password: PARTNER_PASSWORD }),
        rules: { token: token(), password: text(1024, { anyText: true }) },
      },
    ];

    it.each(withBody)('$name', async ({ to, valid, rules }) => {
      await checkRandomBodies(target(to()), randomBodies(valid(), rules, mutations));
    });

    const bodyless: { name: string; to: () => Target }[] = [
      { name: 'POST /api/proposals/:id/submit', to: () => post(`/api/proposals/${f.proposals.edit}/submit`, asPartner) },
      { name: 'POST /api/proposals/:id/approve', to: () => post(`/api/proposals/${f.proposals.review.random}/approve`, asStaff) },
    ];

    it.each(bodyless)('$name (any body at all is refused, naming its fields)', async ({ to }) => {
      await checkRandomBodies(target(to()), bodylessCases(), expectBodyRefused);
    });
  });
});
