import ICAL from 'ical.js';
import readXlsxFile from 'read-excel-file/node';
import { Client } from 'pg';
import { waitFor } from '@passerelle/testing';
import { countEvents, expectFieldsNamed } from './support/bad-input';
import { parseCsv } from './support/csv';
import { flat, pdfText } from './support/pdf';
import { type Stack, startStack, tokenIn } from './support/stack';
import { asBytes } from './support/bytes';
import { ADMIN } from './support/api';

/**
 * Times people read are where the workshop happens, the zone named: a Shanghai workshop's session at
 * 09:00 local time (01:00 UTC) reads 09:00 in the invitation e-mail, on the RSVP page, in the report's
 * PDF and CSV and in the participants workbook, never 01:00.
 */
describe('local time of workshops, end to end', () => {
  let stack: Stack;
  let db: Client;
  const auth = () => ({ Authorization: `Bearer ${stack.token}` });
  const plan = { title: 'AI for public services', hostInstitution: 'Shanghai AI Research Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-10-23', endsOn: '2030-10-25', themes: ['healthcare'] };

  beforeAll(async () => {
    stack = await startStack('local-time');
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await stack?.close();
  });

  const detail = (id: string) =>
    waitFor(async () => {
      const response = await stack.http.get(`/api/workshops/${id}`).set(auth());
      return response.status === 200 ? response.body : null;
    }, { timeoutMs: 10_000, what: 'the workshop in the read model' });

  const download = (path: string) =>
    stack.http
      .get(path)
      .set(auth())
      .buffer(true)
      .parse(asBytes)
      .expect(200);

  it('shows a Shanghai session at 09:00 China Standard Time in the e-mail, the RSVP page, the PDF, the CSV and the XLSX', async () => {
    const created = await stack.http.post('/api/workshops').set(auth()).send({ ...plan, timeZone: 'Asia/Shanghai' }).expect(201);
    const id = created.body.id as string;
    // 09:00 in Shanghai, given in UTC: what is shown must be the venue's time, not the one written.
    const session = await stack.http
      .post(`/api/workshops/${id}/sessions`)
      .set(auth())
      .send({ kind: 'study', title: 'Foundations of machine learning', startsAt: '2030-10-23T01:00:00Z', endsAt: '2030-10-23T04:00:00Z', location: 'Main auditorium' })
      .expect(201);
    expect((await detail(id)).timeZone).toBe('Asia/Shanghai');
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth()).expect(200);
    const participants = [
      { fullName: 'Siti Rahma', email: 'siti@kominfo.go.id', country: 'ID', organization: 'Ministry of Communication', language: 'en' },
      { fullName: 'Awa Diop', email: 'awa@numerique.gouv.sn', country: 'SN', organization: 'Ministère du Numérique', language: 'fr' },
    ];
    const invited = await stack.http.post(`/api/workshops/${id}/invitations`).set(auth()).send({ participants }).expect(202);
    await waitFor(() => participants.every((p) => stack.smtp.to(p.email).length === 1), { timeoutMs: 30_000, what: 'the invitations' });

    const english = stack.smtp.to('siti@kominfo.go.id')[0].parsed;
    expect(english.text).toContain('Programme (local time: China Standard Time (Asia/Shanghai)):');
    expect(english.text).toContain('October 23, 2030, 09:00–12:00 China Standard Time: Foundations of machine learning, Main auditorium');
    expect(english.html).toContain('October 23, 2030, 09:00–12:00 China Standard Time: Foundations of machine learning, Main auditorium');
    const french = stack.smtp.to('awa@numerique.gouv.sn')[0].parsed;
    expect(french.text).toContain('23 octobre 2030, 09:00–12:00 heure normale de la Chine: Foundations of machine learning');
    for (const mail of [english, french]) expect(mail.text).not.toContain('01:00');
    // The calendar file, read back by another parser (ical.js): the session at the same instant, in the venue's zone.
    const ics = english.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(ics?.filename).toBe('workshop.ics');
    const calendar = new ICAL.Component(ICAL.parse(ics!.content.toString('utf8')));
    const zone = calendar.getFirstSubcomponent('vtimezone')!;
    expect(zone.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai');
    ICAL.TimezoneService.register(zone);
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events).toHaveLength(1);
    expect(events[0].summary).toBe('AI for public services: Foundations of machine learning');
    expect(events[0].startDate.zone?.tzid).toBe('Asia/Shanghai');
    expect(events[0].startDate.toString()).toBe('2030-10-23T09:00:00');
    expect(events[0].startDate.toJSDate().toISOString()).toBe('2030-10-23T01:00:00.000Z');
    expect(events[0].endDate.toJSDate().toISOString()).toBe('2030-10-23T04:00:00.000Z');
    expect(events[0].location).toBe('Main auditorium, Shanghai AI Research Institute, Shanghai');

    const token = tokenIn(english.text ?? '');
    const page = await stack.http.get(`/rsvp/${token}`).expect(200);
    expect(page.text).toContain('Local time: China Standard Time (Asia/Shanghai)');
    expect(page.text).toContain('October 23, 2030, 09:00–12:00 China Standard Time: Foundations of machine learning, Main auditorium');
    expect(page.text).not.toContain('01:00');
    const json = await stack.http.get(`/api/rsvp/${token}`).expect(200);
    expect(json.body.workshop).toMatchObject({ startsOn: '2030-10-23', endsOn: '2030-10-25', timeZone: 'Asia/Shanghai' });

    await stack.http.post(`/api/rsvp/${token}`).send({ response: 'accept' }).expect(200);
    await stack.http.post(`/api/workshops/${id}/start`).set(auth()).expect(200);
    const siti = invited.body.items.find((i: { email: string }) => i.email === 'siti@kominfo.go.id').id as string;
    await stack.http.post(`/api/workshops/${id}/sessions/${session.body.sessionId}/attendance`).set(auth()).send({ invitationIds: [siti] }).expect(200);
    await stack.http.post(`/api/workshops/${id}/conclude`).set(auth()).expect(202);
    await waitFor(async () => (await stack.http.get(`/api/workshops/${id}/report`).set(auth())).body.status === 'compiled' || null, {
      timeoutMs: 60_000,
      what: 'the report compiled',
    });

    const pdf = flat(pdfText((await download(`/api/workshops/${id}/report.pdf`)).body as Buffer));
    expect(pdf).toContain('Local time China Standard Time (Asia/Shanghai)');
    expect(pdf).toMatch(/23 Oct 2030 09:00–12:00 Foundations of machine learning/);
    expect(pdf).toContain('Times are local to the venue: China Standard Time (Asia/Shanghai).');
    expect(pdf).not.toContain('01:00');

    const csv = await stack.http.get(`/api/workshops/${id}/report.csv`).set(auth()).expect(200);
    const row = parseCsv(csv.text.replace(/^\uFEFF/, '')).find((r) => r[3] === 'Siti Rahma')!;
    expect(row[8]).toBe('Foundations of machine learning (23 Oct 2030, 09:00–12:00 China Standard Time)');
    expect(csv.text).not.toContain('01:00');

    // The participants workbook, read back by another reader (read-excel-file): a spreadsheet's date has no
    // zone, so the cell holds Shanghai's wall-clock figures (09:00), the zone named in the column's header.
    const sheets = await readXlsxFile((await download(`/api/workshops/${id}/participants.xlsx`)).body as Buffer);
    const toSecond = (cell: unknown) => (cell instanceof Date ? new Date(Math.round(cell.getTime() / 1000) * 1000).toISOString() : cell);
    const programme = sheets.find((s) => s.sheet === 'Sessions')!.data.map((r) => r.map(toSecond));
    expect(programme).toEqual([
      ['Kind', 'Title', 'Starts (Asia/Shanghai)', 'Ends (Asia/Shanghai)', 'Location'],
      ['Study', 'Foundations of machine learning', '2030-10-23T09:00:00.000Z', '2030-10-23T12:00:00.000Z', 'Main auditorium'],
    ]);
    const indonesia = sheets.find((s) => s.sheet === 'ID Indonesia')!.data;
    expect(indonesia[0].slice(6, 8)).toEqual(['E-mailed (Asia/Shanghai)', 'Responded (Asia/Shanghai)']);
    const answered = (await stack.http.get(`/api/workshops/${id}/invitations`).set(auth()).expect(200)).body.items.find((i: { id: string }) => i.id === siti);
    // Shanghai is UTC+8 all year: her answer's instant, eight hours on (to the second a spreadsheet keeps).
    expect(Math.abs((indonesia[1][7] as unknown as Date).getTime() - (Date.parse(answered.respondedAt) + 8 * 3600_000))).toBeLessThan(1000);
    const frenchBook = await readXlsxFile((await download(`/api/workshops/${id}/participants.xlsx?language=fr`)).body as Buffer);
    expect(frenchBook.find((s) => s.sheet === 'Séances')!.data.map((r) => r.map(toSecond))[1].slice(2, 4)).toEqual(['2030-10-23T09:00:00.000Z', '2030-10-23T12:00:00.000Z']);

    // The console's workshop page, signed in through its form.
    const cookiesOf = (response: { headers: Record<string, unknown> }) => ((response.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]).join('; ');
    const form = await stack.http.get('/console/sign-in').expect(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.text)![1];
    const signedIn = await stack.http.post('/console/sign-in').set('Cookie', cookiesOf(form)).type('form').send({ email: ADMIN.email, password: ADMIN.password, csrf });
    expect(signedIn.status).toBeGreaterThanOrEqual(300);
    const consolePage = await stack.http.get(`/console/workshops/${id}`).set('Cookie', cookiesOf(signedIn)).expect(200);
    expect(consolePage.text).toContain('09:00–12:00');
    expect(consolePage.text).toContain('China Standard Time');
    expect(consolePage.text).not.toContain('01:00');
  });

  it("takes the zone of the country's capital when none is given, and records it in the plan", async () => {
    const created = await stack.http.post('/api/workshops').set(auth()).send({ ...plan, city: 'Manaus', country: 'BR' }).expect(201);
    expect((await detail(created.body.id)).timeZone).toBe('America/Sao_Paulo');
    const planned = await db.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'WorkshopPlanned'`, [`workshop-${created.body.id}`]);
    expect(planned.rows[0].data.timeZone).toBe('America/Sao_Paulo');
  });

  it('refuses a time zone that is not an IANA name with a 400 naming timeZone, and records nothing', async () => {
    for (const timeZone of ['Mars/Olympus_Mons', '+08:00', 'EST', 'asia/shanghai', '', 8, null, ['Asia/Shanghai'], 'Asia/Shanghai\u0000']) {
      const before = await countEvents(db);
      const response = await stack.http.post('/api/workshops').set(auth()).send({ ...plan, timeZone });
      expectFieldsNamed(response, ['timeZone']);
      expect(await countEvents(db)).toBe(before);
    }
  });
});
