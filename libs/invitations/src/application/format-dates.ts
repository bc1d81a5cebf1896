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
  return startsOn === endsOn ? format.format(start) : format.formatRange(start, end);
}
