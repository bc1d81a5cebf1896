import type PDFDocument from 'pdfkit';

type Doc = InstanceType<typeof PDFDocument>;

export const COLORS = {
  ink: '#1b1f24',
  muted: '#5b6673',
  accent: '#0b5cad',
  accentDark: '#0a3a6b',
  rule: '#cfd7e1',
  zebra: '#f3f6fa',
  header: '#e4edf7',
};

export const FONTS = { body: 'Body', bold: 'Bold', heading: 'Heading' };

export interface Column {
  label: string;
  /** A share of the width; the columns' shares are scaled to the full width. */
  weight: number;
  align?: 'left' | 'right';
}

export interface TableOptions {
  /** A last row in bold, set apart by a rule. */
  total?: string[];
  /** Never break the page: rows that do not fit (or beyond maxRows) are summed up in one line. */
  fit?: boolean;
  maxRows?: number;
  /** With `fit`: the lowest point the rows may reach, to leave room for what follows. */
  maxBottom?: number;
  more?: (hidden: number) => string;
}

const CELL_PAD = 4;
const BODY_SIZE = 8.5;

/** Flowing layout over a pdfkit document: headings, paragraphs, tables and figure boxes that never overflow a page. */
export class Layout {
  constructor(readonly doc: Doc) {}

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  get space(): number {
    return this.bottom - this.doc.y;
  }

