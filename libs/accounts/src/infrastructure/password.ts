import * as argon2 from 'argon2';

/** The stored form of a password (argon2id, with its salt and parameters). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}
