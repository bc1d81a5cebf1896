import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Params } from 'nestjs-pino';
import pino, { type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { ADDRESS_KEYS, REDACTED, redactedUrl, redactPaths } from './credentials';
import { logsGoToTerminal, prettyStream } from './pretty-output';

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A request's correlation id: its X-Correlation-Id (or X-Request-Id) if sane, else a new one. Kept on the
 * request, so the HTTP framework and the request log give the same id.
 */
export function correlationIdOf(request: IncomingMessage & { id?: unknown }): string {
  if (typeof request.id === 'string') return request.id;
  const given = request.headers[CORRELATION_HEADER] ?? request.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  request.id = id;
  return id;
}

/** Nest's token for the process's pino logger. */
export const PROCESS_LOGGER = Symbol('PROCESS_LOGGER');

/**
 * Nest's start-up chatter: one line per module loaded and per route mapped (about a hundred in all).
 * Shown at debug; at info a start says where the API listens and that the worker runs.
 */
const STARTUP_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

const INFO = 30;

const isStartupChatter = (first: unknown): boolean =>
  typeof first === 'object' && first !== null && STARTUP_CHATTER.has((first as { context?: unknown }).context as string);

/** Where the process's logs go: readable lines or JSON lines, on stdout unless a destination is given. */
export interface LogOutput {
  pretty: boolean;
  destination?: pino.DestinationStream;
  /** Colours in readable lines; by default when the terminal supports them. */
  colorize?: boolean;
}

/** An address logged anywhere (`url`, `path`, `req.url`) loses its secrets. */
const addressSerializer = (value: unknown) => (typeof value === 'string' ? redactedUrl(value) : value);
const requestSerializer = (req: unknown) =>
  typeof req === 'object' && req !== null && typeof (req as { url?: unknown }).url === 'string'
    ? { ...req, url: redactedUrl((req as { url: string }).url) }
    : req;
const SERIALIZERS: Record<string, (value: unknown) => unknown> = {
  req: requestSerializer,
  ...Object.fromEntries(ADDRESS_KEYS.map((key) => [key, addressSerializer])),
};

/**
 * The process's one pino logger: credentials redacted (the one list in credentials.ts: fields, headers,
 * and the secrets in any logged address), the service on every line; JSON lines, or readable lines when
 * they go to a person's terminal (redaction happens before either is written).
 */
export function createLogger(
  config: Pick<AppConfig, 'LOG_LEVEL' | 'NODE_ENV'>,
  output: LogOutput = { pretty: logsGoToTerminal(config) },
): Logger {
  const destination = output.pretty ? prettyStream(output.destination, output.colorize) : output.destination;
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { pid: process.pid, hostname: hostname(), service: 'passerelle' },
    redact: { paths: redactPaths(), censor: REDACTED },
    serializers: SERIALIZERS,
    hooks: {
      logMethod(args, method, level) {
        if (level === INFO && isStartupChatter(args[0])) return this.debug(...(args as Parameters<Logger['debug']>));
        return method.apply(this, args);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * nestjs-pino for Nest's own logger (`new Logger('Context')` everywhere) over the process's logger, and
 * no request middleware of its own: requests are logged by `logRequest`, from the HTTP framework's hook.
 * Its middleware made a child logger per request and ran each request in an AsyncLocalStorage, which
 * turns on Node's promise hooks for every promise: together about a twentieth of a command's time.
 */
export function loggingParams(logger: Logger): Params {
  return { pinoHttp: { logger }, forRoutes: [] };
}

const UNLOGGED = /^\/(health|metrics)(\?|$)/;

/**
 * One line per answered request (not /health or /metrics): `request completed` at info, or `request
 * errored` at error for a 5xx, with the correlation id, method, path (secrets redacted), client address,
 * status and time taken in ms. Nothing is built when the level is off.
 */
export function logRequest(logger: Logger, request: FastifyRequest, reply: FastifyReply): void {
  const failed = reply.statusCode >= 500;
  if (!logger.isLevelEnabled(failed ? 'error' : 'info') || UNLOGGED.test(request.url)) return;
  const line = {
    // The logger's serializer redacts the address (credentials.ts).
    req: { id: request.id, method: request.method, url: request.url, remoteAddress: request.ip },
    res: { statusCode: reply.statusCode },
    responseTime: Math.round(reply.elapsedTime),
  };
  if (failed) logger.error(line, 'request errored');
  else logger.info(line, 'request completed');
}
