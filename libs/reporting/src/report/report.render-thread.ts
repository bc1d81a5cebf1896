// Runs in a worker thread (see report.render.ts): rendering PDFs is seconds of CPU that must not stall
// the worker's event loop, which renews BullMQ's job locks and runs the other jobs meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { renderParticipantsCsv, renderProposalsCsv } from './report.csv';
import type { ReportModel } from './report.model';
import { renderReportPdf } from './report.pdf';

interface Input {
  model: ReportModel;
  languages: string[];
  createdAt: string;
}

async function render({ model, languages, createdAt }: Input) {
  const files = [];
  for (const language of languages) {
    files.push({ kind: 'pdf', language, content: await renderReportPdf(model, language, { createdAt: new Date(createdAt) }) });
    files.push({ kind: 'csv', language, content: Buffer.from(renderParticipantsCsv(model, language), 'utf8') });
    files.push({ kind: 'proposals-csv', language, content: Buffer.from(renderProposalsCsv(model, language), 'utf8') });
  }
  return files;
}

render(workerData as Input).then((files) => parentPort!.postMessage(files));
