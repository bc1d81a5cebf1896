import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { strFromU8, unzipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { exportTemplatesDir, exportTexts } from './exports.texts';
import {
  type ParticipantExportRow,
  type ProposalExportRow,
  sheetName,
  writeParticipantsWorkbook,
  writePartnershipsWorkbook,
  writeProposalsWorkbook,
} from './exports.workbooks';

/** The workbooks built without HTTP or database, read back with read-excel-file and fflate. */

async function bytesOf(write: (output: PassThrough) => Promise<void>): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => output.on('end', resolve));
  await write(output);
  await ended;
  return Buffer.concat(chunks);
}

const sheetXml = (bytes: Buffer, n: number) => strFromU8(unzipSync(new Uint8Array(bytes))[`xl/worksheets/sheet${n}.xml`]);

const PROPOSAL: ProposalExportRow = {
  id: 'p1',
  title: '@SUM(1+1)',
  institution: 'Université de Dakar',
  institutionCountry: 'SN',
  call: 'Santé numérique 2031',
  status: 'changes_requested',
  round: 2,
  averageScore: 3.25,
  reviews: 4,
  approvals: 0,
  sectors: ['healthcare', 'education'],
  countries: ['SN', 'CI'],
  durationMonths: 18,
  budget: { amount: 98765.43, currency: 'XOF' },
  createdAt: new Date('2026-03-04T05:06:07Z'),
  updatedAt: new Date('2026-04-05T06:07:08Z'),
};

describe('export workbooks', () => {
  it('writes a proposal with numbers as numbers, dates as dates and French headers and statuses', async () => {
    const bytes = await bytesOf((output) => writeProposalsWorkbook([PROPOSAL, { ...PROPOSAL, id: 'p2', call: null, averageScore: null, budget: null, reviews: 0 }], 'fr', output));
    const [sheet] = await readXlsxFile(bytes);
    expect(sheet.sheet).toBe('Propositions');
    const [header, row, bare] = sheet.data;
    expect(header[0]).toBe('Titre');
    expect(header[3]).toBe('Appel à propositions');
    expect(header[6]).toBe('Note moyenne des évaluations');
    expect(row).toEqual(['@SUM(1+1)', 'Université de Dakar', 'SN', 'Santé numérique 2031', 'Modifications demandées', 2, 3.25, 4, 0, 'healthcare; education', 'SN; CI', 18, 98765.43, 'XOF', expect.any(Date), expect.any(Date)]);
    // A spreadsheet keeps days as a fraction: the instant comes back to the millisecond's rounding.
    expect(Math.abs((row[14] as unknown as Date).getTime() - PROPOSAL.createdAt.getTime())).toBeLessThan(2);
    // No call, no score, no budget: empty cells.
    expect([bare[3], bare[6], bare[7], bare[12], bare[13]]).toEqual([null, null, 0, null, null]);
    const xml = sheetXml(bytes, 1);
    expect(xml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    expect(xml).toContain('<autoFilter ref="A1:P1"/>');
    expect(xml).toMatch(/<col min="1" max="1" width="40"/);
    expect(xml).not.toMatch(/<f[ >]/);
  });

  it('writes the header row alone when there is nothing to list', async () => {
    const bytes = await bytesOf((output) => writePartnershipsWorkbook([], 'en', output));
    const [sheet] = await readXlsxFile(bytes);
    expect(sheet).toEqual({ sheet: 'Partnerships', data: [['Partner institution', 'Institution country', 'Proposal', 'Countries', 'Status', 'Established on', 'Starts on', 'Ends on']] });
    expect(sheetXml(bytes, 1)).toContain('<autoFilter ref="A1:H1"/>');
  });

  it('writes a summary and a sheet per country, countries in the order of their names in the language', async () => {
    const person = (fullName: string, country: string, status: string): ParticipantExportRow => ({
      fullName,
      organization: 'Ministry',
      position: null,
      country,
      language: 'en',
      status,
      answeredAt: status === 'accepted' ? new Date('2031-05-01T10:00:00Z') : null,
      sessions: status === 'accepted' ? ['Foundations', 'Field visit'] : [],
    });
    const people = [person('A', 'DE', 'accepted'), person('B', 'EG', 'declined'), person('C', 'DE', 'issued'), person('D', 'DE', 'bounced')];
    const bytes = await bytesOf((output) => writeParticipantsWorkbook(people, 'fr', output));
    const sheets = await readXlsxFile(bytes);
    // "Allemagne" before "Égypte" in French (DE, EG); English would say Egypt before Germany.
    expect(sheets.map((s) => s.sheet)).toEqual(['Synthèse', 'DE Allemagne', 'EG Égypte']);
    expect(sheets[0].data.slice(1)).toEqual([
      ['DE', 'Allemagne', 1, 0, 0, 1, 1, 3],
      ['EG', 'Égypte', 0, 1, 0, 0, 0, 1],
      [null, 'Tous les pays', 1, 1, 0, 1, 1, 4],
    ]);
    expect(sheets[1].data[1]).toEqual(['A', 'Ministry', null, 'DE', 'Anglais', 'Acceptée', new Date('2031-05-01T10:00:00Z'), 2, 'Foundations; Field visit']);
    const english = await readXlsxFile(await bytesOf((output) => writeParticipantsWorkbook(people, 'en', output)));
    expect(english.map((s) => s.sheet)).toEqual(['Summary', 'EG Egypt', 'DE Germany']);
    for (const n of [1, 2, 3]) expect(sheetXml(bytes, n)).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
  });

  it('names sheets as Excel allows: 31 characters at most, no forbidden character, each once', () => {
    const taken = new Set<string>();
    const first = sheetName('CD Congo [République démocratique du Congo]', taken);
    expect(first).toBe('CD Congo  République démocratiq');
    expect(first).toHaveLength(31);
    const second = sheetName('CD Congo  République démocratique', taken);
    expect(second).toBe('CD Congo  République démocrat 2');
    expect(second).toHaveLength(31);
    expect(sheetName('a/b:c?d*e\\f', taken)).toBe('a b c d e f');
    expect(sheetName('A B C D E F', taken)).toBe('A B C D E F 2');
  });

  it('has every English label in French', () => {
    const keys = (language: string) => Object.keys(JSON.parse(readFileSync(path.join(exportTemplatesDir(), `${language}.json`), 'utf8'))).sort();
    expect(keys('fr')).toEqual(keys('en'));
    const en = exportTexts('en');
    const fr = exportTexts('fr');
    expect(fr.language).toBe('fr');
    expect(en.label('sheet.summary')).toBe('Summary');
    expect(fr.label('sheet.summary')).toBe('Synthèse');
    expect(exportTexts('de').language).toBe('en');
  });
});
