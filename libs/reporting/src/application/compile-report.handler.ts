import { Injectable } from '@nestjs/common';
import { type EventMetadata, loadAggregate, runCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { INVITATION_READ_MODEL } from '@passerelle/invitations';
import { INSTITUTION_READ_MODEL } from '@passerelle/partners';
import { PARTNERSHIP_READ_MODEL } from '@passerelle/partnerships';
import { EventStorePool, ReadModels } from '@passerelle/platform';
import { PROPOSAL_READ_MODEL } from '@passerelle/proposals';
import { WORKSHOP_READ_MODEL, workshopStream } from '@passerelle/workshops';
import { ministryDecider } from '../domain/ministry.decider';
import { reportDecider, type ReportState, reportStream } from '../domain/report.decider';
import { checksummed, storeReportFiles, storeReportModel } from '../infrastructure/report-files.store';
import { impersonalReportModel, loadReportModel } from '../report/report.loader';
import { renderReportFiles } from '../report/report.render';
import { reportTexts } from '../report/report.texts';
import { ministryStream } from './set-ministry-contact';

/** The read models a report is loaded from. */
const SOURCES = [WORKSHOP_READ_MODEL, INVITATION_READ_MODEL, PROPOSAL_READ_MODEL, PARTNERSHIP_READ_MODEL, INSTITUTION_READ_MODEL];

/** How long the sources may take to reach the workshop's conclusion before the job fails (and is retried). */
const SOURCES_WAIT_MS = 30_000;

/**
 * Compiles a concluded workshop's report once: its files (one set per language of the participating
 * countries' ministries) are stored in the transaction that records ReportCompiled, so the content is
 * fixed then, with the model they were rendered from (no participant's personal field in it), which
 * rendering the report again after an erasure starts from. A report compiled already is left as it is. Null when the workshop has not concluded.
 */
@Injectable()
export class CompileReportHandler {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly pool: EventStorePool,
    private readonly readModels: ReadModels,
  ) {}

  async execute(workshopId: string, metadata: Partial<EventMetadata>): Promise<ReportState | null> {
    const { state } = await loadAggregate(this.store, reportStream(workshopId), reportDecider);
    if (state.status === 'compiled') return state;
    const workshop = await this.store.readStream(workshopStream(workshopId));
    const concluded = workshop.find((e) => e.type === 'WorkshopConcluded');
    if (!concluded) return null;
    // The report shows everything up to the conclusion: its sources must have got there.
    await this.readModels.reached(SOURCES, concluded.position, SOURCES_WAIT_MS);
    return this.compile(workshopId, concluded.recordedAt, metadata);
  }

  private async compile(workshopId: string, concludedAt: Date, metadata: Partial<EventMetadata>): Promise<ReportState> {
    const model = await loadReportModel(this.pool, workshopId);
    const countries = model.countries.map((c) => c.country);
    const languages = new Set<string>();
    for (const country of countries) {
      const { state } = await loadAggregate(this.store, ministryStream(country), ministryDecider);
      // Files are kept under the language they are written in: English for a language without texts.
      languages.add(reportTexts(state.status === 'set' ? state.contact.language : 'en').language);
    }
    // Rendering is CPU work (about a second for a large workshop): done in a worker thread.
    const rendered = await renderReportFiles(model, [...languages].sort(), concludedAt);
    const files = rendered.map((f) => checksummed(f.kind, f.language, f.content));
    await runCommand(this.store, { metadata }, async (session) => {
      await storeReportFiles(session.tx, workshopId, files, concludedAt);
      await storeReportModel(session.tx, workshopId, impersonalReportModel(model), concludedAt);
      const command = {
        type: 'CompileReport' as const,
        workshopId,
        compiledAt: concludedAt.toISOString(),
        files: files.map(({ kind, language, checksum }) => ({ kind, language, checksum })),
        countries,
      };
      return session.decide(reportStream(workshopId), reportDecider, command);
    });
    return (await loadAggregate(this.store, reportStream(workshopId), reportDecider)).state;
  }
}
