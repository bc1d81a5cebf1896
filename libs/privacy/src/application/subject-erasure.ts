import { DomainError, handleCommand, notFound, streamKind } from '@passerelle/event-store-core';
import type { PostgresEventStore } from '@passerelle/event-store-postgres';
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
 * them. The product's mail ledger knows which e-mail went to whom; the default knows nothing.
 */
export type SentMailCounter = (subjectId: string, streamIds: string[]) => Promise<number>;

/**
 * Erases a data subject (crypto-shredding): their key is destroyed in the key database and in every
 * process's cache, so every personal field sealed under it reads `[erased]` from then on, in every read,
 * rebuild and past state; then `PersonalDataErased` is appended to their stream, which every read model
 * and report reacts to. The key goes first: a failure after it leaves the subject unreadable, and asking
 * again completes the record. A subject whose erasure is recorded is refused (409 `already_erased`).
 */
export class SubjectErasure {
  constructor(
    private readonly vault: PersonalDataVault,
    private readonly store: PostgresEventStore,
    private readonly countSentMails: SentMailCounter = async () => 0,
  ) {}

  async erase(subjectId: string, request: ErasureRequest): Promise<ErasureOutcome> {
    const subject = await this.vault.subject(subjectId);
    if (!subject) throw notFound('subject');
    const recorded = await this.store.readStream<SubjectEvent>(subjectStream(subjectId));
    const done = recorded.find((event) => event.type === 'PersonalDataErased');
    if (done) throw new DomainError(`Subject ${subjectId} was erased at ${done.data.erasedAt}`, 'already_erased');

    const streamIds = await this.streamsNaming(subjectId);
    const emailsAlreadySent = await this.countSentMails(subjectId, streamIds);
    await this.vault.destroyKey(subjectId);
    this.store.forgetAllStreams();
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

  /** Every stream whose events name the subject (the index appends keep). */
  async streamsNaming(subjectId: string): Promise<string[]> {
    const { rows } = await this.store.pool.query<{ stream_id: string }>('SELECT stream_id FROM subject_streams WHERE subject_id = $1 ORDER BY stream_id', [subjectId]);
    return rows.map((row) => row.stream_id);
  }
}
