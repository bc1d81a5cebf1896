import type PDFDocument from 'pdfkit';
import { FONT_NAMES, type FontRole, isComplex, type SetOptions, Typesetter } from './report.pdf-script';

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

export const FONTS = FONT_NAMES.latin;

export interface TextOptions extends SetOptions {
  characterSpacing?: number;
}

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

/**
 * Flowing layout over a pdfkit document: headings, paragraphs, tables and figure boxes that never overflow a page.
 *
 * Everything is placed in left-to-right coordinates; in a right-to-left document (Arabic) `text`, `rect`
 * and `line` mirror each box about the page's middle, and text aligned left is aligned right: tables
 * start with their first column on the right, charts' bars grow leftwards from labels on the right,
 * a figure box's accent bar is on its right. Text in Latin or Cyrillic letters alone goes to pdfkit as
 * it is; text with Arabic or Chinese, or any text of a right-to-left document, to the Typesetter.
 */
export class Layout {
  private role: FontRole = 'body';
  private size = 12;
  private readonly setter: Typesetter;

  constructor(
    readonly doc: Doc,
    readonly rtl = false,
  ) {
    this.setter = new Typesetter(doc, rtl);
  }

  /** Sets the font (by role: the script's own font is chosen per character) and its size; returns the document for colours. */
  font(role: FontRole, size: number): Doc {
    this.role = role;
    this.size = size;
    return this.doc.font(FONTS[role]).fontSize(size);
  }

  /** x of a box `width` wide at `x`, as drawn: mirrored in a right-to-left document. */
  x(x: number, width = 0): number {
    return this.rtl ? this.doc.page.width - x - width : x;
  }

  rect(x: number, y: number, width: number, height: number): Doc {
    return this.doc.rect(this.x(x, width), y, width, height);
  }

  roundedRect(x: number, y: number, width: number, height: number, radius: number): Doc {
    return this.doc.roundedRect(this.x(x, width), y, width, height, radius);
  }

  line(x1: number, y1: number, x2: number, y2: number): Doc {
    return this.doc.moveTo(this.x(x1), y1).lineTo(this.x(x2), y2);
  }

  /**
   * Text in the box at (x, y), `width` wide (the text's own width without one), in the current font;
   * leaves doc.y below it.
   */
  text(text: string, x: number, y: number, options: TextOptions = {}): void {
    const width = options.width ?? this.widthOf(text);
    const align = this.rtl ? ({ left: 'right', right: 'left', center: 'center' } as const)[options.align ?? 'left'] : options.align;
    if (!this.rtl && !isComplex(text)) {
      this.doc.text(text, x, y, options);
      return;
    }
    if (this.rtl && !isComplex(text) && options.lineBreak === false && !options.ellipsis) {
      this.doc.text(text, this.x(x, width), y, { ...options, width, align });
      this.doc.x = x;
      return;
    }
    // Without a width the box is the text's own: one line.
    const lineBreak = options.width === undefined ? false : options.lineBreak;
    this.setter.draw(text, this.x(x, width), y, this.role, this.size, { ...options, width, align, lineBreak });
    this.doc.x = x;
  }

  heightOf(text: string, options: TextOptions = {}): number {
    if (!isComplex(text) && !this.rtl) return this.doc.heightOfString(text, options);
    return this.setter.height(text, this.role, this.size, options);
  }

