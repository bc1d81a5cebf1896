import { ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { ValidationProblem } from '@passerelle/platform';

/** A path id that must be a UUID: anything else is a 400 naming the parameter. */
export const uuid = (field: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => new ValidationProblem([{ field, message: 'must be a UUID' }]) });

/** The body of actions that take none: nothing, or an empty object; any field in it is unknown. */
export class EmptyBody implements PipeTransform {
  transform(value: unknown): undefined {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) {
      const fields = Object.keys(value);
      if (fields.length === 0) return undefined;
      throw new ValidationProblem(fields.map((field) => ({ field, message: 'is not a known field' })));
    }
    throw new ValidationProblem([{ field: 'body', message: 'must be empty' }]);
  }
}
