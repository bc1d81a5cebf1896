import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitFor } from '@passerelle/testing';
import { launchChromiumForContexts } from './support/browser';
import { activationToken, bearer, type Headers } from './support/callers';
import { ADMIN } from './support/api';
import { type Stack, startStack } from './support/stack';

/**
 * The console in a real browser: a partner and staff members, each in a browser context of their own,
 * take proposals through their life with pages and clicks only; the API is read only to check the end.
 */
const ARTIFACTS = path.join(__dirname, 'artifacts');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PASSWORD = 'console-password-Hq7!vR3x';
const STAFF_A = { email: 'amina.staff@institute.test', fullName: 'Amina Diallo', password: PASSWORD };
const STAFF_B = { email: 'bruno.staff@institute.test', fullName: 'Bruno Costa', password: PASSWORD };
const PARTNER = { email: 'lea.partner@univ-lusaka.test', fullName: 'Léa Mwansa' };
const OTHER = { email: 'ken.partner@other.test', fullName: 'Ken Other' };
const LANGUAGES = ['ar', 'en', 'es', 'fr', 'pt', 'ru', 'zh'];
const textsOf = (language: string): Record<string, string> => JSON.parse(readFileSync(path.join(__dirname, '..', 'templates', 'console', `${language}.json`), 'utf8'));
/** A text's words without its {{values}}: what a page shows of it around them. */
const wordsOf = (text: string) => text.split(/\{\{\s*\w+\s*\}\}/).map((part) => part.trim()).filter((part) => part.length >= 3);
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('the console in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let admin: Headers;
  let partnerHeaders: Headers;
  let otherHeaders: Headers;
  const contexts: BrowserContext[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromiumForContexts();
    stack = await startStack('console', { env: { APPROVALS_REQUIRED: '2' } });
    admin = bearer(stack.token);
    for (const staff of [STAFF_A, STAFF_B]) {
      const created = await stack.http.post('/api/staff').set(admin).send(staff).expect(201);
      ids[staff.email] = created.body.id;
    }
    partnerHeaders = await partner('Université de Lusaka', PARTNER);
    otherHeaders = await partner('Other Institute', OTHER);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** Setting up the people (not part of what is tested): a partner institution whose contact activates their account with PASSWORD. */
  async function partner(name: string, contact: { email: string; fullName: string }): Promise<Headers> {
    await stack.http.post('/api/partner-institutions').set(admin).send({ name, country: 'ZM', contact: { ...contact, language: 'en' } }).expect(201);
    const token = await activationToken(stack, contact.email);
    await stack.http.post('/api/auth/activate').send({ token, password: PASSWORD }).expect(200);
    const login = await stack.http.post('/api/auth/login').send({ email: contact.email, password: PASSWORD }).expect(200);
    ids[contact.email] = login.body.user.id;
    return bearer(login.body.accessToken);
  }

  const url = (address: string) => `${stack.env.APP_BASE_URL}${address}`;

  async function person(email: string, language = 'en'): Promise<Page> {
    const context = await browser.newContext({ locale: language, viewport: { width: 1100, height: 900 } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('dialog', () => {
      throw new Error('A dialog opened: a script ran');
    });
    await page.goto(url(`/console/sign-in?lang=${language}`));
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await submit(page, 'form.sign-in button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/console');
    return page;
  }

  /** Clicks a form's button and waits for the page the answer leads to. */
  async function submit(page: Page, selector: string): Promise<void> {
    await Promise.all([page.waitForEvent('load'), page.click(selector)]);
  }

  async function open(page: Page, address: string): Promise<number> {
    const answer = await page.goto(url(address));
    return answer?.status() ?? 0;
  }

  const statusOf = (page: Page) => page.locator('#status').innerText();

  /** axe-core in the page: its serious and critical violations. */
  async function accessibilityProblems(page: Page): Promise<string[]> {
    await page.evaluate(AXE);
    const violations = (await page.evaluate(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ' ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`,
    )) as string[];
    return violations;
  }

  /**
   * The English texts a page shows although it is in another language: every text node of the page (and
   * its title) compared with the English file's texts, those the language's own file also has left aside.
   */
  async function englishLeft(page: Page, language: string): Promise<string[]> {
    const own = new Set(Object.values(textsOf(language)).flatMap(wordsOf));
    const english = new Set(Object.values(textsOf('en')).flatMap(wordsOf).filter((words) => !own.has(words)));
    const shown = (await page.evaluate(
      `(() => { const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); const out = document.title.split(' · '); let n; while ((n = w.nextNode())) out.push(n.nodeValue.trim()); for (const o of document.querySelectorAll('option')) out.push(o.textContent.trim()); return out; })()`,
    )) as string[];
    return [...new Set(shown.filter((text) => english.has(text)))];
  }

  async function events(proposalId: string, after = 0): Promise<{ type: string; actor: string | null }[]> {
    const answer = await stack.http.get(`/api/proposals/${proposalId}`).set(admin).set('X-Min-Position', String(after)).expect(200);
    return answer.body.history;
  }

  it('takes a proposal from draft to partnership with pages and clicks only', async () => {
    const lea = await person(PARTNER.email);
    const amina = await person(STAFF_A.email);
    const bruno = await person(STAFF_B.email);

    // The partner drafts and submits.
    await open(lea, '/console/proposals/new');
    await lea.fill('#title', 'Telemedicine for rural clinics');
    await lea.fill('#summary', 'Remote consultations for twelve district clinics.');
    await lea.fill('#sectors', 'healthcare');
    await lea.fill('#countries', 'zm, mw');
    await lea.fill('#durationMonths', '18');
    await lea.fill('#amount', '250000');
    await lea.fill('#currency', 'USD');
    await submit(lea, 'form.edit button[type=submit]');
    const found = new RegExp(`/console/proposals/(${UUID})`).exec(lea.url());
    expect(found).not.toBeNull();
    const id = found![1];
    expect(await statusOf(lea)).toBe('Draft');
    await submit(lea, '#form-submit button');
    expect(await statusOf(lea)).toBe('Submitted');

    // Staff A declares no conflict and sends it back.
    await open(amina, `/console/proposals/${id}`);
    expect(await amina.locator('#form-approve').count()).toBe(0);
    await amina.check('#conflict-no');
    await submit(amina, '#form-conflict button');
    await amina.fill('#changes-comment', 'Add the clinics’ connectivity plan.');
    await submit(amina, '#form-request-changes button');
    expect(await statusOf(amina)).toBe('Changes requested');

    // The partner edits (a bad duration first: the API's message beside the field) and resubmits.
    await open(lea, `/console/proposals/${id}`);
    await Promise.all([lea.waitForEvent('load'), lea.click('#edit')]);
    await lea.fill('#summary', 'Remote consultations for twelve district clinics, with a connectivity plan.');
    await lea.fill('#durationMonths', '500');
    await submit(lea, 'form.edit button[type=submit]');
    expect(await lea.locator('#durationMonths-error').innerText()).toMatch(/durationMonths must not be greater than 120/);
    expect(await lea.getAttribute('#durationMonths', 'aria-invalid')).toBe('true');
    await lea.fill('#durationMonths', '24');
    await submit(lea, 'form.edit button[type=submit]');
    expect(await statusOf(lea)).toBe('Changes requested');
    await submit(lea, '#form-submit button');
    expect(await statusOf(lea)).toBe('Submitted');

    // Staff A approves (one of two), then staff B declares and approves.
    await open(amina, `/console/proposals/${id}`);
    await submit(amina, '#form-approve button');
    expect(await statusOf(amina)).toBe('Submitted');
    await open(bruno, `/console/proposals/${id}`);
    await bruno.check('#conflict-no');
    await submit(bruno, '#form-conflict button');
    await submit(bruno, '#form-approve button');
    expect(await statusOf(bruno)).toBe('Approved');
    const timeline = await bruno.locator('ol.timeline').innerText();
    expect(timeline).toContain(`Approved by ${STAFF_B.fullName}`);
    expect(timeline).toContain(`Changes requested by ${STAFF_A.fullName}`);

    // The partner sees the partnership on their home page (established by the API's reactor, a moment later).
    await waitFor(
      async () => {
        await open(lea, '/console');
        return (await lea.locator(`a[href="/console/proposals/${id}"]`).count()) >= 2;
      },
      { timeoutMs: 20_000, what: 'the partnership on the partner home page' },
    );
    const partnershipRow = lea.locator('h2:has-text("Our partnerships") + table tbody tr');
    expect(await partnershipRow.innerText()).toMatch(/^Telemedicine for rural clinics\s+Active/);

    // The end state, through the API: approved, each step an event with its person as the actor.
    const detail = await stack.http.get(`/api/proposals/${id}`).set(admin).expect(200);
    expect(detail.body.status).toBe('approved');
    expect(detail.body.history.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([
      ['ProposalDrafted', ids[PARTNER.email]],
      ['ProposalSubmitted', ids[PARTNER.email]],
      ['ConflictOfInterestDeclared', ids[STAFF_A.email]],
      ['ProposalChangesRequested', ids[STAFF_A.email]],
      ['ProposalEdited', ids[PARTNER.email]],
      ['ProposalResubmitted', ids[PARTNER.email]],
      ['ProposalApprovalRecorded', ids[STAFF_A.email]],
      ['ConflictOfInterestDeclared', ids[STAFF_B.email]],
      ['ProposalApprovalRecorded', ids[STAFF_B.email]],
      ['ProposalApproved', ids[STAFF_B.email]],
    ]);
    const partnerships = await stack.http.get('/api/partnerships').set(partnerHeaders).expect(200);
    expect(partnerships.body.items.map((p: { proposalId: string }) => p.proposalId)).toContain(id);
  });

  /** A submitted proposal of the partner's, set up through the API, both staff having declared no conflict. */
  async function submittedProposal(title: string, as: Headers = partnerHeaders): Promise<string> {
    const created = await stack.http.post('/api/proposals').set(as).send({ title, summary: 'A summary', sectors: ['education'], countries: ['ZM'], durationMonths: 6 }).expect(201);
    const submitted = await stack.http.post(`/api/proposals/${created.body.id}/submit`).set(as).expect(200);
    // The pages read the read model: wait until it shows the submission.
    await stack.http.get(`/api/proposals/${created.body.id}`).set(as).set('X-Min-Position', String(submitted.body.position)).expect(200);
    return created.body.id;
  }

  it('does not apply an action to a proposal that changed since its page was read, and shows the new state', async () => {
    const id = await submittedProposal('Solar-powered school servers');
    const amina = await person(STAFF_A.email);
    const bruno = await person(STAFF_B.email);
    for (const staff of [amina, bruno]) {
      await open(staff, `/console/proposals/${id}`);
      await staff.check('#conflict-no');
      await submit(staff, '#form-conflict button');
    }
    // Both read it now; the first sends it back, the second approves what they read.
    await open(amina, `/console/proposals/${id}`);
    await open(bruno, `/console/proposals/${id}`);
    await amina.fill('#changes-comment', 'Say who maintains the servers.');
    await submit(amina, '#form-request-changes button');
    const before = await events(id);
    const [answer] = await Promise.all([bruno.waitForResponse((r) => r.request().method() === 'POST'), bruno.click('#form-approve button')]);
    await bruno.waitForLoadState();
    expect(answer.status()).toBe(409);
    expect(await bruno.locator('.notice').innerText()).toMatch(/changed while you were reading it/);
    expect(await statusOf(bruno)).toBe('Changes requested');
    expect(await bruno.locator('#form-approve').count()).toBe(0);
    expect(await bruno.getAttribute('.languages a[lang=fr]', 'href')).toBe(`/console/proposals/${id}?lang=fr`);
    expect(await events(id)).toEqual(before);
  });

  it('refuses forms without their CSRF token, keeps partners to their own proposals and out of staff pages, escapes every value, and ends sessions', async () => {
    const lea = await person(PARTNER.email);
    const drafted = await stack.http.post('/api/proposals').set(partnerHeaders).send({ title: 'Draft for forms', summary: 'x', sectors: ['education'], countries: ['ZM'], durationMonths: 6 }).expect(201);
    const id = drafted.body.id as string;
    const before = await events(id, drafted.body.position);
    expect(before).toHaveLength(1);
    for (const form of [{ version: '1' }, { version: '1', csrf: 'not-the-token' }] as Record<string, string>[]) {
      const answer = await lea.request.post(url(`/console/proposals/${id}/submit`), { form, maxRedirects: 0 });
      expect(answer.status()).toBe(403);
    }
    const signOutWithout = await lea.request.post(url('/console/sign-out'), { form: {}, maxRedirects: 0 });
    expect(signOutWithout.status()).toBe(403);
    expect(await events(id)).toEqual(before);

    // Another institution's proposal is not there; staff pages are not for partners.
    const theirs = await submittedProposal('Not yours', otherHeaders);
    expect(await open(lea, `/console/proposals/${theirs}`)).toBe(404);
    expect(await open(lea, '/console/workshops')).toBe(403);
    expect(await open(lea, '/console/workshops/00000000-0000-4000-8000-000000000000')).toBe(403);

    // A title that is a script is shown as text (the page's dialog handler fails the test if it runs).
    await open(lea, '/console/proposals/new');
    await lea.fill('#title', '<script>alert(1)</script>');
    await lea.fill('#summary', '<img src=x onerror=alert(2)>');
    await lea.fill('#sectors', 'education');
    await lea.fill('#countries', 'ZM');
    await lea.fill('#durationMonths', '6');
    await submit(lea, 'form.edit button[type=submit]');
    expect(await lea.locator('h1').innerText()).toBe('<script>alert(1)</script>');
    expect(await lea.locator('main script, main img').count()).toBe(0);
    await open(lea, '/console/proposals');
    expect(await lea.locator('main table').innerText()).toContain('<script>alert(1)</script>');

    // The session cookie's flags; signing out ends the session, even for a copy of the cookie.
    const cookie = (await lea.context().cookies()).find((c) => c.name === 'passerelle_console')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/console', secure: false });
    await submit(lea, 'form[action="/console/sign-out"] button');
    expect(new URL(lea.url()).pathname).toBe('/console/sign-in');
    expect(await open(lea, '/console')).toBe(200);
    expect(new URL(lea.url()).pathname).toBe('/console/sign-in');
    const replayed = await stack.http.get('/console').set('Cookie', `passerelle_console=${cookie.value}`);
    expect(replayed.status).toBe(303);
    expect(replayed.headers.location).toBe('/console/sign-in');
    // A wrong password is refused on the page, as the API refuses it.
    await lea.fill('#email', PARTNER.email);
    await lea.fill('#password', 'wrong-password');
    await submit(lea, 'form.sign-in button[type=submit]');
    expect(await lea.locator('.notice.error').innerText()).toBe('Wrong e-mail address or password.');

    // An account closed while signed in is signed out at its next page.
    const ken = await person(OTHER.email);
    expect(await open(ken, '/console/proposals')).toBe(200);
    expect(new URL(ken.url()).pathname).toBe('/console/proposals');
    await stack.http.post(`/api/accounts/${ids[OTHER.email]}/close`).set(admin).expect(200);
    await open(ken, '/console/proposals');
    expect(new URL(ken.url()).pathname).toBe('/console/sign-in');
  });

  it('lets a partner withdraw and staff reject, a missing reason shown beside its field', async () => {
    const withdrawn = await submittedProposal('To be withdrawn');
    const rejected = await submittedProposal('To be rejected');
    const lea = await person(PARTNER.email);
    await open(lea, `/console/proposals/${withdrawn}`);
    await lea.fill('#withdraw-reason', 'Funding found elsewhere.');
    await submit(lea, '#form-withdraw button');
    expect(await statusOf(lea)).toBe('Withdrawn');
    expect(await lea.locator('#form-withdraw, #form-submit').count()).toBe(0);

    const amina = await person(STAFF_A.email);
    await open(amina, `/console/proposals/${rejected}`);
    await amina.check('#conflict-no');
    await submit(amina, '#form-conflict button');
    const before = await events(rejected);
    await submit(amina, '#form-reject button');
    expect(await amina.locator('#reject-reason-error').innerText()).toBe('reason should not be empty');
    expect(await amina.getAttribute('#reject-reason', 'aria-invalid')).toBe('true');
    expect(await events(rejected)).toEqual(before);
    await amina.fill('#reject-reason', 'Outside the programme’s sectors.');
    await submit(amina, '#form-reject button');
    expect(await statusOf(amina)).toBe('Rejected');

    const ends = await Promise.all([withdrawn, rejected].map((id) => stack.http.get(`/api/proposals/${id}`).set(admin).expect(200)));
    expect(ends.map((answer) => [answer.body.status, answer.body.history.at(-1).actor])).toEqual([
      ['withdrawn', ids[PARTNER.email]],
      ['rejected', ids[STAFF_A.email]],
    ]);
  });

  /** Presses Tab until the element `selector` finds has the focus (the keyboard is all that is used). */
  async function tabTo(page: Page, selector: string): Promise<void> {
    for (let presses = 0; presses < 80; presses++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(`document.activeElement === document.querySelector(${JSON.stringify(selector)})`)) as boolean) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  it('lets staff declare and review with the keyboard alone', async () => {
    const id = await submittedProposal('Keyboard-reviewed proposal');
    const bruno = await person(STAFF_B.email);
    await open(bruno, `/console/proposals/${id}`);
    await tabTo(bruno, '#conflict-no');
    await bruno.keyboard.press('Space');
    await tabTo(bruno, '#form-conflict button');
    await Promise.all([bruno.waitForEvent('load'), bruno.keyboard.press('Enter')]);
    await tabTo(bruno, '#review-score');
    await bruno.keyboard.type('4');
    await tabTo(bruno, '#review-recommendation');
    await bruno.keyboard.press('ArrowDown');
    await tabTo(bruno, '#review-comment');
    await bruno.keyboard.type('Clear plan; costs need detail.');
    await tabTo(bruno, '#form-review button');
    await Promise.all([bruno.waitForEvent('load'), bruno.keyboard.press('Enter')]);
    const detail = await stack.http.get(`/api/proposals/${id}`).set(admin).expect(200);
    expect(detail.body.reviews).toEqual([expect.objectContaining({ reviewerId: ids[STAFF_B.email], score: 4, recommendation: 'revise', comment: 'Clear plan; costs need detail.' })]);
    expect(await bruno.locator('#form-review').count()).toBe(0);
  });

  it('has every text in every language', () => {
    const keys = Object.keys(textsOf('en')).sort();
    for (const language of LANGUAGES) expect([language, Object.keys(textsOf(language)).sort()]).toEqual([language, keys]);
  });

  it('renders every page in every language (no English left, Arabic right to left), without serious accessibility problems', async () => {
    const workshop = await stack.http
      .post('/api/workshops')
      .set(admin)
      .send({ title: 'Digital health', hostInstitution: 'Institute', city: 'Lusaka', country: 'ZM', startsOn: '2031-06-02', endsOn: '2031-06-04', themes: ['health'] })
      .expect(201);
    const id = await submittedProposal('Mobile clinics scheduling');
    const problems: string[] = [];
    const leftovers: string[] = [];
    for (const language of LANGUAGES) {
      const pictured = ['en', 'fr', 'ar'].includes(language);
      const anonymous = await browser.newContext({ locale: language });
      contexts.push(anonymous);
      const signInPage = await anonymous.newPage();
      const pages: [string, Page, string][] = [['sign-in', signInPage, `/console/sign-in?lang=${language}`]];
      const staff = await person(STAFF_A.email, language);
      const lea = await person(PARTNER.email, language);
      pages.push(
        ['staff-home', staff, '/console'],
        ['staff-proposals', staff, '/console/proposals'],
        ['staff-proposal', staff, `/console/proposals/${id}`],
        ['workshops', staff, '/console/workshops'],
        ['workshop', staff, `/console/workshops/${workshop.body.id}`],
        ['partner-home', lea, '/console'],
        ['partner-proposals', lea, '/console/proposals'],
        ['partner-proposal', lea, `/console/proposals/${id}`],
        ['partner-new-proposal', lea, '/console/proposals/new'],
        ['partner-forbidden', lea, '/console/workshops'],
      );
      for (const [name, page, address] of pages) {
        await open(page, address);
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        expect(await page.getAttribute('html', 'dir')).toBe(language === 'ar' ? 'rtl' : 'ltr');
        if (language !== 'en') for (const text of await englishLeft(page, language)) leftovers.push(`${language} ${name}: ${text}`);
        if (!pictured) continue;
        for (const p of await accessibilityProblems(page)) problems.push(`${language} ${name}: ${p}`);
        await page.screenshot({ path: path.join(ARTIFACTS, `console-${name}-${language}.png`), fullPage: true });
      }
      if (language === 'fr') {
        await open(lea, '/console/proposals/new');
        await submit(lea, 'form.edit button[type=submit]');
        expect(await lea.locator('h1').innerText()).toBe('Rédiger une proposition');
        expect(await lea.locator('#title-error').innerText()).toMatch(/title/);
        for (const p of await accessibilityProblems(lea)) problems.push(`fr partner-new-proposal-errors: ${p}`);
        await lea.screenshot({ path: path.join(ARTIFACTS, 'console-partner-new-proposal-errors-fr.png'), fullPage: true });
      }
    }
    expect(problems).toEqual([]);
    expect(leftovers).toEqual([]);
  });
});

describe('the console served over https', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('console_https', { env: { APP_BASE_URL: 'https://passerelle.example.org' }, worker: false });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('marks its session cookie Secure, HttpOnly and SameSite=Lax, and refuses a sign-in without the form\'s token', async () => {
    const form = await stack.http.get('/console/sign-in').expect(200);
    const csrfCookie = ([] as string[]).concat(form.headers['set-cookie'] ?? []).find((c) => c.startsWith('passerelle_console_csrf='))!;
    expect(csrfCookie).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    const token = /name="csrf" value="([^"]+)"/.exec(form.text)![1];
    const cookie = csrfCookie.split(';')[0];
    await stack.http.post('/console/sign-in').set('Cookie', cookie).type('form').send({ email: ADMIN.email, password: ADMIN.password }).expect(403);
    const signedIn = await stack.http.post('/console/sign-in').set('Cookie', cookie).type('form').send({ csrf: token, email: ADMIN.email, password: ADMIN.password }).expect(303);
    const session = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []).find((c) => c.startsWith('passerelle_console='))!;
    expect(session).toMatch(/^passerelle_console=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Lax; Max-Age=43200; Secure$/);
  });

  it('holds back a sign-in that failed too often, as the API login does (one throttle for both)', async () => {
    const staff = { email: 'throttled.staff@institute.test', fullName: 'Throttled Staff', password: 'staff-password-Mn4$kP9w' };
    await stack.http.post('/api/staff').set(bearer(stack.token)).send(staff).expect(201);
    const form = await stack.http.get('/console/sign-in?lang=fr').expect(200);
    const cookie = ([] as string[]).concat(form.headers['set-cookie'] ?? []).find((c) => c.startsWith('passerelle_console_csrf='))!.split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)![1];
    const attempt = (password: string) => stack.http.post('/console/sign-in').set('Cookie', cookie).type('form').send({ csrf, lang: 'fr', email: staff.email, password });
    for (let failures = 0; failures < 5; failures++) {
      const answer = await attempt('not-the-password');
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('Adresse e-mail ou mot de passe incorrect.');
    }
    const held = await attempt(staff.password);
    expect(held.status).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect(held.text).toContain('Trop de tentatives échouées.');
    expect(held.headers['set-cookie']?.toString() ?? '').not.toMatch(/passerelle_console=[A-Za-z0-9_-]{43}/);
    await stack.http.post('/api/auth/login').send({ email: staff.email, password: staff.password }).expect(429);
  });
});
