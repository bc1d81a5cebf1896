import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { createTestDatabase, testPool, type TestDatabase } from '@passerelle/testing';
import { buildReportModel, type ReportSource } from './report.build';
import { FIXTURE_INSTITUTIONS, FIXTURE_WORKSHOP_ID, fixtureSource } from './report.fixture';
import { loadReportModel, ReportWorkshopNotFound } from './report.loader';
import type { ReportModel } from './report.model';
import { renderReportPdf } from './report.pdf';

const OTHER_WORKSHOP_ID = 'a0000000-0000-4000-8000-000000000999';

/** What the report must say, written here in English and French (not taken from the templates). */
const WRITTEN: Record<string, {
  countries: Record<string, string>;
  topics: Record<string, string>;
  labels: { participantsChart: string; proposalsChart: string; kicker: string; invited: string; total: string };
  share: (f: { invited: number; total: number; country: string; share: string; attended: number }) => string;
  percent: string;
}> = {
  en: {
    countries: { BR: 'Brazil', CI: 'Côte d’Ivoire', EG: 'Egypt', ID: 'Indonesia', KE: 'Kenya', MA: 'Morocco', SN: 'Senegal', VN: 'Vietnam' },
    topics: { agriculture: 'Agriculture', education: 'Education', energy: 'Energy', 'green development': 'Green development', healthcare: 'Healthcare', 'public administration': 'Public administration' },
    labels: { participantsChart: 'Invited, accepted and present, by country', proposalsChart: 'Submitted, approved and rejected, by sector', kicker: 'Country section', invited: 'participants invited', total: 'Total' },
    share: (f) => `${f.invited} of the ${f.total} participants invited came from ${f.country} (${f.share}); of these, ${f.attended} attended at least one session.`,
    percent: '%',
  },
  fr: {
    countries: { BR: 'Brésil', CI: 'Côte d’Ivoire', EG: 'Égypte', ID: 'Indonésie', KE: 'Kenya', MA: 'Maroc', SN: 'Sénégal', VN: 'Viêt Nam' },
    topics: { agriculture: 'Agriculture', education: 'Éducation', energy: 'Énergie', 'green development': 'Développement vert', healthcare: 'Santé', 'public administration': 'Administration publique' },
    labels: { participantsChart: 'Invités, acceptés et présents, par pays', proposalsChart: 'Soumises, approuvées et rejetées, par secteur', kicker: 'Section par pays', invited: 'participants invités', total: 'Total' },
    share: (f) => `${f.country} — participants invités : ${f.invited} sur ${f.total} (${f.share}) ; présents à au moins une séance : ${f.attended}.`,
    percent: ' %',
  },
};

/** Writes the fixture into the read-model tables, as the projections would have, plus another workshop's rows. */
async function insertReadModel(pool: Pool, source: ReportSource): Promise<void> {
  const w = source.workshop;
  for (const [id, title] of [[w.id, w.title], [OTHER_WORKSHOP_ID, 'Another workshop']]) {
    await pool.query(
      `INSERT INTO workshops (id, title, host_institution, city, country, starts_on, ends_on, themes, status, sessions, planned_at, version, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), 9, 9)`,
      [id, title, w.hostInstitution, w.city, w.country, w.startsOn, w.endsOn, JSON.stringify(w.themes), w.status, JSON.stringify(source.sessions)],
    );
  }
  for (const s of source.solutions) {
    await pool.query('INSERT INTO workshop_solutions VALUES ($1, $2, $3, $4, $5, $6)', [w.id, s.solutionId, s.sessionId, s.company, s.title, s.sector]);
  }
  for (const [n, i] of source.invitations.entries()) {
    const insert = `INSERT INTO invitations (id, workshop_id, full_name, email, country, organization, position_title, language, token_hash, status, issued_at, attended_sessions, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'en', $8, $9, now(), $10, 3)`;
    await pool.query(insert, [i.invitationId, w.id, i.fullName, i.email, i.country, i.organization, i.position, `token-${n}`, i.status, JSON.stringify(i.attendedSessions)]);
    const elsewhere = i.invitationId.replace(/^c/, 'd');
    await pool.query(insert, [elsewhere, OTHER_WORKSHOP_ID, 'Someone Else', i.email, 'FR', 'Elsewhere', null, `other-${n}`, 'accepted', '[]']);
  }
  for (const { id, name } of FIXTURE_INSTITUTIONS) {
    await pool.query("INSERT INTO partner_institutions (id, name, country, registered_at, version) VALUES ($1, $2, 'FR', now(), 1)", [id, name]);
  }
  for (const p of source.proposals) {
    const institutionId = FIXTURE_INSTITUTIONS.find((i) => i.name === p.institution)!.id;
    await pool.query(
      `INSERT INTO proposals (id, institution_id, title, summary, sectors, countries, workshop_id, duration_months, status, round, created_at, updated_at, version)
       VALUES ($1, $2, $3, 'Summary', $4, $5, $6, 24, $7, $8, now(), now(), 5)`,
      [p.proposalId, institutionId, p.title, JSON.stringify(p.sectors), JSON.stringify(p.countries), w.id, p.status, p.round],
    );
    if (p.partnership) {
      await pool.query("INSERT INTO partnerships VALUES ($1, $2, $3, $4, $5::date + time '10:00', now(), 1)", [
        p.partnership.partnershipId, p.proposalId, institutionId, p.partnership.status, p.partnership.establishedOn,
      ]);
    }
  }
  await pool.query(
    `INSERT INTO proposals (id, institution_id, title, summary, sectors, countries, workshop_id, duration_months, status, round, created_at, updated_at, version)
     VALUES ('e0000000-0000-4000-8000-000000000999', $1, 'Unrelated proposal', 'Summary', '["finance"]', '["KE"]', NULL, 12, 'approved', 1, now(), now(), 5)`,
    [FIXTURE_INSTITUTIONS[0].id],
  );
}

