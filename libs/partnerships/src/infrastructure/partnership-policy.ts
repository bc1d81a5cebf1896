import { Injectable } from '@nestjs/common';
import { handleCommand, type StoredEvent } from '@passerelle/event-store-core';
import { type EventConsumer, PostgresEventStore } from '@passerelle/event-store-postgres';
import { proposalStream } from '@passerelle/proposals';
import { partnershipDecider } from '../domain/partnership.decider';
import { partnershipIdFor, partnershipStream } from '../application/change-partnership';

export const PARTNERSHIP_POLICY = 'partnership-policy';

/**
 * An approved proposal becomes a partnership: a policy reacting to ProposalApproved, not a second write
 * in the approval's handler. The partnership's id is derived from the proposal's and establishing it
 * twice appends nothing, so a replay or a crash between the command and the checkpoint is harmless.
 */
@Injectable()
export class PartnershipPolicy implements EventConsumer {
  readonly name = PARTNERSHIP_POLICY;
  readonly categories = ['proposal'];
  readonly batchSize = 50;

  constructor(private readonly store: PostgresEventStore) {}

  filter(event: StoredEvent): boolean {
    return event.type === 'ProposalApproved';
  }

  async handle(events: StoredEvent[]): Promise<void> {
    for (const event of events) {
      const proposalId = event.data.proposalId as string;
      const [drafted] = await this.store.readStream(proposalStream(proposalId), 1, undefined, 1);
      const partnershipId = partnershipIdFor(proposalId);
      await handleCommand(
        this.store,
        partnershipStream(partnershipId),
        partnershipDecider,
        { type: 'EstablishPartnership', partnershipId, proposalId, institutionId: drafted.data.institutionId, at: event.data.approvedAt },
        { metadata: { actor: 'policy', correlationId: event.metadata.correlationId, causationId: event.id } },
      );
    }
  }
}
