import { createHash } from 'node:crypto';

/**
 * The privacy settings that need more than a decorator: master keys (32 bytes, base64) and the key
 * database's address, by default the main database's server with `_keys` after its name.
 */

/** The development and test master key: fixed, public, and refused in production (see loadConfig). */
export const DEVELOPMENT_MASTER_KEY = createHash('sha256').update('passerelle-development-only-master-key').digest();

/** A master key from its base64 (or base64url) text; undefined when it is not exactly 32 bytes. */
export function parseMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : undefined;
}

/** The comma-separated list of PRIVACY_PREVIOUS_MASTER_KEYS; empty entries are ignored. */
export function splitKeyList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((part) => part.trim()).filter(Boolean);
}

/** Problems with the privacy variables, each naming its variable and never quoting a key. */
export function privacyKeyProblems(env: { NODE_ENV: string; PRIVACY_MASTER_KEY?: string; PRIVACY_PREVIOUS_MASTER_KEYS?: string }): string[] {
  const problems: string[] = [];
  if (env.PRIVACY_MASTER_KEY === undefined) {
    if (env.NODE_ENV === 'production') problems.push('PRIVACY_MASTER_KEY is required in production (32 random bytes, base64: openssl rand -base64 32)');
  } else if (!parseMasterKey(env.PRIVACY_MASTER_KEY)) {
    problems.push('PRIVACY_MASTER_KEY must be 32 bytes written in base64 (openssl rand -base64 32)');
  }
  splitKeyList(env.PRIVACY_PREVIOUS_MASTER_KEYS).forEach((key, index) => {
    if (!parseMasterKey(key)) problems.push(`PRIVACY_PREVIOUS_MASTER_KEYS: entry ${index + 1} must be 32 bytes written in base64`);
  });
  return problems;
}

/** Host, port and database name: two URLs naming the same database under other spellings compare equal. */
function databaseIdentity(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.hostname.toLowerCase()}:${url.port || '5432'}/${decodeURIComponent(url.pathname.replace(/^\//, ''))}`;
}

/** The key database must not be the event database: a copy of either alone must reveal no one. */
export function keysDatabaseProblems(databaseUrl: string, keysDatabaseUrl: string | undefined): string[] {
  if (!keysDatabaseUrl) return [];
  try {
    return databaseIdentity(databaseUrl) === databaseIdentity(keysDatabaseUrl) ? ['KEYS_DATABASE_URL must name another database than DATABASE_URL'] : [];
  } catch {
    return [];
  }
}

/** The key database of a main database: same server and credentials, database `<name>_keys`. */
export function defaultKeysDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'passerelle';
  url.pathname = `/${encodeURIComponent(`${name}_keys`)}`;
  return url.toString();
}
