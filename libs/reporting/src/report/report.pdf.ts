import { createHash } from 'node:crypto';
import type PDFDocumentClass from 'pdfkit';
import type { ReportModel } from './report.model';
import { barChart, SERIES } from './report.pdf-chart';
import { countryPage } from './report.pdf-country';
import { Layout } from './report.pdf-layout';
import { FONT_NAMES } from './report.pdf-script';
import { titlePage, writeContents, writeFooters, type ContentsEntry } from './report.pdf-title';
import { reportTexts, type ReportTexts } from './report.texts';

export interface RenderReportOptions {
  /** The report's creation stamp: written in the document's properties only, never on its pages. */
  createdAt: Date;
  /** Where `<language>.json` label files are; `templates/report/` of the project by default. */
  templatesDir?: string;
  /** A ministry's edition (see ministryEdition): of the country pages, only this country's. */
  country?: string;
}

/** pdfkit is loaded on the first render, not when the library is imported (it takes a fifth of a second). */
let PDFDocument: typeof PDFDocumentClass | undefined;

/**
 * Latin, Cyrillic and Greek in DejaVu; Arabic in Amiri (a naskh face whose glyph-to-character map gives
 * every letter back when the text is copied or extracted, which Noto's Arabic faces did not); Chinese in
 * Noto Sans SC. pdfkit reads a font only when the document first uses it and embeds the glyphs used
 * alone (a subset), so an English report carries no Arabic or Chinese font.
 */
const FONT_FILES = {
  [FONT_NAMES.latin.body]: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf',
  [FONT_NAMES.latin.bold]: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf',
  [FONT_NAMES.latin.heading]: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  [FONT_NAMES.arabic.body]: '@expo-google-fonts/amiri/400Regular/Amiri_400Regular.ttf',
  [FONT_NAMES.arabic.bold]: '@expo-google-fonts/amiri/700Bold/Amiri_700Bold.ttf',
  [FONT_NAMES.cjk.body]: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  [FONT_NAMES.cjk.bold]: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

/** Languages written right to left: their reports are laid out mirrored. */
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'ur']);

/**
 * The report as a PDF in one language: a title page with key figures and contents, the workshop and its
 * sessions, solutions presented, participants by country (table and chart), proposals and partnerships
 * by sector (table and chart) and by country, then one page per participating country (only
 * `options.country`'s in a ministry's edition).
 *
 * The same model, language and `createdAt` always give the same bytes: the fonts are embedded from a
 * package, the document ID is a hash of the model and language rather than of the clock, and the only
 * date written is `createdAt`, in the document's properties (renders with another `createdAt` differ
 * in those two dates alone).
 */
export async function renderReportPdf(model: ReportModel, language: string, options: RenderReportOptions): Promise<Buffer> {
  const t = reportTexts(language, options.templatesDir);
  PDFDocument ??= require('pdfkit') as typeof PDFDocumentClass;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    lang: t.language,
    displayTitle: true,
    info: {
      Title: `${t.label('reportTitle')} — ${model.workshop.title}`,
      Subject: t.label('subject', { title: model.workshop.title }),
      Author: t.label('programme'),
      Creator: 'Passerelle',
      Producer: 'Passerelle (PDFKit)',
      CreationDate: options.createdAt,
      ModDate: options.createdAt,
    },
  });
  (doc as unknown as { _id: Buffer })._id = createHash('md5').update(JSON.stringify(model)).update(`\n${t.language}`).digest();
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, require.resolve(file));

  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const layout = new Layout(doc, RIGHT_TO_LEFT.has(t.language));
  const contentsTop = titlePage(layout, model, t);
  const byName = <T>(items: T[], name: (item: T) => string) => [...items].sort((a, b) => t.compare(name(a), name(b)));
  const entries: ContentsEntry[] = [];
  /** A section starts a page; one that `flows` goes on below the previous one while a quarter of a page is left. */
  const section = (title: string, draw: () => void, flows = false) => {
    if (flows && layout.space > 190) layout.gap(18);
    else layout.newPage();
    entries.push({ title, page: doc.bufferedPageRange().count - 1, level: 1 });
    doc.outline.addItem(title);
    layout.sectionTitle(title);
    draw();
  };
  const countries = byName(model.countries, (c) => t.country(c.country));
  const shown: ReportModel = {
    ...model,
    countries,
    proposalsByCountry: byName(model.proposalsByCountry, (f) => t.country(f.key)),
    proposalsBySector: byName(model.proposalsBySector, (f) => t.topic(f.key)),
  };
  section(t.label('section.workshop'), () => workshopSection(layout, model, t));
  section(t.label('section.solutions'), () => solutionsSection(layout, model, t), true);
  section(t.label('section.participants'), () => participantsSection(layout, shown, t));
  section(t.label('section.proposals'), () => proposalsSection(layout, shown, t));
  const paged = options.country === undefined ? countries : countries.filter((c) => c.country === options.country);
  if (paged.length) {
    entries.push({ title: t.label('section.countries'), page: doc.bufferedPageRange().count, level: 1 });
    const parent = doc.outline.addItem(t.label('section.countries'));
    for (const figures of paged) {
      layout.newPage();
      entries.push({ title: t.country(figures.country), page: doc.bufferedPageRange().count - 1, level: 2 });
      parent.addItem(t.country(figures.country));
      countryPage(layout, model, figures, t);
    }
  }
  doc.switchToPage(0);
  writeContents(layout, contentsTop, entries, t);
  writeFooters(layout, model, t);
  doc.end();
  return done;
}

