import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type AppConfig, configureHttpApp, correlationIdOf, PROBLEM_BASE } from '@passerelle/platform';
import { ApiModule } from './api.module';

/** The API application, configured and ready to listen: used by main.ts and by the end-to-end tests. */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // The correlation id is the request's id: the request logger and every appended event carry it.
    genReqId: correlationIdOf,
    bodyLimit: 2 * 1024 * 1024,
    // As before on Express: /api/me/ is /api/me.
    routerOptions: { ignoreTrailingSlash: true },
    // Errors found before any route runs (an address that does not decode) answer as problem+json too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void reply
        .status(status)
        .type('application/problem+json')
        .send(JSON.stringify({ type: `${PROBLEM_BASE}bad-request`, title: 'Bad Request', status, detail: error.message }));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.register(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
    // Otherwise a client's idle keep-alive connection holds the process open after SIGTERM.
    forceCloseConnections: true,
  });
  await configureHttpApp(app);
  return app;
}
