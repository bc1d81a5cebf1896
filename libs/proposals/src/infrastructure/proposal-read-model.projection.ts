import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@passerelle/event-store-core';
import { type ConsumerTransaction, TypedConsumer } from '@passerelle/event-store-postgres';
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
  callId: 'call_id',
};
const JSON_FIELDS = new Set(['sectors', 'countries', 'budget']);

/** One row per proposal, with its reviews (every round), the current round's approvals and the staff's declarations of conflicts of interest. */
@Injectable()
export class ProposalReadModelProjection extends TypedConsumer<ProposalEvent> {
  constructor() {
    super({
      name: PROPOSAL_READ_MODEL,
      categories: ['proposal'],
      handlers: {
        ProposalDrafted: async (event, tx) => {
          const d = event.data;
          await tx.query(
            `INSERT INTO proposals (id, institution_id, title, summary, sectors, countries, workshop_id, duration_months, budget, status, created_at, updated_at, version, call_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $10, $11, $12) ON CONFLICT (id) DO NOTHING`,
            [d.proposalId, d.institutionId, d.title, d.summary, JSON.stringify(d.sectors), JSON.stringify(d.countries), d.workshopId, d.durationMonths, JSON.stringify(d.budget), event.recordedAt, event.version, d.callId ?? null],
          );
        },
        ProposalEdited: (event, tx) => {
          const entries = Object.entries(event.data.changes).filter(([field]) => COLUMN[field]);
          const assignments = entries.map(([field], i) => `${COLUMN[field]} = $${i + 4}`).join(', ');
          return set(tx, event, assignments, entries.map(([field, value]) => (JSON_FIELDS.has(field) ? JSON.stringify(value) : value)));
        },
        ProposalSubmitted: (event, tx) => set(tx, event, "status = 'submitted', round = $4, approvals = '[]'", [event.data.round]),
        ProposalResubmitted: (event, tx) => set(tx, event, "status = 'submitted', round = $4, approvals = '[]'", [event.data.round]),
        ProposalWithdrawn: (event, tx) => set(tx, event, "status = 'withdrawn'"),
        ProposalReviewed: (event, tx) => {
          const { proposalId: _id, ...review } = event.data;
          return set(tx, event, 'reviews = reviews || $4::jsonb', [JSON.stringify([review])]);
        },
        ProposalChangesRequested: (event, tx) => set(tx, event, "status = 'changes_requested', approvals = '[]'"),
        ProposalApprovalRecorded: (event, tx) =>
          set(tx, event, 'approvals = approvals || $4::jsonb', [JSON.stringify([{ approverId: event.data.approverId, round: event.data.round, at: event.data.recordedAt }])]),
        ProposalApproved: (event, tx) => set(tx, event, "status = 'approved'"),
        ProposalRejected: (event, tx) => set(tx, event, "status = 'rejected'"),
        ConflictOfInterestDeclared: (event, tx) => {
          const { staffId, conflict, reason, declaredAt } = event.data;
          return set(tx, event, 'conflict_declarations = conflict_declarations || $4::jsonb', [JSON.stringify([{ staffId, conflict, reason, declaredAt }])]);
        },
      },
      reset: async (tx) => {
        await tx.query('TRUNCATE proposals');
      },
    });
  }
}

/** Updates the proposal's row with `assignments` (values from $4 on), its version and the time of the event. */
async function set(tx: ConsumerTransaction, event: StoredEvent<ProposalEvent>, assignments: string, values: unknown[] = []): Promise<void> {
  await tx.query(`UPDATE proposals SET ${assignments}${assignments ? ', ' : ''}version = $2, updated_at = $3 WHERE id = $1`, [
    event.data.proposalId,
    event.version,
    event.recordedAt,
    ...values,
  ]);
}
