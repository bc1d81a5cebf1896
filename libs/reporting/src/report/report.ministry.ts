import type { ReportModel } from './report.model';

/** One ministry's edition wanted: its country, in its language. */
export interface MinistryFilesRequest {
  country: string;
  language: string;
}

/**
 * What one country's ministry may see of a report: every aggregate figure (all countries' counts, the
 * sessions, solutions and proposals), and of the participants only its own country's, without their
 * e-mail addresses. The staff keep the whole model; this edition is what a ministry's e-mail is made of.
 */
export function ministryEdition(model: ReportModel, country: string): ReportModel {
  return {
    ...model,
    participants: model.participants.filter((p) => p.country === country).map((p) => ({ ...p, email: '' })),
  };
}
