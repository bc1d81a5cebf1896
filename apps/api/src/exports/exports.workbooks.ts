import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ReportTexts } from '@passerelle/reporting';
import { wallClock } from '@passerelle/workshops';
import { exportTexts } from './exports.texts';

/** A proposal as the proposals workbook lists it (read from the read models by ExportQueries). */
export interface ProposalExportRow {
  id: string;
  title: string;
  institution: string | null;
  institutionCountry: string | null;
  /** The title of the call for proposals it answers; null (an empty cell) for a proposal to no call. */
  call: string | null;
  status: string;
  round: number;
  /** The mean score of the current round's reviews; null when it has none. */
  averageScore: number | null;
  reviews: number;
  approvals: number;
  sectors: string[];
  countries: string[];
  durationMonths: number;
  budget: { amount: number; currency: string } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A partnership as the partnerships workbook lists it. */
export interface PartnershipExportRow {
  id: string;
  institution: string | null;
  institutionCountry: string | null;
  proposal: string | null;
  countries: string[];
  status: string;
  establishedAt: Date;
  /** The term's first day and its end date, from which it reads expired (midnight UTC); `endsOn` null for a partnership established before terms were recorded, until staff set one. */
  startsOn: Date | null;
  endsOn: Date | null;
}

/** A participant (one invitation) as the participants workbook lists them; personal fields read "[erased]" for an erased person. */
export interface ParticipantExportRow {
  fullName: string;
  organization: string;
  position: string | null;
  country: string;
  language: string;
  status: string;
  emailedAt: Date | null;
  respondedAt: Date | null;
  /** Titles of the sessions attended, in programme order. */
  sessions: string[];
}

/** A session of the workshop's programme, as its Sessions sheet lists it. */
export interface SessionExportRow {
  kind: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
}

/** What the participants workbook is made of: the workshop's zone, its programme and its participants. */
export interface ParticipantsExport {
  /** The venue's IANA zone: every time in the workbook is its wall-clock time there, the zone named in the headers. */
  timeZone: string;
  /** In programme order. */
  sessions: SessionExportRow[];
  participants: ParticipantExportRow[];
}

type Value = string | number | Date | null;

/**
 * How an instant is written in a cell. A spreadsheet's dates have no zone (exceljs writes a Date's UTC
 * figures), so a time to be read where the workshop happens is given as its wall-clock figures there.
 */
type Clock = (instant: Date | null) => Date | null;
const utc: Clock = (instant) => instant;
const localTo = (timeZone: string): Clock => (instant) => (instant ? new Date(`${wallClock(instant.toISOString(), timeZone)}Z`) : null);

/**
 * A column: its header's label key (`{{zone}}` in a label names the zone of its times), its width in
 * characters, and the number format of its cells.
 */
interface Column<Row> {
  header: string;
  width: number;
  format?: string;
  value(row: Row, t: ReportTexts, clock: Clock): Value;
}

const DATE = 'yyyy-mm-dd';
const DATE_TIME = 'yyyy-mm-dd hh:mm';
const list = (values: string[]) => values.join('; ');

const PROPOSAL_COLUMNS: Column<ProposalExportRow>[] = [
  { header: 'proposals.title', width: 40, value: (p) => p.title },
  { header: 'proposals.institution', width: 32, value: (p) => p.institution },
  { header: 'proposals.institutionCountry', width: 12, value: (p) => p.institutionCountry },
  { header: 'proposals.call', width: 28, value: (p) => p.call },
  { header: 'proposals.status', width: 20, value: (p, t) => t.labelOr(`proposal.${p.status}`, p.status) },
  { header: 'proposals.round', width: 8, format: '0', value: (p) => p.round },
  { header: 'proposals.averageScore', width: 14, format: '0.00', value: (p) => p.averageScore },
  { header: 'proposals.reviews', width: 10, format: '0', value: (p) => p.reviews },
  { header: 'proposals.approvals', width: 11, format: '0', value: (p) => p.approvals },
  { header: 'proposals.sectors', width: 30, value: (p) => list(p.sectors) },
  { header: 'proposals.countries', width: 18, value: (p) => list(p.countries) },
  { header: 'proposals.durationMonths', width: 10, format: '0', value: (p) => p.durationMonths },
  { header: 'proposals.budgetAmount', width: 14, format: '#,##0.00', value: (p) => p.budget?.amount ?? null },
  { header: 'proposals.budgetCurrency', width: 9, value: (p) => p.budget?.currency ?? null },
  { header: 'proposals.createdAt', width: 17, format: DATE_TIME, value: (p) => p.createdAt },
  { header: 'proposals.updatedAt', width: 17, format: DATE_TIME, value: (p) => p.updatedAt },
];

const PARTNERSHIP_COLUMNS: Column<PartnershipExportRow>[] = [
  { header: 'partnerships.institution', width: 32, value: (p) => p.institution },
  { header: 'partnerships.institutionCountry', width: 12, value: (p) => p.institutionCountry },
  { header: 'partnerships.proposal', width: 40, value: (p) => p.proposal },
  { header: 'partnerships.countries', width: 18, value: (p) => list(p.countries) },
  { header: 'partnerships.status', width: 14, value: (p, t) => t.labelOr(`partnership.${p.status}`, p.status) },
  { header: 'partnerships.establishedOn', width: 14, format: DATE, value: (p) => p.establishedAt },
  { header: 'partnerships.startsOn', width: 14, format: DATE, value: (p) => p.startsOn },
  { header: 'partnerships.endsOn', width: 14, format: DATE, value: (p) => p.endsOn },
];

const PARTICIPANT_COLUMNS: Column<ParticipantExportRow>[] = [
  { header: 'participants.fullName', width: 28, value: (p) => p.fullName },
  { header: 'participants.organization', width: 36, value: (p) => p.organization },
  { header: 'participants.position', width: 24, value: (p) => p.position },
  { header: 'participants.country', width: 9, value: (p) => p.country },
  { header: 'participants.language', width: 11, value: (p, t) => t.languageName(p.language) },
  { header: 'participants.status', width: 18, value: (p, t) => t.labelOr(`status.${p.status}`, p.status) },
  { header: 'participants.emailedAt', width: 17, format: DATE_TIME, value: (p, _, clock) => clock(p.emailedAt) },
  { header: 'participants.respondedAt', width: 17, format: DATE_TIME, value: (p, _, clock) => clock(p.respondedAt) },
  { header: 'participants.sessionsAttended', width: 10, format: '0', value: (p) => p.sessions.length },
  { header: 'participants.sessions', width: 50, value: (p) => list(p.sessions) },
];

const SESSION_COLUMNS: Column<SessionExportRow>[] = [
  { header: 'sessions.kind', width: 18, value: (s, t) => t.labelOr(`kind.${s.kind}`, s.kind) },
  { header: 'sessions.title', width: 40, value: (s) => s.title },
  { header: 'sessions.startsAt', width: 17, format: DATE_TIME, value: (s, _, clock) => clock(s.startsAt) },
  { header: 'sessions.endsAt', width: 17, format: DATE_TIME, value: (s, _, clock) => clock(s.endsAt) },
  { header: 'sessions.location', width: 30, value: (s) => s.location },
];

/** The invitation statuses a summary counts, in this order. */
const SUMMARY_STATUSES = ['accepted', 'declined', 'emailed', 'issued', 'bounced'] as const;

/** A workbook written as it is built, row by row, to `output`: rows are not kept once committed. */
function streamingWorkbook(output: Writable) {
  return new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
}

/** A sheet with its columns' widths and formats, its header row in bold, frozen, with filters on. */
function sheetWith(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: { header: string; width: number; format?: string }[]) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
  sheet.columns = columns.map((c, i) => ({ key: String(i), width: c.width, style: c.format ? { numFmt: c.format } : {} }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  return sheet;
}

/** Rows of cells, their times written by `clock` (UTC unless told). */
async function writeRows<Row>(sheet: ExcelJS.Worksheet, columns: Column<Row>[], rows: Iterable<Row> | AsyncIterable<Row>, t: ReportTexts, clock: Clock = utc): Promise<void> {
  for await (const row of rows) sheet.addRow(columns.map((c) => c.value(row, t, clock))).commit();
}

/** Headers in the language of `t`, the zone of their times named (`{{zone}}`) when given. */
const labelled = <Row>(columns: Column<Row>[], t: ReportTexts, zone?: string) => columns.map((c) => ({ ...c, header: t.label(c.header, zone ? { zone } : undefined) }));

/** A sheet name Excel accepts: at most 31 characters, none of \ / ? * [ ] :, and not one already taken. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const clean = wanted.replace(/[\\/?*[\]:]/g, ' ').trim().slice(0, 31) || 'Sheet';
  let name = clean;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${clean.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * The proposals workbook: one sheet, a row per proposal in the order given, written to `output` as the
 * rows come (bounded memory whatever their number). Resolves once the file is complete.
 */
export async function writeProposalsWorkbook(rows: Iterable<ProposalExportRow> | AsyncIterable<ProposalExportRow>, language: string, output: Writable): Promise<void> {
  const t = exportTexts(language);
  const workbook = streamingWorkbook(output);
  const sheet = sheetWith(workbook, t.label('sheet.proposals'), labelled(PROPOSAL_COLUMNS, t));
  await writeRows(sheet, PROPOSAL_COLUMNS, rows, t);
  sheet.commit();
  await workbook.commit();
}

/** The partnerships workbook: one sheet, a row per partnership in the order given, streamed like the proposals'. */
export async function writePartnershipsWorkbook(rows: Iterable<PartnershipExportRow> | AsyncIterable<PartnershipExportRow>, language: string, output: Writable): Promise<void> {
  const t = exportTexts(language);
  const workbook = streamingWorkbook(output);
  const sheet = sheetWith(workbook, t.label('sheet.partnerships'), labelled(PARTNERSHIP_COLUMNS, t));
  await writeRows(sheet, PARTNERSHIP_COLUMNS, rows, t);
  sheet.commit();
  await workbook.commit();
}

/**
 * A workshop's participants: first a summary sheet (a row per country with its invitations counted by
 * status, then a row for all countries), then the programme (a row per session), then a sheet per
 * country named after it in the language, its participants in the order given. Countries in the
 * language's alphabetical order of their names. Every time is the venue's local time, its zone named in
 * the column's header.
 */
export async function writeParticipantsWorkbook({ timeZone, sessions, participants }: ParticipantsExport, language: string, output: Writable): Promise<void> {
  const t = exportTexts(language);
  const clock = localTo(timeZone);
  const byCountry = new Map<string, ParticipantExportRow[]>();
  for (const p of participants) {
    if (!byCountry.has(p.country)) byCountry.set(p.country, []);
    byCountry.get(p.country)!.push(p);
  }
  const countries = [...byCountry.keys()].sort((a, b) => t.compare(t.country(a), t.country(b)));
  const workbook = streamingWorkbook(output);
  const taken = new Set<string>();

  const summaryColumns = [
    { header: t.label('summary.countryCode'), width: 9 },
    { header: t.label('summary.country'), width: 28 },
    ...SUMMARY_STATUSES.map((status) => ({ header: t.label(`summary.status.${status}`), width: 14, format: '0' })),
    { header: t.label('summary.total'), width: 10, format: '0' },
  ];
  const summary = sheetWith(workbook, sheetName(t.label('sheet.summary'), taken), summaryColumns);
  const counts = (rows: ParticipantExportRow[]) => [...SUMMARY_STATUSES.map((status) => rows.filter((p) => p.status === status).length), rows.length];
  for (const country of countries) summary.addRow([country, t.country(country), ...counts(byCountry.get(country)!)]).commit();
  const total = summary.addRow([null, t.label('summary.all'), ...counts(participants)]);
  total.font = { bold: true };
  total.commit();
  summary.commit();

  const programme = sheetWith(workbook, sheetName(t.label('sheet.sessions'), taken), labelled(SESSION_COLUMNS, t, timeZone));
  await writeRows(programme, SESSION_COLUMNS, sessions, t, clock);
  programme.commit();

  const columns = labelled(PARTICIPANT_COLUMNS, t, timeZone);
  for (const country of countries) {
    const sheet = sheetWith(workbook, sheetName(`${country} ${t.country(country)}`, taken), columns);
    await writeRows(sheet, PARTICIPANT_COLUMNS, byCountry.get(country)!, t, clock);
    sheet.commit();
  }
  await workbook.commit();
}
