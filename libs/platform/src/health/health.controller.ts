import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ProblemException } from '../http/problem';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../openapi/api-responses';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { RedisConnection } from '../database/redis.provider';

const CHECKS = { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } } } };
const HEALTH_SCHEMA = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', example: 'ok' }, info: CHECKS, error: CHECKS, details: CHECKS },
};

/** Readiness: 200 when PostgreSQL and Redis answer, 503 naming the one that does not. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisConnection,
  ) {}

  @Public()
  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: whether PostgreSQL and Redis answer' })
  @ApiResponse({ status: 200, description: 'ready', schema: HEALTH_SCHEMA })
  @ApiProblems(503)
  async check() {
    try {
      return await this.health.check([() => this.postgres.pingCheck('postgres', { timeout: 2000 }), () => this.redisCheck()]);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const result = err.getResponse() as { details?: Record<string, { status: string }> };
      const down = Object.entries(result.details ?? {})
        .filter(([, check]) => check.status !== 'up')
        .map(([name]) => name);
      throw new ProblemException(503, 'not-ready', 'Service Unavailable', `Not ready: ${down.join(', ')} down`, undefined, {}, {
        checks: result.details,
      });
    }
  }

  private async redisCheck() {
    const indicator = this.indicators.check('redis');
    // A command sent while the connection is down waits in the client's offline queue: answer at once.
    if (this.redis.status !== 'ready') return indicator.down({ message: `connection ${this.redis.status}` });
    try {
      const answer = await Promise.race([
        this.redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref()),
      ]);
      return answer === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected answer ${answer}` });
    } catch (err) {
      return indicator.down({ message: err instanceof Error ? err.message : String(err) });
    }
  }
}