function workshopSection(layout: Layout, model: ReportModel, t: ReportTexts): void {
  const w = model.workshop;
  const zone = w.timeZone;
  layout.facts([
    [t.label('workshop.title'), w.title],
    [t.label('workshop.dates'), t.dates(w.startsOn, w.endsOn)],
    [t.label('workshop.timeZone'), t.zone(zone, model.sessions[0]?.startsAt ?? `${w.startsOn}T12:00:00Z`)],
    [t.label('workshop.place'), t.label('place', { city: w.city, country: t.country(w.country) })],
    [t.label('workshop.host'), w.hostInstitution],
    [t.label('workshop.themes'), t.list(w.themes.map(t.topic)) || '–'],
  ]);
  layout.subheading(t.label('sessionsByKind'));
  if (!model.sessions.length) return layout.paragraph(t.label('none'));
  const right = 'right' as const;
  layout.table(
    [{ label: t.label('col.kind'), weight: 4 }, { label: t.label('col.sessions'), weight: 1.5, align: right }, { label: t.label('col.attendances'), weight: 1.5, align: right }],
    model.sessionsByKind.map((k) => [t.labelOr(`kind.${k.kind}`, k.kind), t.number(k.sessions), t.number(k.attendances)]),
    { total: [t.label('total'), t.number(model.sessions.length), t.number(model.totals.attendances)] },
  );
  layout.subheading(t.label('programmeTable'));
  layout.table(
    [
      { label: t.label('col.date'), weight: 1.5 },
      { label: t.label('col.time'), weight: 1.3 },
      { label: t.label('col.session'), weight: 4.6 },
      { label: t.label('col.kind'), weight: 1.9 },
      { label: t.label('col.present'), weight: 1.1, align: right },
    ],
    model.sessions.map((s) => [t.day(s.startsAt, zone), `${t.time(s.startsAt, zone)}–${t.time(s.endsAt, zone)}`, s.location ? `${s.title}\n${s.location}` : s.title, t.labelOr(`kind.${s.kind}`, s.kind), t.number(s.attendees)]),
  );
  layout.note(t.label('note.localTime', { zone: t.zone(zone, model.sessions[0]?.startsAt) }));
  layout.note(t.label('note.attended'));
}

function participantsSection(layout: Layout, model: ReportModel, t: ReportTexts): void {
  if (!model.countries.length) return layout.paragraph(t.label('none'));
  const right = 'right' as const;
  const figures = (f: ReportModel['totals']) => [f.invited, f.accepted, f.declined, f.noReply + f.bounced, f.attended].map(t.number).concat(t.percent(f.attended, f.invited));
  layout.table(
    [
      { label: t.label('col.country'), weight: 3.2 },
      ...['col.invited', 'col.accepted', 'col.declined', 'col.noReply', 'col.attended', 'col.rate'].map((key) => ({ label: t.label(key), weight: key === 'col.rate' ? 1.5 : 1.1, align: right })),
    ],
    model.countries.map((c) => [t.country(c.country), ...figures(c)]),
    { total: [t.label('total'), ...figures(model.totals)] },
  );
  layout.note(`${t.label('note.attended')} ${t.label('note.noReply')}`);
  const bars = [...model.countries].sort((a, b) => b.invited - a.invited || b.attended - a.attended);
  barChart(
    layout,
    t.label('chart.participants'),
    bars.map((c) => t.country(c.country)),
    [
      { label: t.label('col.invited'), color: SERIES.invited, values: bars.map((c) => c.invited) },
      { label: t.label('col.accepted'), color: SERIES.accepted, values: bars.map((c) => c.accepted) },
      { label: t.label('col.attended'), color: SERIES.present, values: bars.map((c) => c.attended) },
    ],
    t.number,
  );
}

function solutionsSection(layout: Layout, model: ReportModel, t: ReportTexts): void {
  if (!model.solutions.length) return layout.paragraph(t.label('none'));
  layout.table(
    [{ label: t.label('col.company'), weight: 2.4 }, { label: t.label('col.solution'), weight: 4 }, { label: t.label('col.sector'), weight: 1.8 }, { label: t.label('col.session'), weight: 2.6 }],
    model.solutions.map((s) => [s.company, s.title, t.topic(s.sector), s.session ?? '–']),
  );
}

function proposalsSection(layout: Layout, model: ReportModel, t: ReportTexts): void {
  if (!model.proposals.length) return layout.paragraph(t.label('none'));
  const right = 'right' as const;
  const columns = (first: string) => [
    { label: t.label(first), weight: 3.4 },
    ...['col.submitted', 'col.approved', 'col.rejected', 'col.partnerships'].map((key) => ({ label: t.label(key), weight: 1.3, align: right })),
  ];
  const cells = (f: ReportModel['proposalTotals']) => [f.submitted, f.approved, f.rejected, f.partnerships].map(t.number);
  const total = [t.label('total'), ...cells(model.proposalTotals)];
  layout.subheading(t.label('proposalsBySector'));
  layout.table(columns('col.sector'), model.proposalsBySector.map((f) => [t.topic(f.key), ...cells(f)]), { total });
  const bars = [...model.proposalsBySector].sort((a, b) => b.submitted - a.submitted || b.approved - a.approved);
  barChart(
    layout,
    t.label('chart.proposals'),
    bars.map((f) => t.topic(f.key)),
    [
      { label: t.label('col.submitted'), color: SERIES.submitted, values: bars.map((f) => f.submitted) },
      { label: t.label('col.approved'), color: SERIES.approved, values: bars.map((f) => f.approved) },
      { label: t.label('col.rejected'), color: SERIES.rejected, values: bars.map((f) => f.rejected) },
    ],
    t.number,
  );
  layout.subheading(t.label('proposalsByCountry'));
  layout.table(columns('col.country'), model.proposalsByCountry.map((f) => [t.country(f.key), ...cells(f)]), { total });
  layout.note(t.label('note.multiCount'));
}
