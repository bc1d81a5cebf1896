import type { Response } from 'superagent';

/** A supertest parser that keeps a binary answer (a PDF, an XLSX) whole, as a Buffer in `body`. */
export function asBytes(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  // Under supertest the answer is the Node response stream itself.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
