import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AccountStandingCache, AppConfig, type AuthUser, EventStorePool, setCookie } from '@passerelle/platform';

export const SESSION_COOKIE = 'passerelle_console';
/** Before sign-in there is no session: the sign-in form's token is also in this cookie (double submit). */
export const SIGN_IN_CSRF_COOKIE = 'passerelle_console_csrf';
const SESSION_HOURS = 12;

export interface ConsoleSession {
  idHash: string;
  user: AuthUser;
  csrfToken: string;
  language: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
export const randomToken = () => randomBytes(32).toString('base64url');

/** The cookies of a request by name (the console reads two; no plugin needed for that). */
export function cookiesOf(request: FastifyRequest): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    try {
      cookies.set(part.slice(0, at).trim(), decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      // A value that does not decode is no cookie of ours.
    }
  }
  return cookies;
}

/** Equal strings, compared in a time that does not tell how much of a guess was right. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length === 0) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Console sessions in PostgreSQL. Each request reads its session and then the account's standing, as
 * the API's guard does for a token: a closed or deleted account, or one whose password changed since
 * (its token generation moved), is signed out; the role and institution are the account's now.
 */
@Injectable()
export class ConsoleSessions {
  constructor(
    private readonly pool: EventStorePool,
    private readonly accounts: AccountStandingCache,
    private readonly config: AppConfig,
  ) {}

  /** A new session for an account that just proved its password: the cookie to set, or null when the account cannot be read. */
  async start(accountId: string, language: string | null): Promise<string | null> {
    this.accounts.forget(accountId);
    const standing = await this.accounts.get(accountId);
    if (!standing || standing.closed) return null;
    const id = randomToken();
    await this.pool.query(
      `INSERT INTO console_sessions (id_hash, account_id, token_generation, csrf_token, language, expires_at) VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))`,
      [sha256(id), accountId, standing.tokenGeneration, randomToken(), language, SESSION_HOURS],
    );
    // Expired sessions go when someone signs in: no timer needed for a table this small.
    await this.pool.query('DELETE FROM console_sessions WHERE expires_at < now()');
    return setCookie(this.config, SESSION_COOKIE, id, { path: '/console', sameSite: 'Lax', maxAgeSeconds: SESSION_HOURS * 3600 });
  }

  async current(request: FastifyRequest): Promise<ConsoleSession | null> {
    const id = cookiesOf(request).get(SESSION_COOKIE);
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const idHash = sha256(id);
    const { rows } = await this.pool.query('SELECT account_id, token_generation, csrf_token, language FROM console_sessions WHERE id_hash = $1 AND expires_at > now()', [idHash]);
    const row = rows[0];
    if (!row) return null;
    const standing = await this.accounts.get(row.account_id);
    if (!standing || standing.closed || standing.tokenGeneration !== row.token_generation) {
      await this.end(idHash);
      return null;
    }
    return {
      idHash,
      user: { id: standing.id, email: standing.email, role: standing.role, institutionId: standing.institutionId },
      csrfToken: row.csrf_token,
      language: row.language,
    };
  }

  async setLanguage(session: ConsoleSession, language: string): Promise<void> {
    if (session.language === language) return;
    await this.pool.query('UPDATE console_sessions SET language = $2 WHERE id_hash = $1', [session.idHash, language]);
    session.language = language;
  }

  async end(idHash: string): Promise<void> {
    await this.pool.query('DELETE FROM console_sessions WHERE id_hash = $1', [idHash]);
  }

  /** The Set-Cookie that removes the session cookie from the browser. */
  clearCookie(): string {
    return setCookie(this.config, SESSION_COOKIE, '', { path: '/console', sameSite: 'Lax', maxAgeSeconds: 0 });
  }

  signInCsrfCookie(token: string): string {
    return setCookie(this.config, SIGN_IN_CSRF_COOKIE, token, { path: '/console', sameSite: 'Lax' });
  }
}
