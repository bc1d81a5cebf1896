import type { CountryFigures, ReportModel, ReportProposal } from './report.model';
import type { Layout } from './report.pdf-layout';
import type { ReportTexts } from './report.texts';

/** Room a section needs for its heading, its table's header and a first row or two. */
const SECTION_ROOM = 70;

/** "Approved · Partnership since 3 Nov 2025": a proposal's state in one cell. */
export function proposalState(p: ReportProposal, t: ReportTexts): string {
  const status = t.labelOr(`proposal.${p.status}`, p.status);
  return p.partnership ? `${status} · ${t.label('proposal.partnership', { date: t.day(p.partnership.establishedOn) })}` : status;
}

/**
 * One page for one country: its figures beside all countries', its participants, the sessions they
 * attended and the proposals naming it. Lists that do not fit are cut with a pointer to the CSV, so
 * the section is always exactly one page.
 */
export function countryPage(layout: Layout, model: ReportModel, figures: CountryFigures, t: ReportTexts): void {
  const name = t.country(figures.country);
  const more = (count: number) => t.label('more', { count });
  layout.sectionTitle(name, `${t.label('country.kicker')} · ${model.workshop.title}`);
  layout.paragraph(t.label('country.share', { country: name, invited: figures.invited, total: model.totals.invited, share: t.percent(figures.invited, model.totals.invited), attended: figures.attended }));
  layout.keyFigures(
    [
      { value: t.number(figures.invited), label: t.label('figure.invited') },
      { value: t.number(figures.accepted), label: t.label('figure.accepted') },
      { value: t.number(figures.declined), label: t.label('figure.declined') },
      { value: t.number(figures.attended), label: t.label('figure.attended') },
    ],
    4,
  );

  const people = model.participants.filter((p) => p.country === figures.country);
  const proposals = model.proposals.filter((p) => p.countries.includes(figures.country));
  layout.subheading(t.label('country.participants'));
  layout.table(
    [
      { label: t.label('col.name'), weight: 3 },
      { label: t.label('col.organization'), weight: 3.4 },
      { label: t.label('col.answer'), weight: 1.6 },
      { label: t.label('col.sessionsAttended'), weight: 1.3, align: 'right' },
    ],
    people.map((p) => [p.fullName, p.organization, t.labelOr(`status.${p.status}`, p.status), t.number(p.sessionsAttended.length)]),
    { fit: true, maxRows: 12, maxBottom: layout.doc.y + layout.space * 0.45, more },
  );

  const sessions = model.sessions
    .map((s) => ({ s, present: people.filter((p) => p.sessionsAttended.includes(s.sessionId)).length }))
    .filter(({ present }) => present > 0);
  if (layout.space < SECTION_ROOM) return;
  layout.subheading(t.label('country.sessions'));
  if (sessions.length === 0) layout.paragraph(t.label('none'));
  else {
    layout.table(
      [
        { label: t.label('col.session'), weight: 4.4 },
        { label: t.label('col.kind'), weight: 1.8 },
        { label: t.label('col.date'), weight: 1.6 },
        { label: t.label('col.present'), weight: 1.1, align: 'right' },
      ],
      sessions.map(({ s, present }) => [s.title, t.labelOr(`kind.${s.kind}`, s.kind), t.day(s.startsAt, model.workshop.timeZone), `${t.number(present)} / ${t.number(people.length)}`]),
      { fit: true, maxRows: 8, maxBottom: layout.doc.y + Math.max(SECTION_ROOM, layout.space - 2 * SECTION_ROOM), more },
    );
  }

  if (layout.space < SECTION_ROOM) return;
  layout.subheading(t.label('country.proposals', { country: name }));
  if (proposals.length === 0) layout.paragraph(t.label('country.noProposals', { country: name }));
  else {
    layout.table(
      [
        { label: t.label('col.title'), weight: 3.6 },
        { label: t.label('col.institution'), weight: 2.4 },
        { label: t.label('col.sector'), weight: 1.8 },
        { label: t.label('col.status'), weight: 2.2 },
      ],
      proposals.map((p) => [p.title, p.institution, t.list(p.sectors.map(t.topic)), proposalState(p, t)]),
      { fit: true, more },
    );
  }
}
