import { Injectable } from '@nestjs/common';
import { loadAggregate } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { Clock } from '@passerelle/platform';
import { callDecider, callStatusAt } from '../domain/call.decider';
import type { BudgetCeiling, CallStatus } from '../domain/call.events';
import { callStream } from './change-call';

/** What a proposal to a call is checked against. */
export interface CallTermsView {
  callId: string;
  status: CallStatus;
  sectors: string[];
  countries: string[];
  budgetCeiling: BudgetCeiling | null;
}

/**
 * A call's terms and status now (the app's Clock), folded from its stream rather than the read model:
 * whether a proposal may name it or be submitted to it is decided on what is recorded, not on a
 * projection that may lag a close by a few milliseconds.
 */
@Injectable()
export class CallTerms {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly clock: Clock,
  ) {}

  /** Null when no such call was ever opened. */
  async of(callId: string): Promise<CallTermsView | null> {
    const { state } = await loadAggregate(this.store, callStream(callId), callDecider);
    if (state.status === 'none') return null;
    const { sectors, countries, budgetCeiling } = state.fields;
    return { callId, status: callStatusAt(state, this.clock.now()), sectors, countries, budgetCeiling };
  }

  /** Whether a call was ever opened under this id. */
  async exists(callId: string): Promise<boolean> {
    return (await this.store.streamVersion(callStream(callId))) > 0;
  }
}
