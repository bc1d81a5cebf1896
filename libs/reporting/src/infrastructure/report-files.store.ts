import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { ReportFile } from '../domain/report.events';
import type { ImpersonalReportModel } from '../report/report.loader';

const CONTENT_TYPES: Record<ReportFile['kind'], string> = { pdf: 'application/pdf', csv: 'text/csv; charset=utf-8', 'proposals-csv': 'text/csv; charset=utf-8' };

/** A rendered file with its checksum, as ReportCompiled records it. */
export interface RenderedFile extends ReportFile {
  content: Buffer;
}

export function checksummed(kind: ReportFile['kind'], language: string, content: Buffer): RenderedFile {
  return { kind, language, checksum: createHash('sha256').update(content).digest('hex'), content };
}

/**
 * Stores a report's files in the caller's transaction (the one that records ReportCompiled, so the
 * content is fixed then); files stored already are kept as they are.
 */
export async function storeReportFiles(tx: Pick<PoolClient, 'query'>, workshopId: string, files: RenderedFile[], createdAt: Date): Promise<void> {
  for (const f of files) {
    await tx.query(
      `INSERT INTO report_files (workshop_id, kind, language, content_type, content, checksum, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workshop_id, kind, language) DO NOTHING`,
      [workshopId, f.kind, f.language, CONTENT_TYPES[f.kind], f.content, f.checksum, createdAt],
    );
  }
}

/**
 * Replaces a compiled report's files with their new rendering (after a participant's erasure), in the
 * caller's transaction (the one that records ReportRerendered): the old content is gone once it commits.
 */
export async function replaceReportFiles(tx: Pick<PoolClient, 'query'>, workshopId: string, files: RenderedFile[]): Promise<void> {
  for (const f of files) {
    await tx.query('UPDATE report_files SET content = $4, checksum = $5 WHERE workshop_id = $1 AND kind = $2 AND language = $3', [
      workshopId,
      f.kind,
      f.language,
      f.content,
      f.checksum,
    ]);
  }
}

/**
 * Stores the model a report was compiled from, without any participant's personal field, in the
 * transaction that records ReportCompiled: what the report is rendered again from after an erasure.
 */
export async function storeReportModel(tx: Pick<PoolClient, 'query'>, workshopId: string, model: ImpersonalReportModel, createdAt: Date): Promise<void> {
  await tx.query('INSERT INTO report_models (workshop_id, model, created_at) VALUES ($1, $2, $3) ON CONFLICT (workshop_id) DO NOTHING', [workshopId, JSON.stringify(model), createdAt]);
}
