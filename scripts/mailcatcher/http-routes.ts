import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Mailbox } from './mailbox';
import { listJson, messageJson } from './mailpit-json';
import { listPage, messagePage, notFoundPage } from './pages';
import { matches } from './search';

type Answer = { status: number; type: string; body: string | Buffer; headers?: Record<string, string> };

const json = (value: unknown, status = 200): Answer => ({ status, type: 'application/json; charset=utf-8', body: JSON.stringify(value) });
const html = (body: string, status = 200): Answer => ({ status, type: 'text/html; charset=utf-8', body });
const notFound = (api: boolean): Answer => (api ? { status: 404, type: 'text/plain; charset=utf-8', body: 'Not found' } : html(notFoundPage(), 404));

/**
 * The catcher's HTTP side: the two pages, and the part of Mailpit's API (v1) that scripts read:
 * list, search, one message, its attachments and source, and deleting messages.
 */
export function httpHandler(mailbox: Mailbox): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    route(mailbox, request).then(
      (answer) => {
        response.writeHead(answer.status, { 'Content-Type': answer.type, 'Cache-Control': 'no-store', ...answer.headers });
        response.end(answer.body);
      },
      (err: Error) => {
        response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(err.message);
      },
    );
  };
}

async function route(mailbox: Mailbox, request: IncomingMessage): Promise<Answer> {
  const url = new URL(request.url ?? '/', 'http://catcher');
  const path = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method ?? 'GET';
  const page = () => ({ start: Math.max(0, Number(url.searchParams.get('start')) || 0), limit: Math.max(1, Number(url.searchParams.get('limit')) || 50) });

  if (method === 'GET' && path.length === 0) return html(listPage(mailbox.all()));
  if (method === 'GET' && path[0] === 'messages' && path.length === 2) {
    const message = mailbox.get(path[1]);
    if (!message) return notFound(false);
    message.read = true;
    return html(messagePage(message));
  }
  if (path[0] !== 'api' || path[1] !== 'v1') return notFound(false);

  const [, , resource, id, sub, partId] = path;
  if (resource === 'messages' && path.length === 3) {
    if (method === 'GET') {
      const { start, limit } = page();
      return json(listJson(mailbox.all(), mailbox.all(), start, limit));
    }
    if (method === 'DELETE') {
      const ids = idsToDelete(await readBody(request));
      if (ids === null) return { status: 400, type: 'text/plain; charset=utf-8', body: 'Expected no body, or {"IDs": ["..."]}' };
      mailbox.delete(ids.length > 0 ? ids : undefined);
      return { status: 200, type: 'text/plain; charset=utf-8', body: 'ok' };
    }
  }
  if (method === 'GET' && resource === 'search' && path.length === 3) {
    const { start, limit } = page();
    const query = url.searchParams.get('query') ?? '';
    return json(listJson(mailbox.all(), mailbox.all().filter((m) => matches(m, query)), start, limit));
  }
  if (method === 'GET' && resource === 'message' && id) {
    const message = mailbox.get(id);
    if (!message) return notFound(true);
    if (path.length === 4) {
      message.read = true;
      return json(messageJson(message));
    }
    if (sub === 'raw' && path.length === 5) return { status: 200, type: 'text/plain; charset=utf-8', body: message.raw };
    if (sub === 'part' && path.length === 6) {
      const part = message.attachments.find((a) => a.partId === partId);
      if (!part) return notFound(true);
      return { status: 200, type: part.contentType, body: part.content, headers: { 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(part.fileName)}` } };
    }
  }
  return notFound(true);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** Mailpit's DELETE body: none (all messages) or `{ "IDs": [...] }`; null when it is neither. */
function idsToDelete(body: string): string[] | null {
  if (!body) return [];
  try {
    const ids = (JSON.parse(body) as { IDs?: unknown }).IDs ?? [];
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : null;
  } catch {
    return null;
  }
}
