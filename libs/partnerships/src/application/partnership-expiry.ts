import { Injectable } from '@nestjs/common';
import { handleCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { Clock, EventStorePool } from '@passerelle/platform';
import { partnershipDecider } from '../domain/partnership.decider';
import { utcDate } from '../domain/partnership.terms';
import { partnershipStream } from './change-partnership';

/** Partnerships expired in one pass, at most. */
const BATCH = 200;

/** What one expiry pass did. */
export interface PartnershipExpiryPass {
  today: string;
  expired: number;
}

/**
 * Expires the partnerships, active or suspended, whose term ended before today (the app's Clock, UTC):
 * each through the decider with an idempotency key made of the partnership and the end it expires at,
 * so two workers, or a pass run twice, record one `PartnershipExpired`. The candidates come from the read
 * model; the decider, on the stream, has the last word (a renewal since then leaves nothing to do).
 */
@Injectable()
export class PartnershipExpiry {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly pool: EventStorePool,
    private readonly clock: Clock,
  ) {}

  async pass(): Promise<PartnershipExpiryPass> {
    const at = new Date(this.clock.now()).toISOString();
    const today = utcDate(at);
    const due = await this.pool.query(
      `SELECT id, ends_on::text AS ends_on FROM partnerships WHERE status IN ('active', 'suspended') AND ends_on <= $1::date ORDER BY ends_on, id LIMIT $2`,
      [today, BATCH],
    );
    let expired = 0;
    for (const { id, ends_on: endsOn } of due.rows as { id: string; ends_on: string }[]) {
      const key = `${id}:${endsOn}`;
      const result = await handleCommand(this.store, partnershipStream(id), partnershipDecider, { type: 'ExpirePartnership', today, at }, {
        metadata: { actor: 'partnership-expiry', correlationId: `partnership-expiry:${key}`, causationId: null },
        idempotency: { scope: 'partnership-expiry', key, fingerprint: key },
      });
      if (result.events.length > 0) expired += 1;
    }
    return { today, expired };
  }
}
