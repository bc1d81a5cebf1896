import type { ValidationError } from '@nestjs/common';
import { flattenValidationErrors } from './problem';

describe('flattenValidationErrors', () => {
  it('names nested fields with dotted paths and unknown fields plainly', () => {
    const errors: ValidationError[] = [
      { property: 'email', constraints: { isEmail: 'email must be an email' }, children: [] },
      { property: 'nickname', constraints: { whitelistValidation: 'property nickname should not exist' }, children: [] },
      {
        property: 'participants',
        children: [{ property: '3', children: [{ property: 'country', constraints: { isIn: 'country must be an ISO code' }, children: [] }] }],
      },
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'email', message: 'email must be an email' },
      { field: 'nickname', message: 'is not a known field' },
      { field: 'participants.3.country', message: 'country must be an ISO code' },
    ]);
  });
});
