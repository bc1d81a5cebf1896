import type {
  CountryFigures,
  ParticipantFigures,
  ParticipantStatus,
  ProposalFigures,
  ReportModel,
  ReportParticipant,
  ReportProposal,
  ReportSession,
  ReportWorkshop,
  SessionKindFigures,
} from './report.model';

/** The read-model rows a report is made of, as the loader reads them (any order). */
export interface ReportSource {
  workshop: Omit<ReportWorkshop, 'themes'> & { themes: string[] };
  sessions: Omit<ReportSession, 'attendees'>[];
  solutions: { solutionId: string; sessionId: string; company: string; title: string; sector: string }[];
  invitations: (Omit<ReportParticipant, 'sessionsAttended'> & { attendedSessions: string[] })[];
  /** Proposals whose workshop is this one, drafts included: `round` is 0 until first submitted. */
  proposals: (Omit<ReportProposal, 'sectors' | 'countries'> & { sectors: string[]; countries: string[]; round: number })[];
}

/** The programme's order of session kinds; a kind not listed comes after them, by name. */
export const SESSION_KIND_ORDER = ['study', 'field_visit', 'roundtable', 'solutions_sharing'];

const collator = new Intl.Collator('en', { sensitivity: 'variant', numeric: true });

/** Compares by each key in turn with a fixed collation, and finally by code units, so that no two distinct rows tie. */
export function byKeys<T>(...keys: ((item: T) => string)[]) {
  return (a: T, b: T): number => {
    for (const key of keys) {
      const order = collator.compare(key(a), key(b)) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
      if (order) return order;
    }
    return 0;
  };
}

const sortedUnique = (values: string[]) => [...new Set(values)].sort(byKeys((v) => v));

export function buildReportModel(source: ReportSource): ReportModel {
  const sessionOrder = [...source.sessions].sort(byKeys((s) => s.startsAt, (s) => s.endsAt, (s) => s.sessionId));
  const sessionIds = new Set(sessionOrder.map((s) => s.sessionId));
  const participants: ReportParticipant[] = source.invitations
    .map(({ attendedSessions, ...invitation }) => {
      const attended = new Set(attendedSessions.filter((id) => sessionIds.has(id)));
      return { ...invitation, sessionsAttended: sessionOrder.map((s) => s.sessionId).filter((id) => attended.has(id)) };
    })
    .sort(byKeys((p) => p.country, (p) => p.organization, (p) => p.fullName, (p) => p.email, (p) => p.invitationId));

  const sessions: ReportSession[] = sessionOrder.map((s) => ({
    ...s,
    attendees: participants.filter((p) => p.sessionsAttended.includes(s.sessionId)).length,
  }));
  const titles = new Map(sessions.map((s) => [s.sessionId, s.title]));
  const proposals = source.proposals
    .filter((p) => p.round > 0)
    .map(({ round: _round, ...p }) => ({ ...p, sectors: sortedUnique(p.sectors), countries: sortedUnique(p.countries) }))
    .sort(byKeys((p) => p.title, (p) => p.proposalId));

  return {
    workshop: { ...source.workshop, themes: sortedUnique(source.workshop.themes) },
    sessions,
    sessionsByKind: kindFigures(sessions),
    countries: countryFigures(participants),
    totals: participantFigures(participants),
    solutions: source.solutions
      .map((s) => ({ solutionId: s.solutionId, company: s.company, title: s.title, sector: s.sector, session: titles.get(s.sessionId) ?? null }))
      .sort(byKeys((s) => s.company, (s) => s.title, (s) => s.solutionId)),
    proposals,
    proposalsBySector: proposalFigures(proposals, (p) => p.sectors),
    proposalsByCountry: proposalFigures(proposals, (p) => p.countries),
    proposalTotals: countProposals('', proposals),
    participants,
  };
}

export function participantFigures(participants: { status: ParticipantStatus; sessionsAttended: string[] }[]): ParticipantFigures {
  const count = (...statuses: ParticipantStatus[]) => participants.filter((p) => statuses.includes(p.status)).length;
  return {
    invited: participants.length,
    accepted: count('accepted'),
    declined: count('declined'),
    noReply: count('issued', 'emailed'),
    bounced: count('bounced'),
    attended: participants.filter((p) => p.sessionsAttended.length > 0).length,
    attendances: participants.reduce((sum, p) => sum + p.sessionsAttended.length, 0),
  };
}

function countryFigures(participants: ReportParticipant[]): CountryFigures[] {
  return sortedUnique(participants.map((p) => p.country)).map((country) => ({
    country,
    ...participantFigures(participants.filter((p) => p.country === country)),
  }));
}

function kindFigures(sessions: ReportSession[]): SessionKindFigures[] {
  const rank = (kind: string) => (SESSION_KIND_ORDER.includes(kind) ? SESSION_KIND_ORDER.indexOf(kind) : SESSION_KIND_ORDER.length);
  return sortedUnique(sessions.map((s) => s.kind))
    .sort((a, b) => rank(a) - rank(b) || byKeys<string>((k) => k)(a, b))
    .map((kind) => {
      const ofKind = sessions.filter((s) => s.kind === kind);
      return { kind, sessions: ofKind.length, attendances: ofKind.reduce((sum, s) => sum + s.attendees, 0) };
    });
}

function proposalFigures(proposals: ReportProposal[], keysOf: (p: ReportProposal) => string[]): ProposalFigures[] {
  return sortedUnique(proposals.flatMap(keysOf)).map((key) => countProposals(key, proposals.filter((p) => keysOf(p).includes(key))));
}

function countProposals(key: string, proposals: ReportProposal[]): ProposalFigures {
  return {
    key,
    submitted: proposals.length,
    approved: proposals.filter((p) => p.status === 'approved').length,
    rejected: proposals.filter((p) => p.status === 'rejected').length,
    partnerships: proposals.filter((p) => p.partnership !== null).length,
  };
}
