import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import type { ProposalEvent } from '../domain/proposal.events';

export const PROPOSAL_READ_MODEL = 'proposal-read-model';

const COLUMN: Record<string, string> = {
  title: 'title',
  summary: 'summary',
  sectors: 'sectors',
  countries: 'countries',
  workshopId: 'workshop_id',
  durationMonths: 'duration_months',
  budget: 'budget',
};
const JSON_FIELDS = new Set(['sectors', 'countries', 'budget']);

/** One row per proposal, with its reviews (every round) and the current round's approvals. */
@Injectable()
export class ProposalReadModelProjection implements EventConsumer {
  readonly name = PROPOSAL_READ_MODEL;
  readonly categories = ['proposal'];

  filter(event: StoredEvent): boolean {
    return event.category === 'proposal';
  }

  async handle(events: StoredEvent[], tx: PoolClient): Promise<void> {
    for (const event of events) await this.apply(event as StoredEvent & ProposalEvent, tx);
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE proposals');
  }

  private async apply(event: StoredEvent & ProposalEvent, tx: PoolClient): Promise<void> {
    const id = event.data.proposalId;
    const at = event.recordedAt;
    const set = (assignments: string, values: unknown[] = []) =>
      tx.query(`UPDATE proposals SET ${assignments}${assignments ? ', ' : ''}version = $2, updated_at = $3 WHERE id = $1`, [id, event.version, at, ...values]);
    switch (event.type) {
      case 'ProposalDrafted': {
        const d = event.data;
        await tx.query(
          `INSERT INTO proposals (id, institution_id, title, summary, sectors, countries, workshop_id, duration_months, budget, status, created_at, updated_at, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $10, $11) ON CONFLICT (id) DO NOTHING`,
          [id, d.institutionId, d.title, d.summary, JSON.stringify(d.sectors), JSON.stringify(d.countries), d.workshopId, d.durationMonths, JSON.stringify(d.budget), at, event.version],
        );
        return;
      }
      case 'ProposalEdited': {
        const entries = Object.entries(event.data.changes).filter(([field]) => COLUMN[field]);
        const assignments = entries.map(([field], i) => `${COLUMN[field]} = $${i + 4}`).join(', ');
        await set(assignments, entries.map(([field, value]) => (JSON_FIELDS.has(field) ? JSON.stringify(value) : value)));
        return;
      }
      case 'ProposalSubmitted':
      case 'ProposalResubmitted':
        await set("status = 'submitted', round = $4, approvals = '[]'", [event.data.round]);
        return;
      case 'ProposalWithdrawn':
        await set("status = 'withdrawn'");
        return;
      case 'ProposalReviewed': {
        const { proposalId: _id, ...review } = event.data;
        await set('reviews = reviews || $4::jsonb', [JSON.stringify([review])]);
        return;
      }
      case 'ProposalChangesRequested':
        await set("status = 'changes_requested', approvals = '[]'");
        return;
      case 'ProposalApprovalRecorded':
        await set('approvals = approvals || $4::jsonb', [JSON.stringify([{ approverId: event.data.approverId, round: event.data.round, at: event.data.recordedAt }])]);
        return;
      case 'ProposalApproved':
        await set("status = 'approved'");
        return;
      case 'ProposalRejected':
        await set("status = 'rejected'");
        return;
    }
  }
}
