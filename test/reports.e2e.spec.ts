import { waitFor } from '@passerelle/testing';
import { parseCsv } from './support/csv';
import { type Stack, startStack, tokenIn } from './support/stack';
import { flat, pdfText } from './support/pdf';
import { asBytes } from './support/bytes';

/** Six participating countries: country i has i + 2 invited, i + 1 accepting, i present. */
const COUNTRIES = ['BR', 'EG', 'ID', 'KZ', 'PK', 'ZM'];
const CONTACTS: Record<string, { ministryName: string; email: string; language: string }> = {
  BR: { ministryName: 'Ministério da Ciência, Tecnologia e Inovação', email: 'ia@mcti.gov.br', language: 'fr' },
  EG: { ministryName: 'Ministry of Communications and Information Technology', email: 'ai@mcit.gov.eg', language: 'fr' },
  ID: { ministryName: 'Ministry of Communication and Digital Affairs', email: 'ai@komdigi.go.id', language: 'en' },
  PK: { ministryName: 'Ministry of IT and Telecommunication', email: 'ai@moitt.gov.pk', language: 'en' },
  ZM: { ministryName: 'Ministry of Technology and Science', email: 'ict@mots.gov.zm', language: 'en' },
};
const LATE = { country: 'KZ', ministryName: 'Ministry of Digital Development', email: 'ai@digital.gov.kz', language: 'en' };

const people = COUNTRIES.flatMap((country, i) =>
  Array.from({ length: i + 2 }, (_, n) => ({
    fullName: `Delegate ${n} ${country}`,
    email: `d${n}@delegation-${country.toLowerCase()}.gov.test`,
    country,
    organization: `Ministry of Digital Affairs (${country})`,
    language: 'en',
    accepts: n < i + 1,
    present: n < i,
  })),
);
/** Country names as the e-mails and reports write them, in English and French. */
const NAMES: Record<string, Record<string, string>> = {
  en: { BR: 'Brazil', EG: 'Egypt', ID: 'Indonesia', KZ: 'Kazakhstan', PK: 'Pakistan', ZM: 'Zambia' },
  fr: { BR: 'Brésil', EG: 'Égypte', ID: 'Indonésie', KZ: 'Kazakhstan', PK: 'Pakistan', ZM: 'Zambie' },
};
/** Each country's sentence on its page of the report (27 invited in all). */
const SHARES: Record<string, Record<string, string>> = {
  en: {
    BR: '2 of the 27 participants invited came from Brazil (7%); of these, 0 attended at least one session.',
    EG: '3 of the 27 participants invited came from Egypt (11%); of these, 1 attended at least one session.',
    ID: '4 of the 27 participants invited came from Indonesia (15%); of these, 2 attended at least one session.',
    KZ: '5 of the 27 participants invited came from Kazakhstan (19%); of these, 3 attended at least one session.',
    PK: '6 of the 27 participants invited came from Pakistan (22%); of these, 4 attended at least one session.',
    ZM: '7 of the 27 participants invited came from Zambia (26%); of these, 5 attended at least one session.',
  },
  fr: {
    BR: 'Brésil — participants invités : 2 sur 27 (7 %) ; présents à au moins une séance : 0.',
    EG: 'Égypte — participants invités : 3 sur 27 (11 %) ; présents à au moins une séance : 1.',
    ID: 'Indonésie — participants invités : 4 sur 27 (15 %) ; présents à au moins une séance : 2.',
    KZ: 'Kazakhstan — participants invités : 5 sur 27 (19 %) ; présents à au moins une séance : 3.',
    PK: 'Pakistan — participants invités : 6 sur 27 (22 %) ; présents à au moins une séance : 4.',
    ZM: 'Zambie — participants invités : 7 sur 27 (26 %) ; présents à au moins une séance : 5.',
  },
};
const expected = (country: string) => {
  const i = COUNTRIES.indexOf(country);
  return { invited: i + 2, accepted: i + 1, present: i };
};


