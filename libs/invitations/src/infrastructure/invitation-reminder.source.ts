import { Injectable } from '@nestjs/common';
import { ERASED, handleCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { AppConfig, EventStorePool } from '@passerelle/platform';
import { type DueReminder, type ReminderDelivery, type ReminderMessage, type ReminderSource, reminderDay } from '@passerelle/reminders';
import { invitationStream } from '../application/invitation-commands';
import { InvitationLetters } from '../application/invitation-letters';
import { invitationDecider } from '../domain/invitation.decider';
import { DUE_REMINDERS_SQL, InvitationQueries } from './invitation.queries';

export const INVITATION_REMINDER = 'invitation';

/** The reminder of one invitation: one per invitation, ever (an invitation is reminded once). */
export const invitationReminderId = (invitationId: string) => `reminder.invitation.${invitationId}`;

/** One invitation still due at $1 with $2 days before: the sweep's conditions, for one row by its key. */
const STILL_DUE_SQL = `SELECT 1 FROM (${DUE_REMINDERS_SQL}) due WHERE due.id = $3`;

/**
 * Invitations unanswered REMINDER_DAYS_BEFORE days before their workshop (DUE_REMINDERS_SQL), as
 * reminders of the engine: the participant is written to in their language with the invitation's
 * letter (programme, RSVP link, calendar file), and `InvitationReminded` is recorded on the invitation.
 * Answered, bounced, reminded, the workshop moved away or started: no longer due, nothing sent.
 */
@Injectable()
export class InvitationReminderSource implements ReminderSource {
  readonly kind = INVITATION_REMINDER;

  constructor(
    private readonly invitations: InvitationQueries,
    private readonly letters: InvitationLetters,
    private readonly store: PostgresEventStore,
    private readonly pool: EventStorePool,
    private readonly config: AppConfig,
  ) {}

  async findDue(now: number): Promise<DueReminder[]> {
    const due = await this.invitations.dueForReminder(reminderDay(now), this.config.REMINDER_DAYS_BEFORE);
    return due.map(({ invitationId, dueOn }) => ({
      kind: this.kind,
      reminderId: invitationReminderId(invitationId),
      subjectId: invitationId,
      dueOn,
      details: { invitationId },
    }));
  }

  async stillDue(reminder: DueReminder, now: number): Promise<boolean> {
    const invitationId = String(reminder.details.invitationId);
    const found = await this.pool.query(STILL_DUE_SQL, [reminderDay(now), this.config.REMINDER_DAYS_BEFORE, invitationId]);
    if (found.rowCount === 0) return false;
    // The read model may lag an answer given a moment ago: the invitation's stream has the last word.
    const { state } = await this.letters.load(invitationId);
    if (state.status !== 'issued' && state.status !== 'emailed') return false;
    return !state.reminded;
  }

  async messages(reminder: DueReminder): Promise<ReminderMessage[]> {
    const invitationId = String(reminder.details.invitationId);
    const { issued, subjectId } = await this.letters.load(invitationId);
    // The participant was erased: no one to write to.
    if (!issued || issued.email === ERASED) return [];
    const letter = await this.letters.mail('invitation-reminder', invitationId, issued);
    return [{ recipientId: invitationId, to: issued.email, subjectId, ...letter }];
  }

  async recordSent(reminder: DueReminder, deliveries: ReminderDelivery[], now: number): Promise<void> {
    const sent = deliveries.find((d) => d.messageId !== undefined);
    // Refused by the server: not recorded (the invitation is no bounced one for a reminder), as before.
    if (!sent) return;
    const invitationId = String(reminder.details.invitationId);
    const day = reminderDay(now);
    await handleCommand(this.store, invitationStream(invitationId), invitationDecider, { type: 'RecordReminderSent', messageId: sent.messageId!, at: new Date(now).toISOString() }, {
      metadata: { actor: 'worker', correlationId: `reminders-${day}`, causationId: null },
    });
  }
}
