import { createParamDecorator, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { FastifyRequest as Request } from 'fastify';
import { SAFE_BOUND_SQL } from '@passerelle/event-store-postgres';
import { EventStorePool } from '../database/event-store.provider';
import { Clock } from '../runtime/clock';
import { header } from './headers';
import { ProblemException, ValidationProblem } from './problem';

/** `X-Min-Position` of a read request, validated; undefined when absent. */
export const MinPosition = createParamDecorator((_: unknown, context: ExecutionContext): number | undefined => {
  const value = header(context.switchToHttp().getRequest<Request>(), 'x-min-position');
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,16}$/.test(value)) throw new ValidationProblem([{ field: 'X-Min-Position', message: 'must be a position returned by a write' }]);
  return Number(value);
});

/** Lets a read wait until the projections it reads have caught up with a client's write. */
@Injectable()
export class ReadModels {
  constructor(
    private readonly pool: EventStorePool,
    private readonly clock: Clock,
  ) {}

  /**
   * Whether every named projection has applied every event committed so far, waiting up to `timeoutMs`:
   * for a lookup that found nothing but may simply have come before its read model (a link e-mailed a
   * moment ago). False when they have not caught up by then (the worker may be down).
   */
  async caughtUp(projections: string[], timeoutMs = 2000): Promise<boolean> {
    const head = await this.pool.query<{ position: string }>({
      name: 'passerelle_read_models_head',
      text: `SELECT coalesce(max(position), 0) AS position FROM events WHERE position < ${SAFE_BOUND_SQL}`,
    });
    return this.waitFor(projections, Number(head.rows[0].position), timeoutMs);
  }

  /**
   * Resolves once every named projection has reached `position`: its checkpoint is there, or no event of
   * the categories it reads lies between its checkpoint and `position` (it has nothing left to apply up to
   * there, though it has not yet stepped past others' events) and no transaction can still write below
   * `position`. 503 with Retry-After after `timeoutMs`.
   */
  async reached(projections: string[], position: number | undefined, timeoutMs = 5000): Promise<void> {
    if (position === undefined || position === 0) return;
    if (await this.waitFor(projections, position, timeoutMs)) return;
    throw new ProblemException(
      HttpStatus.SERVICE_UNAVAILABLE,
      'read-model-behind',
      'Service Unavailable',
      `The data has not yet reached position ${position}; try again shortly`,
      undefined,
      { 'Retry-After': '1' },
    );
  }

  /** Whether the projections reached `position` within `timeoutMs` (see `reached`). */
  private async waitFor(projections: string[], position: number, timeoutMs: number): Promise<boolean> {
    const deadline = this.clock.now() + timeoutMs;
    for (let pause = 10; ; pause = Math.min(pause * 2, 100)) {
      const result = await this.pool.query<{ behind: number }>({
        name: 'passerelle_read_models_behind',
        text: `SELECT count(*)::int AS behind FROM unnest($1::text[]) AS p(name)
         LEFT JOIN subscription_checkpoints c ON c.name = p.name
         WHERE coalesce(c.position, 0) < $2
           AND (c.categories IS NULL OR $2 >= ${SAFE_BOUND_SQL} OR EXISTS (
             SELECT 1 FROM events e WHERE e.position > c.position AND e.position <= $2 AND e.category = ANY (c.categories)))`,
        values: [projections, position],
      });
      if (result.rows[0].behind === 0) return true;
      if (this.clock.now() + pause > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
