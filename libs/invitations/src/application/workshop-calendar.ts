import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { wallClock } from '@passerelle/workshops';
import type { ProgrammeSession } from './format-dates';

export interface WorkshopCalendar {
  workshopId: string;
  title: string;
  hostInstitution: string;
  city: string;
  startsOn: string;
  endsOn: string;
  /** The venue's IANA zone: every time in the file is written in it (TZID), with its VTIMEZONE. */
  timeZone: string;
  sessions: (ProgrammeSession & { sessionId?: string })[];
  /** Where the participant answers. */
  rsvpUrl: string;
}

/** The file attached to invitation and reminder e-mails. */
export const CALENDAR_ATTACHMENT = { filename: 'workshop.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH' } as const;

/**
 * The workshop as an iCalendar file calendar programs import (RFC 5545, written by ical-generator): one
 * event per session, at the venue's local time with its zone (TZID and VTIMEZONE), or, before any session
 * is planned, one all-day event over the workshop's dates. UIDs come from the workshop and its sessions, so
 * a reminder's file updates the invitation's entries instead of adding new ones.
 */
export function workshopCalendar(workshop: WorkshopCalendar): Buffer {
  const calendar = ical({ name: workshop.title, method: ICalCalendarMethod.PUBLISH, prodId: { company: 'Passerelle', product: 'workshops', language: 'EN' } });
  calendar.timezone({ name: workshop.timeZone, generator: getVtimezoneComponent });
  const where = `${workshop.hostInstitution}, ${workshop.city}`;
  if (workshop.sessions.length === 0) {
    calendar.createEvent({
      id: `workshop-${workshop.workshopId}@passerelle`,
      start: new Date(`${workshop.startsOn}T00:00:00Z`),
      // All-day events end on the day after the last (exclusive).
      end: new Date(Date.parse(`${workshop.endsOn}T00:00:00Z`) + 86_400_000),
      allDay: true,
      summary: workshop.title,
      location: where,
      url: workshop.rsvpUrl,
    });
  }
  workshop.sessions.forEach((session, i) => {
    calendar.createEvent({
      id: `session-${session.sessionId ?? `${workshop.workshopId}-${i}`}@passerelle`,
      // The wall-clock time at the venue, written with its TZID (a Date would be written as its UTC figures).
      start: wallClock(session.startsAt, workshop.timeZone),
      end: wallClock(session.endsAt, workshop.timeZone),
      timezone: workshop.timeZone,
      summary: `${workshop.title}: ${session.title}`,
      location: session.location ? `${session.location}, ${where}` : where,
      url: workshop.rsvpUrl,
    });
  });
  return Buffer.from(calendar.toString(), 'utf8');
}
