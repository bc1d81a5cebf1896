import { waitFor } from '@passerelle/testing';
import type { ReceivedMail } from '@passerelle/testing';
import { parseCsv } from './support/csv';
import { type Stack, startStack, tokenIn } from './support/stack';
import { flat, pdfText as pdfTextOf } from './support/pdf';
import { asBytes } from './support/bytes';

/**
 * Each ministry receives only what it needs: the report's aggregate figures and its own country's
 * officials. Checked on the e-mails the SMTP server received: body and every attachment.
 */
const MINISTRIES: Record<string, { ministryName: string; email: string; language: string; name: string }> = {
  ID: { ministryName: 'Ministry of Communication and Digital Affairs', email: 'reports@komdigi.go.id', language: 'en', name: 'Indonesia' },
  BR: { ministryName: 'Ministério das Comunicações', email: 'relatorios@mcom.gov.br', language: 'fr', name: 'Brésil' },
  EG: { ministryName: 'Ministry of Communications and Information Technology', email: 'reports@mcit.gov.eg', language: 'en', name: 'Egypt' },
};

/** Distinctive names and addresses, so that any one of them found in an e-mail is a leak. */
const people = [
  { fullName: 'Wulandari Kusumaningrum', email: 'wulandari.kusumaningrum@kominfo-delegation.test', country: 'ID', accepts: true },
  { fullName: 'Bambang Sudarsono', email: 'bambang.sudarsono@kominfo-delegation.test', country: 'ID', accepts: true },
  { fullName: 'Ratna Purbasari', email: 'ratna.purbasari@kominfo-delegation.test', country: 'ID', accepts: false },
  { fullName: 'Thiago Albuquerque', email: 'thiago.albuquerque@mcom-delegation.test', country: 'BR', accepts: true },
  { fullName: 'Fernanda Vasconcelos', email: 'fernanda.vasconcelos@mcom-delegation.test', country: 'BR', accepts: false },
  { fullName: 'Nourhan Abdelrahman', email: 'nourhan.abdelrahman@mcit-delegation.test', country: 'EG', accepts: true },
  { fullName: 'Sherif Elshenawy', email: 'sherif.elshenawy@mcit-delegation.test', country: 'EG', accepts: true },
  { fullName: 'Dalia Moustafa', email: 'dalia.moustafa@mcit-delegation.test', country: 'EG', accepts: true },
  { fullName: 'Yasser Abouzeid', email: 'yasser.abouzeid@mcit-delegation.test', country: 'EG', accepts: false },
].map((p) => ({ ...p, organization: `Delegation office (${p.country})`, position: 'Senior adviser', language: 'en' }));

/** Invited and accepted per country, as the participants-by-country table writes them. */
const FIGURES: Record<string, { invited: number; accepted: number }> = { BR: { invited: 2, accepted: 1 }, EG: { invited: 4, accepted: 3 }, ID: { invited: 3, accepted: 2 } };
const NAMES: Record<string, Record<string, string>> = { en: { BR: 'Brazil', EG: 'Egypt', ID: 'Indonesia' }, fr: { BR: 'Brésil', EG: 'Égypte', ID: 'Indonésie' } };

const pdfText = (pdf: Buffer) => pdfTextOf(pdf, { layout: true });

/** Everything a ministry can read in its e-mail: the message's headers, text, HTML, and each attachment's text. */
function readable(mail: ReceivedMail): { all: string; pdf: string; csv: string; names: string[] } {
  const { subject, text, html, attachments } = mail.parsed;
  const parts = attachments.map((a) => (a.contentType === 'application/pdf' ? pdfText(a.content) : a.content.toString('utf8')));
  const pdf = parts[attachments.findIndex((a) => a.contentType === 'application/pdf')] ?? '';
  const csv = parts[attachments.findIndex((a) => a.contentType.startsWith('text/csv'))] ?? '';
  const raw = mail.raw.toString('utf8');
  const headers = raw.slice(0, raw.indexOf('\r\n\r\n'));
  const all = flat([headers, subject ?? '', text ?? '', html || '', ...parts].join('\n'));
  return { all, pdf, csv, names: attachments.map((a) => a.filename ?? '') };
}

