/**
 * A report's times in the workshop's own zone, in the report's locale, with the zone named. Kept apart
 * from @passerelle/workshops (which says the same for e-mails and pages) because reports are rendered in
 * a worker thread that loads nothing but the renderer.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    if (formats.size >= 1000) formats.clear();
    formats.set(key, found);
  }
  return found;
}

/** "09:00": the hour and minute of an instant in the zone, on a 24-hour clock. */
export function localTime(instant: string, timeZone: string, locale: string): string {
  return format(locale, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

/** "23 Oct 2025": the day of an instant in the zone. */
export function localDay(instant: string, timeZone: string, locale: string): string {
  return format(locale, timeZone, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(instant));
}

/** "China Standard Time": the zone's name in the locale at that instant (its IANA name if the locale has none). */
export function zoneName(timeZone: string, locale: string, instant: string = new Date().toISOString()): string {
  return format(locale, timeZone, { timeZoneName: 'long' }).formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** "China Standard Time (Asia/Shanghai)": the zone's name in the locale at that instant, and its IANA name. */
export function zoneLabel(timeZone: string, locale: string, instant?: string): string {
  const name = zoneName(timeZone, locale, instant);
  return name !== timeZone ? `${name} (${timeZone})` : timeZone;
}

/**
 * Two days as `format` writes a range, both in full when the runtime's range pattern drops a worded part
 * of the single date (Chinese "2026/3/3 – 2026/3/5" for "2026年3月3日"): the twin of dateRange in
 * @passerelle/workshops, which this thread does not load (see above).
 */
export function dateRange(format: Intl.DateTimeFormat, start: Date, end: Date): string {
  const range = format.formatRange(start, end);
  const worded = format.formatToParts(start).filter((part) => part.type === 'literal' && /\p{L}/u.test(part.value));
  return worded.every((part) => range.includes(part.value.trim())) ? range : `${format.format(start)} – ${format.format(end)}`;
}
