import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { AppConfig, EventStorePool, ProblemException } from '@passerelle/platform';
import { hashPassword } from './password';
import { assertPasswordAccepted } from './password-policy';

export const ACTIVATION_VALID_HOURS = 72;

/**
 * Account activation links: `APP_BASE_URL/activate/<token>`. The token is an HMAC of the account's
 * random id under a key derived from JWT_SECRET (so the worker can put it in the e-mail without storing
 * it); only its SHA-256 is stored, with an expiry. It works once.
 */
@Injectable()
export class ActivationTokens {
  private readonly key: Buffer;

  constructor(
    config: AppConfig,
    private readonly pool: EventStorePool,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', config.jwtSecret, 'passerelle', 'activation-token', 32));
  }

  tokenFor(userId: string): string {
    return createHmac('sha256', this.key).update(userId).digest('base64url');
  }

  static hash(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }

  /**
   * Stores the token of a new account, valid ACTIVATION_VALID_HOURS from `issuedAt`; doing it again does
   * nothing, so a reactor may handle its events twice.
   */
  async issue(userId: string, issuedAt: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO activation_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3::timestamptz + interval '${ACTIVATION_VALID_HOURS} hours')
       ON CONFLICT DO NOTHING`,
      [ActivationTokens.hash(this.tokenFor(userId)), userId, issuedAt],
    );
  }

  /** Who the token is for, if it can still be used. */
  async pending(token: string): Promise<{ userId: string; email: string; fullName: string } | null> {
    const result = await this.pool.query(
      `SELECT u.id, u.email, u.full_name FROM activation_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND u.closed_at IS NULL`,
      [ActivationTokens.hash(token)],
    );
    const row = result.rows[0];
    return row ? { userId: row.id, email: row.email, fullName: row.full_name } : null;
  }

  /** Sets the account's password and spends the token, in one transaction. A refused password: 400; unknown: 404; used, expired or its account closed: 410. */
  async activate(token: string, password: string): Promise<{ userId: string; email: string }> {
    assertPasswordAccepted(password);
    const hash = await hashPassword(password);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const found = await client.query(
        `SELECT t.user_id, t.used_at, t.expires_at < now() AS expired, u.closed_at IS NOT NULL AS closed
         FROM activation_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 FOR UPDATE OF t`,
        [ActivationTokens.hash(token)],
      );
      const row = found.rows[0];
      if (!row) throw new ProblemException(HttpStatus.NOT_FOUND, 'activation-unknown', 'Not Found', 'This activation link is not valid');
      if (row.used_at || row.expired || row.closed) {
        const why = row.closed ? 'The account of this activation link is closed' : row.used_at ? 'This activation link was already used' : 'This activation link has expired';
        throw new ProblemException(HttpStatus.GONE, 'activation-spent', 'Gone', why);
      }
      await client.query('UPDATE activation_tokens SET used_at = now() WHERE token_hash = $1', [ActivationTokens.hash(token)]);
      const user = await client.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 RETURNING email', [row.user_id, hash]);
      await client.query('COMMIT');
      return { userId: row.user_id, email: user.rows[0].email };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
