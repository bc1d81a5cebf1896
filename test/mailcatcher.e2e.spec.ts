import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { type MailCatcher, startMailCatcher } from '../scripts/mailcatcher/catcher';

/** `npm run mailcatcher`: a real e-mail through SMTP, read back on its pages and its Mailpit-style API. */
describe('the mail catcher', () => {
  let catcher: MailCatcher;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(70_000)]);
  const csv = Buffer.from('country,invited,accepted\nSN,3,2\n', 'utf8');

  beforeAll(async () => {
    catcher = await startMailCatcher({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  });

  afterAll(async () => {
    await catcher?.close();
  });

  const get = async (path: string) => {
    const response = await fetch(`${catcher.httpUrl}${path}`);
    return { status: response.status, type: response.headers.get('content-type') ?? '', disposition: response.headers.get('content-disposition'), body: Buffer.from(await response.arrayBuffer()) };
  };
  const getJson = async (path: string) => {
    const answer = await get(path);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    return JSON.parse(answer.body.toString('utf8'));
  };

  it('keeps a sent e-mail and shows it, with its attachments byte for byte, on its page and through the Mailpit API', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: catcher.smtpPort, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ from: 'Passerelle <no-reply@passerelle.test>', to: 'Ministère <cooperation@numerique.gouv.test>', subject: 'Rapport de l’atelier', text: 'Bonjour, voici le rapport.', html: '<p>Bonjour, voici <b>le rapport</b>.</p>' });
      await transport.sendMail({
        from: 'Passerelle <no-reply@passerelle.test>',
        to: 'Ministry <intl@digital.gov.test>',
        subject: 'Workshop report <Shanghai>',
        text: 'Dear colleagues, the report is attached. Link: http://localhost:3000/rsvp/abc',
        html: '<p>Dear colleagues, the <b>report</b> is attached.</p>',
        attachments: [
          { filename: 'report-2025-10-23-kz.pdf', content: pdf, contentType: 'application/pdf' },
          { filename: 'report-2025-10-23-kz-participants.csv', content: csv, contentType: 'text/csv; charset=utf-8' },
        ],
      });
    } finally {
      transport.close();
    }

    // Mailpit's list: newest first, the fields the demo reads.
    const list = await getJson('/api/v1/messages?start=0&limit=200');
    expect(list).toMatchObject({ total: 2, count: 2, messages_count: 2, start: 0 });
    const [newest, older] = list.messages;
    expect(newest).toMatchObject({
      From: { Name: 'Passerelle', Address: 'no-reply@passerelle.test' },
      To: [{ Name: 'Ministry', Address: 'intl@digital.gov.test' }],
      Subject: 'Workshop report <Shanghai>',
      Attachments: 2,
    });
    expect(older.Subject).toBe('Rapport de l’atelier');
    expect(Date.parse(newest.Created)).toBeGreaterThan(Date.parse(older.Created));
    expect((await getJson('/api/v1/messages?limit=1')).messages.map((m: { ID: string }) => m.ID)).toEqual([newest.ID]);
    expect((await getJson('/api/v1/messages?start=1&limit=200')).messages.map((m: { ID: string }) => m.ID)).toEqual([older.ID]);

    // Search by recipient and by subject.
    expect((await getJson(`/api/v1/search?query=${encodeURIComponent('to:intl@digital.gov.test')}`)).messages.map((m: { ID: string }) => m.ID)).toEqual([newest.ID]);
    expect((await getJson(`/api/v1/search?query=${encodeURIComponent('subject:"Rapport de"')}`)).messages.map((m: { ID: string }) => m.ID)).toEqual([older.ID]);

    // One message: its text, HTML and attachment parts.
    const message = await getJson(`/api/v1/message/${newest.ID}`);
    expect(message).toMatchObject({ ID: newest.ID, Subject: 'Workshop report <Shanghai>', To: [{ Address: 'intl@digital.gov.test' }] });
    expect(message.Text).toContain('/rsvp/abc');
    expect(message.HTML).toContain('the <b>report</b> is attached');
    expect(message.Attachments).toEqual([
      expect.objectContaining({ FileName: 'report-2025-10-23-kz.pdf', ContentType: 'application/pdf', Size: pdf.length }),
      expect.objectContaining({ FileName: 'report-2025-10-23-kz-participants.csv', ContentType: 'text/csv', Size: csv.length }),
    ]);
    const pdfPart = await get(`/api/v1/message/${newest.ID}/part/${message.Attachments[0].PartID}`);
    expect(pdfPart.status).toBe(200);
    expect(pdfPart.type).toBe('application/pdf');
    expect(pdfPart.disposition).toContain('report-2025-10-23-kz.pdf');
    expect(pdfPart.body.equals(pdf)).toBe(true);
    expect((await get(`/api/v1/message/${newest.ID}/part/${message.Attachments[1].PartID}`)).body.equals(csv)).toBe(true);
    expect((await getJson('/api/v1/message/latest')).ID).toBe(newest.ID);
    expect((await get('/api/v1/message/no-such-id')).status).toBe(404);

    // The list page and the message page (subjects escaped, download links that work).
    const index = await get('/');
    expect(index.type).toMatch(/^text\/html/);
    const indexHtml = index.body.toString('utf8');
    expect(indexHtml).toContain('Workshop report &#60;Shanghai&#62;');
    expect(indexHtml).toContain('Rapport de l’atelier');
    expect(indexHtml).toContain('intl@digital.gov.test');
    expect(indexHtml).toContain(`href="/messages/${newest.ID}"`);
    const page = (await get(`/messages/${newest.ID}`)).body.toString('utf8');
    expect(page).toContain('Dear colleagues, the report is attached.');
    expect(page).toContain('srcdoc="&#60;p&#62;Dear colleagues, the &#60;b&#62;report');
    const links = [...page.matchAll(/href="(\/api\/v1\/message\/[^"]+\/part\/[^"]+)" download="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(links.map(([, name]) => name)).toEqual(['report-2025-10-23-kz.pdf', 'report-2025-10-23-kz-participants.csv']);
    expect((await get(links[0][0])).body.equals(pdf)).toBe(true);
    expect((await get('/messages/no-such-id')).status).toBe(404);

    // Emptied as Mailpit is: some messages, or all.
    const remove = (body?: string) => fetch(`${catcher.httpUrl}/api/v1/messages`, { method: 'DELETE', body });
    expect((await remove('{"IDs": 42}')).status).toBe(400);
    expect((await remove(JSON.stringify({ IDs: [older.ID] }))).status).toBe(200);
    expect((await getJson('/api/v1/messages')).messages.map((m: { ID: string }) => m.ID)).toEqual([newest.ID]);
    expect((await remove()).status).toBe(200);
    expect((await getJson('/api/v1/messages')).total).toBe(0);
  });
});