describe('what each ministry receives of a report, end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('ministry_files');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("sends each ministry the aggregate figures and its own officials only, no one's e-mail address, and keeps everything in the staff's files", async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Digital public infrastructure', hostInstitution: 'Institut de coopération numérique', city: 'Dakar', country: 'SN', startsOn: '2030-11-12', endsOn: '2030-11-14', themes: ['education'] })
      .expect(201);
    const id = created.body.id as string;
    const session = await stack.http.post(`/api/workshops/${id}/sessions`).set(auth).send({ kind: 'study', title: 'Shared registries', startsAt: '2030-11-12T09:00:00+00:00', endsAt: '2030-11-12T12:00:00+00:00' }).expect(201);
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
    for (const [country, { name: _name, ...contact }] of Object.entries(MINISTRIES)) await stack.http.put(`/api/ministries/${country}`).set(auth).send(contact).expect(200);
    const invited = await stack.http
      .post(`/api/workshops/${id}/invitations`)
      .set(auth)
      .send({ participants: people.map(({ accepts: _a, ...p }) => p) })
      .expect(202);
    const invitationIds = new Map<string, string>(invited.body.items.map((item: { id: string; email: string }) => [item.email, item.id]));
    await waitFor(() => people.every((p) => stack.smtp.to(p.email).length === 1), { timeoutMs: 30_000, what: 'the invitations' });
    for (const person of people.filter((p) => p.accepts)) {
      await stack.http.post(`/api/rsvp/${tokenIn(stack.smtp.to(person.email)[0].parsed.text ?? '')}`).send({ response: 'accept' }).expect(200);
    }
    await stack.http.post(`/api/workshops/${id}/start`).set(auth).expect(200);
    const present = people.filter((p) => p.accepts).map((p) => invitationIds.get(p.email)!);
    await stack.http.post(`/api/workshops/${id}/sessions/${session.body.sessionId}/attendance`).set(auth).send({ invitationIds: present }).expect(200);
    await stack.http.post(`/api/workshops/${id}/conclude`).set(auth).expect(202);

    await waitFor(() => Object.values(MINISTRIES).every((m) => stack.smtp.to(m.email).length === 1), { timeoutMs: 60_000, what: 'the three ministry e-mails' });

    for (const [country, ministry] of Object.entries(MINISTRIES)) {
      const mail = readable(stack.smtp.to(ministry.email)[0]);
      const lang = ministry.language;
      // No other country's official anywhere in the e-mail, by full name, first name or surname.
      for (const other of people.filter((p) => p.country !== country)) {
        for (const word of [other.fullName, ...other.fullName.split(' ')]) expect(mail.all).not.toContain(word);
      }
      // No participant's address at all, nor even their delegations' domains.
      for (const p of people) expect(mail.all).not.toContain(p.email);
      expect(mail.all).not.toMatch(/-delegation\.test/);

      // Its own officials are named, in the PDF and in the CSV (without an e-mail column).
      const own = people.filter((p) => p.country === country);
      for (const p of own) expect(flat(mail.pdf)).toContain(p.fullName);
      const rows = parseCsv(mail.csv.replace(/^\uFEFF/, ''));
      expect(rows.slice(1).map((r) => r[3]).sort()).toEqual(own.map((p) => p.fullName).sort());
      expect(rows.slice(1).every((r) => r[0] === country)).toBe(true);
      expect(rows[0]).toHaveLength(8);

      // The aggregate figures: every country's invited and accepted counts in the participants table.
      for (const [code, { invited: inv, accepted }] of Object.entries(FIGURES)) {
        expect(mail.pdf).toMatch(new RegExp(`^\\s*${NAMES[lang][code]}\\s+${inv}\\s+${accepted}\\s`, 'm'));
      }
      expect(flat(mail.pdf)).toContain(lang === 'fr' ? `${NAMES.fr[country]} — participants invités : 2 sur 9` : `${FIGURES[country].invited} of the 9 participants invited came from ${ministry.name}`);
      // File names say the workshop, the country and the language.
      expect(mail.names.sort()).toEqual([`report-2030-11-12-${country.toLowerCase()}-${lang}-participants.csv`, `report-2030-11-12-${country.toLowerCase()}-${lang}.pdf`]);
    }

    // The staff's files keep everything: every country's page, every name and address.
    const report = (await stack.http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body;
    expect(report.files.map((f: { kind: string; language: string }) => `${f.kind}/${f.language}`).sort()).toEqual(['csv/en', 'csv/fr', 'pdf/en', 'pdf/fr', 'proposals-csv/en', 'proposals-csv/fr']);
    const csv = await stack.http.get(`/api/workshops/${id}/report.csv`).set(auth).expect(200);
    const staffRows = parseCsv(csv.text.replace(/^\uFEFF/, ''));
    expect(staffRows.slice(1).map((r) => r[4]).sort()).toEqual(people.map((p) => p.email).sort());
    const pdf = await stack.http.get(`/api/workshops/${id}/report.pdf?language=en`).set(auth).buffer(true).parse(asBytes).expect(200);
    const staffText = flat(pdfText(pdf.body as Buffer));
    for (const p of people) expect(staffText).toContain(p.fullName);
  });
});