describe('post-workshop reports, end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('reports');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('compiles the report once, sends each ministry its country\'s e-mail with its edition of the PDF and CSV, and resends a failed delivery', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'AI for public services', hostInstitution: 'Shanghai AI Research Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-10-23', endsOn: '2030-10-25', themes: ['healthcare'] })
      .expect(201);
    const id = created.body.id as string;
    const study = await stack.http.post(`/api/workshops/${id}/sessions`).set(auth).send({ kind: 'study', title: 'Foundations', startsAt: '2030-10-23T09:00:00+08:00', endsAt: '2030-10-23T12:00:00+08:00' }).expect(201);
    const sharing = await stack.http
      .post(`/api/workshops/${id}/sessions`)
      .set(auth)
      .send({ kind: 'solutions_sharing', title: 'Solutions in practice', startsAt: '2030-10-24T09:00:00+08:00', endsAt: '2030-10-24T12:00:00+08:00' })
      .expect(201);
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
    for (const [country, contact] of Object.entries(CONTACTS)) await stack.http.put(`/api/ministries/${country}`).set(auth).send(contact).expect(200);

    const invited = await stack.http
      .post(`/api/workshops/${id}/invitations`)
      .set(auth)
      .send({ participants: people.map(({ accepts: _a, present: _p, ...p }) => p) })
      .expect(202);
    const invitationIds = new Map<string, string>(invited.body.items.map((item: { id: string; email: string }) => [item.email, item.id]));
    await waitFor(() => people.every((p) => stack.smtp.to(p.email).length === 1), { timeoutMs: 30_000, what: 'the invitations' });
    for (const person of people.filter((p) => p.accepts)) {
      await stack.http.post(`/api/rsvp/${tokenIn(stack.smtp.to(person.email)[0].parsed.text ?? '')}`).send({ response: 'accept' }).expect(200);
    }

    await stack.http.get(`/api/workshops/${id}/report.pdf`).set(auth).expect(404);
    expect((await stack.http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body).toMatchObject({ status: 'pending', files: [], deliveries: [] });

    await stack.http.post(`/api/workshops/${id}/start`).set(auth).expect(200);
    const present = people.filter((p) => p.present).map((p) => invitationIds.get(p.email)!);
    await stack.http.post(`/api/workshops/${id}/sessions/${study.body.sessionId}/attendance`).set(auth).send({ invitationIds: present }).expect(200);
    await stack.http
      .post(`/api/workshops/${id}/solutions`)
      .set(auth)
      .send({ company: 'MedVision', title: 'Early screening of diabetic retinopathy', sector: 'healthcare', sessionId: sharing.body.sessionId })
      .expect(201);
    await stack.http.post(`/api/workshops/${id}/conclude`).set(auth).expect(202);

    const ministryMails = () => stack.smtp.received.filter((m) => m.envelopeTo.some((to) => /\.gov\.(br|eg|pk|zm|kz)$|\.go\.id$/.test(to)));
    await waitFor(() => ministryMails().length >= 5, { timeoutMs: 60_000, what: 'five ministry e-mails' });
    const report = await waitFor(
      async () => {
        const body = (await stack.http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body;
        return body.deliveries.length === 6 && body.deliveries.every((d: { status: string }) => d.status !== 'queued') ? body : null;
      },
      { timeoutMs: 30_000, what: 'the deliveries recorded' },
    );
    expect(report.status).toBe('compiled');
    expect(report.deliveries.filter((d: { status: string }) => d.status === 'sent')).toHaveLength(5);
    expect(report.deliveries.find((d: { country: string }) => d.country === 'KZ')).toMatchObject({ status: 'failed', reason: 'no ministry contact' });
    for (const d of report.deliveries.filter((x: { status: string }) => x.status === 'sent')) {
      expect(d).toMatchObject({ ministry: CONTACTS[d.country].ministryName, email: CONTACTS[d.country].email, language: CONTACTS[d.country].language, languageSent: CONTACTS[d.country].language, sentAt: expect.any(String) });
    }
    expect(report.files.map((f: { kind: string; language: string }) => `${f.kind}/${f.language}`).sort()).toEqual(['csv/en', 'csv/fr', 'pdf/en', 'pdf/fr', 'proposals-csv/en', 'proposals-csv/fr']);

    expect(ministryMails()).toHaveLength(5);
    for (const [country, contact] of Object.entries(CONTACTS)) {
      const mails = stack.smtp.to(contact.email);
      expect(mails).toHaveLength(1);
      const { subject, text, attachments } = mails[0].parsed;
      const name = NAMES[contact.language][country];
      const { invited: inv, accepted, present: pres } = expected(country);
      if (contact.language === 'fr') {
        expect(subject).toBe(`Rapport d'atelier : AI for public services, Shanghai (${name})`);
        expect(text).toContain(`Pour ${name} : ${inv} participants invités, ${accepted} ont accepté, ${pres} présents.`);
      } else {
        expect(subject).toBe(`Workshop report: AI for public services, Shanghai (${name})`);
        expect(text).toContain(`For ${name}: ${inv} participants invited, ${accepted} accepted, ${pres} present.`);
      }
      // The ministry's edition: the aggregate figures and its own country's page and participants, no addresses.
      const stem = `report-2030-10-23-${country.toLowerCase()}-${contact.language}`;
      expect(attachments.map((a) => a.filename).sort()).toEqual([`${stem}-participants.csv`, `${stem}.pdf`]);
      const pdf = attachments.find((a) => a.contentType === 'application/pdf');
      const csv = attachments.find((a) => a.contentType.startsWith('text/csv'));
      expect(pdf && csv).toBeTruthy();
      const words = flat(pdfText(pdf!.content));
      expect(people).toHaveLength(27);
      for (const other of COUNTRIES) {
        if (other === country) expect(words).toContain(flat(SHARES[contact.language][other]));
        else expect(words).not.toContain(flat(SHARES[contact.language][other]));
      }
      const rows = parseCsv(csv!.content.toString('utf8').replace(/^\uFEFF/, ''));
      const own = people.filter((p) => p.country === country);
      expect(rows).toHaveLength(own.length + 1);
      expect(rows.slice(1).map((r) => r[3]).sort()).toEqual(own.map((p) => p.fullName).sort());
      for (const p of people) expect(csv!.content.toString('utf8')).not.toContain(p.email);
    }

    const pdf = await stack.http.get(`/api/workshops/${id}/report.pdf?language=fr`).set(auth).buffer(true).parse(asBytes).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // The staff's download keeps everything: every country's page, every participant with their address.
    const staffWords = flat(pdfText(pdf.body as Buffer));
    for (const other of COUNTRIES) expect(staffWords).toContain(flat(SHARES.fr[other]));
    const csv = await stack.http.get(`/api/workshops/${id}/report.csv`).set(auth).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const staffRows = parseCsv(csv.text.replace(/^\uFEFF/, ''));
    expect(staffRows).toHaveLength(people.length + 1);
    expect(staffRows.slice(1).map((r) => r[4]).sort()).toEqual(people.map((p) => p.email).sort());
    // A language with texts that no ministry of the workshop reads: not compiled in it.
    await stack.http.get(`/api/workshops/${id}/report.pdf?language=ru`).set(auth).expect(404);
    // A language without texts: the English file, which the answer says.
    const german = await stack.http.get(`/api/workshops/${id}/report.pdf?language=de`).set(auth).buffer(true).parse(asBytes).expect(200);
    expect([german.headers['content-language'], german.headers['content-disposition']]).toEqual(['en', `attachment; filename="report-${id}-en.pdf"`]);

    await stack.http.put(`/api/ministries/${LATE.country}`).set(auth).send({ ministryName: LATE.ministryName, email: LATE.email, language: LATE.language }).expect(200);
    const resent = await stack.http.post(`/api/workshops/${id}/report/deliveries/resend`).set(auth).expect(200);
    expect(resent.body.countries).toEqual(['KZ']);
    await waitFor(() => stack.smtp.to(LATE.email).length === 1, { timeoutMs: 30_000, what: 'the resent e-mail' });
    const done = await waitFor(
      async () => {
        const body = (await stack.http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body;
        return body.status === 'sent' ? body : null;
      },
      { timeoutMs: 30_000, what: 'every delivery sent' },
    );
    expect(done.deliveries).toHaveLength(6);
    expect(done.deliveries.every((d: { status: string }) => d.status === 'sent')).toBe(true);
    expect(done.deliveries.find((d: { country: string }) => d.country === 'KZ')).toMatchObject({ email: LATE.email, language: 'en' });
    const kz = stack.smtp.to(LATE.email)[0].parsed;
    expect(kz.text).toContain('For Kazakhstan: 5 participants invited, 4 accepted, 3 present.');
    expect(kz.attachments.map((a) => a.filename).sort()).toEqual(['report-2030-10-23-kz-en-participants.csv', 'report-2030-10-23-kz-en.pdf']);
    expect(flat(pdfText(kz.attachments.find((a) => a.contentType === 'application/pdf')!.content))).toContain(SHARES.en.KZ);
    // No other ministry heard again.
    expect(ministryMails()).toHaveLength(6);
    for (const contact of Object.values(CONTACTS)) expect(stack.smtp.to(contact.email)).toHaveLength(1);
    const again = await stack.http.post(`/api/workshops/${id}/report/deliveries/resend`).set(auth).expect(200);
    expect(again.body.countries).toEqual([]);
  });
});
