/**
 * Times as a person reads them: in the workshop's own zone (where it happens, not UTC nor the reader's
 * machine), in the reader's language, with the zone named ("09:00–12:00 China Standard Time"). Formats
 * are kept per language and zone: a workshop's thousands of e-mails ask for the same few.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function format(language: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language} ${timeZone} ${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(language, { ...options, timeZone });
    if (formats.size >= 1000) formats.clear();
    formats.set(key, found);
  }
  return found;
}

/** "09:00": the hour and minute in the zone, on a 24-hour clock. */
export function localTime(instant: string, timeZone: string, language = 'en'): string {
  return format(language, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

/**
 * "2025-10-23T09:00:00": the venue's wall-clock time of an instant, without an offset, for files that
 * carry the zone beside the time (a calendar's TZID, a workbook's column header).
 */
export function wallClock(instant: string, timeZone: string): string {
  const parts = format('en-GB', timeZone, { hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
}

/** "23 Oct 2025" (or "23 October 2025" when `long`): the day in the zone. */
export function localDay(instant: string, timeZone: string, language = 'en', long = false): string {
  return format(language, timeZone, { day: 'numeric', month: long ? 'long' : 'short', year: 'numeric' }).format(new Date(instant));
}

/** The zone's name in the language at that instant ("China Standard Time", "heure normale de la Chine"). */
export function zoneName(timeZone: string, language = 'en', instant: string = new Date().toISOString()): string {
  const parts = format(language, timeZone, { timeZoneName: 'long' }).formatToParts(new Date(instant));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** "China Standard Time (Asia/Shanghai)": the zone named for people, and for calendar programs. */
export function zoneLabel(timeZone: string, language = 'en', instant?: string): string {
  const name = zoneName(timeZone, language, instant);
  return name === timeZone ? timeZone : `${name} (${timeZone})`;
}

/** "23 October 2025, 09:00–12:00 China Standard Time": a session as its participants read it. */
export function localSessionTimes(startsAt: string, endsAt: string, timeZone: string, language = 'en'): string {
  const sameDay = localDay(startsAt, timeZone, language) === localDay(endsAt, timeZone, language);
  const end = sameDay ? localTime(endsAt, timeZone, language) : `${localDay(endsAt, timeZone, language, true)}, ${localTime(endsAt, timeZone, language)}`;
  return `${localDay(startsAt, timeZone, language, true)}, ${localTime(startsAt, timeZone, language)}–${end} ${zoneName(timeZone, language, startsAt)}`;
}

/**
 * Two days as `format` writes a range ("23–25 October 2025", "3–5 марта 2026 г."). Some languages' range
 * patterns in the runtime's Unicode data drop what the single date writes in words (Chinese writes
 * "2026/3/3 – 2026/3/5" where one date reads "2026年3月3日"): when the range lacks a worded part of the
 * single date, both dates are written in full, joined by an en dash.
 */
export function dateRange(format: Intl.DateTimeFormat, start: Date, end: Date): string {
  const range = format.formatRange(start, end);
  const worded = format.formatToParts(start).filter((part) => part.type === 'literal' && /\p{L}/u.test(part.value));
  return worded.every((part) => range.includes(part.value.trim())) ? range : `${format.format(start)} – ${format.format(end)}`;
}
