import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { PartnerAccounts } from '@passerelle/accounts';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { ProposalEvent } from '../domain/proposal.events';

/** Who hears of a proposal's decisions: the partner accounts of the institution that drafted it. */
@Injectable()
export class ProposalRecipients {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly accounts: PartnerAccounts,
  ) {}

  /** Their user ids. The institution is read from the proposal's own first event, not a read model that may lag. */
  async of(proposalStreamId: string, tx?: PoolClient): Promise<string[]> {
    const [first] = await this.store.readStream<ProposalEvent>(proposalStreamId, 1, tx, 1);
    if (first?.type !== 'ProposalDrafted') return [];
    return this.accounts.idsOf(first.data.institutionId, tx);
  }
}
