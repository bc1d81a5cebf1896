import { isCalendarDate } from './partnership.terms';

describe('calendar dates of a term', () => {
  it('are real days written YYYY-MM-DD, from year 1 to 9999', () => {
    for (const day of ['2031-06-30', '2032-02-29', '0001-01-01', '9999-12-31']) expect({ day, ok: isCalendarDate(day) }).toEqual({ day, ok: true });
    // Year 0 is a date to JavaScript, not to PostgreSQL: a term the read model could not store.
    for (const day of ['0000-01-01', '0000-12-31', '2031-02-29', '2031-13-01', '2031-6-30', '+2031-06-30', '2031-06-30T00:00:00Z', ' 2031-06-30', '', 20310630, null]) {
      expect({ day, ok: isCalendarDate(day) }).toEqual({ day, ok: false });
    }
  });
});
