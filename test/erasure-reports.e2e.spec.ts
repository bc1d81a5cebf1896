import { Queue } from 'bullmq';
import { queueConnection } from '@passerelle/platform';
import { PersonalDataVault, SubjectErasure } from '@passerelle/privacy';
import { REPORT_QUEUE, REPORT_REACTOR } from '@passerelle/reporting';
import { TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { parseCsv } from './support/csv';
import { reportEvents } from './support/report-events';
import { queryRows } from './support/sql';
import { type Stack, startStack, tokenIn } from './support/stack';
import { flat, pdfText } from './support/pdf';
import { asBytes } from './support/bytes';

/** Three countries: country i has i + 2 invited, i + 1 accepting, i present (at the study session). */
const COUNTRIES = ['BR', 'ID', 'ZM'];
const CONTACTS: Record<string, { ministryName: string; email: string; language: string }> = {
  BR: { ministryName: 'Ministério da Ciência, Tecnologia e Inovação', email: 'ia@mcti.gov.br', language: 'fr' },
  ID: { ministryName: 'Ministry of Communication and Digital Affairs', email: 'ai@komdigi.go.id', language: 'en' },
  ZM: { ministryName: 'Ministry of Technology and Science', email: 'ict@mots.gov.zm', language: 'en' },
};
const people = COUNTRIES.flatMap((country, i) =>
  Array.from({ length: i + 2 }, (_, n) => ({
    fullName: `Delegate ${n} ${country}`,
    email: `d${n}@delegation-${country.toLowerCase()}.gov.test`,
    country,
    organization: `Ministry of Digital Affairs (${country})`,
    position: `Adviser ${n}`,
    language: 'en',
    accepts: n < i + 1,
    present: n < i,
  })),
);
/** The one erased: Indonesia's second delegate, who accepted and attended. */
const ERASED_PERSON = { ...people.find((p) => p.country === 'ID')!, fullName: 'Siti Rahmawati', email: 'siti.rahmawati@kominfo.go.test', organization: 'Kominfo Digital Office', position: 'Director of AI Policy' };
people[people.findIndex((p) => p.country === 'ID')] = ERASED_PERSON;
/** Each country's sentence on its page of the report (9 invited in all): figures an erasure leaves as they are. */
const SHARES = [
  '2 of the 9 participants invited came from Brazil (22%); of these, 0 attended at least one session.',
  '3 of the 9 participants invited came from Indonesia (33%); of these, 1 attended at least one session.',
  '4 of the 9 participants invited came from Zambia (44%); of these, 2 attended at least one session.',
];


describe('reports after an erasure, end to end', () => {
  let stack: Stack;
  /** The workshop of the first test, whose report the second test's erasure concerns as well. */
  let firstWorkshop = '';

  beforeAll(async () => {
    // The reconciler every second, for the re-rendering Redis lost (the second test).
    stack = await startStack('erasure-reports', { env: { RECONCILE_INTERVAL_SECONDS: '1' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('renders the stored PDFs and CSVs again with the erased participant as [erased], the rest and the figures as before, once, sending nothing again', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const download = async (url: string): Promise<Buffer> =>
      (
        await stack.http
          .get(url)
          .set(auth)
          .buffer(true)
          .parse(asBytes)
          .expect(200)
      ).body as Buffer;

    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'AI for public services', hostInstitution: 'Shanghai AI Research Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-10-23', endsOn: '2030-10-25', themes: ['healthcare'] })
      .expect(201);
    const id = created.body.id as string;
    firstWorkshop = id;
    const study = await stack.http.post(`/api/workshops/${id}/sessions`).set(auth).send({ kind: 'study', title: 'Foundations', startsAt: '2030-10-23T09:00:00+08:00', endsAt: '2030-10-23T12:00:00+08:00' }).expect(201);
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
    await stack.http.post(`/api/workshops/${id}/start`).set(auth).expect(200);
    const present = people.filter((p) => p.present).map((p) => invitationIds.get(p.email)!);
    await stack.http.post(`/api/workshops/${id}/sessions/${study.body.sessionId}/attendance`).set(auth).send({ invitationIds: present }).expect(200);
    await stack.http.post(`/api/workshops/${id}/conclude`).set(auth).expect(202);

    const ministryMails = () => stack.smtp.received.filter((m) => Object.values(CONTACTS).some((c) => m.envelopeTo.includes(c.email)));
    const sent = await waitFor(
      async () => {
        const body = (await stack.http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body;
        return body.status === 'sent' ? body : null;
      },
      { timeoutMs: 60_000, what: 'the report compiled and sent' },
    );
    await waitFor(() => ministryMails().length === 3, { timeoutMs: 30_000, what: 'three ministry e-mails' });
    const urls: string[] = sent.files.map((f: { url: string }) => f.url).sort();
    expect(urls).toHaveLength(6); // PDF, participants and proposals CSV, in English and French
    const before = new Map<string, Buffer>();
    for (const url of urls) before.set(url, await download(url));
    const pdfEn = `/api/workshops/${id}/report.pdf?language=en`;
    const csvEn = `/api/workshops/${id}/report.csv?language=en`;
    expect(flat(pdfText(before.get(pdfEn)!))).toContain(ERASED_PERSON.fullName);
    expect(before.get(csvEn)!.toString('utf8')).toContain(ERASED_PERSON.email);

    // After compilation, a partner submits a proposal linked to the workshop: the report, fixed at its
    // compilation, does not take it in when it is rendered again.
    await stack.http
      .post('/api/partner-institutions')
      .set(auth)
      .send({ name: 'Université de Dakar', country: 'SN', website: 'https://www.ucad.sn', contact: { fullName: 'Awa Diop', email: 'awa.diop@ucad.sn', language: 'fr' } })
      .expect(201);
    await waitFor(() => stack.smtp.to('awa.diop@ucad.sn').length === 1, { timeoutMs: 20_000, what: 'the activation e-mail' });
    const activationToken = /\/activate\/([A-Za-z0-9_-]{43})/.exec(stack.smtp.to('awa.diop@ucad.sn')[0].parsed.text ?? '')![1];
    await stack.http.post('/api/auth/activate').send({ token: activationToken, password: 'partner-password-123' }).expect(200);
    const partnerLogin = await stack.http.post('/api/auth/login').send({ email: 'awa.diop@ucad.sn', password: 'partner-password-123' }).expect(200);
    const partner = { Authorization: `Bearer ${partnerLogin.body.accessToken}` };
    const proposal = await stack.http
      .post('/api/proposals')
      .set(partner)
      .send({ title: 'Late proposal after the workshop', summary: 'Rural clinics', sectors: ['healthcare'], countries: ['ID'], workshopId: id, durationMonths: 18 })
      .expect(201);
    await stack.http.post(`/api/proposals/${proposal.body.id}/submit`).set(partner).expect(200);
    await waitFor(async () => (await stack.http.get(`/api/proposals/${proposal.body.id}`).set(auth)).body.status === 'submitted', { timeoutMs: 20_000, what: 'the proposal submitted' });

    const vault = stack.api.get(PersonalDataVault);
    const subject = await vault.findSubject(ERASED_PERSON.email);
    expect(subject).toBeDefined();
    await stack.api.get(SubjectErasure).erase(subject!.subjectId, { reason: 'request', basis: 'request', actor: null, now: Date.now() });

    // Every stored file that names people is rendered again; the proposals' files name no one and stay byte for byte.
    const after = await waitFor(
      async () => {
        const files = new Map<string, Buffer>();
        for (const url of urls) files.set(url, await download(url));
        return urls.filter((u) => !u.includes('file=proposals')).every((u) => !files.get(u)!.equals(before.get(u)!)) ? files : null;
      },
      { timeoutMs: 60_000, what: 'the report files rendered again' },
    );
    for (const url of urls.filter((u) => u.includes('file=proposals'))) expect(after.get(url)!.equals(before.get(url)!)).toBe(true);

    for (const url of urls.filter((u) => u.includes('report.pdf'))) {
      const oldWords = flat(pdfText(before.get(url)!));
      const words = flat(pdfText(after.get(url)!));
      expect(words).not.toContain(ERASED_PERSON.fullName);
      expect(words).not.toContain(ERASED_PERSON.organization);
      expect(words).not.toContain(ERASED_PERSON.email);
      expect(words).toContain('[erased]');
      for (const other of people.filter((p) => p !== ERASED_PERSON)) expect(words).toContain(other.fullName);
      if (url.endsWith('language=en')) for (const share of SHARES) expect(words).toContain(flat(share));
      // Nothing else changed: the new text is the old one with the person's name and organisation struck out.
      const struck = (text: string) => text.split(ERASED_PERSON.fullName).join('[erased]').split(ERASED_PERSON.organization).join('[erased]');
      expect(words).toBe(struck(oldWords));
    }
    for (const url of urls.filter((u) => u.includes('report.csv') && !u.includes('file=proposals'))) {
      const text = after.get(url)!.toString('utf8');
      for (const secret of [ERASED_PERSON.fullName, ERASED_PERSON.email, ERASED_PERSON.organization, ERASED_PERSON.position]) expect(text).not.toContain(secret);
      const oldRows = parseCsv(before.get(url)!.toString('utf8').replace(/^\uFEFF/, ''));
      const rows = parseCsv(text.replace(/^\uFEFF/, ''));
      expect(rows[0]).toEqual(oldRows[0]);
      expect(rows).toHaveLength(people.length + 1);
      // The other participants' rows are unchanged and in their place; theirs keeps the country, status and sessions.
      const secrets = [ERASED_PERSON.fullName, ERASED_PERSON.email, ERASED_PERSON.organization, ERASED_PERSON.position];
      expect(rows).toEqual(oldRows.map((row) => (row.includes(ERASED_PERSON.email) ? row.map((field) => (secrets.includes(field) ? '[erased]' : field)) : row)));
      expect(rows.filter((r) => r.includes('[erased]'))).toHaveLength(1);
      // Counts by country unchanged.
      const byCountry = (rs: string[][]) => COUNTRIES.map((c) => rs.slice(1).filter((r) => r[0] === c).length);
      expect(byCountry(rows)).toEqual(byCountry(oldRows));
    }

    // Recorded once on the report, with the new checksums; no delivery sent again.
    await waitFor(async () => (await reportEvents(stack.db.url, id)).includes('ReportRerendered'), { timeoutMs: 30_000, what: 'ReportRerendered' });
    const view = (await stack.http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body;
    expect(view.status).toBe('sent');
    expect(view.deliveries).toEqual(sent.deliveries);
    // Once the report queue has nothing left to run, a second rendering could only be an event already written.
    const reports = new Queue(REPORT_QUEUE, queueConnection(TEST_REDIS_URL, new URL(stack.db.url).pathname.slice(1)));
    try {
      await waitFor(async () => {
        const counts = await reports.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
        return Object.values(counts).every((n) => n === 0);
      }, { timeoutMs: 30_000, what: 'the report queue drained' });
    } finally {
      await reports.close();
    }
    const events = await reportEvents(stack.db.url, id);
    expect(events.filter((e) => e === 'ReportRerendered')).toHaveLength(1);
    expect(events.filter((e) => e.startsWith('ReportDeliverySent'))).toHaveLength(3);
    expect(ministryMails()).toHaveLength(3);
  });

  it('renders again every report the person took part in, the re-rendering queued again from the store when Redis lost it', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const zambian = people.find((p) => p.country === 'ZM')!;
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'AI for public services, second round', hostInstitution: 'Institute', city: 'Lusaka', country: 'ZM', startsOn: '2031-03-10', endsOn: '2031-03-11', themes: ['healthcare'] })
      .expect(201);
    const second = created.body.id as string;
    await stack.http.post(`/api/workshops/${second}/open-registration`).set(auth).expect(200);
    const newcomer = { fullName: 'Mwila Banda', email: 'mwila.banda@zicta.gov.test', country: 'ZM', organization: 'ZICTA', language: 'en' };
    await stack.http
      .post(`/api/workshops/${second}/invitations`)
      .set(auth)
      .send({ participants: [{ fullName: zambian.fullName, email: zambian.email, country: 'ZM', organization: zambian.organization, language: 'en' }, newcomer] })
      .expect(202);
    await stack.http.post(`/api/workshops/${second}/start`).set(auth).expect(200);
    await stack.http.post(`/api/workshops/${second}/conclude`).set(auth).expect(202);
    await waitFor(async () => (await reportEvents(stack.db.url, second)).includes('ReportCompiled'), { timeoutMs: 60_000, what: 'the second report compiled' });
    const csvOf = async (workshopId: string) => (await stack.http.get(`/api/workshops/${workshopId}/report.csv`).set(auth).expect(200)).text;
    for (const workshopId of [firstWorkshop, second]) expect(await csvOf(workshopId)).toContain(zambian.email);

    // The erasure while the worker is down; then the reactor's checkpoint past it, as if its jobs had been
    // queued and Redis had lost them: only the reconciler can find the reports due.
    await stack.stopWorker();
    const subject = await stack.api.get(PersonalDataVault).findSubject(zambian.email);
    await stack.api.get(SubjectErasure).erase(subject!.subjectId, { reason: 'request', basis: 'request', actor: null, now: Date.now() });
    await queryRows(stack.db.url, 'UPDATE subscription_checkpoints SET position = (SELECT max(position) FROM events) WHERE name = $1', [REPORT_REACTOR]);
    await stack.startWorker();

    await waitFor(
      async () => (await reportEvents(stack.db.url, firstWorkshop)).filter((e) => e === 'ReportRerendered').length === 2 && (await reportEvents(stack.db.url, second)).includes('ReportRerendered'),
      { timeoutMs: 60_000, what: 'both reports rendered again' },
    );
    for (const workshopId of [firstWorkshop, second]) {
      const csv = await csvOf(workshopId);
      expect(csv).not.toContain(zambian.email);
      expect(csv).not.toContain(zambian.fullName);
      expect(csv).toContain('[erased]');
    }
    expect(await csvOf(second)).toContain(newcomer.fullName);
  });
});
