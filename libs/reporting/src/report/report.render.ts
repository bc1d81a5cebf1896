import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MinistryFilesRequest } from './report.ministry';
import type { ReportModel } from './report.model';
import type { RenderInput } from './report.render-thread';

export interface RenderedReportFile {
  kind: 'pdf' | 'csv' | 'proposals-csv';
  language: string;
  content: Buffer;
}

/** A ministry's edition: the PDF (aggregate figures, its own country's page) and its own participants' CSV (no e-mail addresses). */
export interface RenderedMinistryFiles extends MinistryFilesRequest {
  pdf: Buffer;
  csv: Buffer;
}

/**
 * The report's files (PDF, participants CSV, proposals CSV) for each language, rendered in a worker
 * thread so that the caller's event loop keeps running meanwhile: one thread per language, one after
 * the other. A thread's memory (its fonts, pdfkit's shaping caches, the garbage of a long document) is
 * given back when it ends; seven languages in one thread took some 520 MB at peak for a 1,000-participant
 * report, one at a time under 280 MB (bench:report).
 */
export async function renderReportFiles(model: ReportModel, languages: string[], createdAt: Date): Promise<RenderedReportFile[]> {
  const files: RenderedReportFile[] = [];
  for (const language of languages) {
    const rendered = await inThread<RenderedReportFile[]>({ model, languages: [language], createdAt: createdAt.toISOString() });
    files.push(...rendered.map((f) => ({ ...f, content: Buffer.from(f.content) })));
  }
  return files;
}

/** Each ministry's edition (see ministryEdition), in the same kind of worker thread. */
export async function renderMinistryFiles(model: ReportModel, ministries: MinistryFilesRequest[], createdAt: Date): Promise<RenderedMinistryFiles[]> {
  if (!ministries.length) return [];
  const files = await inThread<RenderedMinistryFiles[]>({ model, ministries, createdAt: createdAt.toISOString() });
  return files.map((f) => ({ ...f, pdf: Buffer.from(f.pdf), csv: Buffer.from(f.csv) }));
}

/**
 * Runs the render thread on `input`. From the sources (tests, scripts) the thread compiles its
 * TypeScript as it loads; from dist/ it runs the compiled file.
 */
function inThread<T>(input: RenderInput): Promise<T> {
  const fromSources = __filename.endsWith('.ts');
  const entry = path.join(__dirname, `report.render-thread${fromSources ? '.ts' : '.js'}`);
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: input, execArgv: fromSources ? ['--require', '@swc-node/register'] : [] });
    // Answered once the thread has ended, so that the next one starts with this one's memory given back.
    let files: { value: T } | undefined;
    worker.once('message', (value: T) => (files = { value }));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 && files ? resolve(files.value) : reject(new Error(`The report renderer stopped with exit code ${code}`))));
  });
}
