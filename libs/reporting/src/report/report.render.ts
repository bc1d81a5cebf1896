import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReportModel } from './report.model';

export interface RenderedReportFile {
  kind: 'pdf' | 'csv' | 'proposals-csv';
  language: string;
  content: Buffer;
}

/**
 * The report's files (PDF, participants CSV, proposals CSV) for each language, rendered in a worker
 * thread so that the caller's event loop keeps running meanwhile. From the sources (tests, scripts) the
 * thread compiles its TypeScript as it loads; from dist/ it runs the compiled file.
 */
export function renderReportFiles(model: ReportModel, languages: string[], createdAt: Date): Promise<RenderedReportFile[]> {
  const fromSources = __filename.endsWith('.ts');
  const entry = path.join(__dirname, `report.render-thread${fromSources ? '.ts' : '.js'}`);
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, {
      workerData: { model, languages, createdAt: createdAt.toISOString() },
      execArgv: fromSources ? ['--require', '@swc-node/register'] : [],
    });
    worker.once('message', (files: RenderedReportFile[]) => resolve(files.map((f) => ({ ...f, content: Buffer.from(f.content) }))));
    worker.once('error', reject);
    worker.once('exit', (code) => code === 0 || reject(new Error(`The report renderer stopped with exit code ${code}`)));
  });
}
