import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { Response } from 'supertest';
import { queryRows } from './sql';

/**
 * For the security e2e tests (issue 19): the app as production runs it, tokens made by hand, requests
 * written byte by byte, and what a request appended to the event store.
 */

/** A signing key of this run only: what production requires (NODE_ENV=production refuses to start without one). */
export const JWT_SECRET = randomBytes(36).toString('base64url');
/** The key the app falls back to in development and tests (AppConfig.jwtSecret): never in force in production. */
export const DEVELOPMENT_KEY = 'passerelle-development-only-signing-key-0000';
/** The environment of a production-mode app (see libs/platform/src/config/app-config.ts). */
/** The master key of this run only: production also refuses to start without one (PRIVACY_MASTER_KEY). */
export const PRIVACY_MASTER_KEY = randomBytes(32).toString('base64');
export const PRODUCTION_ENV = { NODE_ENV: 'production', JWT_SECRET, PRIVACY_MASTER_KEY };

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HASHES: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/** A JWT made by hand: `key` null is `alg: none` with an empty signature; else an HMAC with `alg`. */
export function handMadeToken(claims: object, key: string | null, alg = 'HS256'): string {
  const signed = `${part({ alg: key === null ? 'none' : alg, typ: 'JWT' })}.${part(claims)}`;
  if (key === null) return `${signed}.`;
  return `${signed}.${createHmac(HASHES[alg], key).update(signed).digest('base64url')}`;
}

/** The claims the app puts in an access token, valid for an hour from now. */
export function claimsOf(user: { id: string; email: string; role: string; institutionId?: string | null }, expiresIn = 3600): object {
  const now = Math.floor(Date.now() / 1000);
  return { sub: user.id, email: user.email, role: user.role, institutionId: user.institutionId ?? null, iat: now, exp: now + expiresIn };
}

/** `token` with its payload's claims changed and its signature kept. */
export function tampered(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return `${header}.${part({ ...claims, ...change })}.${signature}`;
}

/** A new correlation id: the events a request appends carry it (X-Correlation-Id), so a test can count them. */
export const correlationId = () => `security-${randomUUID()}`;

/** How many events carry this correlation id. */
export async function eventsOf(databaseUrl: string, id: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(databaseUrl, "SELECT count(*)::int AS n FROM events WHERE metadata->>'correlationId' = $1", [id]);
  return rows[0].n;
}

/** An RFC 9457 problem of this status; the message names the request, to say which one failed. */
export function expectProblem(response: Response, status: number, what: string): void {
  expect({ what, status: response.status }).toEqual({ what, status });
  expect({ what, type: response.headers['content-type'] }).toEqual({ what, type: expect.stringMatching(/^application\/problem\+json/) });
  expect(response.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
}

export interface RawAnswer {
  /** The status line's code (0: the server closed without answering). */
  status: number;
  /** Header lines as sent, names lower-cased. */
  headers: [string, string][];
  /** Everything the server sent. */
  text: string;
}

/** `request` sent as it is (CR and LF where the test puts them) to 127.0.0.1:`port`; the server's answer. */
export function rawRequest(port: number, request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('No answer in 10 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may answer (413) and close before it has read all the body: what it sent is the answer.
    socket.on('error', (error) => (chunks.length > 0 ? undefined : reject(error)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = lines.filter(Boolean).map((line): [string, string] => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      });
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, text });
    });
    socket.end(request);
  });
}
