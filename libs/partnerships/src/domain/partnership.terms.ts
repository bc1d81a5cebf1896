/** A calendar date, `YYYY-MM-DD` (UTC for dates taken from a moment). */
export type CalendarDate = string;

/** The UTC calendar date of a moment (an ISO 8601 string or milliseconds since the epoch). */
export function utcDate(moment: string | number): CalendarDate {
  return new Date(moment).toISOString().slice(0, 10);
}

/**
 * True for a real `YYYY-MM-DD` date (not 2031-02-30), from 0001-01-01: JavaScript writes a year 0000,
 * but PostgreSQL has no year 0, and a term the read model cannot store would stop its projection.
 */
export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * `date` plus `months` calendar months. A day the target month does not have becomes that month's last
 * day: 31 January plus one month is 28 (or 29) February, 31 March plus six months is 30 September.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}
