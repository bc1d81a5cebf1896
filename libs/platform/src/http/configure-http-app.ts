import formBody from '@fastify/formbody';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger as NestLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { MetricsRegistry } from '../metrics/metrics';
import { AppConfig } from '../config/app-config';
import { OPENAPI_PAGES, type OpenApiPaths, setupOpenApi } from '../openapi/openapi';
import { servedOverHttps } from './cookies';
import { securityHeaders } from './security-headers';
import { ProblemDetailsFilter } from './problem-details.filter';
import { correlationIdOf, logRequest, PROCESS_LOGGER } from '../logging/logging';
import { plainProblem, ProblemException, validationPipe } from './problem';
import { writeHeaders } from './write-headers';
import { refuseDeepNesting } from './nesting-limit';

/** JSON bodies up to 2 MB; forms (the RSVP and activation pages) are small. */
const BODY_LIMIT = 2 * 1024 * 1024;
const FORM_LIMIT = 100 * 1024;

/**
 * The HTTP server under Nest, before any route: request ids, body size, trailing slashes, early errors,
 * and the client's address (`request.ip`): the socket's peer, or the address forwarded by a reverse proxy
 * in `trustedProxies` (X-Forwarded-For, read from the right, as far as the proxies named go).
 */
export function createHttpAdapter(trustedProxies: string[] = []): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    // The correlation id is the request's id: the request logger and every appended event carry it.
    genReqId: correlationIdOf,
    bodyLimit: BODY_LIMIT,
    // As before on Express: /api/me/ is /api/me.
    routerOptions: { ignoreTrailingSlash: true },
    // Errors found before any route runs (an address that does not decode) answer as problem+json too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void reply.status(status).type('application/problem+json').send(JSON.stringify(plainProblem(status, error.message)));
    },
  });
}

/** What every HTTP app needs once it is created: logging, body parsing, security headers, validation, problem+json errors, metrics, OpenAPI. */
export async function configureHttpApp(app: NestFastifyApplication, options: { openApiPaths?: OpenApiPaths } = {}): Promise<INestApplication> {
  app.useLogger(app.get(NestLogger));
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  parseBodies(fastify);
  writeHeaders(fastify);
  securityHeaders(fastify, { https: servedOverHttps(app.get(AppConfig)), fixedPages: OPENAPI_PAGES });
  await app.register(formBody as never, { bodyLimit: FORM_LIMIT } as never);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Correlation-Id', request.id);
    done();
  });
  const metrics = app.get(MetricsRegistry);
  const logger = app.get<Logger>(PROCESS_LOGGER);
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    logRequest(logger, request, reply);
    done();
  });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  setupOpenApi(app, options.openApiPaths);
  return app;
}

/**
 * JSON bodies, as objects or arrays only: an empty one is no body (a POST that takes none may still say
 * application/json), anything else that does not parse to an object is a 400, and so is one nested too
 * deep (naming its fields).
 */
function parseBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    const body = (text as string).trim();
    if (body === '') return done(null, undefined);
    if (body[0] !== '{' && body[0] !== '[') return done(malformed(), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return done(malformed(), undefined);
    }
    try {
      refuseDeepNesting(parsed);
    } catch (err) {
      return done(err as Error, undefined);
    }
    done(null, parsed);
  });
}

const malformed = () => new ProblemException(400, 'malformed-body', 'Bad Request', 'The body is not valid JSON: send an object');
