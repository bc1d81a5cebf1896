import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationProblem } from '@passerelle/platform';

/** A path id that must be a UUID: anything else is a 400 naming the parameter. */
export const uuid = (field: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => new ValidationProblem([{ field, message: 'must be a UUID' }]) });
