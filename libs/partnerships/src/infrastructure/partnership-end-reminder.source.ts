import { Injectable } from '@nestjs/common';
import { handleCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { institutionToWrite } from '@passerelle/partners';
import { AppConfig, EventStorePool } from '@passerelle/platform';
import { type DueReminder, type ReminderMessage, type ReminderSource, reminderDay } from '@passerelle/reminders';
import { partnershipStream } from '../application/change-partnership';
import { partnershipDecider } from '../domain/partnership.decider';

export const PARTNERSHIP_END_REMINDER = 'partnership-end';

/** How many days before a term's end its reminders go out. */
export const END_REMINDER_DAYS = [60, 30, 7] as const;

/** The reminder `daysBefore` days before the end `endsOn`: a moved end is another reminder. */
export const partnershipEndReminderId = (partnershipId: string, endsOn: string, daysBefore: number) =>
  `reminder.partnership-end.${partnershipId}.${endsOn}.${daysBefore}d`;

/**
 * The partnerships, active or suspended, whose end ($1 is today) is 1 to 60 days away, with the reminder
 * due: the smallest of 60, 30 and 7 days at least as far as the days left (only that one, so a
 * reminder missed is not sent late beside the next), unless that one or a later one was recorded for
 * this end. Reads `partnerships_due_to_expire` (ends_on, active or suspended): a range of 60 days of ends.
 * Exported for the reminder sweep bench, which plans this very statement.
 */
export const DUE_PARTNERSHIP_END_REMINDERS_SQL = `SELECT p.id, p.ends_on::text AS ends_on, m.days_before, (p.ends_on - m.days_before)::text AS due_on
  FROM partnerships p
  CROSS JOIN LATERAL (SELECT CASE WHEN p.ends_on - $1::date <= 7 THEN 7 WHEN p.ends_on - $1::date <= 30 THEN 30 ELSE 60 END AS days_before) m
  WHERE p.status IN ('active', 'suspended') AND p.ends_on > $1::date AND p.ends_on <= $1::date + 60
    AND (p.end_reminded_for IS DISTINCT FROM p.ends_on OR p.end_reminded_days > m.days_before)`;

/** One partnership's reminder still due at $1: the sweep's conditions, for one row by its key, its end and milestone unchanged. */
const STILL_DUE_SQL = `SELECT 1 FROM (${DUE_PARTNERSHIP_END_REMINDERS_SQL} AND p.id = $2) due WHERE due.ends_on = $3 AND due.days_before = $4`;

/**
 * Reminders of a partnership's end, 60, 30 and 7 days before it (UTC dates, the app's Clock), to the
 * institution's contacts in their language and to the staff who approved its proposal (in English:
 * staff accounts have no language). Their ids carry the end: a renewal or a corrected term plans them
 * anew by itself, and a job queued for the old end finds it no longer due. Sent ones are recorded on
 * the partnership (`PartnershipEndReminderSent`), so the sweep no longer finds them.
 */
@Injectable()
export class PartnershipEndReminderSource implements ReminderSource {
  readonly kind = PARTNERSHIP_END_REMINDER;

  constructor(
    private readonly pool: EventStorePool,
    private readonly store: PostgresEventStore,
    private readonly config: AppConfig,
  ) {}

  async findDue(now: number): Promise<DueReminder[]> {
    const { rows } = await this.pool.query<{ id: string; ends_on: string; days_before: number; due_on: string }>(DUE_PARTNERSHIP_END_REMINDERS_SQL, [reminderDay(now)]);
    return rows.map((row) => ({
      kind: this.kind,
      reminderId: partnershipEndReminderId(row.id, row.ends_on, row.days_before),
      subjectId: row.id,
      dueOn: row.due_on,
      details: { partnershipId: row.id, endsOn: row.ends_on, daysBefore: row.days_before },
    }));
  }

  async stillDue(reminder: DueReminder, now: number): Promise<boolean> {
    const { partnershipId, endsOn, daysBefore } = reminder.details;
    const found = await this.pool.query(STILL_DUE_SQL, [reminderDay(now), partnershipId, endsOn, daysBefore]);
    return found.rowCount === 1;
  }

  async messages(reminder: DueReminder, now: number): Promise<ReminderMessage[]> {
    const partnershipId = String(reminder.details.partnershipId);
    const endsOn = String(reminder.details.endsOn);
    const { rows } = await this.pool.query<{ institution_id: string; title: string; approvals: { approverId: string; round: number }[]; round: number }>(
      `SELECT p.institution_id, pr.title, pr.approvals, pr.round FROM partnerships p JOIN proposals pr ON pr.id = p.proposal_id WHERE p.id = $1`,
      [partnershipId],
    );
    const partnership = rows[0];
    if (!partnership) return [];
    const daysLeft = String(Math.round((Date.parse(`${endsOn}T00:00:00Z`) - Date.parse(`${reminderDay(now)}T00:00:00Z`)) / 86_400_000));
    const base = this.config.APP_BASE_URL.replace(/\/$/, '');
    const shared = { proposalTitle: partnership.title, daysLeft, partnershipUrl: `${base}/api/partnerships/${partnershipId}` };
    const institution = await institutionToWrite(this.store, partnership.institution_id);
    const messages: ReminderMessage[] = [];
    for (const contact of institution.contacts) {
      messages.push({
        recipientId: contact.userId,
        to: contact.email,
        language: contact.language,
        template: 'partnership-ending',
        values: { ...shared, fullName: contact.fullName, institution: institution.name, endsOn: longDate(endsOn, contact.language) },
      });
    }
    // The staff whose approvals (of the round approved) made the partnership, while their account is open.
    const approvers = [...new Set(partnership.approvals.filter((a) => a.round === partnership.round).map((a) => a.approverId))];
    if (approvers.length > 0) {
      const staff = await this.pool.query<{ id: string; email: string; full_name: string }>(
        `SELECT id, email, full_name FROM users WHERE id = ANY($1::uuid[]) AND role IN ('staff', 'admin') AND closed_at IS NULL AND email NOT LIKE 'erased-%@invalid' ORDER BY id`,
        [approvers],
      );
      for (const member of staff.rows) {
        messages.push({
          recipientId: member.id,
          to: member.email,
          language: 'en',
          template: 'partnership-ending-staff',
          values: { ...shared, fullName: member.full_name, institution: institution.name, endsOn: longDate(endsOn, 'en') },
        });
      }
    }
    return messages;
  }

  async recordSent(reminder: DueReminder, _deliveries: unknown, now: number): Promise<void> {
    const partnershipId = String(reminder.details.partnershipId);
    // Recorded even when every recipient refused it: the reminder had its chance, the sweep moves on to the next.
    await handleCommand(
      this.store,
      partnershipStream(partnershipId),
      partnershipDecider,
      { type: 'RecordEndReminderSent', endsOn: String(reminder.details.endsOn), daysBefore: Number(reminder.details.daysBefore), at: new Date(now).toISOString() },
      { metadata: { actor: 'reminders', correlationId: reminder.reminderId, causationId: null } },
    );
  }
}

/** A date as a reader of `language` writes it in full (1 March 2031, 1 mars 2031). */
function longDate(date: string, language: string): string {
  return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}
