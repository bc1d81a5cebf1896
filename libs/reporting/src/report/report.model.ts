/**
 * Everything a post-workshop report shows, fixed when the report is compiled. Plain data, every list
 * in a stated order, so that the same read model always gives the same model (and the same bytes).
 * Countries are ISO 3166-1 alpha-2 codes; sectors, themes and session kinds are kept as recorded and
 * named in the reader's language only when rendered.
 */
export interface ReportModel {
  workshop: ReportWorkshop;
  /** By start, then id. */
  sessions: ReportSession[];
  /** Kinds held, in the programme's order (study, field visit, roundtable, solutions sharing, then others by name). */
  sessionsByKind: SessionKindFigures[];
  /** Every country with at least one invitation, by code. */
  countries: CountryFigures[];
  /** The same figures over all countries. */
  totals: ParticipantFigures;
  /** By company, title, id. */
  solutions: ReportSolution[];
  /** Submitted proposals linked to the workshop (drafts never submitted are left out), by title, id. */
  proposals: ReportProposal[];
  /** By sector as recorded; a proposal counts once in each of its sectors. */
  proposalsBySector: ProposalFigures[];
  /** By country code; a proposal counts once in each of its countries. */
  proposalsByCountry: ProposalFigures[];
  /** Each proposal counted once. */
  proposalTotals: ProposalFigures;
  /** One per invitation, by country, organisation, name, e-mail, id. */
  participants: ReportParticipant[];
}

export interface ReportWorkshop {
  id: string;
  title: string;
  hostInstitution: string;
  city: string;
  country: string;
  /** YYYY-MM-DD */
  startsOn: string;
  endsOn: string;
  /** Sorted. */
  themes: string[];
  status: string;
  /**
   * The IANA zone the workshop happens in: session times are shown there. The loaders give the capital's
   * of the country for a workshop planned, or a report compiled, before zones were recorded.
   */
  timeZone: string;
}

export interface ReportSession {
  sessionId: string;
  kind: string;
  title: string;
  /** As recorded, with the organisers' offset: the report shows the local date and time written there. */
  startsAt: string;
  endsAt: string;
  location: string | null;
  /** Participants recorded as present. */
  attendees: number;
}

export interface SessionKindFigures {
  kind: string;
  sessions: number;
  /** Attendances summed over the kind's sessions (one person at two sessions counts twice). */
  attendances: number;
}

export type ParticipantStatus = 'issued' | 'emailed' | 'bounced' | 'accepted' | 'declined';

export interface ParticipantFigures {
  invited: number;
  accepted: number;
  declined: number;
  /** Invited, e-mailed, not answered. */
  noReply: number;
  /** The invitation could not be delivered. */
  bounced: number;
  /** Present at one session or more. */
  attended: number;
  /** Attendances summed over sessions. */
  attendances: number;
}

export interface CountryFigures extends ParticipantFigures {
  country: string;
}

export interface ReportSolution {
  solutionId: string;
  company: string;
  title: string;
  sector: string;
  /** The title of the session it was presented at, or null if that session is unknown. */
  session: string | null;
}

export interface ReportProposal {
  proposalId: string;
  title: string;
  institution: string;
  /** Sorted, without repeats. */
  sectors: string[];
  countries: string[];
  status: string;
  partnership: { partnershipId: string; status: string; establishedOn: string } | null;
}

export interface ProposalFigures {
  /** The sector or the country code; '' for the totals. */
  key: string;
  submitted: number;
  approved: number;
  rejected: number;
  partnerships: number;
}

export interface ReportParticipant {
  invitationId: string;
  country: string;
  organization: string;
  fullName: string;
  email: string;
  position: string | null;
  status: ParticipantStatus;
  /** Session ids, in the order of `sessions`. */
  sessionsAttended: string[];
}

