import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A request's correlation id: its X-Correlation-Id (or X-Request-Id) if sane, else a new one. Kept on the
 * request, so the HTTP framework and the request logger give the same id.
 */
export function correlationIdOf(request: IncomingMessage & { id?: unknown }): string {
  if (typeof request.id === 'string') return request.id;
  const given = request.headers[CORRELATION_HEADER] ?? request.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  request.id = id;
  return id;
}

/** pino-http settings: one correlation id per request (taken from X-Correlation-Id if sane), secrets redacted. */
export function loggingParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      // The HTTP framework has set it already (it answers it in X-Correlation-Id); this is a fallback.
      genReqId: correlationIdOf,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.body.token', '*.password', '*.passwordHash'],
        censor: '[redacted]',
      },
      // The path as the client sent it: middleware may see a shortened req.url.
      autoLogging: { ignore: (request: IncomingMessage & { originalUrl?: string }) => /^\/(health|metrics)(\?|$)/.test(request.originalUrl ?? request.url ?? '') },
      // On every line of the process (not a child logger made per request, which costs each request).
      base: { pid: process.pid, hostname: hostname(), service: 'passerelle' },
      // Links sent by e-mail carry secrets in their path: keep them out of the logs.
      serializers: {
        req: (request: { url?: string }) => ({ ...request, url: request.url?.replace(/\/(rsvp|activate)\/[^/?#]+/g, '/$1/[redacted]') }),
      },
    },
  };
}
