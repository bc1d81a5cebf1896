import { buildMessage, isEmail, Matches, ValidateBy, type ValidationOptions } from 'class-validator';
import { isLanguage, LANGUAGES } from './languages';

/** Text PostgreSQL can store in an event: jsonb refuses the NUL character and unpaired surrogates (a 500 otherwise). */
const STORABLE = /^[^\u0000\uD800-\uDFFF]*$/u;

/** Free text that can be stored; whether it is a string at all is IsString's to say. */
export const IsStorable = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isStorable',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || STORABLE.test(value),
        defaultMessage: buildMessage((each) => `${each}$property must not contain NUL characters or unpaired surrogates`, options),
      },
    },
    options,
  );

/** IsEmail, except that validator's isEmail throws (URIError, a 500) on an unpaired surrogate instead of answering false. */
export const IsEmailAddress = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isEmail',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && STORABLE.test(value) && isEmail(value),
        defaultMessage: buildMessage((each) => `${each}$property must be an email`, options),
      },
    },
    options,
  );

/** class-transformer helpers for DTOs: trimmed text, upper-cased codes (one or a list). */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value);
export const upperEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toUpperCase() : v)) : value;

/** A BCP 47 primary language tag: en, fr, es, ar, zh, ru, pt, ... */
export const IsLanguageTag = () => Matches(/^[a-z]{2,3}$/, { message: '$property must be a primary language tag such as en or fr' });

/** A language the product writes in (LANGUAGES); any other is refused, naming the field. */
export const IsSupportedLanguage = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isSupportedLanguage',
      validator: {
        validate: (value: unknown) => isLanguage(value),
        defaultMessage: buildMessage((each) => `${each}$property must be one of ${LANGUAGES.join(', ')}`, options),
      },
    },
    options,
  );
