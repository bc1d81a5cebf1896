import type { ValidationError } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';
import { flattenValidationErrors, ValidationProblem, validationPipe } from './problem';

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

describe('validationPipe', () => {
  class Contact {
    @IsString() email!: string;
  }
  class Body {
    @IsString() title!: string;
    @ValidateNested() @Type(() => Contact) contact!: Contact;
  }
  const body = (value: unknown) => validationPipe().transform(value, { type: 'body', metatype: Body });
  const fieldsOf = async (value: unknown) => {
    const err = await body(value).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationProblem);
    return (err as ValidationProblem).errors!.map((e) => e.field).sort();
  };

  it('refuses, at any depth, fields named like members of Object.prototype, which class-transformer would drop silently', async () => {
    const json = '{"title":"x","contact":{"email":"a@b.c","constructor":{"a":1}},"toString":1,"__proto__":{"title":"y"},"prototype":[1]}';
    expect(await fieldsOf(JSON.parse(json))).toEqual(['__proto__', 'contact.constructor', 'prototype', 'toString']);
  });

  it('names them by their whole path, empty field names included', async () => {
    expect(await fieldsOf({ title: 'x', contact: { email: 'a@b.c' }, '': { '': { valueOf: false } } })).toEqual(['', '..valueOf']);
  });

  it('names them together with whatever else is wrong', async () => {
    expect(await fieldsOf({ title: 5, valueOf: 1, hasOwnProperty: 'x', nickname: 'n', contact: { email: 1 } })).toEqual(['contact.email', 'hasOwnProperty', 'nickname', 'title', 'valueOf']);
  });

  it('passes a body without them, as a DTO instance', async () => {
    const dto = await body({ title: 'x', contact: { email: 'a@b.c' } });
    expect(dto).toBeInstanceOf(Body);
    expect(dto).toEqual({ title: 'x', contact: { email: 'a@b.c' } });
  });
});
