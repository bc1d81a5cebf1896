import type { ReportModel } from './report.model';
import { reportTexts } from './report.texts';

/** Byte order mark: lets spreadsheet programs read the file as UTF-8, so accents show. */
const BOM = '\uFEFF';

/**
 * One field as RFC 4180 wants it: quoted when it holds a comma, a quote, a line break or surrounding
 * blanks, quotes doubled. A field that a spreadsheet would take for a formula (starting with =, +, -,
 * @, tab or carriage return) is prefixed with an apostrophe, so that opening the file runs nothing.
 */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV: comma-separated, CRLF after every record, UTF-8 with a BOM. */
export function toCsv(rows: (string | number)[][]): string {
  return BOM + rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

export interface ParticipantsCsvOptions {
  templatesDir?: string;
  /** Whether the e-mail column is written: the staff's file has it, a ministry's file never does. */
  emails?: boolean;
}

/**
 * One row per invitation: country (code and name), organisation, full name, e-mail (unless `emails` is
 * false), position, invitation status, the number of sessions attended and, in programme order separated
 * by "; ", each one's title with its day and times where the workshop happens, the zone named ("Opening
 * (21 Oct 2025, 09:00–12:30 China Standard Time)"). Headers and names in `language` (English by default);
 * rows in the model's order.
 */
export function renderParticipantsCsv(model: ReportModel, language = 'en', options: ParticipantsCsvOptions = {}): string {
  const t = reportTexts(language, options.templatesDir);
  const emails = options.emails ?? true;
  const titles = new Map(model.sessions.map((s) => [s.sessionId, `${s.title} (${t.sessionTimes(s.startsAt, s.endsAt, model.workshop.timeZone)})`]));
  const header = ['csv.countryCode', 'csv.country', 'csv.organization', 'csv.fullName', 'csv.email', 'csv.position', 'csv.status', 'csv.sessionsAttended', 'csv.sessions'];
  const keep = (_: unknown, column: number) => emails || header[column] !== 'csv.email';
  return toCsv([
    header.map((key) => t.label(key)).filter(keep),
    ...model.participants.map((p) =>
      [
        p.country,
        t.country(p.country),
        p.organization,
        p.fullName,
        p.email,
        p.position ?? '',
        t.labelOr(`status.${p.status}`, p.status),
        p.sessionsAttended.length,
        p.sessionsAttended.map((id) => titles.get(id) ?? id).join('; '),
      ].filter(keep),
    ),
  ]);
}

/**
 * One row per submitted proposal linked to the workshop: title, partner institution, sectors and
 * countries (codes, separated by "; "), status, and the partnership it became (status, date), if any.
 */
export function renderProposalsCsv(model: ReportModel, language = 'en', templatesDir?: string): string {
  const t = reportTexts(language, templatesDir);
  const header = ['csv.proposal', 'csv.institution', 'csv.sectors', 'csv.countries', 'csv.proposalStatus', 'csv.partnership', 'csv.establishedOn'];
  return toCsv([
    header.map((key) => t.label(key)),
    ...model.proposals.map((p) => [
      p.title,
      p.institution,
      p.sectors.join('; '),
      p.countries.join('; '),
      t.labelOr(`proposal.${p.status}`, p.status),
      p.partnership ? t.labelOr(`partnership.${p.partnership.status}`, p.partnership.status) : '',
      p.partnership?.establishedOn ?? '',
    ]),
  ]);
}
