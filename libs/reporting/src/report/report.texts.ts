import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dateRange, localDay, localTime, zoneLabel, zoneName } from './report.local-time';

/**
 * The words of a report in one language, as data: `templates/report/<language>.json`, a flat object of
 * labels where `{{name}}` is replaced by a value. A label missing from a language falls back to English;
 * a language without a file is English throughout. Country names come from the runtime's Unicode data
 * (Intl.DisplayNames), so a new language needs only its file; its optional `locale` label ("en-GB")
 * says how numbers and dates are written.
 */
export interface ReportTexts {
  /** The language the report is written in: the one asked for if it has a file, else 'en'. */
  language: string;
  label(key: string, values?: Record<string, string | number>): string;
  /** A label that may not exist (a session kind or status added later): `fallback` when no file has it. */
  labelOr(key: string, fallback: string): string;
  /** A sector or theme as recorded ("green development"), named in the language if its file names it. */
  topic(value: string): string;
  country(code: string): string;
  /** Items one after another as the language lists them ("health, education"; Chinese "卫生、教育"). */
  list(items: string[]): string;
  /** A language named in this one (`ar` -> "Arabic", "arabe"), from the runtime's Unicode data; the code when it has no name. */
  languageName(code: string): string;
  /** Compares two names as the language sorts them (ties broken by code units, so the order is total). */
  compare(a: string, b: string): number;
  number(value: number): string;
  /** "42 %" or "42%", as the language writes it; a dash when the whole is 0. */
  percent(part: number, whole: number): string;
  /** "23–25 October 2025". */
  dates(startsOn: string, endsOn: string): string;
  /**
   * The date of an instant in the workshop's zone ("2025-10-23T01:00:00Z" in Asia/Shanghai -> "23 Oct 2025");
   * without a zone, the local date written in the ISO date-time.
   */
  day(isoDateTime: string, timeZone?: string): string;
  /** The time of an instant in the workshop's zone ("09:00"); without a zone, the one written in the ISO date-time. */
  time(isoDateTime: string, timeZone?: string): string;
  /** The zone named for readers: "China Standard Time (Asia/Shanghai)". */
  zone(timeZone: string, at?: string): string;
  /** A session's day and times in the zone, the zone named: "21 Oct 2025, 09:00–12:30 China Standard Time". */
  sessionTimes(startsAt: string, endsAt: string, timeZone: string): string;
}

type Labels = Record<string, string>;

const files = new Map<string, Labels | null>();

/** `templates/report/` beside the project's package.json, found from this file in the sources and in dist/. */
export function reportTemplatesDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates', 'report'))) return path.join(dir, 'templates', 'report');
  }
  throw new Error('No templates/report/ folder found beside package.json');
}

function load(dir: string, language: string): Labels | null {
  if (!/^[a-z]{2,3}$/.test(language)) return null;
  const file = path.join(dir, `${language}.json`);
  if (!files.has(file)) files.set(file, existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Labels) : null);
  return files.get(file)!;
}

export function reportTexts(requested: string, dir: string = reportTemplatesDir()): ReportTexts {
  const english = load(dir, 'en');
  if (!english) throw new Error(`No English report labels in ${dir}`);
  const base = requested.toLowerCase().split(/[-_]/)[0];
  const own = load(dir, base);
  const language = own ? base : 'en';
  const labels: Labels = { ...english, ...(own ?? {}) };
  // How numbers, dates and country names are written: the file's "locale" (en-GB, fr-FR), else the language.
  const locale = (own ?? english).locale ?? language;
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const longDate = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const shortDate = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const collator = new Intl.Collator(locale, { sensitivity: 'variant', numeric: true });
  const regions = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  const languageNames = new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' });
  const utcDay = (isoDate: string) => new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);

  const label = (key: string, values: Record<string, string | number> = {}) => {
    const text = labels[key];
    if (text === undefined) throw new Error(`No report label ${key}`);
    return text.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, (_, name: string) => {
      if (!(name in values)) throw new Error(`Report label ${key} needs a value for ${name}`);
      const value = values[name];
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };

  return {
    language,
    label,
    labelOr: (key, fallback) => (key in labels ? label(key) : fallback),
    topic: (value) => labels[`topic.${value.trim().toLowerCase()}`] ?? value.charAt(0).toLocaleUpperCase(locale) + value.slice(1),
    country: (code) => {
      try {
        return regions.of(code.toUpperCase()) ?? code;
      } catch {
        return code;
      }
    },
    list: (items) => items.join(labels.listSeparator),
    languageName: (code) => {
      try {
        const name = languageNames.of(code) ?? code;
        // Capitalised as a cell or label starts ("anglais" -> "Anglais"); scripts without case are unchanged.
        return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
      } catch {
        return code;
      }
    },
    compare: (a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0),
    number: (value) => numbers.format(value),
    percent: (part, whole) => (whole > 0 ? percents.format(part / whole) : '–'),
    dates: (startsOn, endsOn) => (startsOn === endsOn ? longDate.format(utcDay(startsOn)) : dateRange(longDate, utcDay(startsOn), utcDay(endsOn))),
    day: (iso, timeZone) => (timeZone ? localDay(iso, timeZone, locale) : shortDate.format(utcDay(iso))),
    time: (iso, timeZone) => (timeZone ? localTime(iso, timeZone, locale) : iso.slice(11, 16)),
    zone: (timeZone, at) => zoneLabel(timeZone, locale, at),
    sessionTimes: (startsAt, endsAt, timeZone) => {
      const endDay = localDay(endsAt, timeZone, locale);
      const end = endDay === localDay(startsAt, timeZone, locale) ? localTime(endsAt, timeZone, locale) : `${endDay}, ${localTime(endsAt, timeZone, locale)}`;
      return `${localDay(startsAt, timeZone, locale)}, ${localTime(startsAt, timeZone, locale)}–${end} ${zoneName(timeZone, locale, startsAt)}`;
    },
  };
}