/** The text of each page, as poppler's pdftotext reads it, with blanks made plain single spaces. */
function pdfPages(pdf: Buffer, dir: string, name: string): string[] {
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return text.split('\f').map((page) => page.replace(/[\s\u00a0\u202f]+/g, ' ').trim());
}

describe('post-workshop report from the read model', () => {
  let db: TestDatabase;
  let pool: Pool;
  let dir: string;
  let model: ReportModel;

  beforeAll(async () => {
    db = await createTestDatabase('report');
    pool = testPool(db.url);
    dir = mkdtempSync(path.join(tmpdir(), 'report-pdf-'));
    await insertReadModel(pool, fixtureSource());
    model = await loadReportModel(pool, FIXTURE_WORKSHOP_ID);
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await pool.end();
    await db.drop();
  });

  it('loads the workshop, its sessions, solutions, invitations and linked proposals, and nothing of other workshops', async () => {
    expect(model).toEqual(buildReportModel(fixtureSource()));
    expect(model.countries.length).toBeGreaterThanOrEqual(6);
    const client = await pool.connect();
    try {
      expect(await loadReportModel(client, FIXTURE_WORKSHOP_ID)).toEqual(model);
    } finally {
      client.release();
    }
    await expect(loadReportModel(pool, 'a0000000-0000-4000-8000-000000000404')).rejects.toBeInstanceOf(ReportWorkshopNotFound);
  });

  it.each(['en', 'fr'])('renders a PDF in %s whose text holds every country’s figures and a page for each', async (language) => {
    const w = WRITTEN[language];
    const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}${w.percent}`;
    const pages = pdfPages(await renderReportPdf(model, language, { createdAt: new Date('2025-10-25T08:00:00Z') }), dir, language);
    const all = pages.join(' ');
    expect(all).toContain(model.workshop.title);
    expect(all).toContain(w.labels.participantsChart);
    expect(all).toContain(w.labels.proposalsChart);
    expect(model.countries.map((c) => c.country)).toEqual(Object.keys(w.countries));
    for (const c of model.countries) {
      const name = w.countries[c.country];
      const figures = [c.invited, c.accepted, c.declined, c.noReply + c.bounced, c.attended].join(' ');
      expect(all).toContain(`${name} ${figures} ${percent(c.attended, c.invited)}`);
      const heading = `${w.labels.kicker} · ${model.workshop.title}`.toLocaleUpperCase();
      const page = pages.find((p) => p.startsWith(`${heading} ${name} `));
      expect(page).toBeDefined();
      expect(page).toContain(w.share({ country: name, invited: c.invited, total: model.totals.invited, share: percent(c.invited, model.totals.invited), attended: c.attended }));
      expect(page).toContain(`${[c.invited, c.accepted, c.declined, c.attended].join(' ')} ${w.labels.invited}`);
      for (const person of model.participants.filter((p) => p.country === c.country)) expect(page).toContain(person.fullName);
    }
    const totals = model.totals;
    expect(all).toContain(`${w.labels.total} ${[totals.invited, totals.accepted, totals.declined, totals.noReply + totals.bounced, totals.attended].join(' ')}`);
    for (const f of model.proposalsBySector) expect(all).toContain(`${w.topics[f.key]} ${[f.submitted, f.approved, f.rejected, f.partnerships].join(' ')}`);
  });
});
