import { COLORS, type Layout } from './report.pdf-layout';

/** The series' colours: participants in blues, light to dark; proposals grey, green and red. */
export const SERIES = {
  invited: '#a9c8e8',
  accepted: '#4a8fd1',
  present: '#0a3a6b',
  submitted: '#9aa7b5',
  approved: '#2e7d4f',
  rejected: '#b5443c',
};

export interface ChartSeries {
  label: string;
  color: string;
  values: number[];
}

/** 1, 2 or 5 times a power of ten: a step for about `ticks` gridlines up to `max`. */
export function niceStep(max: number, ticks = 5): number {
  if (max <= ticks) return 1;
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw)!;
}

/**
 * A horizontal bar chart drawn with pdfkit's primitives: one group of bars per category (one bar per
 * series, each with its value written at its end), a legend above, gridlines and a scale below. The
 * bars shrink so that the chart fits on one page; past some sixty categories it goes on over further
 * pages, on the same scale.
 */
export function barChart(layout: Layout, title: string, categories: string[], series: ChartSeries[], format: (n: number) => string): void {
  if (!categories.length) return;
  const { doc } = layout;
  const frame = 24 + 18 + 18 + 10; // title, legend, scale, gap after
  const room = doc.page.height - doc.page.margins.top - doc.page.margins.bottom - 40 - frame;
  const groupHeight = (bar: number) => series.length * (bar + 1) + Math.max(3, bar);
  let bar = 8;
  while (bar > 2 && categories.length * groupHeight(bar) > room) bar -= 0.25;
  const pages = Math.ceil(categories.length / Math.max(1, Math.floor(room / groupHeight(bar))));
  const perPage = Math.ceil(categories.length / pages);
  while (bar < 8 && perPage * groupHeight(bar + 0.25) <= room) bar += 0.25;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const step = niceStep(max);
  const scale = { max: Math.ceil(max / step) * step, step };
  for (let from = 0; from < categories.length; from += perPage) {
    if (from > 0) layout.newPage();
    const to = Math.min(categories.length, from + perPage);
    layout.ensure(frame + (to - from) * groupHeight(bar));
    layout.subheading(title);
    drawChart(layout, categories.slice(from, to), series.map((s) => ({ ...s, values: s.values.slice(from, to) })), format, bar, scale);
  }
}

function drawChart(layout: Layout, categories: string[], series: ChartSeries[], format: (n: number) => string, bar: number, scale: { max: number; step: number }): void {
  const { doc } = layout;
  const group = series.length * (bar + 1) + Math.max(3, bar);
  const labelWidth = Math.min(150, layout.width * 0.3);
  const plotX = layout.left + labelWidth + 8;
  const plotWidth = layout.width - labelWidth - 8 - 26;
  const xOf = (value: number) => plotX + (value / scale.max) * plotWidth;
  let y = doc.y;

  // Legend.
  let x = plotX;
  layout.font('body', 8);
  for (const s of series) {
    layout.rect(x, y + 1, 8, 8).fillColor(s.color).fill();
    doc.fillColor(COLORS.ink);
    layout.text(s.label, x + 12, y, { lineBreak: false });
    x += 12 + layout.widthOf(s.label) + 16;
  }
  y += 18;
  const plotTop = y;
  const plotBottom = plotTop + categories.length * group;

  // Gridlines and scale.
  layout.font('body', 7);
  for (let value = 0; value <= scale.max; value += scale.step) {
    const gx = xOf(value);
    layout.line(gx, plotTop, gx, plotBottom).lineWidth(value === 0 ? 0.8 : 0.4).strokeColor(value === 0 ? COLORS.muted : COLORS.rule).stroke();
    doc.fillColor(COLORS.muted);
    layout.text(format(value), gx - 20, plotBottom + 4, { width: 40, align: 'center', lineBreak: false });
  }

  // Bars, each group's label beside its middle.
  const labelSize = Math.min(8, Math.max(5, group - 3));
  const valueSize = Math.min(7, bar + 0.5);
  categories.forEach((category, c) => {
    const top = plotTop + c * group + Math.max(3, bar) / 2;
    const middle = top + (series.length * (bar + 1)) / 2;
    layout.font('body', labelSize).fillColor(COLORS.ink);
    layout.text(category, layout.left, middle - labelSize * 0.6, { width: labelWidth, align: 'right', lineBreak: false, height: labelSize * 1.3, ellipsis: true });
    series.forEach((s, i) => {
      const value = s.values[c] ?? 0;
      const by = top + i * (bar + 1);
      if (value > 0) layout.rect(plotX, by, xOf(value) - plotX, bar).fillColor(s.color).fill();
      if (bar >= 4) {
        layout.font('body', valueSize).fillColor(COLORS.muted);
        layout.text(format(value), xOf(value) + 3, by + bar / 2 - valueSize * 0.6, { lineBreak: false });
      }
    });
  });
  doc.x = layout.left;
  doc.y = plotBottom + 18 + 10;
}
