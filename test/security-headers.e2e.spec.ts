import type { Response } from 'supertest';
import { waitFor } from '@passerelle/testing';
import { type ApiUnderTest, startApi } from './support/api';
import { type Browser, computedStyle, cspViolations, launchChromium } from './support/browser';
import { type Stack, startStack, tokenIn } from './support/stack';

const YEAR = new Date().getUTCFullYear() + 2;
const WORKSHOP = { title: 'AI in agriculture', hostInstitution: 'Institute', city: 'Lusaka', country: 'ZM', startsOn: `${YEAR}-05-04`, endsOn: `${YEAR}-05-06`, themes: ['agriculture'] };
const PARTICIPANT = { fullName: 'Chanda Mwale', email: 'chanda@agri.gov.test', country: 'ZM', organization: 'Ministry of Agriculture', language: 'en' };
const CONTACT = { fullName: 'Lin Wei', email: 'lin.wei@tsinghua.test', language: 'en' };

/** The policy as directive -> sources. */
function policyOf(answer: Response): Record<string, string[]> {
  const header = answer.headers['content-security-policy'];
  if (typeof header !== 'string') throw new Error(`${answer.status} without a Content-Security-Policy`);
  return Object.fromEntries(header.split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
}

/** What every answer carries, page, JSON, file or error: no sniffing, no framing, only the app's own scripts and styles. */
function expectProtected(answer: Response, what: string): Record<string, string[]> {
  const policy = policyOf(answer);
  expect({ what, nosniff: answer.headers['x-content-type-options'] }).toEqual({ what, nosniff: 'nosniff' });
  expect({ what, frameAncestors: policy['frame-ancestors'], script: policy['script-src'], default: policy['default-src'], object: policy['object-src'] }).toEqual({
    what,
    frameAncestors: ["'none'"],
    script: ["'self'"],
    default: ["'self'"],
    object: ["'none'"],
  });
  expect({ what, style: policy['style-src'][0], inline: policy['style-src'].includes("'unsafe-inline'") }).toEqual({ what, style: "'self'", inline: false });
  return policy;
}

describe('security headers', () => {
  let stack: Stack;
  let browser: Browser;
  let rsvp: string;
  let activation: string;

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startStack('security_headers');
    const bearer = { Authorization: `Bearer ${stack.token}` };
    const workshop = (await stack.http.post('/api/workshops').set(bearer).send(WORKSHOP).expect(201)).body.id as string;
    await stack.http.post(`/api/workshops/${workshop}/open-registration`).set(bearer).expect(200);
    await stack.http.post(`/api/workshops/${workshop}/invitations`).set(bearer).send({ participants: [PARTICIPANT] }).expect(202);
    await stack.http.post('/api/partner-institutions').set(bearer).send({ name: 'Tsinghua University', country: 'CN', contact: CONTACT }).expect(201);
    rsvp = tokenIn((await waitFor(() => stack.smtp.to(PARTICIPANT.email)[0], { timeoutMs: 20_000, what: 'the invitation' })).parsed.text ?? '');
    const mail = await waitFor(() => stack.smtp.to(CONTACT.email)[0], { timeoutMs: 20_000, what: 'the activation e-mail' });
    activation = /\/activate\/([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')![1];
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('protect pages, JSON answers, files and errors alike; personal data is never stored by a cache', async () => {
    const bearer = { Authorization: `Bearer ${stack.token}` };
    const answers: [string, Response][] = [
      ['GET /api/me', await stack.http.get('/api/me').set(bearer).expect(200)],
      ['GET /api/workshops', await stack.http.get('/api/workshops').set(bearer).expect(200)],
      ['GET /api/rsvp/:token', await stack.http.get(`/api/rsvp/${rsvp}`).expect(200)],
      ['POST /api/workshops (400)', await stack.http.post('/api/workshops').set(bearer).send({}).expect(400)],
      ['GET /api/me without a token (401)', await stack.http.get('/api/me').expect(401)],
      ['GET /rsvp/:token', await stack.http.get(`/rsvp/${rsvp}`).expect(200)],
      ['GET /activate/:token', await stack.http.get(`/activate/${activation}`).expect(200)],
      ['GET /docs', await stack.http.get('/docs').expect(200)],
      ['GET /docs/swagger-ui.css', await stack.http.get('/docs/swagger-ui.css').expect(200)],
      ['GET /docs-json', await stack.http.get('/docs-json').expect(200)],
      ['GET /health', await stack.http.get('/health').expect(200)],
      ['GET /nowhere (404)', await stack.http.get('/nowhere').expect(404)],
    ];
    for (const [what, answer] of answers) {
      expectProtected(answer, what);
      expect({ what, frame: answer.headers['x-frame-options'], hsts: answer.headers['strict-transport-security'] }).toEqual({ what, frame: 'DENY', hsts: undefined });
    }
    const noStore = answers.filter(([what]) => /^(GET|POST) \/(api|rsvp|activate)\//.test(what)).map(([what, answer]) => [what, answer.headers['cache-control']]);
    expect(noStore).toEqual(noStore.map(([what]) => [what, 'no-store']));

    // A page's inline style is allowed by the nonce of its own answer, different every time.
    const pages = [await stack.http.get(`/rsvp/${rsvp}`).expect(200), await stack.http.get(`/rsvp/${rsvp}`).expect(200)];
    const nonces = pages.map((page) => {
      const nonce = /<style nonce="([^"]+)">/.exec(page.text)?.[1];
      expect(policyOf(page)['style-src']).toEqual(["'self'", `'nonce-${nonce}'`]);
      return nonce;
    });
    expect(nonces[0]).not.toBe(nonces[1]);
    // A JSON answer allows no inline style at all.
    expect(policyOf(answers[0][1])['style-src']).toEqual(["'self'"]);
  });

  it('tell browsers to use https only when the app is served over https (APP_BASE_URL)', async () => {
    const https: ApiUnderTest = await startApi('security_headers_https', { APP_BASE_URL: 'https://passerelle.example.org' });
    try {
      for (const path of ['/health', '/api/me', '/docs']) {
        const answer = await https.http.get(path);
        expect({ path, hsts: answer.headers['strict-transport-security'] }).toEqual({ path, hsts: 'max-age=31536000' });
        expectProtected(answer, path);
      }
    } finally {
      await https.close();
    }
  });

  it('leave the RSVP, activation and OpenAPI pages working in a browser, with nothing refused', async () => {
    const page = await browser.context.newPage();
    const violations = await cspViolations(page);

    expect((await page.goto(`${stack.env.APP_BASE_URL}/rsvp/${rsvp}`))?.status()).toBe(200);
    expect(await computedStyle(page, 'h1', 'color')).toBe('rgb(11, 61, 115)');
    expect(await computedStyle(page, '#accept', 'background-color')).toBe('rgb(11, 92, 173)');

    expect((await page.goto(`${stack.env.APP_BASE_URL}/activate/${activation}`))?.status()).toBe(200);
    expect(await computedStyle(page, 'h1', 'color')).toBe('rgb(11, 61, 110)');
    await page.fill('#password', 'partner-password-Hs3!x');
    await page.click('#activate');
    await page.locator('h1', { hasText: 'Account activated' }).waitFor();
    expect(await computedStyle(page, 'h1', 'color')).toBe('rgb(11, 61, 110)');

    // swagger-ui: its scripts and stylesheet from the app, its own inline styles by their hashes; it renders every operation.
    expect((await page.goto(`${stack.env.APP_BASE_URL}/docs`))?.status()).toBe(200);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(40);
    expect(await computedStyle(page, 'body', 'background-color')).toBe('rgb(250, 250, 250)');
    expect(await computedStyle(page, 'svg', 'position')).toBe('absolute');
    // "Try it out" calls the API from the page (no token given: a 401).
    await page.locator('.opblock-summary', { hasText: '/api/me' }).first().click();
    await page.locator('.opblock-body button.try-out__btn').first().click();
    await page.locator('.opblock-body button.execute').first().click();
    await page.locator('.live-responses-table .response-col_status', { hasText: '401' }).first().waitFor();
    expect(await violations()).toEqual([]);
    await page.close();
  });
});
