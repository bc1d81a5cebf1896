import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ERASED } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { queueConnection } from '@passerelle/platform';
import { PersonalDataVault } from '@passerelle/privacy';
import { TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { bearer, partnerInstitution, WORKSHOP } from './support/callers';
import { expectProblem } from './support/security';
import { type Stack, startStack } from './support/stack';

const STAFF = { email: 'erasure.staff@institute.test', fullName: 'Erasure Staff', password: 'staff-password-Qw7#zR4p' };
const PARTNER_PASSWORD = 'partner-password-Tz6!pW2m';
const MAIL_WAIT = { timeoutMs: 30_000 };
const participant = (email: string, fullName = 'Siti Rahmawati') => ({ fullName, email, country: 'ID', organization: 'Kominfo Digital Office', position: 'Director of AI Policy', language: 'en' });

/**
 * Erasure of a data subject (issue 20) through the API, on the real stack: the answers and codes of
 * API.md, the e-mails already sent, the person's account, every table outside the events, a person
 * erased while the worker is sending to them, and a second process that sees the erasure at once.
 */
describe('erasing a data subject', () => {
  let stack: Stack;
  let db: Client;
  let admin: Record<string, string>;
  let staff: Record<string, string>;
  /** Addresses whose e-mails the SMTP server holds its "250 OK" back for, until the promise settles. */
  const holds = new Map<string, Promise<void>>();

  beforeAll(async () => {
    // Each e-mail takes a while to be accepted (longer for the addresses in `holds`), so that an erasure can come while one is being sent.
    const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 30));
    stack = await startStack('privacy_erasure', { smtp: { holdAnswer: (mail) => holds.get(mail.envelopeTo[0]) ?? pause() } });
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    admin = bearer(stack.token);
    await stack.http.post('/api/staff').set(admin).send(STAFF).expect(201);
    staff = bearer((await stack.http.post('/api/auth/login').send({ email: STAFF.email, password: STAFF.password }).expect(200)).body.accessToken);
  });

  afterAll(async () => {
    await db?.end();
    await stack?.close();
  });

  /** A workshop open for registration, `people` invited (with an Idempotency-Key, whose stored answer names them). */
  async function invite(people: object[]): Promise<{ workshopId: string; invitationIds: string[] }> {
    const workshopId = (await stack.http.post('/api/workshops').set(admin).send(WORKSHOP).expect(201)).body.id as string;
    await stack.http.post(`/api/workshops/${workshopId}/open-registration`).set(admin).expect(200);
    const invited = await stack.http.post(`/api/workshops/${workshopId}/invitations`).set(admin).set('Idempotency-Key', `invite-${randomUUID()}`).send({ participants: people }).expect(202);
    return { workshopId, invitationIds: invited.body.items.map((item: { id: string }) => item.id) };
  }

  const lookUp = (email: string) => stack.http.get(`/api/privacy/subjects?email=${encodeURIComponent(email)}`).set(admin);
  const erase = (subjectId: string, body: object = { reason: 'Request of the person (DPO ticket 2031)' }) => stack.http.post(`/api/privacy/subjects/${subjectId}/erase`).set(admin).send(body);

  /** The tables (besides `events`) whose rows, as text, hold `needle` (case-blind): every table of the database. */
  async function tablesHolding(needle: string): Promise<string[]> {
    const tables = (await db.query<{ name: string }>("SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")).rows;
    const found: string[] = [];
    for (const { name } of tables) {
      if (name === 'events') continue;
      const { rows } = await db.query(`SELECT 1 FROM ${name} t WHERE strpos(lower(t::text), lower($1)) > 0 LIMIT 1`, [needle]);
      if (rows.length > 0) found.push(name);
    }
    return found;
  }

  it('looks up and erases an invited, e-mailed participant: answers, codes and the e-mails already sent', async () => {
    const siti = participant('siti.rahmawati@kominfo.go.test');
    const { invitationIds } = await invite([siti]);
    await waitFor(() => stack.smtp.to(siti.email).length >= 1, { ...MAIL_WAIT, what: 'the invitation e-mail' });

    const found = await lookUp('  Siti.Rahmawati@KOMINFO.go.test ').expect(200);
    expect(found.body).toEqual({ subjectId: expect.stringMatching(/^[0-9a-f-]{36}$/), erased: false });
    const { subjectId } = found.body;

    expectProblem(await lookUp('nobody@kominfo.go.test'), 404, 'an address no one has');
    for (const query of ['email=not-an-address', 'email=', '', `email=${'a'.repeat(250)}@x.test`]) {
      const answer = await stack.http.get(`/api/privacy/subjects?${query}`).set(admin);
      expectProblem(answer, 400, `?${query}`);
      expect([...new Set(answer.body.errors.map((e: { field: string }) => e.field))]).toEqual(['email']);
    }
    const unknownField = await stack.http.get('/api/privacy/subjects?email=siti.rahmawati@kominfo.go.test&name=x').set(admin);
    expectProblem(unknownField, 400, 'an unknown query parameter');

    // Only admins.
    expectProblem(await stack.http.get(`/api/privacy/subjects?email=${siti.email}`).set(staff), 403, 'lookup by staff');
    expectProblem(await stack.http.get(`/api/privacy/subjects?email=${siti.email}`), 401, 'lookup without a token');
    expectProblem(await stack.http.post(`/api/privacy/subjects/${subjectId}/erase`).set(staff).send({ reason: 'x' }), 403, 'erasure by staff');
    expectProblem(await stack.http.post(`/api/privacy/subjects/${subjectId}/erase`).send({ reason: 'x' }), 401, 'erasure without a token');

    // Bad bodies name their fields and erase nothing.
    const bad: [object, string[]][] = [
      [{}, ['reason']],
      [{ reason: '' }, ['reason']],
      [{ reason: '   ' }, ['reason']],
      [{ reason: 42 }, ['reason']],
      [{ reason: 'x'.repeat(501) }, ['reason']],
      [{ reason: 'Request', basis: 'retention' }, ['basis']],
    ];
    for (const [body, fields] of bad) {
      const answer = await erase(subjectId, body);
      expectProblem(answer, 400, JSON.stringify(body).slice(0, 40));
      expect([...new Set(answer.body.errors.map((e: { field: string }) => e.field))]).toEqual(fields);
    }
    expectProblem(await erase(randomUUID()), 404, 'an unknown subject');
    expectProblem(await erase('not-a-subject'), 404, 'an id that is not a UUID');
    expect((await lookUp(siti.email).expect(200)).body.erased).toBe(false);

    const erased = await erase(subjectId).expect(200);
    expect(erased.body).toEqual({ subjectId, erasedAt: expect.any(String), emailsAlreadySent: stack.smtp.to(siti.email).length });
    expect(erased.body.emailsAlreadySent).toBe(1);
    expect(new Date(erased.body.erasedAt).toISOString()).toBe(erased.body.erasedAt);

    for (const time of ['twice', 'three times']) {
      const again = await erase(subjectId);
      expectProblem(again, 409, `erased ${time}`);
      expect(again.body.type).toMatch(/already-erased$/);
    }
    const after = await lookUp(siti.email).expect(200);
    expect(after.body).toEqual({ subjectId, erased: true, erasedAt: expect.any(String) });

    // The events name them no more: the audit reads their fields as erased.
    const audit = await stack.http.get(`/api/audit/invitation/${invitationIds[0]}`).set(admin).expect(200);
    expect(audit.body[0].data).toMatchObject({ fullName: ERASED, email: ERASED, organization: ERASED, position: ERASED, country: 'ID' });
    const recorded = await db.query("SELECT data FROM events WHERE stream_id = $1 AND type = 'PersonalDataErased'", [`subject-${subjectId}`]);
    expect(recorded.rows[0].data).toMatchObject({ subjectId, basis: 'request', emailsAlreadySent: 1, reason: 'Request of the person (DPO ticket 2031)' });
  });

  it("erases a partner contact: their account is closed, can no longer log in, and `users` keeps no trace of the address", async () => {
    const contact = { fullName: 'Tomás Ruiz Delgado', email: 'tomas.ruiz@uba.test' };
    const partner = await partnerInstitution(stack, 'Universidad de Buenos Aires', contact);
    await stack.http.get('/api/me').set(partner.headers).expect(200);
    expectProblem(await stack.http.get(`/api/privacy/subjects?email=${contact.email}`).set(partner.headers), 403, 'lookup by a partner');

    const { subjectId } = (await lookUp(contact.email).expect(200)).body;
    expectProblem(await erase(subjectId).set(partner.headers), 403, 'erasure by a partner');
    const erased = await erase(subjectId).expect(200);
    expect(erased.body.emailsAlreadySent).toBe(stack.smtp.to(contact.email).length);
    expect(erased.body.emailsAlreadySent).toBe(1); // the activation e-mail

    expectProblem(await stack.http.get('/api/me').set(partner.headers), 401, 'the erased contact\'s token');
    expectProblem(await stack.http.post('/api/auth/login').send({ email: contact.email, password: PARTNER_PASSWORD }), 401, 'logging in as the erased contact');
    const users = (await db.query('SELECT u::text AS row, email, full_name, closed_at, password_hash FROM users u')).rows;
    expect(users.filter((user) => user.row.toLowerCase().includes(contact.email) || user.row.includes(contact.fullName))).toEqual([]);
    const account = users.find((user) => /^erased-[0-9a-f-]{36}@invalid$/.test(user.email));
    expect(account).toMatchObject({ full_name: '[erased]', closed_at: expect.any(Date), password_hash: null });
    // Not even with the address the account now has (not one the login form takes, and no password).
    expect((await stack.http.post('/api/auth/login').send({ email: account!.email, password: PARTNER_PASSWORD })).status).toBeGreaterThanOrEqual(400);
  });

  it('finds and erases a staff member no event names: their account is the subject', async () => {
    const member = { email: 'Chen.Jiayi@institute.test', fullName: 'Chen Jiayi', password: 'a-long-staff-passphrase-Qz7!' };
    await stack.http.post('/api/staff').set(admin).send(member).expect(201);
    const found = await lookUp(member.email.toLowerCase()).expect(200);
    expect(found.body).toEqual({ subjectId: expect.any(String), erased: false });
    expect((await lookUp(member.email).expect(200)).body.subjectId).toBe(found.body.subjectId);
    await erase(found.body.subjectId).expect(200);
    expectProblem(await stack.http.post('/api/auth/login').send({ email: member.email, password: member.password }), 401, 'logging in as the erased staff member');
    expect(await tablesHolding(member.email)).toEqual([]);
    expect(await tablesHolding(member.fullName)).toEqual([]);
    expect((await lookUp(member.email).expect(200)).body).toMatchObject({ subjectId: found.body.subjectId, erased: true });
  });

  it('completes an erasure that stopped after the key was destroyed: the account is still found (by blind index) and closed', async () => {
    const contact = { fullName: 'Nurlan Abenov', email: 'nurlan.abenov@nu.test' };
    const partner = await partnerInstitution(stack, 'Nazarbayev University', contact);
    const { subjectId } = (await lookUp(contact.email).expect(200)).body;
    // An earlier attempt destroyed the key, then its process died: the address can no longer be read from the events.
    await stack.api.get(PersonalDataVault).destroyKey(subjectId);

    const erased = await erase(subjectId).expect(200);
    expect(erased.body).toMatchObject({ subjectId, emailsAlreadySent: 1 });
    expectProblem(await erase(subjectId), 409, 'erased twice');
    expectProblem(await stack.http.get('/api/me').set(partner.headers), 401, "the contact's token");
    expectProblem(await stack.http.post('/api/auth/login').send({ email: contact.email, password: PARTNER_PASSWORD }), 401, 'logging in as the contact');
    expect((await db.query('SELECT count(*)::int AS n FROM users u WHERE strpos(lower(u::text), $1) > 0', [contact.email])).rows[0].n).toBe(0);
  });

  it('leaves the address in no table outside the events', async () => {
    const amina = participant('amina.diallo@mpt.gouv.test', 'Amina Diallo');
    await invite([amina]);
    await waitFor(() => stack.smtp.to(amina.email).length >= 1, { ...MAIL_WAIT, what: 'the invitation e-mail' });
    const contact = { fullName: 'Wanjiru Kamau', email: 'wanjiru.kamau@uonbi.test' };
    await partnerInstitution(stack, 'University of Nairobi', contact);

    // Once the read models have them.
    await waitFor(async () => (await tablesHolding(amina.email)).includes('invitations') && (await tablesHolding(contact.email)).includes('partner_institutions'), { timeoutMs: 20_000, what: 'the read models' });
    const before = { participant: await tablesHolding(amina.email), contact: await tablesHolding(contact.email) };
    // What the search finds before: the ledger no longer (it holds subject ids), the stored answers and the account do.
    expect(before.participant).toEqual(expect.arrayContaining(['idempotency_keys']));
    expect(before.participant).not.toContain('mail_ledger');
    expect(before.contact).toEqual(expect.arrayContaining(['users']));

    expect(before.participant).toEqual(expect.arrayContaining(['invitations']));

    for (const email of [amina.email, contact.email]) await erase((await lookUp(email).expect(200)).body.subjectId).expect(200);
    // The read models catch up with the erasure (their projections); the rest is cleared before the answer.
    const left = async () => ({ participant: await tablesHolding(amina.email), contact: await tablesHolding(contact.email) });
    await waitFor(async () => Object.values(await left()).every((tables) => tables.length === 0), { timeoutMs: 20_000, what: 'no table holding the addresses' }).catch(() => undefined);
    expect(await left()).toEqual({ participant: [], contact: [] });
    const ledger = await db.query("SELECT count(*)::int AS n FROM mail_ledger WHERE kind = 'invitation' AND title LIKE 'Invitation: %'");
    expect(ledger.rows[0].n).toBeGreaterThan(0);
  });

  it('erases a participant while the worker sends their invitation: sent once or not at all, counted exactly, no job failing for good', async () => {
    const people = Array.from({ length: 40 }, (_, i) => participant(`delegate.${i}.${randomUUID().slice(0, 8)}@gov.test`, `Delegate ${i}`));
    const target = people[20];
    // Another one's message is complete (its final "." sent, so claimed in the ledger) but not yet acknowledged when they are erased.
    const held = people[5];
    let release!: () => void;
    holds.set(held.email, new Promise<void>((resolve) => (release = resolve)));
    await invite(people);
    await waitFor(() => stack.smtp.to(held.email).length === 1, { timeoutMs: 60_000, intervalMs: 5, what: 'the held invitation on its way' });
    const erasedWhileHeld = await erase((await lookUp(held.email).expect(200)).body.subjectId).expect(200);
    release();
    // Erase the target once the worker is under way, around their turn.
    await waitFor(() => people.filter((p) => stack.smtp.to(p.email).length > 0).length >= 18, { timeoutMs: 60_000, intervalMs: 5, what: 'the first invitations sent' });
    const { subjectId } = (await lookUp(target.email).expect(200)).body;
    const sentBefore = people.filter((p) => stack.smtp.to(p.email).length > 0).length;
    const erased = await erase(subjectId).expect(200);
    // The erasure came while invitations were going out (else this test would prove nothing).
    expect(sentBefore).toBeLessThan(people.length);

    const others = people.filter((p) => p !== target);
    await waitFor(() => others.every((p) => stack.smtp.to(p.email).length === 1), { timeoutMs: 90_000, what: 'every other invitation sent' });
    const { connection, prefix } = queueConnection(TEST_REDIS_URL, stack.db.name);
    const queue = new Queue('invitation-mail', { connection, prefix });
    try {
      const pending = async () => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
        return counts.waiting + counts.active + counts.delayed;
      };
      await waitFor(async () => (await pending()) === 0, { timeoutMs: 60_000, what: 'the queue drained' });
      expect(await queue.getFailed()).toEqual([]);
    } finally {
      await queue.close();
    }
    const received = stack.smtp.to(target.email).length;
    expect(received).toBeLessThanOrEqual(1);
    expect(erased.body.emailsAlreadySent).toBe(received);
    // Sent before the erasure (the server has it whole): once, and counted.
    expect({ received: stack.smtp.to(held.email).length, counted: erasedWhileHeld.body.emailsAlreadySent }).toEqual({ received: 1, counted: 1 });
    expect(others.map((p) => stack.smtp.to(p.email).length)).toEqual(others.map(() => 1));
  });

  it('is seen by another process at once: the worker reads the erased subject\'s events as "[erased]"', async () => {
    const mwila = participant('mwila.banda@mof.gov.test', 'Mwila Banda');
    const { invitationIds } = await invite([mwila]);
    const streamId = `invitation-${invitationIds[0]}`;
    const workerStore = stack.worker!.get(PostgresEventStore);
    // The worker has read (and so cached the key of) the participant.
    expect((await workerStore.readStream(streamId))[0].data).toMatchObject({ fullName: 'Mwila Banda', email: mwila.email });

    await erase((await lookUp(mwila.email).expect(200)).body.subjectId).expect(200);
    await waitFor(async () => (await workerStore.readStream(streamId))[0].data.fullName === ERASED, { timeoutMs: 2_000, intervalMs: 10, what: 'the worker to read the erasure' });
    const read = await workerStore.readStream(streamId);
    expect(read[0]).toMatchObject({ data: { fullName: ERASED, email: ERASED, country: 'ID' }, personalDataErased: true });
  });
});
