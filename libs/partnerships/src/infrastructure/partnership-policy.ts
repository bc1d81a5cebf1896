import { Injectable } from '@nestjs/common';
import { handleCommand } from '@passerelle/event-store-core';
import { PostgresEventStore, TypedConsumer } from '@passerelle/event-store-postgres';
import { type ProposalEvent, proposalStream } from '@passerelle/proposals';
import { partnershipDecider } from '../domain/partnership.decider';
import { partnershipIdFor, partnershipStream } from '../application/change-partnership';

export const PARTNERSHIP_POLICY = 'partnership-policy';

/**
 * An approved proposal becomes a partnership: a policy reacting to ProposalApproved, not a second write
 * in the approval's handler. The partnership's id is derived from the proposal's and establishing it
 * twice appends nothing, so a replay or a crash between the command and the checkpoint is harmless.
 */
@Injectable()
export class PartnershipPolicy extends TypedConsumer<ProposalEvent> {
  constructor(store: PostgresEventStore) {
    super({
      name: PARTNERSHIP_POLICY,
      categories: ['proposal'],
      batchSize: 50,
      handlers: {
        ProposalApproved: async (event) => {
          const proposalId = event.data.proposalId;
          const [drafted] = await store.readStream<ProposalEvent>(proposalStream(proposalId), 1, undefined, 1);
          if (drafted?.type !== 'ProposalDrafted') throw new Error(`Proposal ${proposalId} does not begin with ProposalDrafted`);
          const partnershipId = partnershipIdFor(proposalId);
          await handleCommand(
            store,
            partnershipStream(partnershipId),
            partnershipDecider,
            { type: 'EstablishPartnership', partnershipId, proposalId, institutionId: drafted.data.institutionId, at: event.data.approvedAt },
            { metadata: { actor: 'policy', correlationId: event.metadata.correlationId, causationId: event.id } },
          );
        },
        // Only an approval makes a partnership.
        ProposalDrafted: null,
        ProposalEdited: null,
        ProposalSubmitted: null,
        ConflictOfInterestDeclared: null,
        ProposalResubmitted: null,
        ProposalWithdrawn: null,
        ProposalReviewed: null,
        ProposalChangesRequested: null,
        ProposalApprovalRecorded: null,
        ProposalRejected: null,
      },
    });
  }
}
