import { PersonalDataVault } from '@passerelle/privacy';
import { waitFor } from '@passerelle/testing';
import { PersonalDataRetention, type RetentionPass } from '../apps/worker/src/privacy/personal-data-retention';
import { parseCsv } from './support/csv';
import { reportEvents } from './support/report-events';
import { queryRows } from './support/sql';
import { type Stack, startStack } from './support/stack';

const participant = (n: number, country: string) => ({
  fullName: `Retained Delegate ${n}`,
  email: `retained.${n}@delegation-${country.toLowerCase()}.gov.test`,
  country,
  organization: `Digital Office ${n}`,
  language: 'en',
});
/** Workshop A's participants: two Brazilians, three Indonesians. */
const A = [participant(1, 'BR'), participant(2, 'BR'), participant(3, 'ID'), participant(4, 'ID'), participant(5, 'ID')];
/** Invited to A and to B, which has not concluded: kept until B has passed retention too. */
const BOTH = A[1];
/** Indonesia's ministry contact is also a participant of A: a contact is erased on request only. */
const CONTACT = A[4];
const ONLY_B = participant(6, 'ZM');

describe('personal data retention, end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('retention', { env: { PERSONAL_DATA_RETENTION_DAYS: '0' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** One retention pass as the scheduler runs it (waiting out a scheduled pass holding the lock). */
  const pass = () =>
    waitFor(
      async () => {
        const result: RetentionPass = await stack.worker!.get(PersonalDataRetention).pass();
        return result.ran ? result : null;
      },
      { timeoutMs: 30_000, what: 'a retention pass' },
    );

  it('erases the participants of a concluded workshop once, keeps those still due elsewhere, and leaves the report\'s counts as they were', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const workshop = async (title: string, startsOn: string, endsOn: string, people: ReturnType<typeof participant>[]) => {
      const created = await stack.http.post('/api/workshops').set(auth).send({ title, hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn, endsOn, themes: ['governance'] }).expect(201);
      const id = created.body.id as string;
      await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
      await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: people }).expect(202);
      return id;
    };
    await stack.http.put('/api/ministries/ID').set(auth).send({ ministryName: 'Ministry of Communication and Digital Affairs', email: CONTACT.email, language: 'en' }).expect(200);
    const a = await workshop('Data governance', '2030-05-10', '2030-05-12', A);
    const b = await workshop('Data governance, second round', '2031-05-10', '2031-05-12', [BOTH, ONLY_B]);
    await stack.http.post(`/api/workshops/${a}/start`).set(auth).expect(200);
    await stack.http.post(`/api/workshops/${a}/conclude`).set(auth).expect(202);
    const compiled = await waitFor(
      async () => {
        const res = await stack.http.get(`/api/workshops/${a}/report`).set(auth);
        return res.status === 200 && res.body.status !== 'pending' ? res.body : null;
      },
      { timeoutMs: 60_000, what: 'report A compiled' },
    );
    const csvUrl = compiled.files.find((f: { kind: string; language: string }) => f.kind === 'csv' && f.language === 'en').url;
    const rowsOf = async () => parseCsv((await stack.http.get(csvUrl).set(auth).expect(200)).text.replace(/^\uFEFF/, '')).slice(1);
    const before = await rowsOf();
    expect(before.map((r) => r[3]).sort()).toEqual(A.map((p) => p.fullName).sort());

    const vault = stack.worker!.get(PersonalDataVault);
    const subjectOf = async (email: string) => (await vault.findSubject(email))!.subjectId;
    const erasedNow = [A[0], A[2], A[3]];

    const first = await pass();
    expect(first.failed).toEqual([]);
    expect(first.erased.sort()).toEqual((await Promise.all(erasedNow.map((p) => subjectOf(p.email)))).sort());
    const second = await pass();
    expect(second.erased).toEqual([]);

    const erasures = await queryRows<{ subject_id: string; reason: string; basis: string; actor: string | null }>(
      stack.db.url,
      "SELECT data->>'subjectId' AS subject_id, data->>'reason' AS reason, data->>'basis' AS basis, metadata->>'actor' AS actor FROM events WHERE type = 'PersonalDataErased'",
    );
    expect(erasures).toHaveLength(3);
    for (const e of erasures) {
      expect(e).toMatchObject({ basis: 'retention', actor: null });
      expect(e.reason).toMatch(new RegExp(`^retention: workshop ${a} concluded \\d{4}-\\d{2}-\\d{2}, PERSONAL_DATA_RETENTION_DAYS=0$`));
    }

    // The report is rendered again without them, its counts as they were.
    await waitFor(async () => (await reportEvents(stack.db.url, a)).filter((e) => e === 'ReportRerendered').length === 3, { timeoutMs: 60_000, what: 'report A rendered again three times' });
    const after = await rowsOf();
    const byCountry = (rows: string[][]) => ['BR', 'ID'].map((c) => rows.filter((r) => r[0] === c).length);
    expect(byCountry(after)).toEqual(byCountry(before));
    expect(after.map((r) => r[3]).sort()).toEqual(['[erased]', '[erased]', '[erased]', BOTH.fullName, CONTACT.fullName].sort());
    for (const p of erasedNow) expect(after.flat()).not.toContain(p.email);

    // Once B has concluded (and passed 0 days), its participants go too; the ministry contact stays.
    await stack.http.post(`/api/workshops/${b}/start`).set(auth).expect(200);
    await stack.http.post(`/api/workshops/${b}/conclude`).set(auth).expect(202);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const third = await pass();
    expect(third.erased.sort()).toEqual((await Promise.all([BOTH, ONLY_B].map((p) => subjectOf(p.email)))).sort());
    expect((await pass()).erased).toEqual([]);
  });
});
