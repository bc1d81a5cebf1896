import { execFileSync } from 'node:child_process';
import { LogLines, TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { bearer, compiledReport, partnerInstitution, PROPOSAL } from './support/callers';
import { dumpRedis } from './support/redis-dump';
import { type Stack, startStack, tokenIn } from './support/stack';

/**
 * Issue 20's "nothing left behind": after a whole workshop (invitations, answers, attendance, conclusion,
 * the report e-mailed to ministries) and a proposal from a partner contact, one participant and the contact
 * are erased. Then a dump of the database (events and read models), every Redis key and value under the
 * queue prefix, and everything the API and the worker logged hold neither their address nor their full
 * name, in any case, nor in base64. Before the erasure the same search finds them, so the test can fail.
 */
const ERASED_PARTICIPANT = { fullName: 'Kalinda Mwanawasa-Tembo', email: 'kalinda.mwanawasa-tembo@zicta-delegation.test', country: 'ZM', organization: 'ZICTA Delegation', position: 'Head of Data Policy', language: 'en' };
const KEPT_PARTICIPANT = { fullName: 'Rizwan Qureshi-Malik', email: 'rizwan.qureshi-malik@moitt-delegation.test', country: 'PK', organization: 'MoITT Delegation', position: 'Deputy Secretary', language: 'fr' };
const CONTACT = { fullName: 'Beatriz Figueiredo-Lacerda', email: 'beatriz.figueiredo-lacerda@ufmg-partner.test' };

/** Every form a value may take where it leaks: as written, lower and upper case, and base64 of each. */
function forms(value: string): string[] {
  const cases = [...new Set([value, value.toLowerCase(), value.toUpperCase()])];
  return [...cases, ...cases.map((c) => Buffer.from(c, 'utf8').toString('base64').replace(/=+$/, ''))];
}

describe('erasure leaves nothing behind', () => {
  let stack: Stack;
  const apiLogs = new LogLines();
  const workerLogs = new LogLines();

  beforeAll(async () => {
    stack = await startStack('nothing_left', { apiLogs, workerLogs, env: { APPROVALS_REQUIRED: '1' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** Every place searched, as one text per place. */
  async function everywhere(): Promise<Record<string, string>> {
    const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', stack.db.url], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    const prefix = new URL(stack.db.url).pathname.slice(1);
    const redis = (await dumpRedis(TEST_REDIS_URL, `${prefix}:*`)).flatMap((key) => key.texts).join('\n');
    return { database: dump, redis, 'API log': apiLogs.text, 'worker log': workerLogs.text };
  }

  function findings(places: Record<string, string>, people: { fullName: string; email: string }[]): string[] {
    const found: string[] = [];
    for (const [place, text] of Object.entries(places)) {
      for (const person of people) for (const form of [...forms(person.fullName), ...forms(person.email)]) if (text.includes(form)) found.push(`${place}: ${form}`);
    }
    return found;
  }

  it('finds the erased participant and contact nowhere: database, Redis, logs', async () => {
    const admin = bearer(stack.token);
    // A partner contact who writes and submits a proposal.
    const partner = await partnerInstitution(stack, 'Universidade Federal de Minas Gerais', CONTACT);
    const proposal = await stack.http.post('/api/proposals').set(partner.headers).send(PROPOSAL).expect(201);
    await stack.http.post(`/api/proposals/${proposal.body.id}/submit`).set(partner.headers).expect(200);

    // A whole workshop, its report e-mailed to two ministries.
    for (const [country, email] of [['ZM', 'reports@mict.gov.zm.test'], ['PK', 'reports@moitt.gov.pk.test']]) {
      await stack.http.put(`/api/ministries/${country}`).set(admin).send({ ministryName: `Ministry (${country})`, email, language: 'en' }).expect(200);
    }
    const created = await stack.http
      .post('/api/workshops')
      .set(admin)
      .send({ title: 'Responsible AI in public services', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-09-01', endsOn: '2030-09-03', themes: ['governance'] })
      .expect(201);
    const id = created.body.id as string;
    const session = await stack.http.post(`/api/workshops/${id}/sessions`).set(admin).send({ kind: 'study', title: 'Foundations', startsAt: '2030-09-01T01:00:00Z', endsAt: '2030-09-01T04:00:00Z' }).expect(201);
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(admin).expect(200);
    const invited = await stack.http.post(`/api/workshops/${id}/invitations`).set(admin).send({ participants: [ERASED_PARTICIPANT, KEPT_PARTICIPANT] }).expect(202);
    const invitationIds = invited.body.items.map((item: { id: string }) => item.id);
    for (const person of [ERASED_PARTICIPANT, KEPT_PARTICIPANT]) {
      await waitFor(() => stack.smtp.to(person.email).length === 1, { timeoutMs: 30_000, what: `the invitation of ${person.fullName}` });
      await stack.http.post(`/api/rsvp/${tokenIn(stack.smtp.to(person.email)[0].parsed.text ?? '')}`).send({ response: 'accept' }).expect(200);
    }
    await stack.http.post(`/api/workshops/${id}/start`).set(admin).expect(200);
    await stack.http.post(`/api/workshops/${id}/sessions/${session.body.sessionId}/attendance`).set(admin).send({ invitationIds }).expect(200);
    await stack.http.post(`/api/workshops/${id}/conclude`).set(admin).expect(202);
    await compiledReport(stack, id);
    await waitFor(() => stack.smtp.to('reports@mict.gov.zm.test').length === 1 && stack.smtp.to('reports@moitt.gov.pk.test').length === 1, { timeoutMs: 60_000, what: 'the ministry e-mails' });
    const reportBefore = await stack.http.get(`/api/workshops/${id}/report.csv`).set(admin).expect(200);

    // Before: the search finds them (so it can fail).
    const before = findings(await everywhere(), [ERASED_PARTICIPANT, CONTACT]);
    expect(before.some((f) => f.startsWith('database'))).toBe(true);
    // Even now, the events alone and the key database alone name no one (the read models name the living).
    const dump = (url: string, ...args: string[]) => execFileSync('pg_dump', ['--data-only', '--no-owner', ...args, url], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    const everyone = [ERASED_PARTICIPANT, KEPT_PARTICIPANT, CONTACT];
    const keysUrl = stack.db.url.replace(/\/([^/?]+)(\?|$)/, '/$1_keys$2');
    expect(findings({ events: dump(stack.db.url, '--table=events'), 'key database': dump(keysUrl) }, everyone)).toEqual([]);
    expect(dump(stack.db.url, '--table=events')).toContain('pd1.');

    // Erase both through the API.
    for (const person of [ERASED_PARTICIPANT, CONTACT]) {
      const found = await stack.http.get('/api/privacy/subjects').query({ email: person.email.toUpperCase() }).set(admin).expect(200);
      expect(found.body).toMatchObject({ subjectId: expect.any(String), erased: false });
      const erased = await stack.http.post(`/api/privacy/subjects/${found.body.subjectId}/erase`).set(admin).send({ reason: 'The person asked to be erased' }).expect(200);
      expect(erased.body).toMatchObject({ subjectId: found.body.subjectId, erasedAt: expect.any(String), emailsAlreadySent: expect.any(Number) });
    }
    // The read models, the report and the rest catch up.
    await waitFor(
      async () => {
        const csv = await stack.http.get(`/api/workshops/${id}/report.csv`).set(admin);
        return csv.status === 200 && csv.text !== reportBefore.text && findings(await everywhere(), [ERASED_PARTICIPANT, CONTACT]).length === 0;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'nothing left of them' },
    ).catch(() => undefined); // the assertions below say what is left
    const after = await stack.http.get(`/api/workshops/${id}/report.csv`).set(admin).expect(200);
    expect(after.text).not.toEqual(reportBefore.text);
    expect(findings(await everywhere(), [ERASED_PARTICIPANT, CONTACT])).toEqual([]);
    // The other participant is untouched, and still counts.
    expect(findings(await everywhere(), [KEPT_PARTICIPANT]).some((f) => f.startsWith('database'))).toBe(true);
    const invitations = await stack.http.get(`/api/workshops/${id}/invitations`).set(admin).expect(200);
    expect(invitations.body.items).toHaveLength(2);
    expect(invitations.body.items.filter((i: { personalDataErased?: boolean }) => i.personalDataErased)).toHaveLength(1);
    // The contact can no longer sign in.
    await stack.http.post('/api/auth/login').send({ email: CONTACT.email, password: 'whatever-it-was-1A!' }).expect(401);
  });
});
