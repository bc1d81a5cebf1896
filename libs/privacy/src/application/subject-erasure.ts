import { DomainError, handleCommand, notFound, streamKind } from '@passerelle/event-store-core';
import type { PostgresEventStore } from '@passerelle/event-store-postgres';
import { normaliseEmail } from '../domain/email-address';
import { FIELD_FORMAT } from '../domain/field-cipher';
import { subjectDecider } from '../domain/subject.decider';
import type { SubjectEvent } from '../domain/subject.events';
import type { PersonalDataVault } from './personal-data-vault';

/** `subject-<subjectId>`, and back: a subject's erasure is recorded there. */
export const [subjectStream, subjectIdOf] = streamKind('subject');

export interface ErasureRequest {
  reason: string;
  basis: SubjectEvent['data']['basis'];
  /** The admin's account id; null for the retention job. */
  actor: string | null;
  correlationId?: string;
  /** Milliseconds since the epoch (the app's Clock). */
  now: number;
}

export interface ErasureOutcome {
  subjectId: string;
  erasedAt: string;
  emailsAlreadySent: number;
  streamIds: string[];
}

/**
 * Counts the e-mails already sent to a subject (they cannot be recalled), given the streams that name
 * them. The product's mail ledger knows which e-mail went to whom (sentMailCounter in @passerelle/mail);
 * the default knows nothing. Asked once the key is destroyed, so no e-mail is sent after the count.
 */
export type SentMailCounter = (subjectId: string, streamIds: string[]) => Promise<number>;

/** A subject being erased, as the steps outside the event store see it. */
export interface ErasedSubject {
  subjectId: string;
  /**
   * The person's address, read (decrypted) from their events before the key was destroyed; empty when
   * it could not be (no event holds it, or an earlier attempt destroyed the key already).
   */
  addresses: string[];
  streamIds: string[];
  actor: string | null;
  correlationId?: string;
}

/**
 * What else an erasure clears outside the event store (the person's account, stored request answers):
 * run in order once the key is destroyed and before the erasure is recorded, so that a failed step fails
 * the erasure and asking again runs every step again. A step must therefore be idempotent.
 */
export type ErasureStep = (erased: ErasedSubject) => Promise<void>;

/**
 * Erases a data subject (crypto-shredding): their key is destroyed in the key database and in every
 * process's cache, so every personal field sealed under it reads `[erased]` from then on, in every read,
 * rebuild and past state; then `PersonalDataErased` is appended to their stream, which every read model
 * and report reacts to. The key goes first: a failure after it leaves the subject unreadable, and asking
 * again completes the record. A subject whose erasure is recorded is refused (409 `already_erased`).
 *
 * Outside the event store: the person's address is read from their sealed fields before the key goes,
 * the ErasureSteps (their account, stored request answers) run once it is gone, and the e-mails already
 * sent to them are counted last (the mail ledger, under the subject's mail lock: none is sent after).
 */
export class SubjectErasure {
  constructor(
    private readonly vault: PersonalDataVault,
    private readonly store: PostgresEventStore,
    private readonly countSentMails: SentMailCounter = async () => 0,
    private readonly steps: ErasureStep[] = [],
  ) {}

  /** Adds a step run on every erasure of this process (a context that keeps personal data outside the events). */
  addStep(step: ErasureStep): void {
    this.steps.push(step);
  }

  /**
   * A database upgraded with events written in clear (`clear_events`) must have them sealed by `npm run
   * privacy:encrypt-existing` before anyone is erased: else the person's old events, not sealed under their
   * key and not indexed in `subject_streams`, would stay readable.
   */
  private async refuseWhileEventsInClear(): Promise<void> {
    const { rows } = await this.store.pool.query<{ through_position: string; sealed_through: string | null }>(
      'SELECT c.through_position, e.position AS sealed_through FROM clear_events c LEFT JOIN personal_data_encryption e ON true',
    );
    const clear = rows[0];
    if (clear && (clear.sealed_through === null || Number(clear.sealed_through) < Number(clear.through_position))) {
      throw new DomainError(
        `This database holds events written in clear up to position ${clear.through_position}: run npm run privacy:encrypt-existing before erasing anyone`,
        'personal_data_not_sealed',
      );
    }
  }

  async erase(subjectId: string, request: ErasureRequest): Promise<ErasureOutcome> {
    const subject = await this.vault.subject(subjectId);
    if (!subject) throw notFound('subject');
    const recorded = await this.store.readStream<SubjectEvent>(subjectStream(subjectId));
    const done = recorded.find((event) => event.type === 'PersonalDataErased');
    if (done) throw new DomainError(`Subject ${subjectId} was erased at ${done.data.erasedAt}`, 'already_erased');
    await this.refuseWhileEventsInClear();

    const streamIds = await this.streamsNaming(subjectId);
    const addresses = subject.erased ? [] : await this.addressesOf(subjectId, streamIds);
    await this.vault.destroyKey(subjectId);
    this.store.forgetAllStreams();
    const erased: ErasedSubject = { subjectId, addresses, streamIds, actor: request.actor, ...(request.correlationId ? { correlationId: request.correlationId } : {}) };
    for (const step of this.steps) await step(erased);
    const emailsAlreadySent = await this.countSentMails(subjectId, streamIds);
    const erasedAt = new Date(request.now).toISOString();
    await handleCommand(
      this.store,
      subjectStream(subjectId),
      subjectDecider,
      { type: 'ErasePersonalData', subjectId, erasedAt, reason: request.reason, basis: request.basis, streamIds, emailsAlreadySent },
      { metadata: { actor: request.actor, ...(request.correlationId ? { correlationId: request.correlationId } : {}) } },
    );
    return { subjectId, erasedAt, emailsAlreadySent, streamIds };
  }

  /**
   * The subject's address, found among the personal fields sealed under their key in the streams that
   * name them: the first one that decrypts to an address whose subject they are. Empty if none does.
   */
  async addressesOf(subjectId: string, streamIds: string[]): Promise<string[]> {
    const prefix = `${FIELD_FORMAT}.${subjectId}.`;
    for (const streamId of streamIds) {
      const { rows } = await this.store.pool.query<{ type: string; data: unknown }>('SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version', [streamId]);
      for (const row of rows) {
        for (const { value, path } of sealedFields(row.data, '', prefix)) {
          const reading = await this.vault.decrypt(value, { streamId, eventType: row.type, field: path });
          if (reading.status !== 'decrypted' || !ADDRESS.test(reading.value.trim())) continue;
          if ((await this.vault.findSubject(reading.value))?.subjectId === subjectId) return [normaliseEmail(reading.value)];
        }
      }
    }
    return [];
  }

  /** Every stream whose events name the subject (the index appends keep). */
  async streamsNaming(subjectId: string): Promise<string[]> {
    const { rows } = await this.store.pool.query<{ stream_id: string }>('SELECT stream_id FROM subject_streams WHERE subject_id = $1 ORDER BY stream_id', [subjectId]);
    return rows.map((row) => row.stream_id);
  }
}

const ADDRESS = /^[^\s@]+@[^\s@]+$/;

/** The strings of a stored event's data sealed under one subject (starting with `prefix`), with their field paths as sealed. */
function* sealedFields(value: unknown, path: string, prefix: string): Generator<{ value: string; path: string }> {
  if (typeof value === 'string') {
    if (value.startsWith(prefix)) yield { value, path };
  } else if (Array.isArray(value)) {
    for (const item of value) yield* sealedFields(item, `${path}[]`, prefix);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* sealedFields(item, path === '' ? key : `${path}.${key}`, prefix);
  }
}
