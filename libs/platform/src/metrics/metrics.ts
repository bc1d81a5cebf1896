import { Controller, Get, Header, Headers, Injectable } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { Public } from '../auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { ApiProblems } from '../openapi/api-responses';
import { MetricsAccess } from './metrics-access';

/** One registry per application, so that several apps in one process (tests) do not collide. */
@Injectable()
export class MetricsRegistry extends Registry {
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly redisReconnects: Counter<'connection'>;
  /** Jobs (and job schedulers) the reconciler found missing from Redis and queued again, by kind. */
  readonly reconciledJobs: Counter<'kind'>;

  constructor() {
    super();
    collectDefaultMetrics({ register: this });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this],
    });
    this.redisReconnects = new Counter({
      name: 'redis_reconnects_total',
      help: 'Times a Redis connection came back after being lost, by connection (general, queues)',
      labelNames: ['connection'],
      registers: [this],
    });
    this.reconciledJobs = new Counter({
      name: 'reconciled_jobs_total',
      help: 'Jobs the store says are due that Redis had lost, queued again by the reconciler, by kind',
      labelNames: ['kind'],
      registers: [this],
    });
  }
}

/** Prometheus scrapes; in production with METRICS_TOKEN set, only with that token (see MetricsAccess). */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly access: MetricsAccess;

  constructor(
    private readonly metrics: MetricsRegistry,
    config: AppConfig,
  ) {
    this.access = new MetricsAccess(config);
  }

  @Public()
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description: 'Open in development; in production with METRICS_TOKEN set, send it as `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiBearerAuth()
  @ApiResponse({ status: 200, description: 'the metrics, in the Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiProblems(401)
  scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    this.access.check(authorization);
    return this.metrics.metrics();
  }
}
