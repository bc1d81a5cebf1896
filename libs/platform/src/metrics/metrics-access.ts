import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpStatus } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ProblemException } from '../http/problem';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Who may scrape /metrics: anyone in development and tests, and in production when METRICS_TOKEN is unset
 * (then expose /metrics only on the internal network); in production with METRICS_TOKEN, a request whose
 * `Authorization: Bearer <token>` is that token. The comparison takes the same time whatever is sent
 * (digests of equal length, compared in constant time), so timing tells nothing of the token.
 */
export class MetricsAccess {
  private readonly expected: Buffer | null;

  constructor(config: Pick<AppConfig, 'NODE_ENV' | 'METRICS_TOKEN'>) {
    this.expected = config.NODE_ENV === 'production' && config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : null;
  }

  /** Throws a 401 (problem+json, `WWW-Authenticate: Bearer`) unless the request may scrape. */
  check(authorization: string | undefined): void {
    if (this.expected === null) return;
    const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), this.expected)) return;
    throw new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Unauthorized', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>', undefined, {
      'WWW-Authenticate': 'Bearer realm="metrics"',
    });
  }
}
