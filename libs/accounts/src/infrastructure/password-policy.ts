import type * as CommonWords from '@zxcvbn-ts/language-common';
import { ValidationProblem } from '@passerelle/platform';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

let common: Set<string> | undefined;

/**
 * The common-password list of zxcvbn-ts (@zxcvbn-ts/language-common, MIT: about 49,000 passwords most
 * found in leaks), lower-cased, read once on first use (it takes a few hundred milliseconds).
 */
function commonPasswords(): Set<string> {
  if (!common) {
    // Loaded when first needed, not when the module is: processes that never check a password skip it.
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof CommonWords;
    common = new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));
  }
  return common;
}

/**
 * Why a new password is refused, in words that follow its field's name, or null when it may be used.
 * The one rule for every way a password is chosen: staff accounts, activation (API and page), the
 * configured first admin. Common passwords are compared without regard to case or surrounding spaces.
 */
export function passwordWeakness(password: string): string | null {
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  if (password.trim() === '') return 'must not be only spaces';
  const lower = password.toLowerCase();
  if (new Set(lower).size === 1) return 'must not be one character repeated';
  // Before the length: "password" is better told common than short, or the next try is "password1234".
  if (commonPasswords().has(lower.trim())) return 'is one of the most common passwords: choose another';
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  return null;
}

/** A 400 naming the field (`password` unless told) when the password is refused. */
export function assertPasswordAccepted(password: string, field = 'password'): void {
  const weakness = passwordWeakness(password);
  if (weakness) throw new ValidationProblem([{ field, message: `${field} ${weakness}` }]);
}
