import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * What a browser may do with any answer of the app: run only its own scripts, apply only its own
 * styles (a page's inline <style> by the nonce of that answer), load images from it (and data: URIs,
 * which swagger-ui's stylesheet uses for its icons), post forms only to it, never be framed, plugins
 * never; a <base> may only point at the app (the queue board sets one).
 */
const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];
const policyWith = (styleSources: string[]) => [...POLICY, ["style-src 'self'", ...styleSources].join(' ')].join('; ');
const DEFAULT_POLICY = policyWith([]);

const nonces = new WeakMap<object, string>();

/**
 * The nonce of this answer, for a page's inline <style nonce="...">: the Content-Security-Policy sent
 * with the answer allows the elements that carry it, and nothing else inline.
 */
export function cspNonce(reply: FastifyReply): string {
  let nonce = nonces.get(reply.raw);
  if (nonce === undefined) {
    nonce = randomBytes(16).toString('base64');
    nonces.set(reply.raw, nonce);
  }
  return nonce;
}

export interface SecurityHeadersOptions {
  /** APP_BASE_URL is https: browsers are told to come back over https only (HSTS). */
  https: boolean;
  /**
   * Routes of fixed pages that come from a library with inline styles of their own (the OpenAPI UI):
   * the policy allows exactly those styles, by their hashes. The page is the same for every request
   * and holds no input, so its hashes are those of a constant (worked out once).
   */
  fixedPages?: string[];
}

const ONE_YEAR = 365 * 24 * 3600;

/**
 * Headers on every answer, pages and JSON alike: no content sniffing, the policy above, no framing
 * (X-Frame-Options for browsers without frame-ancestors), no Referer (e-mailed links carry tokens),
 * HSTS under https; and `Cache-Control: no-store` on everything under /api (personal data, and staff
 * data: nothing there is for a shared cache or the browser's disk). A Fastify hook, like writeHeaders:
 * one function call per answer, the policy string built once.
 */
export function securityHeaders(fastify: FastifyInstance, options: SecurityHeadersOptions): void {
  const fixedPages = new Set(options.fixedPages ?? []);
  const fixedPolicies = new Map<string, string>();
  const hsts = `max-age=${ONE_YEAR}`;
  fastify.addHook('onSend', (request, reply, payload, done) => {
    let policy = DEFAULT_POLICY;
    const nonce = nonces.get(reply.raw);
    if (nonce !== undefined) policy = policyWith([`'nonce-${nonce}'`]);
    else if (typeof payload === 'string' && fixedPages.has(request.routeOptions.url ?? '')) {
      policy = fixedPolicies.get(payload) ?? remember(fixedPolicies, payload, policyWith(inlineStyleHashes(payload)));
    }
    reply.header('Content-Security-Policy', policy);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    if (!reply.hasHeader('Referrer-Policy')) reply.header('Referrer-Policy', 'no-referrer');
    if (options.https) reply.header('Strict-Transport-Security', hsts);
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    done(null, payload);
  });
}

function remember(policies: Map<string, string>, page: string, policy: string): string {
  if (policies.size < 8) policies.set(page, policy);
  return policy;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The hashes of a page's <style> elements and style="" attributes ('unsafe-hashes' lets the policy name attributes). */
export function inlineStyleHashes(html: string): string[] {
  const elements = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((match) => match[1]);
  const attributes = [...html.matchAll(/\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((match) => match[1] ?? match[2]);
  const hashes = [...new Set([...elements, ...attributes])].map(sha256);
  return attributes.length > 0 ? ["'unsafe-hashes'", ...hashes] : hashes;
}
