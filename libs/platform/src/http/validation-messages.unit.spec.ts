import 'reflect-metadata';
import type { ValidationError } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { type FieldError, flattenValidationErrors, ValidationProblem, validationPipe } from './problem';
import { IsEmailAddress, IsStorable, trim } from './validators';

describe('flattenValidationErrors: one message for a missing field', () => {
  const error = (property: string, value: unknown, constraints: Record<string, string>): ValidationError => ({ property, value, constraints, children: [] });

  it('says that a field left out is required, whatever its rules say of nothing', () => {
    const missing = error('title', undefined, {
      isString: 'title must be a string',
      isNotEmpty: 'title should not be empty',
      maxLength: 'title must be shorter than or equal to 200 characters',
      isStorable: 'title must not contain NUL characters or unpaired surrogates',
    });
    expect(flattenValidationErrors([missing])).toEqual([{ field: 'title', message: 'title is required' }]);
  });

  it('names a missing nested field by its path', () => {
    const contact: ValidationError = { property: 'contact', value: {}, children: [error('email', undefined, { isEmail: 'email must be an email', maxLength: 'email must be shorter than or equal to 254 characters' })] };
    expect(flattenValidationErrors([contact])).toEqual([{ field: 'contact.email', message: 'email is required' }]);
  });

  it('gives a value of the wrong kind the message about its kind only', () => {
    const wrong = error('title', 42, { isString: 'title must be a string', maxLength: 'title must be shorter than or equal to 200 characters' });
    expect(flattenValidationErrors([wrong])).toEqual([{ field: 'title', message: 'title must be a string' }]);
  });

  it('keeps every message about a value of the right kind that breaks rules', () => {
    const wrong = error('startsOn', '23/10/2030', { matches: 'startsOn must be a date such as 2025-10-23', isIso8601: 'startsOn must be a valid ISO 8601 date string' });
    expect(flattenValidationErrors([wrong]).map((e) => e.message)).toEqual(['startsOn must be a date such as 2025-10-23', 'startsOn must be a valid ISO 8601 date string']);
  });

  it('calls an unknown field unknown, even when it is null', () => {
    expect(flattenValidationErrors([error('nickname', null, { whitelistValidation: 'property nickname should not exist' })])).toEqual([{ field: 'nickname', message: 'is not a known field' }]);
  });
});

describe('validationPipe: missing, wrong-typed and wrong fields in a body', () => {
  class Contact {
    @Transform(trim) @IsEmailAddress() @MaxLength(254)
    email!: string;
  }
  class Body {
    @Transform(trim) @IsString() @IsStorable() @IsNotEmpty() @MaxLength(200)
    title!: string;

    @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startsOn must be a date such as 2025-10-23' })
    startsOn!: string;

    @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(60, { each: true }) @ArrayMaxSize(20)
    themes!: string[];

    @IsIn(['study', 'field_visit'])
    kind!: string;

    @IsObject() @ValidateNested() @Type(() => Contact)
    contact!: Contact;

    @IsOptional() @IsString() @MaxLength(200)
    location?: string;
  }
  const VALID = { title: 'AI for public administrations', startsOn: '2030-10-23', themes: ['health'], kind: 'study', contact: { email: 'a@b.test' } };

  const errorsFor = async (value: unknown): Promise<FieldError[]> => {
    const err = await validationPipe().transform(value, { type: 'body', metatype: Body }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationProblem);
    return (err as ValidationProblem).errors!;
  };
  const without = (...keys: string[]) => Object.fromEntries(Object.entries(VALID).filter(([key]) => !keys.includes(key)));

  it('accepts the valid body, the optional field left out', async () => {
    await expect(validationPipe().transform(VALID, { type: 'body', metatype: Body })).resolves.toBeInstanceOf(Body);
  });

  it('gives each missing field exactly one message: that it is required', async () => {
    for (const field of Object.keys(VALID)) expect(await errorsFor(without(field))).toEqual([{ field, message: `${field} is required` }]);
    expect(await errorsFor({ ...VALID, contact: {} })).toEqual([{ field: 'contact.email', message: 'email is required' }]);
  });

  it('names every required field once for an empty body, and for no body at all', async () => {
    const required = Object.keys(VALID).map((field) => ({ field, message: `${field} is required` }));
    expect(await errorsFor({})).toEqual(required);
    expect(await errorsFor(undefined)).toEqual(required);
  });

  it('says what kind of value a wrong-typed field takes, null included', async () => {
    expect(await errorsFor({ ...VALID, title: null })).toEqual([{ field: 'title', message: 'title must be a string' }]);
    expect(await errorsFor({ ...VALID, title: 42 })).toEqual([{ field: 'title', message: 'title must be a string' }]);
    expect(await errorsFor({ ...VALID, startsOn: 20301023 })).toEqual([{ field: 'startsOn', message: 'startsOn must be a string' }]);
    expect(await errorsFor({ ...VALID, themes: ['health', 7] })).toEqual([{ field: 'themes', message: 'each value in themes must be a string' }]);
    expect(await errorsFor({ ...VALID, contact: 'a@b.test' })).toEqual([{ field: 'contact', message: 'contact must be an object' }]);
    expect(await errorsFor({ ...VALID, contact: { email: 42 } })).toEqual([{ field: 'contact.email', message: 'email must be an email' }]);
  });

  it('keeps the specific messages of a present value that breaks its rules', async () => {
    expect(await errorsFor({ ...VALID, title: 'x'.repeat(201) })).toEqual([{ field: 'title', message: 'title must be shorter than or equal to 200 characters' }]);
    expect(await errorsFor({ ...VALID, title: '   ' })).toEqual([{ field: 'title', message: 'title should not be empty' }]);
    expect(await errorsFor({ ...VALID, startsOn: '23/10/2030' })).toEqual([{ field: 'startsOn', message: 'startsOn must be a date such as 2025-10-23' }]);
    expect(await errorsFor({ ...VALID, kind: 'party' })).toEqual([{ field: 'kind', message: expect.stringMatching(/^kind must be one of the following values/) }]);
    expect(await errorsFor({ ...VALID, contact: { email: 'not-an-address' } })).toEqual([{ field: 'contact.email', message: 'email must be an email' }]);
    expect(await errorsFor({ ...VALID, contact: { email: `${'a'.repeat(250)}@b.test` } })).toEqual([
      { field: 'contact.email', message: 'email must be shorter than or equal to 254 characters' },
      { field: 'contact.email', message: 'email must be an email' },
    ]);
    expect(await errorsFor({ ...VALID, location: 'x'.repeat(201) })).toEqual([{ field: 'location', message: 'location must be shorter than or equal to 200 characters' }]);
  });

  it('names missing, wrong and unknown fields together', async () => {
    expect(await errorsFor({ ...without('title'), kind: 3, extra: null })).toEqual([
      { field: 'extra', message: 'is not a known field' },
      { field: 'title', message: 'title is required' },
      { field: 'kind', message: expect.stringMatching(/^kind must be one of/) },
    ]);
  });
});
