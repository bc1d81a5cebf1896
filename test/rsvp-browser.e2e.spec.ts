import type { Page } from 'playwright-core';
import { waitFor } from '@passerelle/testing';
import { type Browser, computedStyle, cspViolations, launchChromium } from './support/browser';
import { type Stack, startStack } from './support/stack';
const SCREENSHOT = '/tmp/rsvp-page.png';

const PARTICIPANT = {
  fullName: "Amélie N'Diaye",
  email: 'amelie.ndiaye@numerique.gouv.test',
  country: 'SN',
  organization: "Ministère de la Communication, des Télécommunications et de l'Économie numérique",
  language: 'fr',
};

/** The workshop is two years ahead, so that it stays in the future and answers stay open. */
const YEAR = new Date().getUTCFullYear() + 2;
const WORKSHOP = {
  title: "L'IA au service de la santé publique",
  hostInstitution: 'Shanghai AI Research Institute',
  city: 'Shanghai',
  country: 'CN',
  startsOn: `${YEAR}-10-23`,
  endsOn: `${YEAR}-10-25`,
  themes: ['healthcare'],
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the RSVP page in a real browser', () => {
  let stack: Stack | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium('fr-FR');
    stack = await startStack('rsvp-browser');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lets an invited participant accept, then decline, from the link in the e-mail', async () => {
    const s = stack!;
    const auth = { Authorization: `Bearer ${s.token}` };
    const created = await s.http.post('/api/workshops').set(auth).send(WORKSHOP).expect(201);
    const id = created.body.id as string;
    await s.http
      .post(`/api/workshops/${id}/sessions`)
      .set(auth)
      .send({ kind: 'study', title: 'Fondamentaux', startsAt: `${WORKSHOP.startsOn}T09:00:00Z`, endsAt: `${WORKSHOP.startsOn}T12:00:00Z` })
      .expect(201);
    await s.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
    await s.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: [PARTICIPANT] }).expect(202);

    const mail = await waitFor(() => s.smtp.to(PARTICIPANT.email)[0], { timeoutMs: 20_000, what: 'the invitation e-mail' });
    const text = mail.parsed.text ?? '';
    const link = new RegExp(`${escapeRegExp(s.env.APP_BASE_URL)}/rsvp/([A-Za-z0-9_-]{43})`).exec(text);
    if (!link) throw new Error(`No RSVP link starting with ${s.env.APP_BASE_URL} in the e-mail: ${text}`);
    const [url, token] = link;

    const page: Page = await browser!.context.newPage();
    const violations = await cspViolations(page);
    const opened = await page.goto(url);
    expect(opened?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.title()).toBe(WORKSHOP.title);
    expect(await page.locator('h1').innerText()).toBe(WORKSHOP.title);
    const main = page.locator('main');
    const first = await main.innerText();
    expect(first).toContain(WORKSHOP.title);
    expect(first).toContain(`Bonjour ${PARTICIPANT.fullName}`);
    expect(first).toContain(`octobre ${YEAR}`);
    expect(await page.locator('.status').innerText()).toBe('Participerez-vous ?');
    expect(await page.locator('#accept').innerText()).toBe('Accepter');
    expect(await page.locator('#decline').innerText()).toBe('Décliner');
    // Its style applies under the Content-Security-Policy, which refuses nothing on the page.
    expect(await computedStyle(page, 'h1', 'color')).toBe('rgb(11, 61, 115)');

    // Accept: the form posts, the answer redirects back to the page, which shows the new status.
    await page.click('#accept');
    await page.waitForURL(/\/rsvp\/[A-Za-z0-9_-]{43}\?after=\d+$/);
    await page.locator('.status', { hasText: 'Vous avez accepté' }).waitFor();
    expect(await main.innerText()).toContain(PARTICIPANT.fullName);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const accepted = await s.http.get(`/api/rsvp/${token}`).expect(200);
    expect(accepted.body).toMatchObject({ fullName: PARTICIPANT.fullName, status: 'accepted', open: true, workshop: { title: WORKSHOP.title } });
    const acceptedList = await s.http.get(`/api/workshops/${id}/invitations`).set(auth).expect(200);
    expect(acceptedList.body.items).toHaveLength(1);
    expect(acceptedList.body.items[0]).toMatchObject({ email: PARTICIPANT.email, status: 'accepted', respondedAt: expect.any(String) });

    // Then change one's mind: decline.
    const afterAccept = page.url();
    await page.click('#decline');
    await page.waitForURL((next) => next.href !== afterAccept && /\?after=\d+$/.test(next.search));
    await page.locator('.status', { hasText: 'Vous avez décliné' }).waitFor();

    const declined = await s.http.get(`/api/rsvp/${token}`).expect(200);
    expect(declined.body.status).toBe('declined');
    const declinedList = await s.http.get(`/api/workshops/${id}/invitations`).set(auth).expect(200);
    expect(declinedList.body.items[0]).toMatchObject({ email: PARTICIPANT.email, status: 'declined' });
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('tells someone with a wrong link that it is not valid, instead of showing an empty page', async () => {
    const page = await browser!.context.newPage();
    const opened = await page.goto(`${stack!.env.APP_BASE_URL}/rsvp/not-a-token`);
    expect(opened?.status()).toBe(404);
    // No invitation to take a language from: the browser's (French here), which the page says.
    expect(opened?.headers()['content-language']).toBe('fr');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('main').innerText()).toContain("Ce lien n'est pas valide");
    await page.close();
  });
});