  widthOf(text: string): number {
    if (!isComplex(text)) return this.doc.widthOfString(text);
    return this.setter.width(text, this.role, this.size);
  }

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
    if (kicker) {
      this.font('bold', 8.5).fillColor(COLORS.accent);
      this.text(kicker.toLocaleUpperCase(), this.left, doc.y, { characterSpacing: 0.8 });
    }
    this.font('heading', 19).fillColor(COLORS.accentDark);
      this.text(text, this.left, doc.y, { width: this.width });
    const y = doc.y + 4;
    this.line(this.left, y, this.left + this.width, y).lineWidth(1.2).strokeColor(COLORS.accent).stroke();
    doc.y = y + 14;
  }

  subheading(text: string): void {
    this.ensure(60);
    this.font('heading', 11.5).fillColor(COLORS.ink);
      this.text(text, this.left, this.doc.y, { width: this.width });
    this.gap(5);
  }

  paragraph(text: string, size = 9.5, color = COLORS.ink): void {
    const { doc } = this;
    this.font('body', size);
    this.ensure(this.heightOf(text, { width: this.width }));
    doc.fillColor(color);
    this.text(text, this.left, doc.y, { width: this.width, lineGap: 1.5 });
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
      // A row is as tall as its value or its label, whichever takes more lines ("Принимающая организация" takes two).
      this.font('bold', 9);
      const labelHeight = this.heightOf(label, { width: labelWidth - 10 });
      this.font('body', 9.5);
      const height = Math.max(labelHeight, this.heightOf(value, { width: this.width - labelWidth }));
      this.ensure(height + 6);
      const y = doc.y;
      this.font('bold', 9).fillColor(COLORS.muted);
      this.text(label, this.left, y + 0.5, { width: labelWidth - 10 });
      this.font('body', 9.5).fillColor(COLORS.ink);
      this.text(value, this.left + labelWidth, y, { width: this.width - labelWidth });
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
        this.roundedRect(x, y, boxWidth, boxHeight, 3).fillColor(COLORS.zebra).fill();
        this.rect(x, y, 3, boxHeight).fillColor(COLORS.accent).fill();
        this.font('heading', 18).fillColor(COLORS.accentDark);
      this.text(item.value, x + 10, y + 8, { width: boxWidth - 16, lineBreak: false });
        this.font('body', 8).fillColor(COLORS.muted);
      this.text(item.label, x + 10, y + 32, { width: boxWidth - 16, height: 18, ellipsis: true });
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
      this.font('body', 7.5).fillColor(COLORS.muted);
      this.text(options.more(rows.length - drawn), this.left + CELL_PAD, doc.y + 3, { width: this.width });
    }
    this.gap(10);
  }

  private rowHeight(cells: string[], widths: number[], bold: boolean): number {
    this.font(bold ? 'bold' : 'body', BODY_SIZE);
    const heights = cells.map((text, i) => this.heightOf(text || ' ', { width: widths[i] - 2 * CELL_PAD }));
    return Math.max(...heights) + 2 * CELL_PAD;
  }

  private row(cells: string[], widths: number[], columns: Column[], style: 'header' | 'plain' | 'zebra' | 'total'): void {
    const { doc } = this;
    const bold = style === 'header' || style === 'total';
    const height = this.rowHeight(cells, widths, bold);
    const y = doc.y;
    if (style === 'header' || style === 'zebra') this.rect(this.left, y, this.width, height).fillColor(style === 'header' ? COLORS.header : COLORS.zebra).fill();
    if (style === 'total') this.line(this.left, y, this.left + this.width, y).lineWidth(0.8).strokeColor(COLORS.accentDark).stroke();
    let x = this.left;
    cells.forEach((text, i) => {
      this.font(bold ? 'bold' : 'body', BODY_SIZE).fillColor(style === 'header' ? COLORS.accentDark : COLORS.ink);
      const options = { width: widths[i] - 2 * CELL_PAD, align: columns[i].align ?? 'left' };
      // Headers sit on the rule below them, whatever the number of lines of their neighbours.
      const drop = style === 'header' ? height - 2 * CELL_PAD - this.heightOf(text || ' ', options) : 0;
      this.text(text, x + CELL_PAD, y + CELL_PAD + drop, options);
      x += widths[i];
    });
    doc.y = y + height;
    if (style === 'header') this.line(this.left, doc.y, this.left + this.width, doc.y).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
  }
}
