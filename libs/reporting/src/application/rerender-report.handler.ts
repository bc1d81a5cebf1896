import { Injectable } from '@nestjs/common';
import { type EventMetadata, loadAggregate, runCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { workshopStream } from '@passerelle/workshops';
import { reportDecider, reportStream } from '../domain/report.decider';
import { checksummed, replaceReportFiles } from '../infrastructure/report-files.store';
import { loadCompiledReportModel } from '../report/report.loader';
import { renderReportFiles } from '../report/report.render';

/** What became of a re-rendering asked for. */
export type RerenderOutcome = 'rerendered' | 'already rerendered' | 'not compiled';

/**
 * Renders a compiled report's files again after a participant's erasure: from the model stored at
 * compilation, in the same languages and with the same date, every erased participant written "[erased]"
 * (see loadCompiledReportModel), everything else (figures, proposals, the order of rows) as compiled.
 * The new files replace the old ones in the transaction that records ReportRerendered, once per erased
 * subject. Re-renderings of one report wait for each other (a lock per workshop), so the last to commit
 * has read every erasure committed before it: no erased name comes back. A report not compiled yet is
 * left alone when its workshop has not concluded (it will be compiled without them); when the workshop
 * has concluded, its compilation may have read the person before the erasure, so the job fails and is
 * tried again until the report is compiled, then renders it again. Deliveries already sent are not sent again.
 */
@Injectable()
export class RerenderReportHandler {
  constructor(private readonly store: PostgresEventStore) {}

  async execute(workshopId: string, subjectId: string, metadata: Partial<EventMetadata>): Promise<RerenderOutcome> {
    const { state } = await loadAggregate(this.store, reportStream(workshopId), reportDecider);
    if (state.status === 'none') {
      const workshop = await this.store.readStream(workshopStream(workshopId));
      if (workshop.some((e) => e.type === 'WorkshopConcluded')) throw new Error(`The report of workshop ${workshopId} is being compiled: rendered again once it is`);
      return 'not compiled';
    }
    if (state.rerenderedFor?.includes(subjectId)) return 'already rerendered';
    const languages = [...new Set(state.files.map((f) => f.language))].sort();
    const createdAt = new Date(state.compiledAt);
    const result = await runCommand(this.store, { metadata }, async (session) => {
      await session.tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', ['report-rerender', workshopId]);
      const model = await loadCompiledReportModel(session.tx, workshopId);
      // Rendering is CPU work: done in a worker thread, as at compilation.
      const files = (await renderReportFiles(model, languages, createdAt)).map((f) => checksummed(f.kind, f.language, f.content));
      await replaceReportFiles(session.tx, workshopId, files);
      const command = {
        type: 'RerenderReport' as const,
        workshopId,
        subjectId,
        at: new Date().toISOString(),
        files: files.map(({ kind, language, checksum }) => ({ kind, language, checksum })),
      };
      return session.decide(reportStream(workshopId), reportDecider, command);
    });
    return result.events.length > 0 ? 'rerendered' : 'already rerendered';
  }
}
