import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';

/** What a write answers (API.md): the resource's id, its new version and the position of the write. */
export interface WriteAnswer {
  id: string;
  version: number;
  position: number;
}

/** Sets `ETag: "<version>"` and `X-Position: <position>` on answers that carry them. */
@Injectable()
export class WriteHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body) => {
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        if (body && typeof body === 'object' && !reply.sent) {
          const answer = body as Partial<WriteAnswer> & { items?: Partial<WriteAnswer>[]; position?: number };
          if (typeof answer.version === 'number') reply.header('ETag', `"${answer.version}"`);
          const position = typeof answer.position === 'number' ? answer.position : maxPosition(answer.items);
          if (position !== undefined) reply.header('X-Position', String(position));
        }
        return body;
      }),
    );
  }
}

function maxPosition(items: Partial<WriteAnswer>[] | undefined): number | undefined {
  if (!Array.isArray(items)) return undefined;
  const positions = items.map((item) => item.position).filter((p): p is number => typeof p === 'number');
  return positions.length ? Math.max(...positions) : undefined;
}
