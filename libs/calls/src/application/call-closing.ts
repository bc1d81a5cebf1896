import { Injectable } from '@nestjs/common';
import { handleCommand, loadAggregate } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { Clock, EventStorePool } from '@passerelle/platform';
import { callDecider } from '../domain/call.decider';
import { callStream } from './change-call';

/** Calls closed in one sweep, at most. */
const BATCH = 200;

/** What closing one call at its time did: `early` says how many milliseconds are left before it is due. */
export type CallClosingOutcome = { outcome: 'closed' | 'already-closed' | 'no-such-call' } | { outcome: 'early'; dueInMs: number };

/** What one sweep did. */
export interface CallClosingPass {
  closed: number;
}

/**
 * Closes calls at their closing time: the worker's delayed job for one call (queued when it was opened),
 * and a periodic sweep of every call past its time and not recorded closed (a job Redis lost, a worker
 * that was down). Both send the same command, under an idempotency key made of the call and its closing
 * time, and the decider records nothing for a call already closed: each call gets one CallClosed.
 */
@Injectable()
export class CallClosing {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly pool: EventStorePool,
    private readonly clock: Clock,
  ) {}

  async closeAtDeadline(callId: string, correlationId: string): Promise<CallClosingOutcome> {
    const { state } = await loadAggregate(this.store, callStream(callId), callDecider);
    if (state.status === 'none') return { outcome: 'no-such-call' };
    if (state.status === 'closed') return { outcome: 'already-closed' };
    const now = this.clock.now();
    const dueInMs = Date.parse(state.fields.closesAt) - now;
    // Not yet due: sent now, the command would record nothing under a key that must later close it.
    if (dueInMs > 0) return { outcome: 'early', dueInMs };
    const key = `${callId}.${Date.parse(state.fields.closesAt)}`;
    const result = await handleCommand(this.store, callStream(callId), callDecider, { type: 'CloseCallAtDeadline', at: new Date(now).toISOString() }, {
      metadata: { actor: 'call-closing', correlationId, causationId: null },
      idempotency: { scope: 'call-closing', key, fingerprint: key },
    });
    return { outcome: result.events.length > 0 ? 'closed' : 'already-closed' };
  }

  /** Every call past its closing time that the read model does not show closed. */
  async pass(): Promise<CallClosingPass> {
    const due = await this.pool.query('SELECT id FROM calls WHERE closed_at IS NULL AND closes_at <= $1 ORDER BY closes_at, id LIMIT $2', [new Date(this.clock.now()), BATCH]);
    let closed = 0;
    for (const { id } of due.rows as { id: string }[]) {
      const { outcome } = await this.closeAtDeadline(id, `call-closing-sweep:${id}`);
      if (outcome === 'closed') closed += 1;
    }
    return { closed };
  }
}
