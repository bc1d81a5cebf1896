import { createHash } from 'node:crypto';
import type { MinistryFilesRequest } from '../report/report.ministry';
import type { ReportModel } from '../report/report.model';
import { renderMinistryFiles, type RenderedMinistryFiles } from '../report/report.render';

/**
 * The ministries' editions of the report being delivered, rendered once per process: a delivery
 * retried while the mail server is down (or the other deliveries of the same report) reuses the files
 * instead of rendering them again. Only the last report's editions are kept, under a hash of its
 * model, so a model that changed (a person erased) is rendered afresh.
 */
export class MinistryEditions {
  private last: { key: string; files: Map<string, RenderedMinistryFiles> } | null = null;

  async of(model: ReportModel, wanted: MinistryFilesRequest[], createdAt: Date): Promise<RenderedMinistryFiles[]> {
    const key = createHash('sha256').update(JSON.stringify(model)).update(createdAt.toISOString()).digest('hex');
    if (this.last?.key !== key) this.last = { key, files: new Map() };
    const cache = this.last.files;
    const name = (r: MinistryFilesRequest) => `${r.country}/${r.language}`;
    const missing = wanted.filter((r) => !cache.has(name(r)));
    for (const files of await renderMinistryFiles(model, missing, createdAt)) cache.set(name(files), files);
    return wanted.map((r) => cache.get(name(r))!);
  }
}
