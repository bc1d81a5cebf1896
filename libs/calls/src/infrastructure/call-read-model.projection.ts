import { Injectable } from '@nestjs/common';
import { TypedConsumer } from '@passerelle/event-store-postgres';
import type { CallEvent } from '../domain/call.events';

export const CALL_READ_MODEL = 'call-read-model';

/** One row per call; its status is computed when read (see CallQueries), from its times and `closed_at`. */
@Injectable()
export class CallReadModelProjection extends TypedConsumer<CallEvent> {
  constructor() {
    super({
      name: CALL_READ_MODEL,
      categories: ['call'],
      handlers: {
        CallOpened: async (event, tx) => {
          const d = event.data;
          await tx.query(
            `INSERT INTO calls (id, title, summary, sectors, countries, opens_at, closes_at, workshop_id, budget_ceiling, created_at, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) ON CONFLICT (id) DO NOTHING`,
            [d.callId, d.title, d.summary, JSON.stringify(d.sectors), JSON.stringify(d.countries), d.opensAt, d.closesAt, d.workshopId, JSON.stringify(d.budgetCeiling), event.recordedAt, event.version],
          );
        },
        CallClosed: async (event, tx) => {
          const d = event.data;
          await tx.query('UPDATE calls SET closed_at = $2, closed_by = $3, close_reason = $4, updated_at = $5, version = $6 WHERE id = $1', [
            d.callId,
            d.closedAt,
            d.by,
            d.reason,
            event.recordedAt,
            event.version,
          ]);
        },
        // The reminders' sweep finds a reminder no longer once its row is here (CallDeadlineReminderSource).
        CallDeadlineReminderSent: async (event, tx) => {
          const d = event.data;
          await tx.query(
            `INSERT INTO call_deadline_reminders (call_id, institution_id, closes_at, days_before, sent_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
            [d.callId, d.institutionId, d.closesAt, d.daysBefore, d.sentAt],
          );
          await tx.query('UPDATE calls SET updated_at = $2, version = $3 WHERE id = $1', [d.callId, event.recordedAt, event.version]);
        },
      },
      reset: async (tx) => {
        await tx.query('TRUNCATE calls, call_deadline_reminders');
      },
    });
  }
}
