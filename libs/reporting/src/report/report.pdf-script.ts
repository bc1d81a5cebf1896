import type PDFDocument from 'pdfkit';

type Doc = InstanceType<typeof PDFDocument>;

/** The writing systems the report draws, each with its own font: DejaVu covers Latin, Cyrillic and Greek. */
export type Script = 'latin' | 'arabic' | 'cjk';
export type FontRole = 'body' | 'bold' | 'heading';

/** Font names registered on the document, per role and script (see FONT_FILES in report.pdf.ts). */
export const FONT_NAMES: Record<Script, Record<FontRole, string>> = {
  latin: { body: 'Body', bold: 'Bold', heading: 'Heading' },
  arabic: { body: 'ArabicBody', bold: 'ArabicBold', heading: 'ArabicBold' },
  cjk: { body: 'CjkBody', bold: 'CjkBold', heading: 'CjkBold' },
};

/**
 * Room above and below the baseline, in ems, for a line in each script. Amiri's own metrics (1.76 em
 * from top to bottom) would make every Arabic table row half as tall again as an English one; its
 * letters and marks fit in 1.5 em.
 */
const ASCENT: Record<Script, number> = { latin: 0.928, arabic: 1.0, cjk: 0.98 };
/** Amiri's letters are small for their size beside DejaVu's: drawn a little larger, so that the two match on a line. */
const SCALE: Record<Script, number> = { latin: 1, arabic: 1.15, cjk: 1 };
const DESCENT: Record<Script, number> = { latin: 0.236, arabic: 0.5, cjk: 0.3 };

