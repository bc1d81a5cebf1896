import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildReportModel } from './report.build';
import { csvField, renderParticipantsCsv, renderProposalsCsv } from './report.csv';
import { fixtureSource } from './report.fixture';
import type { ReportModel } from './report.model';
import { renderReportPdf } from './report.pdf';
import { renderReportFiles } from './report.render';
import { reportTexts } from './report.texts';

/** A strict RFC 4180 reader: the BOM, quoted fields with doubled quotes and line breaks, CRLF after each record. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  expect(row).toEqual([]);
  expect(field).toBe('');
  return rows;
}

const model = buildReportModel(fixtureSource());

describe('report model', () => {
  it('is the same whatever order the rows are read in', () => {
    const source = fixtureSource();
    const reversed = { ...source, sessions: [...source.sessions].reverse(), invitations: [...source.invitations].reverse(), proposals: [...source.proposals].reverse(), solutions: [...source.solutions].reverse() };
    expect(JSON.stringify(buildReportModel(reversed))).toBe(JSON.stringify(model));
  });

  it('counts participants by country and proposals once per sector and country, leaving out drafts', () => {
    expect(model.countries.map((c) => c.country)).toEqual(['BR', 'CI', 'EG', 'ID', 'KE', 'MA', 'SN', 'VN']);
    expect(model.countries.find((c) => c.country === 'ID')).toEqual({ country: 'ID', invited: 5, accepted: 3, declined: 1, noReply: 0, bounced: 1, attended: 2, attendances: 7 });
    expect(model.totals).toMatchObject({ invited: 23, accepted: 17, declined: 3, noReply: 2, bounced: 1, attended: 16 });
    expect(model.proposals).toHaveLength(7);
    expect(model.proposalTotals).toEqual({ key: '', submitted: 7, approved: 3, rejected: 1, partnerships: 3 });
    expect(model.proposalsBySector.find((f) => f.key === 'green development')).toEqual({ key: 'green development', submitted: 2, approved: 1, rejected: 1, partnerships: 1 });
    expect(model.proposalsByCountry.find((f) => f.key === 'KE')).toEqual({ key: 'KE', submitted: 2, approved: 1, rejected: 0, partnerships: 1 });
    expect(model.sessionsByKind.map((k) => [k.kind, k.sessions])).toEqual([['study', 2], ['field_visit', 1], ['roundtable', 1], ['solutions_sharing', 1]]);
  });
});

describe('report CSV', () => {
  it('has one row per participant, and reads back to the model', () => {
    const rows = parseCsv(renderParticipantsCsv(model));
    expect(rows[0]).toEqual(['Country code', 'Country', 'Organisation', 'Full name', 'E-mail', 'Position', 'Invitation status', 'Sessions attended', 'Sessions']);
    expect(rows).toHaveLength(model.participants.length + 1);
    expect(rows.slice(1).map((r) => r[4])).toEqual(model.participants.map((p) => p.email));
    const huong = rows.find((r) => r[3] === 'Nguyễn Thị Hương')!;
    expect(huong.slice(0, 3)).toEqual(['VN', 'Vietnam', 'Bộ Thông tin và Truyền thông']);
    expect(huong.slice(6, 8)).toEqual(['Accepted', '5']);
    expect(huong[8].split('; ').map((s) => s.replace(/ \(.*\)$/, ''))).toEqual(model.sessions.map((s) => s.title));
    // Each session at its time where the workshop happens (Shanghai), the zone named, not in UTC.
    expect(huong[8].split('; ')[0]).toBe('Foundations of machine learning for public services (21 Oct 2025, 09:00–12:30 China Standard Time)');
  });

  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    const tricky: ReportModel = {
      ...model,
      participants: [
        { ...model.participants[0], organization: 'Ministry of Health, "Digital" Division', fullName: 'Line one\r\nline two', email: '=HYPERLINK("x")' },
        ...model.participants.slice(1),
      ],
    };
    const text = renderParticipantsCsv(tricky);
    expect(text).toContain('"Ministry of Health, ""Digital"" Division"');
    const rows = parseCsv(text);
    expect(rows).toHaveLength(tricky.participants.length + 1);
    expect(rows[1].slice(2, 5)).toEqual(['Ministry of Health, "Digital" Division', 'Line one\r\nline two', '\'=HYPERLINK("x")']);
    expect([csvField('plain'), csvField(' padded'), csvField(3)]).toEqual(['plain', '" padded"', '3']);
  });

  it('lists submitted proposals with their partnership, headers in the language asked for', () => {
    const rows = parseCsv(renderProposalsCsv(model, 'fr'));
    expect(rows[0]).toEqual(['Proposition', 'Institution partenaire', 'Secteurs', 'Pays', 'Statut', 'Partenariat', 'Établi le']);
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r[0] === 'Energy demand forecasting for cities')).toEqual([
      'Energy demand forecasting for cities', 'Green Futures Foundation', 'energy; green development', 'EG; VN', 'Approuvée', 'Suspendu', '2025-11-07',
    ]);
    expect(rows.some((r) => r[0] === 'Draft never submitted')).toBe(false);
  });
});

describe('report texts', () => {
  it('falls back to English for a language without a file, and label by label', () => {
    expect(reportTexts('sw').language).toBe('en');
    // Lists as each language writes them.
    expect(reportTexts('zh').list(['卫生', '教育'])).toBe('卫生、教育');
    expect(reportTexts('ar').list(['الصحة', 'التعليم'])).toBe('الصحة، التعليم');
    expect(reportTexts('en').list(['health', 'education'])).toBe('health, education');
    expect(reportTexts('fr-CA').label('contents')).toBe('Sommaire');
    const dir = mkdtempSync(path.join(tmpdir(), 'report-texts-'));
    writeFileSync(path.join(dir, 'en.json'), JSON.stringify({ contents: 'Contents', total: 'Total' }));
    writeFileSync(path.join(dir, 'de.json'), JSON.stringify({ contents: 'Inhalt' }));
    const de = reportTexts('de', dir);
    rmSync(dir, { recursive: true });
    expect([de.language, de.label('contents'), de.label('total'), de.country('CI'), de.topic('green development')]).toEqual(['de', 'Inhalt', 'Total', 'Côte d’Ivoire', 'Green development']);
  });
});

describe('report PDF', () => {
  const createdAt = new Date('2025-10-25T08:00:00Z');

  it('is the same bytes for the same model, language and stamp', async () => {
    const first = await renderReportPdf(model, 'en', { createdAt });
    const again = await renderReportPdf(buildReportModel(fixtureSource()), 'en', { createdAt });
    expect(first.subarray(0, 5).toString()).toBe('%PDF-');
    expect(again.equals(first)).toBe(true);
    const french = await renderReportPdf(model, 'fr', { createdAt });
    expect(french.equals(first)).toBe(false);
  });

  it('renders a workshop where nothing was recorded', async () => {
    const empty = buildReportModel({ ...fixtureSource(), sessions: [], solutions: [], invitations: [], proposals: [] });
    const pdf = await renderReportPdf(empty, 'fr', { createdAt });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(parseCsv(renderParticipantsCsv(empty))).toHaveLength(1);
  });

  it('differs only in its creation and modification dates when compiled at another time', async () => {
    const first = await renderReportPdf(model, 'fr', { createdAt });
    const later = await renderReportPdf(model, 'fr', { createdAt: new Date('2026-01-02T03:04:05Z') });
    expect(later.length).toBe(first.length);
    const stamps = [...first.toString('latin1').matchAll(/\(D:\d{14}Z\)/g)].map((m) => [m.index!, m.index! + m[0].length]);
    expect(stamps).toHaveLength(2);
    expect(first.toString('latin1')).toContain('(D:20251025080000Z)');
    expect(later.toString('latin1')).toContain('(D:20260102030405Z)');
    const differing = [...first.keys()].filter((i) => first[i] !== later[i]);
    expect(differing.length).toBeGreaterThan(0);
    expect(differing.every((i) => stamps.some(([from, to]) => i >= from && i < to))).toBe(true);
  });
});

describe('rendering in a worker thread', () => {
  it('gives the same files as rendering here', async () => {
    const model = buildReportModel(fixtureSource());
    const createdAt = new Date('2025-10-26T10:00:00Z');
    const files = await renderReportFiles(model, ['fr'], createdAt);
    expect(files.map((f) => f.kind)).toEqual(['pdf', 'csv', 'proposals-csv']);
    expect(files[0].content.equals(await renderReportPdf(model, 'fr', { createdAt }))).toBe(true);
    expect(files[1].content.toString('utf8')).toBe(renderParticipantsCsv(model, 'fr'));
    expect(files[2].content.toString('utf8')).toBe(renderProposalsCsv(model, 'fr'));
  });
});
