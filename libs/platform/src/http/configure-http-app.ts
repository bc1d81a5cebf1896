import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { MetricsRegistry } from '../metrics/metrics';
import { setupOpenApi } from '../openapi/openapi';
import { ProblemDetailsFilter } from './problem-details.filter';
import { validationPipe } from './problem';
import { WriteHeadersInterceptor } from './write-result.interceptor';
import { NestingLimit } from './nesting-limit.interceptor';

/** What every HTTP app needs once it is created: logging, validation, problem+json errors, metrics, OpenAPI. */
export function configureHttpApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: '2mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '100kb' });
  const metrics = app.get(MetricsRegistry);
  app.use((request: Request, response: Response, next: NextFunction) => {
    const stop = metrics.httpDuration.startTimer();
    response.on('finish', () => {
      const route = (request.route?.path as string | undefined) ?? 'unmatched';
      stop({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalInterceptors(new NestingLimit(), new WriteHeadersInterceptor());
  app.enableShutdownHooks();
  setupOpenApi(app);
  return app;
}