const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]/;
const ARABIC_LETTER = /[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]/;
const CJK = /[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;
const COMPLEX = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;
/** Characters without a script of their own: they take their neighbours' font. */
const NEUTRAL = /[\s\p{P}\p{S}\p{N}]/u;
/** Bidi controls (marks, embeddings, isolates): they steer the order and are not drawn. */
const CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** CJK punctuation that must not start a line, and the one that must not end it. */
const NO_BREAK_BEFORE = /[，。、；：？！）」』”’》〉】…·%\u3001\u3002\uff0c\uff1a\uff1b\uff1f\uff01\uff09]/;
const NO_BREAK_AFTER = /[（「『“‘《〈【\uff08]/;

/** Whether `text` needs more than pdfkit's own text layout: letters of a right-to-left or CJK script. */
export const isComplex = (text: string) => COMPLEX.test(text);

interface BidiLevels {
  levels: Uint8Array;
}
interface Bidi {
  getEmbeddingLevels(text: string, direction?: 'ltr' | 'rtl' | 'auto'): BidiLevels;
  getReorderSegments(text: string, levels: BidiLevels, start?: number, end?: number): [number, number][];
  getMirroredCharactersMap(text: string, levels: Uint8Array, start?: number, end?: number): Map<number, string>;
}
let bidi: Bidi | undefined;

export interface SetOptions {
  width?: number;
  align?: 'left' | 'right' | 'center';
  lineBreak?: boolean;
  /** With `ellipsis`: no more lines than fit in this height, the last one cut with "…". */
  height?: number;
  ellipsis?: boolean;
  lineGap?: number;
}

/** One piece of a line as drawn: characters of one font and one direction. */
interface Piece {
  text: string;
  font: string;
  /** Arabic words, drawn from the right, each shaped by fontkit (joined letters, in display order). */
  rtl: boolean;
  /** Arabic digits in a left-to-right run: drawn one by one, so that fontkit does not turn them around. */
  oneByOne: boolean;
  width: number;
}

/**
 * Lays out and draws text that pdfkit alone cannot: Arabic (shaped by fontkit, ordered by the Unicode
 * bidi algorithm, with Latin names and figures inside it in their own order) and Chinese (broken
 * between characters, not only at spaces). Each character is given a font by its script; characters
 * without one (spaces, punctuation, figures) take their neighbours'. A text is split into lines, each
 * line reordered for display (bidi-js, line by line as UAX #9 asks) and drawn run by run at positions
 * computed here, all on one baseline whatever the fonts' own metrics.
 */
export class Typesetter {
  private readonly widths = new Map<string, number>();
  private readonly coverage = new Map<string, boolean>();

  constructor(
    private readonly doc: Doc,
    /** The document's direction: an Arabic report's paragraphs are right to left. */
    private readonly rtl: boolean,
  ) {}

  /** Height of `text` set in `width`. */
  height(text: string, role: FontRole, size: number, options: SetOptions): number {
    const lines = this.lines(text, role, size, options);
    const gap = options.lineGap ?? 0;
    return lines.reduce((sum, line) => sum + line.height, 0) + gap * Math.max(0, lines.length - 1);
  }

  width(text: string, role: FontRole, size: number): number {
    const analysed = this.analyse(text, role);
    return this.measure(analysed, 0, text.length, size);
  }

  /** Draws `text` in the box at (x, y); leaves doc.x at x and doc.y below the text. */
  draw(text: string, x: number, y: number, role: FontRole, size: number, options: SetOptions): void {
    const { doc } = this;
    const gap = options.lineGap ?? 0;
    const lines = this.lines(text, role, size, options);
    const width = options.width ?? Math.max(0, ...lines.map((l) => l.width));
    let top = y;
    for (const line of lines) {
      const align = options.align ?? (this.rtl ? 'right' : 'left');
      let cx = align === 'right' ? x + width - line.width : align === 'center' ? x + (width - line.width) / 2 : x;
      const baseline = top + line.ascent;
      for (const piece of line.pieces) {
        const scaled = size * SCALE[scriptOfFont(piece.font)];
        doc.font(piece.font).fontSize(scaled);
        const drop = baseline - ((doc as unknown as { _font: PdfkitFont })._font.ascender / 1000) * scaled;
        if (piece.oneByOne) {
          let px = cx;
          for (const char of piece.text) {
            doc.text(char, px, drop, { lineBreak: false });
            px += this.runWidth(piece.font, char, size);
          }
        } else if (piece.rtl) {
          // Word by word from the right: fontkit shapes each word and puts its glyphs in display order, and
          // pdfkit keeps each word's shaping for the rest of the document (Amiri's rules are costly to apply).
          let right = cx + piece.width;
          for (const word of piece.text.split(/(\s+)/)) {
            const w = this.runWidth(piece.font, word, size);
            if (word.trim()) doc.text(word, right - w, drop, { lineBreak: false });
            right -= w;
          }
        } else if (piece.text.trim()) {
          doc.text(piece.text, cx, drop, { lineBreak: false });
        }
        cx += piece.width;
      }
      top += line.height + gap;
    }
    doc.font(FONT_NAMES.latin[role]).fontSize(size);
    doc.x = x;
    doc.y = top - (lines.length ? gap : 0);
  }

  /** Lines already laid out, by text and box: a table cell is measured for its row's height, then drawn. */
  private readonly laidOut = new Map<string, ReturnType<Typesetter['layout']>>();

  private lines(text: string, role: FontRole, size: number, options: SetOptions) {
    const key = `${role}\u0000${size}\u0000${options.width}\u0000${options.lineBreak}\u0000${options.height}\u0000${options.ellipsis}\u0000${options.lineGap}\u0000${text}`;
    let lines = this.laidOut.get(key);
    if (!lines) {
      lines = this.fit(text, role, size, options);
      this.laidOut.set(key, lines);
    }
    return lines;
  }

  private fit(text: string, role: FontRole, size: number, options: SetOptions) {
    const limit = options.lineBreak === false ? Infinity : (options.width ?? Infinity);
    let laid = this.layout(text, role, size, limit);
    const maxLines = options.lineBreak === false ? 1 : options.height !== undefined && options.ellipsis ? Math.max(1, Math.floor((options.height + (options.lineGap ?? 0)) / (laid[0]?.height || size))) : Infinity;
    const fits = (lines: typeof laid) => lines.length <= maxLines && (options.width === undefined || lines.every((l) => l.width <= options.width! + 0.01));
    if (fits(laid) || !(options.ellipsis || options.lineBreak === false)) return laid;
    // Cut at the end of what fits, then shorten until the text and "…" fit.
    const chars = [...text];
    let keep = Math.min(chars.length, Math.max(1, laid.slice(0, maxLines).reduce((n, l) => n + [...l.source].length, 0)));
    while (keep > 0) {
      const cut = `${chars.slice(0, keep).join('').trimEnd()}…`;
      laid = this.layout(cut, role, size, limit);
      if (fits(laid)) return laid;
      keep -= 1;
    }
    return this.layout('…', role, size, limit);
  }

  /** Splits `text` into lines no wider than `limit`, each reordered for display. */
  private layout(text: string, role: FontRole, size: number, limit: number) {
    const analysed = this.analyse(text, role);
    const result: { pieces: Piece[]; width: number; height: number; ascent: number; source: string }[] = [];
    let start = 0;
    for (const paragraph of text.split('\n')) {
      const end = start + paragraph.length;
      for (const [from, to] of this.breakLines(analysed, start, end, size, limit)) result.push(this.line(analysed, from, to, size));
      start = end + 1;
    }
    return result;
  }

  private analyse(text: string, role: FontRole) {
    // Text without a right-to-left character reads left to right, in any document: no reordering to do.
    const rtlText = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]/.test(text);
    let levels: BidiLevels | undefined;
    let mirrored: Map<number, string> | undefined;
    if (rtlText) {
      bidi ??= (require('bidi-js') as () => Bidi)();
      // An Arabic report's lines are right to left; a line in another language within it reads from its first letter.
      levels = bidi.getEmbeddingLevels(text, this.rtl && ARABIC_LETTER.test(text) ? 'rtl' : 'auto');
      // Takes the levels themselves (bidi-js reads `levels[i]`), unlike getReorderSegments.
      mirrored = bidi.getMirroredCharactersMap(text, levels.levels);
    }
    // Characters without a script take the one before them (or after, at the start), if its font has them.
    const own = Array.from({ length: text.length }, (_, i) => scriptOf(text[i]));
    const scripts: (Script | null)[] = new Array(text.length);
    let previous: Script | null = null;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n') previous = null;
      previous = own[i] ?? previous;
      // An opening bracket or quote goes with what it opens: "(Asia/Shanghai)" in an Arabic line is all DejaVu.
      scripts[i] = own[i] ?? (/[\p{Ps}\p{Pi}]/u.test(text[i]) ? null : previous);
    }
    const fonts: string[] = new Array(text.length);
    let next: Script = 'latin';
    for (let i = text.length - 1; i >= 0; i--) {
      next = own[i] ?? next;
      const script = scripts[i] ?? next;
      const name = FONT_NAMES[script][role];
      fonts[i] = script !== 'latin' && !own[i] && !this.covers(name, text.codePointAt(i)!) ? FONT_NAMES.latin[role] : name;
    }
    // A surrogate pair's second half follows its first.
    for (let i = 1; i < text.length; i++) if (isLowSurrogate(text, i)) fonts[i] = fonts[i - 1];
    return { text, levels, mirrored, fonts, role };
  }

  /** Break opportunities: after spaces, and between CJK characters (not before closing or after opening punctuation). */
  private breakLines(a: Analysed, start: number, end: number, size: number, limit: number): [number, number][] {
    const { text } = a;
    if (limit === Infinity) return [[start, end]];
    const units: [number, number][] = [];
    let from = start;
    for (let i = start + 1; i < end; i++) {
      const before = text[i - 1];
      const here = text[i];
      const afterSpace = /\s/.test(before) && !/\s/.test(here);
      // Not between a figure and the character after or before it either ("2025年10月21日" stays whole).
      const cjk = (CJK.test(before) || CJK.test(here)) && !/\s/.test(here) && !NO_BREAK_BEFORE.test(here) && !NO_BREAK_AFTER.test(before) && !/\d/.test(before) && !/\d/.test(here) && !isLowSurrogate(text, i);
      if (afterSpace || cjk) {
        units.push([from, i]);
        from = i;
      }
    }
    if (end > from) units.push([from, end]);
    const lines: [number, number][] = [];
    let lineStart = start;
    let lineEnd = start;
    let width = 0;
    const push = () => {
      if (lineEnd > lineStart) lines.push([lineStart, lineEnd]);
      lineStart = lineEnd;
      width = 0;
    };
    for (const [s, e] of units) {
      const full = this.measure(a, s, e, size);
      const inked = this.measure(a, s, trimEnd(text, s, e), size);
      if (lineEnd > lineStart && width + inked > limit) push();
      if (inked > limit) {
        // A word longer than the line: broken between characters.
        for (let i = s; i < e; i++) {
          if (isLowSurrogate(text, i)) continue;
          const next = i + (isHighSurrogate(text, i) ? 2 : 1);
          const w = this.measure(a, i, next, size);
          if (lineEnd > lineStart && width + w > limit && !/\s/.test(text[i])) push();
          width += w;
          lineEnd = next;
        }
        continue;
      }
      width += full;
      lineEnd = e;
    }
    push();
    return lines.length ? lines : [[start, start]];
  }

  private line(a: Analysed, start: number, end: number, size: number) {
    const { text, levels, mirrored, fonts } = a;
    const last = trimEnd(text, start, end);
    // Visual order: the bidi algorithm's reversals, applied to this line alone.
    const order = Array.from({ length: last - start }, (_, k) => start + k);
    if (levels && last > start) {
      for (const [from, to] of bidi!.getReorderSegments(text, levels, start, last - 1)) {
        const slice = order.slice(from - start, to - start + 1).reverse();
        order.splice(from - start, slice.length, ...slice);
      }
    }
    const odd = (i: number) => (levels ? levels.levels[i] % 2 === 1 : false);
    const pieces: Piece[] = [];
    let k = 0;
    while (k < order.length) {
      const first = order[k];
      const rtl = odd(first);
      let j = k + 1;
      while (j < order.length && fonts[order[j]] === fonts[first] && odd(order[j]) === rtl && order[j] === order[j - 1] + (rtl ? -1 : 1)) j++;
      const lo = rtl ? order[j - 1] : first;
      const hi = rtl ? first : order[j - 1];
      let logical = '';
      for (let i = lo; i <= hi; i++) if (!CONTROL.test(text[i])) logical += (rtl && mirrored?.get(i)) || text[i];
      const arabicLetters = ARABIC_LETTER.test(logical);
      const piece: Piece = rtl && !arabicLetters
        ? { text: [...logical].reverse().join(''), font: fonts[first], rtl: false, oneByOne: false, width: 0 } // neutrals between right-to-left words: already in display order
        : { text: logical, font: fonts[first], rtl, oneByOne: !rtl && ARABIC.test(logical), width: 0 };
      piece.width = piece.oneByOne ? [...piece.text].reduce((sum, c) => sum + this.runWidth(piece.font, c, size), 0) : this.runWidth(piece.font, piece.text, size);
      pieces.push(piece);
      k = j;
    }
    const used = new Set<Script>(['latin']);
    for (let i = start; i < Math.max(end, start + 1) && i < text.length; i++) used.add(scriptOfFont(fonts[i]));
    const ascent = Math.max(...[...used].map((s) => ASCENT[s])) * size;
    const descent = Math.max(...[...used].map((s) => DESCENT[s])) * size;
    return { pieces, width: pieces.reduce((sum, p) => sum + p.width, 0), height: ascent + descent, ascent, source: text.slice(start, end) };
  }

  /** Width of text[start, end) as drawn (runs of one font measured whole, so that shaping counts). */
  private measure(a: Analysed, start: number, end: number, size: number): number {
    let width = 0;
    let from = start;
    const rtlAt = (i: number) => (a.levels ? a.levels.levels[i] % 2 === 1 : false);
    for (let i = start + 1; i <= end; i++) {
      if (i < end && a.fonts[i] === a.fonts[from] && rtlAt(i) === rtlAt(from)) continue;
      const run = a.text.slice(from, i).replace(new RegExp(CONTROL.source, 'g'), '');
      width += this.runWidth(a.fonts[from], run, size);
      from = i;
    }
    return width;
  }

  private runWidth(font: string, text: string, size: number): number {
    if (!text) return 0;
    const key = `${font}\u0000${text}`;
    let perPoint = this.widths.get(key);
    if (perPoint === undefined) {
      perPoint = this.withFont(font, (f) => f.widthOfString(text, 1)) * SCALE[scriptOfFont(font)];
      this.widths.set(key, perPoint);
    }
    return perPoint * size;
  }

  /** Runs `use` with pdfkit's font object for `name`, leaving the document's current font and size as they were. */
  private withFont<T>(name: string, use: (font: PdfkitFont) => T): T {
    const doc = this.doc as unknown as { _font: PdfkitFont; _fontSize: number; _fontFamily: string };
    const saved = { font: doc._font, size: doc._fontSize, family: doc._fontFamily };
    this.doc.font(name);
    try {
      return use(doc._font);
    } finally {
      Object.assign(doc, { _font: saved.font, _fontSize: saved.size, _fontFamily: saved.family });
    }
  }

  private covers(font: string, codePoint: number): boolean {
    const key = `${font}\u0000${codePoint}`;
    let has = this.coverage.get(key);
    if (has === undefined) {
      has = this.withFont(font, (f) => f.font.hasGlyphForCodePoint(codePoint));
      this.coverage.set(key, has);
    }
    return has;
  }
}

/** The parts of pdfkit's embedded font used here (not in its published types). */
interface PdfkitFont {
  ascender: number;
  widthOfString(text: string, size: number): number;
  font: { hasGlyphForCodePoint(codePoint: number): boolean };
}

type Analysed = ReturnType<Typesetter['analyse']>;

function scriptOf(char: string): Script | null {
  if (ARABIC.test(char)) return 'arabic';
  if (CJK.test(char)) return 'cjk';
  if (NEUTRAL.test(char)) return null;
  return 'latin';
}

function scriptOfFont(name: string): Script {
  return name === FONT_NAMES.arabic.body || name === FONT_NAMES.arabic.bold ? 'arabic' : name === FONT_NAMES.cjk.body || name === FONT_NAMES.cjk.bold ? 'cjk' : 'latin';
}

const isHighSurrogate = (text: string, i: number) => /[\ud800-\udbff]/.test(text[i]);
const isLowSurrogate = (text: string, i: number) => i > 0 && /[\udc00-\udfff]/.test(text[i]) && isHighSurrogate(text, i - 1);

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}
