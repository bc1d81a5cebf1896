import { Injectable } from '@nestjs/common';
import { handleCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { institutionToWrite } from '@passerelle/partners';
import { AppConfig, EventStorePool } from '@passerelle/platform';
import type { DueReminder, ReminderMessage, ReminderSource } from '@passerelle/reminders';
import { callStream } from '../application/change-call';
import { callDecider } from '../domain/call.decider';

export const CALL_DEADLINE_REMINDER = 'call-deadline';

/** How many days before a call closes an institution with unsubmitted proposals to it is reminded. */
export const DEADLINE_REMINDER_DAYS = [7, 1] as const;

/** The reminder of `institutionId`, `daysBefore` days before the call closes at `closesAt`: a call closing at another time is another reminder. */
export const callDeadlineReminderId = (callId: string, institutionId: string, closesAt: string, daysBefore: number) =>
  `reminder.call-deadline.${callId}.${institutionId}.${Date.parse(closesAt)}.${daysBefore}d`;

/**
 * Per open call closing within 7 days of $1 (now) and per institution with a proposal to it still in
 * draft or sent back for changes: the reminder due, 1 day before when at most a day is left, else 7
 * (only that one: a call opened 3 days before it closes gets the 1-day reminder alone, not a late 7-day
 * one), unless that one or a later one was recorded for this closing time. Reads `calls_not_closed`
 * (a range of 7 days of closing times), `proposals_unsubmitted_by_call` and the reminders' key.
 * Exported for the reminder sweep bench, which plans this very statement.
 */
export const DUE_CALL_DEADLINE_REMINDERS_SQL = `SELECT c.id, u.institution_id, c.closes_at, m.days_before,
    to_char((c.closes_at - make_interval(days => m.days_before)) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS due_on
  FROM calls c
  CROSS JOIN LATERAL (SELECT CASE WHEN c.closes_at - $1::timestamptz <= interval '1 day' THEN 1 ELSE 7 END AS days_before) m
  CROSS JOIN LATERAL (SELECT DISTINCT p.institution_id FROM proposals p WHERE p.call_id = c.id AND p.status IN ('draft', 'changes_requested')) u
  WHERE c.closed_at IS NULL AND c.opens_at <= $1::timestamptz AND c.closes_at > $1::timestamptz AND c.closes_at <= $1::timestamptz + interval '7 days'
    AND NOT EXISTS (SELECT 1 FROM call_deadline_reminders r
      WHERE r.call_id = c.id AND r.institution_id = u.institution_id AND r.closes_at = c.closes_at AND r.days_before <= m.days_before)`;

/** One institution's reminder of one call still due at $1: the sweep's conditions, for one row by its key, its closing time and milestone unchanged. */
const STILL_DUE_SQL = `SELECT 1 FROM (${DUE_CALL_DEADLINE_REMINDERS_SQL} AND c.id = $2 AND u.institution_id = $3) due
  WHERE due.closes_at = $4::timestamptz AND due.days_before = $5`;

/**
 * Reminders that a call for proposals is about to close, 7 days and 1 day before its closing time, to
 * the contacts (in their language) of each institution that still has a proposal to it in draft or
 * sent back for changes. Not sent once those proposals were submitted or withdrawn, or the call closed
 * early. Sent ones are recorded on the call (`CallDeadlineReminderSent`), so the sweep no longer finds them.
 */
@Injectable()
export class CallDeadlineReminderSource implements ReminderSource {
  readonly kind = CALL_DEADLINE_REMINDER;

  constructor(
    private readonly pool: EventStorePool,
    private readonly store: PostgresEventStore,
    private readonly config: AppConfig,
  ) {}

  async findDue(now: number): Promise<DueReminder[]> {
    const { rows } = await this.pool.query<DueRow>(DUE_CALL_DEADLINE_REMINDERS_SQL, [new Date(now).toISOString()]);
    return rows.map((row) => {
      const closesAt = row.closes_at.toISOString();
      return {
        kind: this.kind,
        reminderId: callDeadlineReminderId(row.id, row.institution_id, closesAt, row.days_before),
        subjectId: row.id,
        dueOn: row.due_on,
        details: { callId: row.id, institutionId: row.institution_id, closesAt, daysBefore: row.days_before },
      };
    });
  }

  async stillDue(reminder: DueReminder, now: number): Promise<boolean> {
    const { callId, institutionId, closesAt, daysBefore } = reminder.details;
    const found = await this.pool.query(STILL_DUE_SQL, [new Date(now).toISOString(), callId, institutionId, closesAt, daysBefore]);
    return found.rowCount === 1;
  }

  async messages(reminder: DueReminder): Promise<ReminderMessage[]> {
    const { callId, institutionId } = reminder.details as { callId: string; institutionId: string };
    const call = await this.pool.query<{ title: string; closes_at: Date }>('SELECT title, closes_at FROM calls WHERE id = $1', [callId]);
    if (call.rowCount === 0) return [];
    const unsubmitted = await this.pool.query<{ title: string }>(
      `SELECT title FROM proposals WHERE call_id = $1 AND institution_id = $2 AND status IN ('draft', 'changes_requested') ORDER BY created_at, id`,
      [callId, institutionId],
    );
    if (unsubmitted.rowCount === 0) return [];
    const institution = await institutionToWrite(this.store, institutionId);
    const base = this.config.APP_BASE_URL.replace(/\/$/, '');
    return institution.contacts.map((contact) => ({
      recipientId: contact.userId,
      to: contact.email,
      language: contact.language,
      template: 'call-deadline',
      values: {
        fullName: contact.fullName,
        institution: institution.name,
        callTitle: call.rows[0].title,
        closesAt: closingTime(call.rows[0].closes_at, contact.language),
        proposals: unsubmitted.rows.map((row) => row.title).join('; '),
        callUrl: `${base}/api/calls/${callId}`,
      },
    }));
  }

  async recordSent(reminder: DueReminder, _deliveries: unknown, now: number): Promise<void> {
    const { callId, institutionId, closesAt, daysBefore } = reminder.details;
    await handleCommand(
      this.store,
      callStream(String(callId)),
      callDecider,
      { type: 'RecordDeadlineReminderSent', institutionId: String(institutionId), closesAt: String(closesAt), daysBefore: Number(daysBefore), at: new Date(now).toISOString() },
      { metadata: { actor: 'reminders', correlationId: reminder.reminderId, causationId: null } },
    );
  }
}

interface DueRow {
  id: string;
  institution_id: string;
  closes_at: Date;
  days_before: number;
  due_on: string;
}

/** A call's closing time as a reader of `language` writes it in full, in UTC (a call has no venue), the zone named. */
function closingTime(at: Date, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }).format(at) + ' UTC';
}
