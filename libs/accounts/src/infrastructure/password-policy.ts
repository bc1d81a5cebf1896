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
  const kind = passwordWeaknessKind(password);
  return kind ? WEAKNESS_WORDS[kind] : null;
}

/** Why a password is refused, as a key: the pages say it in their reader's language. */
export type PasswordWeakness = 'tooLong' | 'onlySpaces' | 'repeated' | 'common' | 'tooShort';

const WEAKNESS_WORDS: Record<PasswordWeakness, string> = {
  tooLong: `must be at most ${PASSWORD_MAX_LENGTH} characters long`,
  onlySpaces: 'must not be only spaces',
  repeated: 'must not be one character repeated',
  common: 'is one of the most common passwords: choose another',
  tooShort: `must be at least ${PASSWORD_MIN_LENGTH} characters long`,
};

export function passwordWeaknessKind(password: string): PasswordWeakness | null {
  if (password.length > PASSWORD_MAX_LENGTH) return 'tooLong';
  if (password.trim() === '') return 'onlySpaces';
  const lower = password.toLowerCase();
  if (new Set(lower).size === 1) return 'repeated';
  // Before the length: "password" is better told common than short, or the next try is "password1234".
  if (commonPasswords().has(lower.trim())) return 'common';
  if (password.length < PASSWORD_MIN_LENGTH) return 'tooShort';
  return null;
}

/** A 400 naming the field (`password` unless told) when the password is refused. */
export function assertPasswordAccepted(password: string, field = 'password'): void {
  const weakness = passwordWeakness(password);
  if (weakness) throw new ValidationProblem([{ field, message: `${field} ${weakness}` }]);
}
