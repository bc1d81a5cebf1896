import type { Response } from 'supertest';
import { waitFor } from '@passerelle/testing';
import { runApp } from './support/processes';
import { type Stack, startStack } from './support/stack';

/** Passwords main took (only their length was checked), and what the refusal must say. */
const WEAK: [password: string, why: RegExp][] = [
  ['aaaaaaaaaaaa', /one character repeated/],
  ['passwordpassword', /common/],
  ['PassWordPassWord', /common/],
  [' '.repeat(12), /only spaces/],
  ['qwerty123456', /common/],
  ['Xk4#bN7q!2z', /at least 12 characters/],
];

describe('the password policy on every way a password is chosen', () => {
  let stack: Stack;
  let admin: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack('password_policy');
    admin = { Authorization: `Bearer ${stack.token}` };
  });

  afterAll(async () => {
    await stack?.close();
  });

  function expectPasswordRefused(response: Response, why: RegExp, what: string): void {
    expect({ what, status: response.status, type: response.headers['content-type'] }).toEqual({ what, status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(response.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(why) }]);
  }

  async function activationToken(email: string): Promise<string> {
    const contact = { fullName: 'Awa Diop', email, language: 'en' };
    await stack.http.post('/api/partner-institutions').set(admin).send({ name: `Institute of ${email}`, country: 'SN', contact }).expect(201);
    await waitFor(() => stack.smtp.to(email).length === 1, { timeoutMs: 20_000, what: `the activation e-mail to ${email}` });
    return /\/activate\/([A-Za-z0-9_-]{43})/.exec(stack.smtp.to(email)[0].parsed.text ?? '')![1];
  }

  it('POST /api/staff refuses a common, repeated, blank or short password, saying why, and creates no account', async () => {
    const email = 'amina@institute.test';
    for (const [password, why] of WEAK) {
      expectPasswordRefused(await stack.http.post('/api/staff').set(admin).send({ email, fullName: 'Amina', password }), why, `staff: ${JSON.stringify(password)}`);
    }
    const both = await stack.http.post('/api/staff').set(admin).send({ email: 'not-an-email', fullName: 'Amina', password: 'passwordpassword' }).expect(400);
    expect(both.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password']);
    await stack.http.post('/api/auth/login').send({ email, password: 'aaaaaaaaaaaa' }).expect(401);
    await stack.http.post('/api/staff').set(admin).send({ email, fullName: 'Amina', password: 'amina-reviews-proposals' }).expect(201);
    await stack.http.post('/api/auth/login').send({ email, password: 'amina-reviews-proposals' }).expect(200);
  });

  it('POST /api/auth/activate refuses them too, and the link still works for a good password', async () => {
    const email = 'awa@ucad.test';
    const token = await activationToken(email);
    for (const [password, why] of WEAK) {
      expectPasswordRefused(await stack.http.post('/api/auth/activate').send({ token, password }), why, `activate: ${JSON.stringify(password)}`);
    }
    await stack.http.get(`/activate/${token}`).expect(200);
    await stack.http.post('/api/auth/activate').send({ token, password: 'awa-chooses-well-2031' }).expect(200);
    await stack.http.post('/api/auth/login').send({ email, password: 'awa-chooses-well-2031' }).expect(200);
  });

  it('the activation page shows why a password was refused, with the form to choose another', async () => {
    const email = 'moussa@ucad.test';
    const token = await activationToken(email);
    for (const [password, why] of WEAK) {
      const page = await stack.http.post(`/activate/${token}`).type('form').send({ password });
      expect({ password, status: page.status, type: page.headers['content-type'] }).toEqual({ password, status: 400, type: expect.stringMatching(/^text\/html/) });
      const error = /<p class="error" id="error" role="alert">([^<]*)<\/p>/.exec(page.text);
      expect(error?.[1]).toMatch(why);
      expect(page.text).toContain(`<form method="post" action="/activate/${token}">`);
    }
    const done = await stack.http.post(`/activate/${token}`).type('form').send({ password: 'moussa-chooses-well-2031' }).expect(200);
    expect(done.text).toContain('Your account is active');
    await stack.http.post('/api/auth/login').send({ email, password: 'moussa-chooses-well-2031' }).expect(200);
  });

  it('the API refuses to start with a common ADMIN_PASSWORD, naming it', async () => {
    const api = runApp('api', { DATABASE_URL: stack.db.url, PORT: '0', ADMIN_EMAIL: 'root@passerelle.test', ADMIN_PASSWORD: 'passwordpassword', QUEUE_PREFIX: `${new URL(stack.db.url).pathname.slice(1)}_start` });
    const exited = await Promise.race([api.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 90_000).unref())]);
    if (exited === 'still running') api.child.kill('SIGKILL');
    expect(exited).toEqual({ code: 1, signal: null });
    expect(api.output()).toContain('ADMIN_PASSWORD is one of the most common passwords');
    await stack.http.post('/api/auth/login').send({ email: 'root@passerelle.test', password: 'passwordpassword' }).expect(401);
  }, 100_000);
});
