import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@passerelle/platform';

/**
 * RSVP tokens: 256 bits, HMAC-SHA-256 of the invitation's random id under a key derived from the
 * server's secret. Only the token's SHA-256 is stored (in the event and the read model), so the
 * database alone reveals no link; the worker can derive the link again for the e-mail and reminders
 * without the token ever being written down.
 */
@Injectable()
export class RsvpTokens {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.jwtSecret, 'passerelle', 'rsvp-token', 32));
  }

  tokenFor(invitationId: string): string {
    return createHmac('sha256', this.key).update(invitationId).digest('base64url');
  }

  static hash(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
