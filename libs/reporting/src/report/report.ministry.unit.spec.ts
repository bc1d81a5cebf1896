import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildReportModel } from './report.build';
import { renderParticipantsCsv } from './report.csv';
import { fixtureSource } from './report.fixture';
import { ministryEdition } from './report.ministry';
import { renderReportPdf } from './report.pdf';
import { renderMinistryFiles } from './report.render';

const model = buildReportModel(fixtureSource());
const createdAt = new Date('2025-10-26T10:00:00Z');

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ministry-'));
  try {
    writeFileSync(path.join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/[\s\u00a0\u202f]+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a ministry's edition of the report", () => {
  const edition = ministryEdition(model, 'ID');
  const others = model.participants.filter((p) => p.country !== 'ID');

  it('keeps every aggregate figure and only its own participants, without e-mail addresses', () => {
    const { participants, ...aggregates } = edition;
    const { participants: _all, ...staff } = model;
    expect(aggregates).toEqual(staff);
    expect(participants.map((p) => p.fullName)).toEqual(model.participants.filter((p) => p.country === 'ID').map((p) => p.fullName));
    expect(participants.every((p) => p.email === '')).toBe(true);
  });

  it('has a participants CSV of its own country with no e-mail column', () => {
    const csv = renderParticipantsCsv(edition, 'en', { emails: false });
    const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('Country code,Country,Organisation,Full name,Position,Invitation status,Sessions attended,Sessions');
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).every((line) => line.startsWith('ID,Indonesia,'))).toBe(true);
    for (const p of model.participants) expect(csv).not.toContain(p.email);
  });

  it('has a PDF with every country\'s figures, its own page and none of the other countries\' people', async () => {
    const text = pdfText(await renderReportPdf(edition, 'en', { createdAt, country: 'ID' }));
    expect(text).toContain('5 of the 23 participants invited came from Indonesia');
    expect(text).not.toContain('participants invited came from Kenya');
    for (const country of ['Kenya', 'Senegal', 'Vietnam', 'Brazil', 'Egypt', 'Morocco']) expect(text).toContain(country);
    for (const p of edition.participants) expect(text).toContain(p.fullName);
    for (const p of others) expect(text).not.toContain(p.fullName);
    for (const p of model.participants) expect(text).not.toContain(p.email);
  });

  it('is rendered in a worker thread to the same bytes as here', async () => {
    const [files] = await renderMinistryFiles(model, [{ country: 'ID', language: 'fr' }], createdAt);
    expect(files).toMatchObject({ country: 'ID', language: 'fr' });
    expect(files.pdf.equals(await renderReportPdf(edition, 'fr', { createdAt, country: 'ID' }))).toBe(true);
    expect(files.csv.toString('utf8')).toBe(renderParticipantsCsv(edition, 'fr', { emails: false }));
  });
});
