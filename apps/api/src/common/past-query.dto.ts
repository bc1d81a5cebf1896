import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { PointInTime } from '@passerelle/event-store-core';
import { NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ValidationProblem } from '@passerelle/platform';

/** A full date and time with its offset: 2030-05-10T09:00:00Z or 2030-05-10T09:00:00.250+07:00. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The header a read of the past answers with: the version of the resource it shows. */
export const AS_OF_VERSION = 'X-As-Of-Version';

/** What the OpenAPI document says of that header. */
export const AS_OF_HEADERS = {
  [AS_OF_VERSION]: { description: 'with `asOf` or `version` only: the version of the state answered', schema: { type: 'integer' } },
};

/**
 * "Reading the past" (API.md): a detail read as it was at a time, or at a version of its stream; one or
 * the other, never both. Without either, today's detail.
 */
export class PastQueryDto {
  @ApiPropertyOptional({
    example: '2030-05-10T09:00:00Z',
    description: 'the state as it was at this time (a date and time with its offset; `+` written `%2B`); 404 if it did not exist yet',
  })
  @IsOptional() @IsString()
  @Matches(DATE_TIME, { message: 'asOf must be a date and time with its offset, such as 2030-05-10T09:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  asOf?: string;

  @ApiPropertyOptional({ minimum: 0, example: 3, description: 'the state as it was at this version of its stream; 404 for 0 or a version it has not reached' })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value)) @IsInt() @Min(0) @Max(2_147_483_647)
  version?: number;
}

/** The point in the past a query asks for, or undefined for today; both at once is a 400 naming both. */
export function pointInTime(query: PastQueryDto): PointInTime | undefined {
  if (query.asOf !== undefined && query.version !== undefined) {
    const message = 'give asOf or version, not both';
    throw new ValidationProblem([{ field: 'asOf', message }, { field: 'version', message }]);
  }
  if (query.version !== undefined) return { version: query.version };
  return query.asOf === undefined ? undefined : { asOf: new Date(query.asOf) };
}

/**
 * A detail route's answer about the past: with `asOf` or `version`, what `read` folds from the stream at that
 * point, its version in `X-As-Of-Version`, a 404 naming `what` when it did not exist then; undefined when
 * the query asks for today (the route answers from its read model).
 */
export async function pastAnswer<T extends { version: number }>(
  query: PastQueryDto,
  reply: FastifyReply,
  what: string,
  read: (point: PointInTime) => Promise<T | null | undefined>,
): Promise<T | undefined> {
  const point = pointInTime(query);
  if (!point) return undefined;
  const past = await read(point);
  if (!past) throw new NotFoundException(`No such ${what}`);
  reply.header(AS_OF_VERSION, String(past.version));
  return past;
}
