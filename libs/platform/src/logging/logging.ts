import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** pino-http settings: one correlation id per request (taken from X-Correlation-Id if sane), secrets redacted. */
export function loggingParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      genReqId: (request: IncomingMessage, response: ServerResponse) => {
        const given = request.headers[CORRELATION_HEADER] ?? request.headers['x-request-id'];
        const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
        response.setHeader('X-Correlation-Id', id);
        return id;
      },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.body.token', '*.password', '*.passwordHash'],
        censor: '[redacted]',
      },
      autoLogging: { ignore: (request: IncomingMessage) => request.url === '/health' || request.url === '/metrics' },
      // On every line of the process (not a child logger made per request, which costs each request).
      base: { pid: process.pid, hostname: hostname(), service: 'passerelle' },
      // Links sent by e-mail carry secrets in their path: keep them out of the logs.
      serializers: {
        req: (request: { url?: string }) => ({ ...request, url: request.url?.replace(/\/(rsvp|activate)\/[^/?#]+/g, '/$1/[redacted]') }),
      },
    },
  };
}
