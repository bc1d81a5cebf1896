import { Injectable } from '@nestjs/common';
import { handleCommand } from '@passerelle/event-store-core';
import { PostgresEventStore, TypedConsumer } from '@passerelle/event-store-postgres';
import { type ProposalEvent, proposalStream } from '@passerelle/proposals';
import { partnershipDecider } from '../domain/partnership.decider';
import { partnershipIdFor, partnershipStream } from '../application/change-partnership';
import { addMonths, utcDate } from '../domain/partnership.terms';

export const PARTNERSHIP_POLICY = 'partnership-policy';

/**
 * An approved proposal becomes a partnership: a policy reacting to ProposalApproved, not a second write
 * in the approval's handler. The partnership's id is derived from the proposal's and establishing it
 * twice appends nothing, so a replay or a crash between the command and the checkpoint is harmless.
 * Its term starts on the approval's UTC date and lasts the proposal's `durationMonths` as last edited.
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
          const proposal = await store.readStream<ProposalEvent>(proposalStream(proposalId));
          const [drafted] = proposal;
          if (drafted?.type !== 'ProposalDrafted') throw new Error(`Proposal ${proposalId} does not begin with ProposalDrafted`);
          let durationMonths = drafted.data.durationMonths;
          for (const edited of proposal) if (edited.type === 'ProposalEdited') durationMonths = edited.data.changes.durationMonths ?? durationMonths;
          const startsOn = utcDate(event.data.approvedAt);
          const partnershipId = partnershipIdFor(proposalId);
          await handleCommand(
            store,
            partnershipStream(partnershipId),
            partnershipDecider,
            { type: 'EstablishPartnership', partnershipId, proposalId, institutionId: drafted.data.institutionId, at: event.data.approvedAt, startsOn, endsOn: addMonths(startsOn, durationMonths) },
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
