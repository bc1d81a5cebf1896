import { dateRange, localSessionTimes, zoneLabel } from '@passerelle/workshops';

const formats = new Map<string, Intl.DateTimeFormat>();
/** Formatting a range costs tens of microseconds, and a workshop's thousands of e-mails ask for the same few. */
const formatted = new Map<string, string>();

/** "23 – 25 October 2025" in the reader's language. */
export function formatDates(startsOn: string, endsOn: string, language: string): string {
  const key = `${startsOn} ${endsOn} ${language}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = formatUncached(startsOn, endsOn, language);
    if (formatted.size >= 1000) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

function formatUncached(startsOn: string, endsOn: string, language: string): string {
  let format = formats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    formats.set(language, format);
  }
  const start = new Date(`${startsOn}T00:00:00Z`);
  const end = new Date(`${endsOn}T00:00:00Z`);
  return startsOn === endsOn ? format.format(start) : dateRange(format, start, end);
}

/** A session as participants are told of it. */
export interface ProgrammeSession {
  title: string;
  startsAt: string;
  endsAt: string;
  location: string | null;
}

/** Sessions by start, then end, then title. */
export function programmeOrder<S extends ProgrammeSession>(sessions: S[]): S[] {
  return [...sessions].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.endsAt.localeCompare(b.endsAt) || a.title.localeCompare(b.title));
}

/**
 * The programme as participants read it, one line per session, in programme order: its day and times
 * where the workshop happens, the zone named, in the reader's language, then its title and place
 * ("23 October 2025, 09:00–12:00 China Standard Time: Opening session, Main auditorium").
 * `none` when no session is planned yet.
 */
export function formatProgramme(sessions: ProgrammeSession[], timeZone: string, language: string, none: string): string {
  if (sessions.length === 0) return none;
  return programmeOrder(sessions)
    .map((s) => `${localSessionTimes(s.startsAt, s.endsAt, timeZone, language)}: ${s.title}${s.location ? `, ${s.location}` : ''}`)
    .join('\n');
}

/** The workshop's zone named for its participants: "China Standard Time (Asia/Shanghai)", as on its first day. */
export function formatTimeZone(timeZone: string, startsOn: string, language: string): string {
  return zoneLabel(timeZone, language, `${startsOn}T12:00:00Z`);
}