  newPage(): void {
    this.doc.addPage();
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  gap(points: number): void {
    this.doc.y += points;
  }

  sectionTitle(text: string, kicker?: string): void {
    const { doc } = this;
    if (kicker) doc.font(FONTS.bold).fontSize(8.5).fillColor(COLORS.accent).text(kicker.toLocaleUpperCase(), this.left, doc.y, { characterSpacing: 0.8 });
    doc.font(FONTS.heading).fontSize(19).fillColor(COLORS.accentDark).text(text, this.left, doc.y, { width: this.width });
    const y = doc.y + 4;
    doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(1.2).strokeColor(COLORS.accent).stroke();
    doc.y = y + 14;
  }

  subheading(text: string): void {
    this.ensure(60);
    this.doc.font(FONTS.heading).fontSize(11.5).fillColor(COLORS.ink).text(text, this.left, this.doc.y, { width: this.width });
    this.gap(5);
  }

  paragraph(text: string, size = 9.5, color = COLORS.ink): void {
    const { doc } = this;
    doc.font(FONTS.body).fontSize(size);
    this.ensure(doc.heightOfString(text, { width: this.width }));
    doc.fillColor(color).text(text, this.left, doc.y, { width: this.width, lineGap: 1.5 });
    this.gap(6);
  }

  note(text: string): void {
    this.paragraph(text, 7.5, COLORS.muted);
  }

  /** Label and value pairs, the labels in a narrow muted column. */
  facts(pairs: [string, string][]): void {
    const { doc } = this;
    const labelWidth = 120;
    for (const [label, value] of pairs) {
      doc.font(FONTS.body).fontSize(9.5);
      const height = doc.heightOfString(value, { width: this.width - labelWidth });
      this.ensure(height + 6);
      const y = doc.y;
      doc.font(FONTS.bold).fontSize(9).fillColor(COLORS.muted).text(label, this.left, y + 0.5, { width: labelWidth - 10 });
      doc.font(FONTS.body).fontSize(9.5).fillColor(COLORS.ink).text(value, this.left + labelWidth, y, { width: this.width - labelWidth });
      doc.y = y + height + 6;
    }
    this.gap(8);
  }

  /** Boxes with a large figure and a short label, `perRow` to a row. */
  keyFigures(items: { value: string; label: string }[], perRow: number): void {
    const { doc } = this;
    const gutter = 8;
    const boxWidth = (this.width - gutter * (perRow - 1)) / perRow;
    const boxHeight = 52;
    for (let i = 0; i < items.length; i += perRow) {
      this.ensure(boxHeight + gutter);
      const y = doc.y;
      items.slice(i, i + perRow).forEach((item, j) => {
        const x = this.left + j * (boxWidth + gutter);
        doc.roundedRect(x, y, boxWidth, boxHeight, 3).fillColor(COLORS.zebra).fill();
        doc.rect(x, y, 3, boxHeight).fillColor(COLORS.accent).fill();
        doc.font(FONTS.heading).fontSize(18).fillColor(COLORS.accentDark).text(item.value, x + 10, y + 8, { width: boxWidth - 16, lineBreak: false });
        doc.font(FONTS.body).fontSize(8).fillColor(COLORS.muted).text(item.label, x + 10, y + 32, { width: boxWidth - 16, height: 18, ellipsis: true });
      });
      doc.y = y + boxHeight + gutter;
    }
    this.gap(4);
  }

  table(columns: Column[], rows: string[][], options: TableOptions = {}): void {
    const { doc } = this;
    const total = columns.reduce((sum, c) => sum + c.weight, 0);
    const widths = columns.map((c) => (c.weight / total) * this.width);
    const header = columns.map((c) => c.label);
    const shown = options.maxRows !== undefined && rows.length > options.maxRows ? rows.slice(0, options.maxRows) : rows;
    this.ensure(this.rowHeight(header, widths, true) + this.rowHeight(rows[0] ?? header, widths, false) + 4);
    this.row(header, widths, columns, 'header');
    let drawn = 0;
    for (const [index, cells] of shown.entries()) {
      const height = this.rowHeight(cells, widths, false);
      const reserve = options.fit && index < rows.length - 1 ? 18 : 0;
      if (options.fit && doc.y + height + reserve > Math.min(this.bottom, options.maxBottom ?? this.bottom)) break;
      if (doc.y + height + reserve > this.bottom) {
        this.newPage();
        this.row(header, widths, columns, 'header');
      }
      this.row(cells, widths, columns, index % 2 ? 'zebra' : 'plain');
      drawn += 1;
    }
    if (options.total) {
      this.ensure(this.rowHeight(options.total, widths, true));
      this.row(options.total, widths, columns, 'total');
    }
    if (drawn < rows.length && options.more) {
      doc.font(FONTS.body).fontSize(7.5).fillColor(COLORS.muted).text(options.more(rows.length - drawn), this.left + CELL_PAD, doc.y + 3, { width: this.width });
    }
    this.gap(10);
  }

  private rowHeight(cells: string[], widths: number[], bold: boolean): number {
    this.doc.font(bold ? FONTS.bold : FONTS.body).fontSize(BODY_SIZE);
    const heights = cells.map((text, i) => this.doc.heightOfString(text || ' ', { width: widths[i] - 2 * CELL_PAD }));
    return Math.max(...heights) + 2 * CELL_PAD;
  }

  private row(cells: string[], widths: number[], columns: Column[], style: 'header' | 'plain' | 'zebra' | 'total'): void {
    const { doc } = this;
    const bold = style === 'header' || style === 'total';
    const height = this.rowHeight(cells, widths, bold);
    const y = doc.y;
    if (style === 'header' || style === 'zebra') doc.rect(this.left, y, this.width, height).fillColor(style === 'header' ? COLORS.header : COLORS.zebra).fill();
    if (style === 'total') doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.8).strokeColor(COLORS.accentDark).stroke();
    let x = this.left;
    cells.forEach((text, i) => {
      doc.font(bold ? FONTS.bold : FONTS.body).fontSize(BODY_SIZE).fillColor(style === 'header' ? COLORS.accentDark : COLORS.ink);
      const options = { width: widths[i] - 2 * CELL_PAD, align: columns[i].align ?? 'left' };
      // Headers sit on the rule below them, whatever the number of lines of their neighbours.
      const drop = style === 'header' ? height - 2 * CELL_PAD - doc.heightOfString(text || ' ', options) : 0;
      doc.text(text, x + CELL_PAD, y + CELL_PAD + drop, options);
      x += widths[i];
    });
    doc.y = y + height;
    if (style === 'header') doc.moveTo(this.left, doc.y).lineTo(this.left + this.width, doc.y).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
  }
}
