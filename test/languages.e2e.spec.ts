import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type ReceivedMail, waitFor } from '@passerelle/testing';
import { type Browser, computedStyle, launchChromium } from './support/browser';
import { asBytes } from './support/bytes';
import { parseCsv } from './support/csv';
import { flat, pdfText } from './support/pdf';
import { type Stack, startStack, tokenIn } from './support/stack';

/**
 * Every reader in their own language, end to end, for each of the seven: the invitation e-mail, the
 * RSVP page in a real browser, the activation e-mail and page, and the report e-mail to a ministry with
 * its PDF and CSV. The expected words are written here, not read from the product's files: a sentence
 * left in English, or a page or e-mail that does not say its language and direction, fails.
 */
const LANGUAGES = ['ar', 'en', 'es', 'fr', 'pt', 'ru', 'zh'] as const;
type Language = (typeof LANGUAGES)[number];

/** A country for each language, whose ministry and participant read it. */
const COUNTRY: Record<Language, string> = { ar: 'EG', en: 'ZM', es: 'CO', fr: 'SN', pt: 'BR', ru: 'KZ', zh: 'CN' };

const PEOPLE: Record<Language, { fullName: string; email: string; organization: string }> = {
  ar: { fullName: 'Nourhan Abdelrahman', email: 'nourhan@mcit.test', organization: 'وزارة الاتصالات وتكنولوجيا المعلومات' },
  en: { fullName: 'Lindiwe Banda', email: 'lindiwe@mots.test', organization: 'Ministry of Technology and Science' },
  es: { fullName: 'Valentina Restrepo', email: 'valentina@mintic.test', organization: 'Ministerio de Tecnologías de la Información' },
  fr: { fullName: 'Awa Diop', email: 'awa@numerique.test', organization: 'Ministère de la Communication' },
  pt: { fullName: 'Thiago Albuquerque', email: 'thiago@mcom.test', organization: 'Ministério das Comunicações' },
  ru: { fullName: 'Айгерим Сапарова', email: 'aigerim@mdai.test', organization: 'Министерство цифрового развития' },
  zh: { fullName: '王晓明', email: 'wang@miit.test', organization: '工业和信息化部' },
};

/**
 * Words each language's texts are expected to hold (alternatives where translators may choose either):
 * the invitation's subject, the activation e-mail's subject ("account"), the report e-mail's subject and
 * the PDF's title ("report"), and the CSV's "country" column.
 */
const INVITATION: Record<Language, RegExp> = { ar: /دعوة/, en: /Invitation/, es: /Invitación/, fr: /Invitation/, pt: /Convite/, ru: /Приглашение/, zh: /邀请/ };
const ACCOUNT: Record<Language, RegExp> = { ar: /حساب/, en: /account/, es: /cuenta/, fr: /compte/, pt: /conta/, ru: /учётн|учетн|аккаунт/i, zh: /账户|帐户|账号/ };
const REPORT: Record<Language, RegExp> = { ar: /تقرير/, en: /report/i, es: /Informe/i, fr: /Rapport/i, pt: /Relatório/i, ru: /Отч[её]т/i, zh: /报告/ };
const COUNTRY_COLUMN: Record<Language, RegExp> = { ar: /البلد|الدولة|بلد|دولة/, en: /^Country$/, es: /^País$/, fr: /^Pays$/, pt: /^País$/, ru: /^Страна$/, zh: /国家/ };
/** The activation page's password field (templates/activation-page). */
const PASSWORD_LABEL: Record<Language, string> = { ar: 'كلمة المرور', en: 'Password', es: 'Contraseña', fr: 'Mot de passe', pt: 'Senha', ru: 'Пароль', zh: '密码' };

const direction = (language: Language) => (language === 'ar' ? 'rtl' : 'ltr');

