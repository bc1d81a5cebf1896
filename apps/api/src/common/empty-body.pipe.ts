import type { PipeTransform } from '@nestjs/common';
import { ValidationProblem } from '@passerelle/platform';

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
