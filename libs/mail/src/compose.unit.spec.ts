import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { type ComposedMail, composeMail } from './compose';
import { MailTemplates } from './templates';

/** What a mail client sees of a message: the parsed fields, not the bytes. */
async function seen(raw: Buffer) {
  const parsed = await simpleParser(raw);
  return {
    from: parsed.from?.text,
    to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text) : parsed.to?.text,
    subject: parsed.subject,
    text: parsed.text,
    html: parsed.html,
    messageId: parsed.messageId,
    key: parsed.headers.get('x-passerelle-key'),
    attachments: parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString('base64')]),
  };
}

function byNodemailer(mail: ComposedMail): Promise<Buffer> {
  const { from, to, subject, text, html, messageId, headers, attachments } = mail;
  return new MailComposer({ from, to, subject, text, html, messageId, headers, attachments }).compile().build();
}

function mail(subject: string, text: string, html: string, extra: Partial<ComposedMail> = {}): ComposedMail {
  return {
    from: 'Passerelle <no-reply@passerelle.local>',
    to: 'amelie.dupont@ministere.gouv.test',
    subject,
    text,
    html,
    messageId: '<6f1c2a4e-0d7b-4f0e-9c39-3f6f1b0f2a11@passerelle.local>',
    headers: { 'X-Passerelle-Key': 'invitation:6f1c2a4e-0d7b-4f0e-9c39-3f6f1b0f2a11' },
    ...extra,
  };
}

describe('composeMail', () => {
  it('reads exactly as nodemailer\'s message for every template, in every language', async () => {
    const templates = new MailTemplates();
    const tricky: Record<string, string> = {
      fullName: 'Amélie Ŝtraße-Nguyễn, ministère de l\'Économie numérique',
      workshopTitle: 'Renforcement des capacités en IA : santé, éducation — « pratiques » ✓',
      comment: 'Merci de préciser le budget.\n.Ligne qui commence par un point\nFin = ok   ',
    };
    // Every placeholder a template names gets a value: one of the above, or an accented one of its own.
    const values = new Proxy(tricky, {
      has: () => true,
      get: (target, name: string) => target[name] ?? `${name} — « é ü ß 中文 » ${'x'.repeat(60)}`,
    });
    let compared = 0;
    for (const kind of ['invitation', 'invitation-reminder', 'account-activation', 'proposal-approved', 'proposal-rejected', 'proposal-changes-requested']) {
      for (const language of ['en', 'fr']) {
        const rendered = templates.render(kind, language, values);
        const message = mail(rendered.subject, rendered.text, rendered.html);
        expect(await seen(await composeMail(message))).toEqual(await seen(await byNodemailer(message)));
        compared += 1;
      }
    }
    expect(compared).toBe(12);
  });

  it('reads back as written for any subject, text and HTML, and with the same headers as nodemailer\'s', async () => {
    const content = fc.string({ unit: 'grapheme', maxLength: 300 });
    await fc.assert(
      fc.asyncProperty(content, content, content, async (subject, text, html) => {
        const message = mail(subject, text || 'text', html || '<p></p>');
        const ours = await seen(await composeMail(message));
        // nodemailer's base64 encoded words split characters outside the BMP, so its subject is no oracle.
        // Line breaks become spaces; spaces around a plain ASCII subject are not kept (nor by nodemailer).
        expect((ours.subject ?? '').trim()).toBe(subject.replace(/\r?\n|\r/g, ' ').trim());
        expect(ours.text).toBe(message.text.replace(/\r\n|\r/g, '\n'));
        expect(ours.html).toBe(message.html.replace(/\r\n|\r/g, '\n'));
        const theirs = await seen(await byNodemailer(message));
        expect({ ...ours, subject: null, text: null, html: null }).toEqual({ ...theirs, subject: null, text: null, html: null });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps long lines, leading dots, trailing spaces and = signs intact, in lines of at most 78 characters', async () => {
    const text = `${'a'.repeat(200)}\n.starts with a dot\ntrailing spaces   \n=3D is not an escape\r\nCRLF and\rCR`;
    const raw = await composeMail(mail('A subject that is rather long, long enough to be folded over more than one header line', text, `<p>${'é'.repeat(120)}</p>`));
    for (const line of raw.toString('utf8').split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const parsed = await seen(raw);
    expect(parsed.text).toBe(text.replace(/\r\n|\r/g, '\n'));
    expect(parsed.subject).toBe('A subject that is rather long, long enough to be folded over more than one header line');
  });

  it('leaves messages with attachments or non-ASCII addresses to nodemailer', async () => {
    const attachment = { filename: 'rapport.csv', content: Buffer.from('a;b\n1;2\n'), contentType: 'text/csv' };
    const withAttachment = mail('Rapport', 'Bonjour', '<p>Bonjour</p>', { attachments: [attachment] });
    expect(await seen(await composeMail(withAttachment))).toEqual(await seen(await byNodemailer(withAttachment)));
    const unicodeName = mail('Objet', 'Texte', '<p>Texte</p>', { from: 'Passerelle — Institut <no-reply@passerelle.local>' });
    expect(await seen(await composeMail(unicodeName))).toEqual(await seen(await byNodemailer(unicodeName)));
  });
});
