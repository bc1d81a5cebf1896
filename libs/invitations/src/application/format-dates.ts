const formats = new Map<string, Intl.DateTimeFormat>();

/** "23 – 25 October 2025" in the reader's language. */
export function formatDates(startsOn: string, endsOn: string, language: string): string {
  let format = formats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    formats.set(language, format);
  }
  const start = new Date(`${startsOn}T00:00:00Z`);
  const end = new Date(`${endsOn}T00:00:00Z`);
  return startsOn === endsOn ? format.format(start) : format.formatRange(start, end);
}
