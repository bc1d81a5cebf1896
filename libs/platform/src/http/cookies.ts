import type { AppConfig } from '../config/app-config';

export interface CookieOptions {
  /** The path the browser sends it back to: as narrow as the pages that need it. */
  path: string;
  /** Lifetime; without it the cookie ends with the browser session. */
  maxAgeSeconds?: number;
  /** `Strict` unless said: sent only from the app's own pages. */
  sameSite?: 'Strict' | 'Lax';
}

/** Whether people reach the app over https (APP_BASE_URL): then its cookies are `Secure` and it sends HSTS. */
export function servedOverHttps(config: Pick<AppConfig, 'APP_BASE_URL'>): boolean {
  return new URL(config.APP_BASE_URL).protocol === 'https:';
}

/**
 * A `Set-Cookie` value for every cookie the app sets: HttpOnly (no script reads it), SameSite, and
 * `Secure` when APP_BASE_URL is https, so the browser never sends it over plain http. The value is
 * percent-encoded where it must be (a JWT needs nothing).
 */
export function setCookie(config: Pick<AppConfig, 'APP_BASE_URL'>, name: string, value: string, options: CookieOptions): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`Not a cookie name: ${name}`);
  const attributes = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path}`, 'HttpOnly', `SameSite=${options.sameSite ?? 'Strict'}`];
  if (options.maxAgeSeconds !== undefined) attributes.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
  if (servedOverHttps(config)) attributes.push('Secure');
  return attributes.join('; ');
}
