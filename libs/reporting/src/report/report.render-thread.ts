// Runs in a worker thread (see report.render.ts): rendering PDFs is seconds of CPU that must not stall
// the worker's event loop, which renews BullMQ's job locks and runs the other jobs meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { renderParticipantsCsv, renderProposalsCsv } from './report.csv';
import { type MinistryFilesRequest, ministryEdition } from './report.ministry';
import type { ReportModel } from './report.model';
import { renderReportPdf } from './report.pdf';

/** The staff's files in each of `languages`, or, with `ministries`, each ministry's edition. */
export interface RenderInput {
  model: ReportModel;
  languages?: string[];
  ministries?: MinistryFilesRequest[];
  createdAt: string;
}

async function staffFiles(model: ReportModel, languages: string[], createdAt: Date) {
  const files = [];
  for (const language of languages) {
    files.push({ kind: 'pdf', language, content: await renderReportPdf(model, language, { createdAt }) });
    files.push({ kind: 'csv', language, content: Buffer.from(renderParticipantsCsv(model, language), 'utf8') });
    files.push({ kind: 'proposals-csv', language, content: Buffer.from(renderProposalsCsv(model, language), 'utf8') });
  }
  return files;
}

async function ministryFiles(model: ReportModel, ministries: MinistryFilesRequest[], createdAt: Date) {
  const files = [];
  for (const { country, language } of ministries) {
    const edition = ministryEdition(model, country);
    const pdf = await renderReportPdf(edition, language, { createdAt, country });
    const csv = Buffer.from(renderParticipantsCsv(edition, language, { emails: false }), 'utf8');
    files.push({ country, language, pdf, csv });
  }
  return files;
}

async function render({ model, languages, ministries, createdAt }: RenderInput) {
  const at = new Date(createdAt);
  return ministries ? ministryFiles(model, ministries, at) : staffFiles(model, languages ?? [], at);
}

render(workerData as RenderInput).then((files) => parentPort!.postMessage(files));
