import { LogLines, waitFor } from '@passerelle/testing';
import { type Stack, startStack, tokenIn } from './support/stack';

const YEAR = new Date().getUTCFullYear() + 2;
const WORKSHOP = { title: 'Data governance', hostInstitution: 'Institute', city: 'Nairobi', country: 'KE', startsOn: `${YEAR}-03-02`, endsOn: `${YEAR}-03-04`, themes: ['governance'] };
const PARTICIPANT = { fullName: 'Wanjiru Kamau', email: 'wanjiru@ict.go.test', country: 'KE', organization: 'Ministry of ICT', language: 'en' };
const CONTACT = { fullName: 'Tomás Ruiz', email: 'tomas@uba.test', language: 'es' };

/** The request log lines an app wrote: one per answered request, with the address it was asked. */
const requestLines = (logs: LogLines) => logs.lines.filter((line) => line.msg === 'request completed' || line.msg === 'request errored');
const loggedUrls = (logs: LogLines) => requestLines(logs).map((line) => (line.req as { url: string }).url);

describe('the request log', () => {
  const logs = new LogLines();
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('log_redaction', { apiLogs: logs });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('never holds a credential, however it was sent: header, query, cookie, or the token of an e-mailed link in the path', async () => {
    const jwt = stack.token;
    const bearer = { Authorization: `Bearer ${jwt}` };

    // Real links, from the e-mails the worker sends: an invitation (RSVP) and a partner contact's activation.
    const workshop = (await stack.http.post('/api/workshops').set(bearer).send(WORKSHOP).expect(201)).body.id as string;
    await stack.http.post(`/api/workshops/${workshop}/open-registration`).set(bearer).expect(200);
    await stack.http.post(`/api/workshops/${workshop}/invitations`).set(bearer).send({ participants: [PARTICIPANT] }).expect(202);
    await stack.http.post('/api/partner-institutions').set(bearer).send({ name: 'Universidad de Buenos Aires', country: 'AR', contact: CONTACT }).expect(201);
    const invitation = await waitFor(() => stack.smtp.to(PARTICIPANT.email)[0], { timeoutMs: 20_000, what: 'the invitation e-mail' });
    const activation = await waitFor(() => stack.smtp.to(CONTACT.email)[0], { timeoutMs: 20_000, what: 'the activation e-mail' });
    const rsvp = tokenIn(invitation.parsed.text ?? '');
    const activationToken = /\/activate\/([A-Za-z0-9_-]{43})/.exec(activation.parsed.text ?? '')![1];
    const before = requestLines(logs).length;

    // The access token: as a header, in the queue board's address (moved into its cookie), then as that cookie.
    await stack.http.get('/api/me').set(bearer).expect(200);
    await stack.http.get(`/admin/queues?access_token=${jwt}`).expect(303);
    await stack.http.get('/admin/queues').set('Cookie', `passerelle_board=${jwt}`).expect(200);
    await stack.http.get(`/api/workshops?limit=5&token=${jwt}`).set(bearer); // a 400 (an unknown parameter), still logged
    // The RSVP token in the path of the page, its form, and its JSON twin.
    await stack.http.get(`/rsvp/${rsvp}`).expect(200);
    await stack.http.get(`/api/rsvp/${rsvp}`).expect(200);
    await stack.http.post(`/api/rsvp/${rsvp}`).send({ response: 'accept' }).expect(200);
    await stack.http.post(`/rsvp/${rsvp}`).type('form').send({ response: 'decline' }).expect(303);
    // The activation token in the page's path and its form; in the body of the JSON twin (bodies are not logged).
    await stack.http.get(`/activate/${activationToken}`).expect(200);
    await stack.http.post(`/activate/${activationToken}`).type('form').send({ password: 'short' }).expect(400);
    await stack.http.post('/api/auth/activate').send({ token: activationToken, password: 'partner-password-Vb8#q' }).expect(200);

    await waitFor(() => requestLines(logs).length >= before + 11, { what: '11 more request lines' });
    expect(loggedUrls(logs).slice(before)).toEqual([
      '/api/me',
      '/admin/queues?access_token=[redacted]',
      '/admin/queues',
      '/api/workshops?limit=5&token=[redacted]',
      '/rsvp/[redacted]',
      '/api/rsvp/[redacted]',
      '/api/rsvp/[redacted]',
      '/rsvp/[redacted]',
      '/activate/[redacted]',
      '/activate/[redacted]',
      '/api/auth/activate',
    ]);
    const signature = jwt.split('.')[2];
    for (const secret of [jwt, signature, rsvp, activationToken, 'partner-password-Vb8#q']) {
      expect({ secret, logged: logs.text.includes(secret) }).toEqual({ secret, logged: false });
    }
  });

  it("never holds the address an admin looks a person up by, found or not, however the parameter is written", async () => {
    const bearer = { Authorization: `Bearer ${stack.token}` };
    const workshop = (await stack.http.post('/api/workshops').set(bearer).send(WORKSHOP).expect(201)).body.id as string;
    await stack.http.post(`/api/workshops/${workshop}/open-registration`).set(bearer).expect(200);
    const person = { ...PARTICIPANT, email: 'Amani.Njoroge@ict.go.test' };
    await stack.http.post(`/api/workshops/${workshop}/invitations`).set(bearer).send({ participants: [person] }).expect(202);
    const before = requestLines(logs).length;

    await stack.http.get(`/api/privacy/subjects?email=${person.email}`).set(bearer).expect(200);
    await stack.http.get(`/api/privacy/subjects?email=${encodeURIComponent(person.email.toLowerCase())}`).set(bearer).expect(200);
    await stack.http.get('/api/privacy/subjects?email=nobody.njoroge@ict.go.test').set(bearer).expect(404);
    await stack.http.get('/api/privacy/subjects?email=amani.njoroge%40ict').set(bearer).expect(400);
    await stack.http.get(`/api/privacy/subjects?EMAIL=${person.email}`).set(bearer).expect(400); // an unknown parameter, still logged
    await stack.http.get(`/api/privacy/subjects?e%6Dail=${person.email}`).set(bearer).expect(200); // the name percent-encoded

    await waitFor(() => requestLines(logs).length >= before + 6, { what: '6 more request lines' });
    expect(loggedUrls(logs).slice(before)).toEqual([
      '/api/privacy/subjects?email=[redacted]',
      '/api/privacy/subjects?email=[redacted]',
      '/api/privacy/subjects?email=[redacted]',
      '/api/privacy/subjects?email=[redacted]',
      '/api/privacy/subjects?EMAIL=[redacted]',
      '/api/privacy/subjects?e%6Dail=[redacted]',
    ]);
    const text = logs.text.toLowerCase();
    for (const trace of ['amani.njoroge', 'nobody.njoroge', 'amani.njoroge%40']) {
      expect({ trace, logged: text.includes(trace) }).toEqual({ trace, logged: false });
    }
  });
});
