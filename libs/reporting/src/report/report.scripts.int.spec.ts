import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { buildReportModel } from './report.build';
import { renderParticipantsCsv } from './report.csv';
import { fixtureSource } from './report.fixture';
import type { ReportModel } from './report.model';
import { renderReportPdf } from './report.pdf';

// The report in Arabic (right to left, shaped, mixed with Latin names and figures), Chinese (a subset of a
// CJK font, lines broken between characters) and Cyrillic. The expected words are written here, not taken
// from templates/report/ (for Russian, Spanish and Portuguese: country names, which come from Intl).

const ARABIC_TITLE = 'ورشة العمل حول الذكاء الاصطناعي في الصحة العامة';
const CHINESE_TITLE = '人工智能赋能公共卫生、教育与农业发展高级别国际研讨会暨部长级政策对话与合作伙伴关系建设专题会议';
const RUSSIAN_TITLE = 'Искусственный интеллект для государственного управления';
const HOST = 'Institute for Digital Public Goods';
/** pdftotext marks right-to-left and embedded runs with these controls: not part of the text. */
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

interface Word {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
}

describe('report PDF in Arabic, Chinese and Cyrillic', () => {
  let dir: string;
  const model = (title: string): ReportModel => {
    const m = buildReportModel(fixtureSource());
    return { ...m, workshop: { ...m.workshop, title, hostInstitution: HOST } };
  };
  const render = async (title: string, language: string) => {
    const file = path.join(dir, `${language}.pdf`);
    writeFileSync(file, await renderReportPdf(model(title), language, { createdAt: new Date('2025-10-25T08:00:00Z') }));
    return file;
  };
  const text = (file: string, page?: number) =>
    execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(BIDI_CONTROLS, '');
  const words = (file: string, page: number): Word[] => {
    const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
      // -bbox gives a word's letters in the order they stand on the page: an Arabic word's backwards.
      text: /[\u0600-\u06ff]/.test(m[4]) ? [...m[4].replace(BIDI_CONTROLS, '')].reverse().join('') : m[4].replace(BIDI_CONTROLS, ''),
      xMin: Number(m[1]),
      yMin: Number(m[2]),
      xMax: Number(m[3]),
    }));
  };
  /** The word on the page (the one on `line`'s line when it is written more than once). */
  const find = (list: Word[], word: string, line?: Word) => {
    const found = list.filter((w) => w.text === word).sort((a, b) => Math.abs(a.yMin - (line?.yMin ?? 0)) - Math.abs(b.yMin - (line?.yMin ?? 0)))[0];
    if (!found) throw new Error(`No word ${word} among ${list.map((w) => w.text).join(' ')}`);
    return found;
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'report-scripts-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes Arabic shaped and right to left, Latin names inside it in their own order, tables mirrored', async () => {
    const file = await render(ARABIC_TITLE, 'ar');
    const first = text(file, 1).replace(/\s+/g, ' ');
    // The sentence comes back whole, in logical order, letter for letter (no presentation forms).
    expect(first).toContain(ARABIC_TITLE);
    expect(first).toContain('تقرير ورشة العمل');
    expect(first).toContain(`باستضافة ${HOST}`);
    expect(first).not.toMatch(/[\ufb50-\ufdff\ufe70-\ufeff]/);

    // Letters are joined: the Arabic font holds several glyphs (initial, medial, final forms) for lam and meem.
    const maps = toUnicodeMaps(file);
    expect(Math.max(...maps.map((m) => m.filter((u) => u === 0x0644).length))).toBeGreaterThanOrEqual(3);
    expect(Math.max(...maps.map((m) => m.filter((u) => u === 0x0645).length))).toBeGreaterThanOrEqual(2);

    // On the page: the title's words run from the right; the host's Latin name stands left of "باستضافة", its words left to right.
    const page = words(file, 1);
    const about = find(page, 'حول');
    expect(find(page, 'الذكاء', about).yMin).toBeCloseTo(about.yMin, 0);
    expect(about.xMin).toBeGreaterThan(find(page, 'الذكاء', about).xMax);
    expect(find(page, 'العمل', about).xMin).toBeGreaterThan(about.xMax);
    expect(find(page, 'باستضافة').xMin).toBeGreaterThan(find(page, 'Goods').xMax);
    expect(find(page, 'Institute').xMax).toBeLessThan(find(page, 'Digital').xMin);
    expect(find(page, 'Digital').xMax).toBeLessThan(find(page, 'Goods').xMin);
    // Right-aligned: the host's line ends at the right margin.
    expect(find(page, 'باستضافة').xMax).toBeCloseTo(595.28 - 56, 0);

    // Participants by country (page 4): the first column, the country, is on the right.
    const table = words(file, 4);
    const invited = find(table, 'المدعوون');
    expect(find(table, 'الدولة', invited).xMin).toBeGreaterThan(invited.xMax);
    expect(find(table, 'الدولة', invited).xMax).toBeGreaterThan(500);
  });

  it('writes Chinese with a subset of its font embedded, Latin names on the same line, long lines broken between characters', async () => {
    const file = await render(CHINESE_TITLE, 'zh');
    const first = text(file, 1);
    const compact = first.replace(/\s+/g, '');
    expect(compact).toContain(CHINESE_TITLE);
    expect(compact).toContain('研讨会报告');
    expect(first.replace(/\s+/g, ' ')).toMatch(/主办单位：\s?Institute for Digital Public Goods/);

    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n');
    const cjk = fonts.filter((line) => /NotoSansSC/.test(line));
    expect(cjk.length).toBeGreaterThan(0);
    for (const line of cjk) expect(line).toMatch(/^[A-Z]{6}\+NotoSansSC-\w+\s.*\syes\s+yes\s+yes\s/);

    // The title (no spaces in it) takes several lines, none past the right margin.
    const titleWords = words(file, 1).filter((w) => /[\u4e00-\u9fff]/.test(w.text) && CHINESE_TITLE.includes(w.text));
    expect(new Set(titleWords.map((w) => Math.round(w.yMin))).size).toBeGreaterThanOrEqual(2);
    for (const w of titleWords) expect(w.xMax).toBeLessThanOrEqual(595.28 - 56 + 0.5);
  });

  it('writes Cyrillic with the Latin fonts, and leaves a report without Arabic or Chinese free of their fonts', async () => {
    const file = await render(RUSSIAN_TITLE, 'fr');
    expect(text(file, 1).replace(/\s+/g, ' ')).toContain(RUSSIAN_TITLE);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans/);
    expect(fonts).not.toMatch(/Amiri|NotoSansSC/);
  });

  it('writes an Arabic or Chinese name in an English report with its own font, shaped and in order', async () => {
    const arabic = await render(ARABIC_TITLE, 'en');
    expect(text(arabic, 1).replace(/\s+/g, ' ')).toContain(ARABIC_TITLE);
    expect(execFileSync('pdffonts', [arabic], { encoding: 'utf8' })).toMatch(/[A-Z]{6}\+Amiri-Bold/);
    const page = words(arabic, 1);
    const about = find(page, 'حول');
    expect(find(page, 'العمل', about).xMin).toBeGreaterThan(about.xMax);
    const chinese = await render(CHINESE_TITLE, 'en');
    expect(text(chinese, 1).replace(/\s+/g, '')).toContain(CHINESE_TITLE);
  });

  it.each([
    ['ru', ['Кения', 'Египет', 'Бразилия']],
    ['es', ['Kenia', 'Egipto', 'Brasil']],
    ['pt', ['Quênia', 'Egito', 'Brasil']],
  ])('writes the %s report in its own words with the Latin and Cyrillic fonts alone', async (language, countries) => {
    const file = await render(RUSSIAN_TITLE, language);
    const all = text(file).replace(/\s+/g, ' ');
    expect(all).toContain(RUSSIAN_TITLE);
    for (const country of countries) expect(all).toContain(country);
    expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).not.toMatch(/Amiri|NotoSansSC/);
  });

  it('writes the Arabic CSV with Arabic headers, its columns in logical order', () => {
    const csv = renderParticipantsCsv(model(ARABIC_TITLE), 'ar');
    const [header] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(header.split(',').slice(0, 4)).toEqual(['رمز الدولة', 'الدولة', 'الجهة', 'الاسم الكامل']);
  });
});

/** Each embedded font's ToUnicode map, as the code points of its glyphs (one entry per glyph). */
function toUnicodeMaps(file: string): number[][] {
  const pdf = readFileSync(file);
  const maps: number[][] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream\n', at);
    if (start < 0) break;
    const end = pdf.indexOf('\nendstream', start);
    let body: string;
    try {
      body = inflateSync(pdf.subarray(start + 7, end)).toString('latin1');
    } catch {
      body = '';
    }
    at = end + 10;
    if (!body.includes('begincmap')) continue;
    const codes: number[] = [];
    for (const range of body.matchAll(/<[0-9a-f]+> <[0-9a-f]+> \[([^\]]*)\]/gi)) for (const hex of range[1].matchAll(/<([0-9a-f]+)>/gi)) codes.push(parseInt(hex[1].slice(0, 4), 16));
    for (const single of body.matchAll(/^<[0-9a-f]+> <([0-9a-f]+)>$/gim)) codes.push(parseInt(single[1].slice(0, 4), 16));
    maps.push(codes);
  }
  return maps;
}
