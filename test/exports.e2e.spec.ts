import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { waitFor } from '@passerelle/testing';
import { type Callers, declareNoConflict, PARTICIPANT, setUpCallers, workshopIn } from './support/callers';
import { expectProblem } from './support/security';
import { queryRows } from './support/sql';
import { type Stack, startStack, tokenIn } from './support/stack';
import { request as httpRequest } from 'node:http';
import { asBytes } from './support/bytes';

/**
 * Staff's workbooks (issue 21, item 5): each downloaded over HTTP, read back with an independent reader
 * (read-excel-file) and checked cell by cell against the read models as the JSON API answers them, in
 * English and in French (the labels of templates/exports/), dates read as dates and numbers as numbers;
 * the frozen header row and its filters checked in the sheet's XML (unzipped with fflate).
 */

type Labels = Record<string, string>;
const labels = (language: string): Labels => JSON.parse(readFileSync(path.join(__dirname, '..', 'templates', 'exports', `${language}.json`), 'utf8'));
const EN = labels('en');
const FR = labels('fr');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Cell = string | number | boolean | Date | null;
interface Workbook { sheets: { sheet: string; data: Cell[][] }[]; xml: Record<string, string>; type: string; disposition: string }

describe('exports: proposals, partnerships and participants as workbooks', () => {
  let stack: Stack;
  let c: Callers;
  let staff: Record<string, string>;
  let workshop: Awaited<ReturnType<typeof workshopIn>>;
  /** A call for proposals, one proposal to it, approved into a partnership. */
  let call: { id: string; title: string };
  const people = [
    { ...PARTICIPANT, fullName: 'Chanda Mwale', email: 'chanda@ministry.zm.test', country: 'ZM', position: 'Director' },
    { ...PARTICIPANT, fullName: 'Awa Ndiaye', email: 'awa@gouv.sn.test', country: 'SN', organization: 'Ministère du Numérique', language: 'fr' },
    { ...PARTICIPANT, fullName: 'Moussa Diop', email: 'moussa@gouv.sn.test', country: 'SN', organization: 'Ministère de la Santé', language: 'fr' },
  ];

  beforeAll(async () => {
    stack = await startStack('exports', { env: { APPROVALS_REQUIRED: '1' } });
    c = await setUpCallers(stack);
    staff = c.staffHeaders;
    await c.proposal('draft');
    const budgeted = await c.proposal('submitted', { title: 'Clinics online', sectors: ['healthcare', 'education'], countries: ['SN', 'ZM'], durationMonths: 18, budget: { amount: 125000.5, currency: 'EUR' } });
    for (const as of [staff, c.headers.admin]) await declareNoConflict(stack, budgeted, as);
    await stack.http.post(`/api/proposals/${budgeted}/reviews`).set(staff).send({ score: 4, recommendation: 'approve', comment: 'Sound' }).expect(201);
    await stack.http.post(`/api/proposals/${budgeted}/reviews`).set(c.headers.admin).send({ score: 5, recommendation: 'approve', comment: 'Strong' }).expect(201);
    await c.partnership('active');
    await c.proposal('draft', { title: '=HYPERLINK("http://evil.test","click")' });
    const hour = 3_600_000;
    const opened = await stack.http
      .post('/api/calls')
      .set(staff)
      .send({ title: 'Smart farming 2031', summary: 'Sensors for smallholders.', sectors: ['agriculture'], countries: ['ZM'], opensAt: new Date(Date.now() - hour).toISOString(), closesAt: new Date(Date.now() + hour).toISOString() })
      .expect(201);
    call = { id: opened.body.id, title: 'Smart farming 2031' };
    const toCall = await c.proposal('submitted', { title: 'Farm sensors', callId: call.id });
    await declareNoConflict(stack, toCall, staff);
    await stack.http.post(`/api/proposals/${toCall}/approve`).set(staff).expect(200);
    await waitFor(async () => ((await stack.http.get('/api/partnerships?limit=500').set(staff)).body.items ?? []).some((p: { proposalId: string }) => p.proposalId === toCall), {
      timeoutMs: 30_000,
      what: 'the partnership of the proposal to the call',
    });
    workshop = await workshopIn(stack, 'registration_open', {}, people);
    // Awa accepts (an answer with its time), then the workshop starts and she attends the study session.
    await waitFor(() => stack.smtp.to(people[1].email).length >= 1, { timeoutMs: 30_000, what: "Awa's invitation" });
    const token = tokenIn(stack.smtp.to(people[1].email)[0].parsed.text ?? '');
    await waitFor(async () => (await stack.http.post(`/api/rsvp/${token}`).send({ response: 'accept' })).status === 200, { timeoutMs: 30_000, what: "Awa's answer" });
    await stack.http.post(`/api/workshops/${workshop.id}/start`).set(c.headers.admin).expect(200);
    await stack.http.post(`/api/workshops/${workshop.id}/sessions/${workshop.studyId}/attendance`).set(staff).send({ invitationIds: [workshop.invitationIds[1]] }).expect(200);
    await waitFor(
      async () => {
        const proposal = (await stack.http.get(`/api/proposals/${budgeted}`).set(staff)).body;
        const invitations = (await stack.http.get(`/api/workshops/${workshop.id}/invitations?limit=500`).set(staff)).body.items ?? [];
        return proposal.reviews?.length === 2 && invitations.some((i: { attendedSessions: string[] }) => i.attendedSessions.length > 0);
      },
      { timeoutMs: 30_000, what: 'the reviews and the attendance projected' },
    );
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function download(url: string, headers = staff): Promise<Workbook> {
    const answer = await stack.http
      .get(url)
      .set(headers)
      .buffer(true)
      .parse(asBytes);
    expect({ url, status: answer.status }).toEqual({ url, status: 200 });
    const bytes = answer.body as Buffer;
    const sheets = (await readXlsxFile(bytes)) as Workbook['sheets'];
    const files = unzipSync(new Uint8Array(bytes));
    const xml = Object.fromEntries(Object.entries(files).filter(([name]) => name.startsWith('xl/worksheets/')).map(([name, data]) => [name, strFromU8(data)]));
    return { sheets, xml, type: answer.headers['content-type'], disposition: answer.headers['content-disposition'] };
  }

  /** Every sheet's first row is frozen and carries the filters over all its columns. */
  function expectFrozenAndFiltered(book: Workbook): void {
    expect(Object.keys(book.xml)).toHaveLength(book.sheets.length);
    for (const [index, sheet] of book.sheets.entries()) {
      const xml = book.xml[`xl/worksheets/sheet${index + 1}.xml`];
      const last = String.fromCharCode(64 + sheet.data[0].length);
      expect({ sheet: sheet.sheet, pane: /<pane [^>]*>/.exec(xml)?.[0] }).toEqual({ sheet: sheet.sheet, pane: expect.stringMatching(/ySplit="1".*state="frozen"/) });
      expect({ sheet: sheet.sheet, filter: /<autoFilter [^>]*>/.exec(xml)?.[0] }).toEqual({ sheet: sheet.sheet, filter: `<autoFilter ref="A1:${last}1"/>` });
    }
  }

  /** A date cell: a Date, the instant of `iso` to the second (a spreadsheet keeps no finer). */
  const sameInstant = (cell: Cell, iso: string) => cell instanceof Date && Math.abs(cell.getTime() - Date.parse(iso)) < 1000;
  /**
   * A date cell of the participants workbook: the wall-clock time in Lusaka (the workshop is in Zambia,
   * UTC+2 all year) of the instant `iso`, which a spreadsheet reader gives back as those figures.
   */
  const LUSAKA = 2 * 3600_000;
  const lusakaTime = (cell: Cell, iso: string) => cell instanceof Date && Math.abs(cell.getTime() - (Date.parse(iso) + LUSAKA)) < 1000;

  const proposalHeaders = (l: Labels) =>
    ['title', 'institution', 'institutionCountry', 'call', 'status', 'round', 'averageScore', 'reviews', 'approvals', 'sectors', 'countries', 'durationMonths', 'budgetAmount', 'budgetCurrency', 'createdAt', 'updatedAt'].map((k) => l[`proposals.${k}`]);

  it.each([['en', EN], ['fr', FR]] as const)('the proposals workbook in %s holds every proposal as the read model has it', async (language, l) => {
    const book = await download(`/api/exports/proposals.xlsx?language=${language}`);
    expect(book.type).toBe(XLSX);
    expect(book.disposition).toMatch(new RegExp(`^attachment; filename="proposals-\\d{4}-\\d{2}-\\d{2}-${language}\\.xlsx"$`));
    expect(book.sheets.map((s) => s.sheet)).toEqual([l['sheet.proposals']]);
    expectFrozenAndFiltered(book);
    const [header, ...rows] = book.sheets[0].data;
    expect(header).toEqual(proposalHeaders(l));

    const list = (await stack.http.get('/api/proposals?limit=500').set(staff).expect(200)).body.items as { id: string }[];
    expect(rows).toHaveLength(list.length);
    const institutions = new Map<string, { name: string; country: string }>();
    const calls = new Map<string, string>();
    for (const [index, item] of list.entries()) {
      const p = (await stack.http.get(`/api/proposals/${item.id}`).set(staff).expect(200)).body;
      if (p.callId && !calls.has(p.callId)) calls.set(p.callId, (await stack.http.get(`/api/calls/${p.callId}`).set(staff).expect(200)).body.title);
      if (!institutions.has(p.institutionId)) institutions.set(p.institutionId, (await stack.http.get(`/api/partner-institutions/${p.institutionId}`).set(staff).expect(200)).body);
      const institution = institutions.get(p.institutionId)!;
      const scores = p.reviews.filter((r: { round: number }) => r.round === p.round).map((r: { score: number }) => r.score);
      const row = rows[index];
      expect(row.slice(0, 14)).toEqual([
        p.title,
        institution.name,
        institution.country,
        p.callId ? calls.get(p.callId) : null,
        l[`proposal.${p.status}`],
        p.round,
        scores.length ? scores.reduce((a: number, b: number) => a + b, 0) / scores.length : null,
        scores.length,
        p.approvals.length,
        p.sectors.join('; '),
        p.countries.join('; '),
        p.durationMonths,
        p.budget?.amount ?? null,
        p.budget?.currency ?? null,
      ]);
      expect({ id: p.id, created: sameInstant(row[14], p.createdAt), updated: sameInstant(row[15], p.updatedAt) }).toEqual({ id: p.id, created: true, updated: true });
    }
    // The proposal with reviews and a budget: real numbers, not text.
    const budgeted = rows.find((row) => row[0] === 'Clinics online')!;
    expect(budgeted.slice(5, 9)).toEqual([1, 4.5, 2, 0]);
    expect(budgeted[12]).toBe(125000.5);
    // A title that a spreadsheet would take for a formula stays text: no cell of the sheet holds a formula.
    expect(rows.map((row) => row[0])).toContain('=HYPERLINK("http://evil.test","click")');
    expect(book.xml['xl/worksheets/sheet1.xml']).not.toMatch(/<f[ >]/);
    // The proposal to the call has its title in the Call column; the others an empty cell.
    expect(rows.filter((row) => row[3] !== null).map((row) => [row[0], row[3]])).toEqual([['Farm sensors', call.title]]);
  });

  it('filters the proposals and partnerships by country and by call', async () => {
    const sn = (await download('/api/exports/proposals.xlsx?country=sn')).sheets[0].data.slice(1);
    expect(sn.map((row) => row[0])).toEqual(['Clinics online']);
    const toCall = (await download(`/api/exports/proposals.xlsx?callId=${call.id}`)).sheets[0].data.slice(1);
    expect(toCall.map((row) => [row[0], row[3]])).toEqual([['Farm sensors', call.title]]);
    expect((await download(`/api/exports/proposals.xlsx?callId=${call.id}&country=SN`)).sheets[0].data).toHaveLength(1);
    expect((await download('/api/exports/proposals.xlsx?callId=0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60')).sheets[0].data).toHaveLength(1);
    const partnershipsToCall = (await download(`/api/exports/partnerships.xlsx?callId=${call.id}`)).sheets[0].data;
    expect(partnershipsToCall).toHaveLength(2);
    expect(partnershipsToCall[1]).toContain('Farm sensors');
    expect((await download('/api/exports/partnerships.xlsx?callId=0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60')).sheets[0].data).toHaveLength(1);
    expect((await download('/api/exports/partnerships.xlsx?country=SN')).sheets[0].data).toHaveLength(1);
    expect((await download('/api/exports/partnerships.xlsx?country=ZM')).sheets[0].data.length).toBeGreaterThan(1);
  });

  it.each([['en', EN], ['fr', FR]] as const)('the partnerships workbook in %s holds every partnership as the read model has it', async (language, l) => {
    const book = await download(`/api/exports/partnerships.xlsx?language=${language}`);
    expect(book.disposition).toMatch(/^attachment; filename="partnerships-.*\.xlsx"$/);
    expect(book.sheets.map((s) => s.sheet)).toEqual([l['sheet.partnerships']]);
    expectFrozenAndFiltered(book);
    const [header, ...rows] = book.sheets[0].data;
    expect(header).toEqual(['institution', 'institutionCountry', 'proposal', 'countries', 'status', 'establishedOn', 'startsOn', 'endsOn'].map((k) => l[`partnerships.${k}`]));
    const list = (await stack.http.get('/api/partnerships?limit=500').set(staff).expect(200)).body.items;
    expect(list.length).toBeGreaterThan(0);
    expect(rows).toHaveLength(list.length);
    for (const [index, s] of list.entries()) {
      const proposal = (await stack.http.get(`/api/proposals/${s.proposalId}`).set(staff).expect(200)).body;
      const institution = (await stack.http.get(`/api/partner-institutions/${s.institutionId}`).set(staff).expect(200)).body;
      expect(rows[index].slice(0, 5)).toEqual([institution.name, institution.country, proposal.title, proposal.countries.join('; '), l[`partnership.${s.status}`]]);
      expect(sameInstant(rows[index][5], s.establishedAt)).toBe(true);
      expect([rows[index][6], rows[index][7]].map((cell) => (cell instanceof Date ? cell.toISOString().slice(0, 10) : cell))).toEqual([s.startsOn, s.endsOn]);
    }
  });

  it.each([['en', EN], ['fr', FR]] as const)("a workshop's participants in %s: a summary, the programme, then a sheet per country, in Lusaka time", async (language, l) => {
    const book = await download(`/api/workshops/${workshop.id}/participants.xlsx?language=${language}`);
    expect(book.disposition).toMatch(new RegExp(`^attachment; filename="participants-${workshop.id}-.*-${language}\\.xlsx"$`));
    const names = new Intl.DisplayNames([l.locale], { type: 'region' });
    // Languages named by the runtime's Unicode data in the workbook's language, capitalised as a cell starts.
    const languageName = (code: string) => {
      const name = new Intl.DisplayNames([l.locale], { type: 'language' }).of(code) ?? code;
      return name.charAt(0).toLocaleUpperCase(l.locale) + name.slice(1);
    };
    const [sn, zm] = [`SN ${names.of('SN')}`, `ZM ${names.of('ZM')}`].sort((a, b) => a.slice(3).localeCompare(b.slice(3), l.locale));
    expect(book.sheets.map((s) => s.sheet)).toEqual([l['sheet.summary'], l['sheet.sessions'], sn, zm]);
    expectFrozenAndFiltered(book);
    const zoned = (key: string) => l[key].replace('{{zone}}', 'Africa/Lusaka');

    // The programme, as the workshop's detail has it, at the venue's local time (no zone given: Zambia's capital's).
    const detail = (await stack.http.get(`/api/workshops/${workshop.id}`).set(staff).expect(200)).body;
    expect(detail.timeZone).toBe('Africa/Lusaka');
    const [programmeHeader, ...programme] = book.sheets[1].data;
    expect(programmeHeader).toEqual([l['sessions.kind'], l['sessions.title'], zoned('sessions.startsAt'), zoned('sessions.endsAt'), l['sessions.location']]);
    expect(detail.sessions.length).toBe(2);
    expect(programme.map((row) => [row[0], row[1], row[4]])).toEqual(detail.sessions.map((s: Record<string, string>) => [l[`kind.${s.kind}`], s.title, s.location ?? null]));
    expect(programme.map((row, n) => [lusakaTime(row[2], detail.sessions[n].startsAt), lusakaTime(row[3], detail.sessions[n].endsAt)])).toEqual(detail.sessions.map(() => [true, true]));
    // The study session starts at 09:00 UTC: 11:00 in Lusaka.
    expect(new Date(Math.round((programme[0][2] as Date).getTime() / 1000) * 1000).toISOString()).toBe('2031-06-02T11:00:00.000Z');

    const invitations = (await stack.http.get(`/api/workshops/${workshop.id}/invitations?limit=500`).set(staff).expect(200)).body.items as Record<string, any>[];
    const summary = book.sheets[0].data;
    const statuses = ['accepted', 'declined', 'emailed', 'issued', 'bounced'];
    expect(summary[0]).toEqual([l['summary.countryCode'], l['summary.country'], ...statuses.map((s) => l[`summary.status.${s}`]), l['summary.total']]);
    const counted = (country: string | null) => {
      const of = invitations.filter((i) => country === null || i.country === country);
      return [...statuses.map((s) => of.filter((i) => i.status === s).length), of.length];
    };
    expect(summary.slice(1)).toEqual(
      [...book.sheets.slice(2).map((s) => s.sheet.slice(0, 2))].map((code): Cell[] => [code, names.of(code) ?? null, ...counted(code)]).concat([[null, l['summary.all'], ...counted(null)]]),
    );

    for (const sheet of book.sheets.slice(2)) {
      const code = sheet.sheet.slice(0, 2);
      const [header, ...rows] = sheet.data;
      expect(header).toEqual(
        ['fullName', 'organization', 'position', 'country', 'language', 'status', 'emailedAt', 'respondedAt', 'sessionsAttended', 'sessions'].map((k) => zoned(`participants.${k}`)),
      );
      const expected = invitations
        .filter((i) => i.country === code)
        .map((i) => [i.fullName, i.organization, i.position ?? null, i.country, languageName(i.language), l[`status.${i.status}`], i.emailedAt, i.respondedAt, i.attendedSessions.length, i.attendedSessions.length ? 'Foundations' : null]);
      const local = (cell: Cell, iso: string | null) => (iso === null ? cell === null : lusakaTime(cell, iso));
      expect(rows.map((row, n) => [...row.slice(0, 6), local(row[6], expected[n]?.[6] as string | null), local(row[7], expected[n]?.[7] as string | null), ...row.slice(8)])).toEqual(
        expected.map((row) => [...row.slice(0, 6), true, true, row[8], row[9]]),
      );
    }
    // One SN participant attended the study session: a number, not text.
    const senegal = book.sheets.find((s) => s.sheet.startsWith('SN'))!.data.slice(1);
    expect(senegal.map((row) => row[8]).sort()).toEqual([0, 1]);
    // Both were e-mailed and she answered: date cells.
    expect(senegal.filter((row) => row[6] instanceof Date).map((row) => row[0]).sort()).toEqual(['Awa Ndiaye', 'Moussa Diop']);
    expect(senegal.filter((row) => row[7] instanceof Date).map((row) => row[0])).toEqual(['Awa Ndiaye']);
  });

  it('limits the participants to a country; a workshop that does not exist is a 404', async () => {
    const book = await download(`/api/workshops/${workshop.id}/participants.xlsx?country=SN`);
    expect(book.sheets.map((s) => s.sheet)).toEqual(['Summary', 'Sessions', 'SN Senegal']);
    expect(book.sheets[0].data.slice(1).map((row) => row[row.length - 1])).toEqual([2, 2]);
    // The programme is the whole workshop's, whichever delegation is asked for.
    expect(book.sheets[1].data.slice(1).map((row) => row[1])).toEqual(['Foundations', 'Solutions']);
    expect(book.sheets[2].data.slice(1).map((row) => row[0]).sort()).toEqual(['Awa Ndiaye', 'Moussa Diop']);
    expectProblem(await stack.http.get('/api/workshops/0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60/participants.xlsx').set(staff), 404, 'an unknown workshop');
  });

  it('an erased participant reads "[erased]" in every personal field', async () => {
    const admin = c.headers.admin;
    const { subjectId } = (await stack.http.get(`/api/privacy/subjects?email=${people[0].email}`).set(admin).expect(200)).body;
    await stack.http.post(`/api/privacy/subjects/${subjectId}/erase`).set(admin).send({ reason: 'Request of the person' }).expect(200);
    await waitFor(
      async () => ((await stack.http.get(`/api/workshops/${workshop.id}/invitations?limit=500`).set(staff)).body.items ?? []).some((i: { fullName: string }) => i.fullName === '[erased]'),
      { timeoutMs: 30_000, what: 'the erasure projected' },
    );
    const zm = (await download(`/api/workshops/${workshop.id}/participants.xlsx?country=ZM`)).sheets[2].data[1];
    expect(zm.slice(0, 4)).toEqual(['[erased]', '[erased]', '[erased]', 'ZM']);
  });

  it('is documented in the OpenAPI document as an XLSX attachment, with its filters', async () => {
    const document = (await stack.http.get('/docs-json').expect(200)).body;
    for (const [path, parameters] of [
      ['/api/exports/proposals.xlsx', ['country', 'language', 'callId']],
      ['/api/exports/partnerships.xlsx', ['country', 'language', 'callId']],
      ['/api/workshops/{id}/participants.xlsx', ['id', 'country', 'language']],
    ] as const) {
      const operation = document.paths[path]?.get;
      expect({ path, content: operation?.responses['200']?.content }).toEqual({ path, content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } });
      expect({ path, parameters: operation.parameters.map((p: { name: string }) => p.name).sort() }).toEqual({ path, parameters: [...parameters].sort() });
      expect({ path, problems: Object.keys(operation.responses).filter((status) => status !== '200') }).toEqual({ path, problems: expect.arrayContaining(['400', '401', '403']) });
    }
  });

  it('is for staff and admins only; bad query values are a 400 naming the field', async () => {
    const urls = ['/api/exports/proposals.xlsx', '/api/exports/partnerships.xlsx', `/api/workshops/${workshop.id}/participants.xlsx`];
    for (const url of urls) {
      expectProblem(await stack.http.get(url).set(c.headers.partnerA), 403, `${url} by a partner`);
      expectProblem(await stack.http.get(url), 401, `${url} without a token`);
      for (const [query, field] of [['country=ZZ', 'country'], ['country=Zambia', 'country'], ['language=english', 'language'], ['language=', 'language'], ['limit=5', 'limit']]) {
        const answer = await stack.http.get(`${url}?${query}`).set(staff);
        expectProblem(answer, 400, `${url}?${query}`);
        expect({ query, fields: answer.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ query, fields: [field] });
      }
    }
    // A well-formed language without texts is no error: the workbook comes in English, and says so.
    for (const url of urls) {
      const answer = await stack.http.get(`${url}?language=de`).set(staff).buffer(true).parse(asBytes);
      expect({ url, status: answer.status, language: answer.headers['content-language'], name: answer.headers['content-disposition'] }).toEqual({
        url,
        status: 200,
        language: 'en',
        name: expect.stringMatching(/-en\.xlsx"$/),
      });
    }
    for (const url of urls.slice(0, 2)) {
      const answer = await stack.http.get(`${url}?callId=call-1`).set(staff);
      expectProblem(answer, 400, `${url}?callId=call-1`);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual(['callId']);
    }
    expectProblem(await stack.http.get('/api/workshops/not-a-uuid/participants.xlsx').set(staff), 400, 'a workshop id that is not a UUID');
  });

  it('a download cancelled half-way gives its database connection back', async () => {
    // 5,000 more proposals, straight into the read model: a workbook of several batches.
    await queryRows(
      stack.db.url,
      `INSERT INTO proposals (id, institution_id, title, summary, sectors, countries, duration_months, status, round, created_at, updated_at, version)
       SELECT gen_random_uuid(), $1, 'Bulk proposal ' || n, 'Summary', '["energy"]', '["KE"]', 12, 'submitted', 1, now() - n * interval '1 minute', now(), 2
       FROM generate_series(1, 5000) n`,
      [c.institutionA],
    );
    const url = new URL('/api/exports/proposals.xlsx', stack.baseUrl.replace('[::1]', 'localhost'));
    await new Promise<void>((resolve, reject) => {
      const call = httpRequest(url, { headers: staff }, (answer) => {
        expect(answer.statusCode).toBe(200);
        answer.once('data', () => {
          call.destroy();
          resolve();
        });
      });
      call.on('error', (error) => (call.destroyed ? undefined : reject(error)));
      call.end();
    });
    const open = () => queryRows<{ n: number }>(stack.db.url, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%export_rows%' AND pid <> pg_backend_pid()");
    await waitFor(async () => (await open())[0].n === 0, { timeoutMs: 10_000, what: 'no export left reading' });
    // And the API still answers a whole workbook.
    expect((await download('/api/exports/proposals.xlsx?country=KE')).sheets[0].data.length).toBeGreaterThan(5000);
  });
});
