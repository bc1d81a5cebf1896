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
