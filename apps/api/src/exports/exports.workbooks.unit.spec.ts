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

/** The sheets read back, each date to the nearest second: a spreadsheet keeps a day as a fraction, which rounds. */
async function readToTheSecond(bytes: Buffer) {
  const toSecond = (cell: unknown) => (cell instanceof Date ? new Date(Math.round(cell.getTime() / 1000) * 1000) : cell);
  return (await readXlsxFile(bytes)).map((sheet) => ({ ...sheet, data: sheet.data.map((row) => row.map(toSecond)) }));
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
    expect(sheet).toEqual({ sheet: 'Partnerships', data: [['Partner institution', 'Institution country', 'Proposal', 'Countries', 'Status', 'Established on (UTC)', 'Starts on', 'Ends on']] });
    expect(sheetXml(bytes, 1)).toContain('<autoFilter ref="A1:H1"/>');
  });

  it('writes a summary, the programme and a sheet per country, countries in the order of their names in the language', async () => {
    const person = (fullName: string, country: string, status: string): ParticipantExportRow => ({
      fullName,
      organization: 'Ministry',
      position: null,
      country,
      language: 'en',
      status,
      emailedAt: status === 'issued' ? null : new Date('2031-04-30T16:30:00Z'),
      respondedAt: status === 'accepted' ? new Date('2031-05-01T10:00:00Z') : null,
      sessions: status === 'accepted' ? ['Foundations', 'Field visit'] : [],
    });
    const people = [person('A', 'DE', 'accepted'), person('B', 'EG', 'declined'), person('C', 'DE', 'issued'), person('D', 'DE', 'bounced')];
    const sessions = [
      { kind: 'study', title: 'Foundations', startsAt: new Date('2031-05-05T01:00:00Z'), endsAt: new Date('2031-05-05T04:00:00Z'), location: 'Main auditorium' },
      { kind: 'field_visit', title: 'Field visit', startsAt: new Date('2031-05-05T16:00:00Z'), endsAt: new Date('2031-05-05T18:30:00Z'), location: null },
    ];
    const workbook = { timeZone: 'Asia/Shanghai', sessions, participants: people };
    const bytes = await bytesOf((output) => writeParticipantsWorkbook(workbook, 'fr', output));
    const sheets = await readToTheSecond(bytes);
    // "Allemagne" before "Égypte" in French (DE, EG); English would say Egypt before Germany.
    expect(sheets.map((s) => s.sheet)).toEqual(['Synthèse', 'Séances', 'DE Allemagne', 'EG Égypte']);
    expect(sheets[0].data.slice(1)).toEqual([
      ['DE', 'Allemagne', 1, 0, 0, 1, 1, 3],
      ['EG', 'Égypte', 0, 1, 0, 0, 0, 1],
      [null, 'Tous les pays', 1, 1, 0, 1, 1, 4],
    ]);
    // Shanghai is UTC+8: the cells hold the venue's wall-clock time (read back as its figures), the zone in the header.
    expect(sheets[1].data).toEqual([
      ['Type', 'Titre', 'Début (Asia/Shanghai)', 'Fin (Asia/Shanghai)', 'Lieu'],
      ['Étude', 'Foundations', new Date('2031-05-05T09:00:00Z'), new Date('2031-05-05T12:00:00Z'), 'Main auditorium'],
      ['Visite de terrain', 'Field visit', new Date('2031-05-06T00:00:00Z'), new Date('2031-05-06T02:30:00Z'), null],
    ]);
    expect(sheets[2].data[0]).toEqual(['Nom complet', 'Organisation', 'Fonction', 'Pays', 'Langue', 'Statut de l’invitation', 'Envoyée le (Asia/Shanghai)', 'Réponse le (Asia/Shanghai)', 'Séances suivies', 'Séances']);
    expect(sheets[2].data[1]).toEqual(['A', 'Ministry', null, 'DE', 'Anglais', 'Acceptée', new Date('2031-05-01T00:30:00Z'), new Date('2031-05-01T18:00:00Z'), 2, 'Foundations; Field visit']);
    expect(sheets[2].data[2].slice(5, 8)).toEqual(['Sans réponse', null, null]);
    const english = await readToTheSecond(await bytesOf((output) => writeParticipantsWorkbook(workbook, 'en', output)));
    expect(english.map((s) => s.sheet)).toEqual(['Summary', 'Sessions', 'EG Egypt', 'DE Germany']);
    expect(english[1].data[0]).toEqual(['Kind', 'Title', 'Starts (Asia/Shanghai)', 'Ends (Asia/Shanghai)', 'Location']);
    expect(english[1].data[1][0]).toBe('Study');
    expect(english[3].data[0]).toEqual(['Full name', 'Organisation', 'Position', 'Country', 'Language', 'Invitation status', 'E-mailed (Asia/Shanghai)', 'Responded (Asia/Shanghai)', 'Sessions attended', 'Sessions']);
    for (const n of [1, 2, 3, 4]) expect(sheetXml(bytes, n)).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    expect(sheetXml(bytes, 2)).toContain('<autoFilter ref="A1:E1"/>');
  });

  it('writes a workshop without sessions or participants as headers alone, and summer time where the venue has it', async () => {
    const paris = { timeZone: 'Europe/Paris', sessions: [
      { kind: 'roundtable', title: 'Summer', startsAt: new Date('2031-07-01T07:00:00Z'), endsAt: new Date('2031-07-01T08:00:00Z'), location: null },
      { kind: 'roundtable', title: 'Winter', startsAt: new Date('2031-01-15T07:00:00Z'), endsAt: new Date('2031-01-15T08:00:00Z'), location: null },
    ], participants: [] };
    const sheets = await readToTheSecond(await bytesOf((output) => writeParticipantsWorkbook(paris, 'en', output)));
    expect(sheets.map((s) => s.sheet)).toEqual(['Summary', 'Sessions']);
    expect(sheets[0].data.slice(1)).toEqual([[null, 'All countries', 0, 0, 0, 0, 0, 0]]);
    expect(sheets[1].data.slice(1).map((row) => row.slice(1, 3))).toEqual([
      ['Summer', new Date('2031-07-01T09:00:00Z')],
      ['Winter', new Date('2031-01-15T08:00:00Z')],
    ]);
    const empty = await readXlsxFile(await bytesOf((output) => writeParticipantsWorkbook({ timeZone: 'UTC', sessions: [], participants: [] }, 'en', output)));
    expect(empty[1]).toEqual({ sheet: 'Sessions', data: [['Kind', 'Title', 'Starts (UTC)', 'Ends (UTC)', 'Location']] });
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
