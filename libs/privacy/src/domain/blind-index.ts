import { createHmac } from 'node:crypto';
import { normaliseEmail } from './email-address';

/**
 * How an address is found again without being stored: HMAC-SHA-256 of its normal form under the
 * server's blind-index key (32 random bytes kept wrapped in the key database). Without that key the
 * index cannot be checked against a list of guessed addresses; with it, equal addresses give equal
 * indexes, so look-ups and uniqueness checks still work.
 */
export function blindIndex(blindIndexKey: Buffer, email: string): Buffer {
  return createHmac('sha256', blindIndexKey).update(normaliseEmail(email), 'utf8').digest();
}
