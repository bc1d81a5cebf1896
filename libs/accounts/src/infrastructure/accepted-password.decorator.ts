import { ValidateBy, type ValidationOptions } from 'class-validator';
import { passwordWeakness } from './password-policy';

/**
 * A request field holding a new password: the password policy (length, one repeated character, only
 * spaces, a common password) as a DTO rule, so that its message comes with the body's other errors.
 * Whether it is a string at all is IsString's to say.
 */
export const IsAcceptedPassword = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isAcceptedPassword',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || passwordWeakness(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'password'} ${passwordWeakness(String(args?.value ?? '')) ?? 'is not accepted'}`,
      },
    },
    options,
  );