/** The month of `isoDate` as a date in the language writes it (Russian's genitive "ноября", Chinese "11月"). */
function monthIn(language: Language, isoDate: string): string {
  const parts = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).formatToParts(new Date(`${isoDate}T00:00:00Z`));
  return parts.find((p) => p.type === 'month')!.value;
}

function header(mail: ReceivedMail, name: string): string | undefined {
  const value = mail.parsed.headers.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** The `<html>` start tag of a document. */
function htmlTag(html: string): string {
  return /<html\b[^>]*>/i.exec(html)?.[0] ?? '';
}

/** The fonts of a PDF as poppler's pdffonts lists them (name, type, embedded, subset). */
function pdfFonts(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'languages-'));
  try {
    writeFileSync(path.join(dir, 'r.pdf'), pdf);
    return execFileSync('pdffonts', [path.join(dir, 'r.pdf')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ARTIFACTS = path.join(__dirname, 'artifacts');
/** Two years ahead: the workshop is still open to answers when the pages are read. */
const YEAR = new Date().getUTCFullYear() + 2;
const STARTS_ON = `${YEAR}-11-12`;

describe('every reader in their own language', () => {
  let stack: Stack;
  let browser: Browser;
  let workshopId: string;
  let sessionId: string;
  let invitationIds: string[];
  const auth = () => ({ Authorization: `Bearer ${stack.token}` });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium('en-GB');
    stack = await startStack('languages');
    const created = await stack.http
      .post('/api/workshops')
      .set(auth())
      .send({ title: 'Digital public infrastructure', hostInstitution: 'Institut de coopération numérique', city: 'Dakar', country: 'SN', startsOn: STARTS_ON, endsOn: `${YEAR}-11-14`, themes: ['education'] })
      .expect(201);
    workshopId = created.body.id;
    const session = await stack.http
      .post(`/api/workshops/${workshopId}/sessions`)
      .set(auth())
      .send({ kind: 'study', title: 'Shared registries', startsAt: `${STARTS_ON}T09:00:00Z`, endsAt: `${STARTS_ON}T12:00:00Z` })
      .expect(201);
    sessionId = session.body.sessionId;
    await stack.http.post(`/api/workshops/${workshopId}/open-registration`).set(auth()).expect(200);
    for (const language of LANGUAGES) {
      await stack.http
        .put(`/api/ministries/${COUNTRY[language]}`)
        .set(auth())
        .send({ ministryName: `Ministry (${language})`, email: `reports-${language}@ministry.test`, language })
        .expect(200);
    }
    const invited = await stack.http
      .post(`/api/workshops/${workshopId}/invitations`)
      .set(auth())
      .send({ participants: LANGUAGES.map((language) => ({ ...PEOPLE[language], country: COUNTRY[language], language })) })
      .expect(202);
    invitationIds = (invited.body.items as { id: string }[]).map((item) => item.id);
    await waitFor(() => LANGUAGES.every((l) => stack.smtp.to(PEOPLE[l].email).length === 1), { timeoutMs: 30_000, what: 'the seven invitations' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('refuses a language the product does not write in, naming the field', async () => {
    const participant = { ...PEOPLE.en, email: 'someone@else.test', country: 'ZM', language: 'de' };
    const refused = await stack.http.post(`/api/workshops/${workshopId}/invitations`).set(auth()).send({ participants: [participant] }).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'participants.0.language' })]);
    const ministry = await stack.http.put('/api/ministries/DE').set(auth()).send({ ministryName: 'BMDV', email: 'r@bmdv.test', language: 'de' }).expect(400);
    expect(ministry.body.errors).toEqual([expect.objectContaining({ field: 'language' })]);
    const institution = await stack.http
      .post('/api/partner-institutions')
      .set(auth())
      .send({ name: 'Universität', country: 'DE', contact: { fullName: 'Jana Weber', email: 'jana@uni.test', language: 'de' } })
      .expect(400);
    expect(institution.body.errors).toEqual([expect.objectContaining({ field: 'contact.language' })]);
    const registered = await stack.http
      .post('/api/partner-institutions')
      .set(auth())
      .send({ name: 'Université Cheikh Anta Diop', country: 'SN', contact: { fullName: 'Moussa Fall', email: 'moussa@ucad.test', language: 'fr' } })
      .expect(201);
    const added = await stack.http
      .post(`/api/partner-institutions/${registered.body.id}/contacts`)
      .set(auth())
      .send({ fullName: 'Jana Weber', email: 'jana@ucad.test', language: 'de' })
      .expect(400);
    expect(added.body.errors).toEqual([expect.objectContaining({ field: 'language' })]);
  });

  describe.each(LANGUAGES)('in %s', (language) => {
    it('the invitation e-mail: subject, text and HTML in the language, the HTML saying its language and direction, dates through Intl', () => {
      const mail = stack.smtp.to(PEOPLE[language].email)[0];
      const { subject, text, html } = mail.parsed;
      expect(header(mail, 'content-language')).toBe(language);
      expect(subject).toMatch(INVITATION[language]);
      expect(subject).toContain(monthIn(language, STARTS_ON));
      expect(text).toContain(PEOPLE[language].fullName);
      expect(text).toContain(monthIn(language, STARTS_ON));
      expect(htmlTag(html || '')).toMatch(new RegExp(`lang="${language}"`));
      expect(htmlTag(html || '')).toMatch(new RegExp(`dir="${direction(language)}"`));
      expect(html).toContain(monthIn(language, STARTS_ON));
    });

    it('the RSVP page in a browser: lang and dir in the DOM, laid out in the language’s direction', async () => {
      const mail = stack.smtp.to(PEOPLE[language].email)[0];
      const token = tokenIn(mail.parsed.text ?? '');
      const page: Page = await browser.context.newPage();
      try {
        const opened = await page.goto(`${stack.env.APP_BASE_URL}/rsvp/${token}`);
        expect(opened?.status()).toBe(200);
        expect(opened?.headers()['content-language']).toBe(language);
        const dom = (await page.evaluate('({ lang: document.documentElement.lang, dir: document.documentElement.dir })')) as { lang: string; dir: string };
        expect(dom).toEqual({ lang: language, dir: direction(language) });
        expect(await computedStyle(page, 'main', 'direction')).toBe(direction(language));
        // The status's bar is on the side reading starts from.
        const bar = language === 'ar' ? ['border-right-width', 'border-left-width'] : ['border-left-width', 'border-right-width'];
        expect([await computedStyle(page, '.status', bar[0]), await computedStyle(page, '.status', bar[1])]).toEqual(['4px', '0px']);
        const words = await page.locator('main').innerText();
        expect(words).toContain(PEOPLE[language].fullName);
        expect(words).toContain(monthIn(language, STARTS_ON));
        await page.screenshot({ path: path.join(ARTIFACTS, `rsvp-${language}.png`), fullPage: true });
      } finally {
        await page.close();
      }
      await stack.http.post(`/api/rsvp/${token}`).send({ response: 'accept' }).expect(200);
    });

    const contact = { fullName: PEOPLE[language].fullName, email: `contact-${language}@institution.test`, language };
    const activationMail = () => waitFor(() => stack.smtp.to(contact.email)[0], { timeoutMs: 20_000, what: 'the activation e-mail' });

    it('the activation e-mail', async () => {
      await stack.http.post('/api/partner-institutions').set(auth()).send({ name: `Institution (${language})`, country: COUNTRY[language], contact }).expect(201);
      const mail = await activationMail();
      const { subject, text, html } = mail.parsed;
      expect(header(mail, 'content-language')).toBe(language);
      expect(subject).toMatch(ACCOUNT[language]);
      expect(text).toContain(contact.fullName);
      expect(htmlTag(html || '')).toMatch(new RegExp(`lang="${language}" dir="${direction(language)}"`));
    });

    it('the activation page in a browser, in the contact’s language whatever the browser’s', async () => {
      const token = /\/activate\/([A-Za-z0-9_-]{43})/.exec((await activationMail()).parsed.text ?? '')![1];
      const page: Page = await browser.context.newPage();
      try {
        const opened = await page.goto(`${stack.env.APP_BASE_URL}/activate/${token}`);
        expect(opened?.status()).toBe(200);
        expect(opened?.headers()['content-language']).toBe(language);
        const dom = (await page.evaluate('({ lang: document.documentElement.lang, dir: document.documentElement.dir })')) as { lang: string; dir: string };
        expect(dom).toEqual({ lang: language, dir: direction(language) });
        expect(await computedStyle(page, 'main', 'direction')).toBe(direction(language));
        // The heading starts where reading starts: on the right in Arabic.
        const box = (await page.evaluate(
          `(() => { const h = document.querySelector('h1').getBoundingClientRect(); const m = document.querySelector('main').getBoundingClientRect(); const r = document.createRange(); r.selectNodeContents(document.querySelector('h1')); const t = r.getBoundingClientRect(); return { left: t.left - m.left, right: m.right - t.right }; })()`,
        )) as { left: number; right: number };
        if (language === 'ar') expect(box.right).toBeLessThan(box.left);
        else expect(box.left).toBeLessThan(box.right);
        const words = await page.locator('main').innerText();
        expect(words).toContain(PASSWORD_LABEL[language]);
        expect(words).toContain(contact.fullName);
        await page.screenshot({ path: path.join(ARTIFACTS, `activation-${language}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    });
  });

  it('an activation page whose link names no one speaks the browser’s language, else English', async () => {
    const unknown = 'A'.repeat(43);
    const arabic = await stack.http.get(`/activate/${unknown}`).set('Accept-Language', 'de-DE,ar;q=0.8,en;q=0.5').expect(404);
    expect(arabic.headers['content-language']).toBe('ar');
    expect(htmlTag(arabic.text)).toBe('<html lang="ar" dir="rtl">');
    const english = await stack.http.get(`/activate/${unknown}`).set('Accept-Language', 'de-DE').expect(404);
    expect(english.headers['content-language']).toBe('en');
    expect(htmlTag(english.text)).toBe('<html lang="en" dir="ltr">');
  });

  describe('the report', () => {
    const mails = new Map<Language, ReceivedMail>();

    beforeAll(async () => {
      await stack.http.post(`/api/workshops/${workshopId}/start`).set(auth()).expect(200);
      await stack.http.post(`/api/workshops/${workshopId}/sessions/${sessionId}/attendance`).set(auth()).send({ invitationIds }).expect(200);
      await stack.http.post(`/api/workshops/${workshopId}/conclude`).set(auth()).expect(202);
      await waitFor(() => LANGUAGES.every((l) => stack.smtp.to(`reports-${l}@ministry.test`).length === 1), { timeoutMs: 180_000, what: 'the seven report e-mails' });
      for (const language of LANGUAGES) mails.set(language, stack.smtp.to(`reports-${language}@ministry.test`)[0]);
    }, 240_000);

    it.each(LANGUAGES)('in %s: the e-mail, its PDF and its CSV', (language) => {
      const mail = mails.get(language)!;
      const { subject, text, html, attachments } = mail.parsed;
      expect(header(mail, 'content-language')).toBe(language);
      expect(subject).toMatch(REPORT[language]);
      expect(text).toContain(monthIn(language, STARTS_ON));
      expect(htmlTag(html || '')).toMatch(new RegExp(`lang="${language}" dir="${direction(language)}"`));
      const pdf = attachments.find((a) => a.contentType === 'application/pdf')!;
      const csv = attachments.find((a) => a.contentType.startsWith('text/csv'))!;
      expect([pdf.filename, csv.filename]).toEqual([expect.stringMatching(new RegExp(`-${language}\\.pdf$`)), expect.stringMatching(new RegExp(`-${language}-participants\\.csv$`))]);

      const words = flat(pdfText(pdf.content));
      expect(words).toMatch(REPORT[language]);
      expect(words).toContain(PEOPLE[language].fullName);
      // Its own country's page, named as the language names it: for Arabic, "مصر" in logical order.
      expect(words).toContain(new Intl.DisplayNames([language], { type: 'region' }).of(COUNTRY[language]));
      if (language === 'zh') {
        // The Chinese glyphs come from an embedded font, a subset of it ("ABCDEF+Name").
        expect(pdfFonts(pdf.content)).toMatch(/^[A-Z]{6}\+\S+.*\byes\s+yes\b/m);
      }

      const rows = parseCsv(csv.content.toString('utf8').replace(/^\uFEFF/, ''));
      expect(rows[0][1]).toMatch(COUNTRY_COLUMN[language]);
      // The country named as the language names it (Unicode's data, through Intl).
      expect(rows[1][1]).toBe(new Intl.DisplayNames([language], { type: 'region' }).of(COUNTRY[language]));
    });

    it('keeps, for each delivery, the language asked and the language sent', async () => {
      const report = (await stack.http.get(`/api/workshops/${workshopId}/report`).set(auth()).expect(200)).body;
      const deliveries = Object.fromEntries((report.deliveries as { country: string; language: string; languageSent?: string; status: string }[]).map((d) => [d.country, d]));
      for (const language of LANGUAGES) {
        expect(deliveries[COUNTRY[language]]).toMatchObject({ status: 'sent', language, languageSent: language });
      }
    });

    it('answers a language without texts in English and says so; a malformed one is a 400 naming it', async () => {
      const base = `/api/workshops/${workshopId}`;
      const german = await stack.http.get(`${base}/report.pdf?language=de`).set(auth()).buffer(true).parse(asBytes).expect(200);
      expect(german.headers['content-language']).toBe('en');
      expect(german.headers['content-disposition']).toBe(`attachment; filename="report-${workshopId}-en.pdf"`);
      expect(flat(pdfText(Buffer.from(german.body)))).toContain('Workshop report');
      const germanCsv = await stack.http.get(`${base}/report.csv?language=de`).set(auth()).expect(200);
      expect(germanCsv.headers['content-language']).toBe('en');
      expect(germanCsv.headers['content-disposition']).toContain('-en.csv"');
      const french = await stack.http.get(`${base}/report.pdf?language=fr`).set(auth()).buffer(true).parse(asBytes).expect(200);
      expect(french.headers['content-language']).toBe('fr');
      const workbook = await stack.http.get(`${base}/participants.xlsx?language=de`).set(auth()).buffer(true).parse(asBytes).expect(200);
      expect(workbook.headers['content-language']).toBe('en');
      expect(workbook.headers['content-disposition']).toMatch(/-en\.xlsx"$/);
      for (const bad of ['english', 'EN', 'e1']) {
        const refused = await stack.http.get(`${base}/report.pdf?language=${bad}`).set(auth()).expect(400);
        expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'language' })]);
        const refusedExport = await stack.http.get(`/api/exports/proposals.xlsx?language=${bad}`).set(auth()).expect(400);
        expect(refusedExport.body.errors).toEqual([expect.objectContaining({ field: 'language' })]);
      }
    });

    it('writes each workbook in each of the seven languages, saying which', async () => {
      for (const language of LANGUAGES) {
        const own = await stack.http.get(`/api/workshops/${workshopId}/participants.xlsx?language=${language}`).set(auth()).buffer(true).parse(asBytes).expect(200);
        expect({ language, sent: own.headers['content-language'], name: own.headers['content-disposition'] }).toEqual({
          language,
          sent: language,
          name: expect.stringMatching(new RegExp(`-${language}\\.xlsx"$`)),
        });
      }
    });
  });
});
