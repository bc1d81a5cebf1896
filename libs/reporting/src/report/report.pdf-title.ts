import type { ReportModel } from './report.model';
import { COLORS, type Layout } from './report.pdf-layout';
import type { ReportTexts } from './report.texts';

export interface ContentsEntry {
  title: string;
  /** 0-based page index. */
  page: number;
  level: 1 | 2;
}

/** The first page: what, when, where, who hosted, and the figures that matter most. Returns where the contents go. */
export function titlePage(layout: Layout, model: ReportModel, t: ReportTexts): number {
  const { doc } = layout;
  const w = model.workshop;
  const band = 190;
  layout.rect(0, 0, doc.page.width, band).fillColor(COLORS.accentDark).fill();
  layout.rect(0, band, doc.page.width, 5).fillColor(COLORS.accent).fill();
  layout.font('bold', 9.5).fillColor('#cfe0f3');
  layout.text(t.label('programme').toLocaleUpperCase(t.language), layout.left, 70, { width: layout.width, characterSpacing: 1.2 });
  layout.font('heading', 30).fillColor('#ffffff');
  layout.text(t.label('reportTitle'), layout.left, 92, { width: layout.width });

  doc.y = band + 40;
  layout.font('heading', 21).fillColor(COLORS.accentDark);
  layout.text(w.title, layout.left, doc.y, { width: layout.width, lineGap: 2 });
  layout.gap(10);
  layout.font('body', 12.5).fillColor(COLORS.ink);
  layout.text(t.dates(w.startsOn, w.endsOn), layout.left, doc.y, { width: layout.width });
  layout.gap(2);
  layout.text(t.label('place', { city: w.city, country: t.country(w.country) }), layout.left, doc.y, { width: layout.width });
  layout.gap(2);
  layout.font('body', 10.5).fillColor(COLORS.muted);
  layout.text(t.label('hostedBy', { host: w.hostInstitution }), layout.left, doc.y, { width: layout.width });
  if (w.themes.length) layout.text(t.label('themesLine', { themes: w.themes.map(t.topic).join(' · ') }), layout.left, doc.y, { width: layout.width });
  layout.gap(22);

  layout.font('heading', 11.5).fillColor(COLORS.ink);
  layout.text(t.label('keyFigures'), layout.left, doc.y);
  layout.gap(6);
  layout.keyFigures(
    [
      { value: t.number(model.countries.length), label: t.label('figure.countries') },
      { value: t.number(model.totals.invited), label: t.label('figure.invited') },
      { value: t.number(model.totals.accepted), label: t.label('figure.accepted') },
      { value: t.number(model.totals.attended), label: t.label('figure.attended') },
      { value: t.number(model.sessions.length), label: t.label('figure.sessions') },
      { value: t.number(model.solutions.length), label: t.label('figure.solutions') },
      { value: t.number(model.proposalTotals.submitted), label: t.label('figure.proposals') },
      { value: t.number(model.proposalTotals.partnerships), label: t.label('figure.partnerships') },
    ],
    4,
  );
  layout.gap(14);
  return doc.y;
}

/** The contents, written on the title page once every section's page is known. */
export function writeContents(layout: Layout, top: number, entries: ContentsEntry[], t: ReportTexts): void {
  const { doc } = layout;
  layout.font('heading', 11.5).fillColor(COLORS.ink);
  layout.text(t.label('contents'), layout.left, top);
  let y = doc.y + 6;
  const line = (text: string, page: number, x: number, width: number, size: number, bold: boolean) => {
    layout.font(bold ? 'bold' : 'body', size).fillColor(COLORS.ink);
    const number = t.number(page + 1);
    const numberWidth = layout.widthOf(number);
    layout.text(text, x, y, { width: width - numberWidth - 16, lineBreak: false, height: size * 1.3, ellipsis: true });
    const textEnd = x + Math.min(layout.widthOf(text), width - numberWidth - 16) + 4;
    layout.line(textEnd, y + size * 0.95, x + width - numberWidth - 4, y + size * 0.95).dash(0.8, { space: 2 }).lineWidth(0.5).strokeColor(COLORS.rule).stroke().undash();
    doc.fillColor(COLORS.muted);
    layout.text(number, x + width - numberWidth, y, { lineBreak: false });
  };
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.level === 1) {
      if (y + 16 > layout.bottom) return;
      line(entry.title, entry.page, layout.left, layout.width, 10, true);
      y += 16;
      continue;
    }
    // A run of country entries: in columns (three, or up to five when they are many), read down each column.
    let end = i;
    while (end < entries.length && entries[end].level === 2) end++;
    const run = entries.slice(i, end);
    const room = Math.max(1, Math.floor((layout.bottom - y) / 12));
    const columns = Math.min(5, Math.max(3, Math.ceil(run.length / room)));
    const columnWidth = (layout.width - 10 - 12 * (columns - 1)) / columns;
    const rows = Math.min(room, Math.ceil(run.length / columns));
    const top = y;
    run.slice(0, rows * columns).forEach((sub, k) => {
      y = top + (k % rows) * 12;
      line(sub.title, sub.page, layout.left + 10 + Math.floor(k / rows) * (columnWidth + 12), columnWidth, columns > 3 ? 7.5 : 8.5, false);
    });
    y = top + rows * 12 + 3;
    i = end - 1;
  }
}

/** A rule, the report's name and "Page n of N" at the foot of every page but the first. */
export function writeFooters(layout: Layout, model: ReportModel, t: ReportTexts): void {
  const { doc } = layout;
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - bottomMargin + 18;
    layout.line(layout.left, y - 6, layout.left + layout.width, y - 6).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
    const page = t.label('page', { page: i + 1, pages: range.count });
    layout.font('body', 7.5).fillColor(COLORS.muted);
    const pageWidth = layout.widthOf(page);
    layout.text(t.label('footer', { title: model.workshop.title }), layout.left, y, { width: layout.width - pageWidth - 20, lineBreak: false, height: 10, ellipsis: true });
    layout.text(page, layout.left + layout.width - pageWidth, y, { lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
}
