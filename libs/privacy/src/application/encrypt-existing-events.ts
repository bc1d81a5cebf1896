import type { PersonalDataRegistry } from '@passerelle/event-store-core';
import { type PostgresEventStore, type Queryable, recordSubjects, SAFE_BOUND_SQL, toPosition } from '@passerelle/event-store-postgres';
import type { PrivacyMigrationEvent } from '../domain/privacy-migration.events';
import type { EventFieldEncryption } from './event-field-encryption';

/** How long to wait before looking again when only transactions still in flight stand in the way. */
const IN_FLIGHT_WAIT_MS = 100;

/** The stream on which the encryption of an existing database is recorded. */
export const PRIVACY_MIGRATION_STREAM = 'privacy-migration';

export interface EncryptionOptions {
  /** The product's event store, with the codec below (it records the outcome). */
  store: PostgresEventStore;
  /** The codec the event store seals appends with: the existing events are sealed the same way. */
  codec: EventFieldEncryption;
  /** Every event type's personal fields: only events of a type that has some are read. */
  registry: PersonalDataRegistry;
  /** Events read (and rewritten where they hold a clear personal field) per transaction; 500 unless said. */
  batchSize?: number;
  /** Told after each batch is committed, for the command's output. */
  onBatch?: (progress: EncryptionProgress) => void | Promise<void>;
  /** Milliseconds since the epoch; the system clock unless said. */
  now?: () => number;
}

export interface EncryptionProgress {
  /** Every event up to this position has been dealt with (0: none yet). */
  position: number;
  /** Events rewritten and fields sealed by this run. */
  eventsEncrypted: number;
  fieldsEncrypted: number;
  /** Batches committed by this run. */
  batches: number;
}

export interface EncryptionSummary extends EncryptionProgress {
  /** Over every run until now, this one included. */
  total: { eventsEncrypted: number; fieldsEncrypted: number; batches: number; runs: number };
  /** Whether this run recorded `PersonalDataEncrypted` (not when nothing was sealed since the last record). */
  recorded: boolean;
}

interface ProgressRow {
  position: string;
  events_encrypted: string;
  fields_encrypted: string;
  batches: number;
  runs: number;
  started_at: Date;
  finished_at: Date | null;
}

/**
 * Seals, in place, the personal fields of the events written before personal fields were sealed (issue 20):
 * the one rewrite of history the product ever does (`npm run privacy:encrypt-existing`).
 *
 * Events are read by position, a batch per transaction: each event holding a clear personal field is sealed
 * by the codec appends use (`sealStored`: a field already sealed stays as it is, so a second run changes
 * nothing) and written back with `UPDATE events SET data = ... WHERE position = ...`; the streams it names
 * go to `subject_streams`; and the table `personal_data_encryption` moves on to the batch's last position,
 * in the same transaction. A run stopped anywhere (a crash, a lost connection) leaves every batch whole
 * or untouched, and the next run goes on from there. Two runs at once take turns, batch by batch (the
 * progress row is locked). The last batch appends `PersonalDataEncrypted` to `privacy-migration`, with
 * positions and counts, unless nothing was sealed since the last such record (a second run records nothing).
 *
 * The API and the worker may keep running: what they append is sealed already, and what they read opens
 * the same, sealed or not. Only positions below every transaction still in flight are read (as every
 * reader of the store does), and a run ends once it has read every event committed before it began;
 * an event written later by a process of a version that does not seal is left for the next run.
 */
export async function encryptExistingEvents(options: EncryptionOptions): Promise<EncryptionSummary> {
  const { store, codec } = options;
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('The batch size must be a whole number of events, 1 or more');
  const now = options.now ?? Date.now;
  const types = [...options.registry].filter(([, entry]) => entry.fields.personal.length > 0).map(([type]) => type);
  await store.pool.query('INSERT INTO personal_data_encryption (id) VALUES (true) ON CONFLICT DO NOTHING');
  // Every event committed before this run began is sealed by its end.
  const target = toPosition((await store.pool.query<{ position: string }>('SELECT coalesce(max(position), 0) AS position FROM events')).rows[0].position);
  const run: EncryptionProgress = { position: 0, eventsEncrypted: 0, fieldsEncrypted: 0, batches: 0 };
  for (;;) {
    const outcome = await store.transaction(async (client) => {
      const progress = (await client.query<ProgressRow>('SELECT * FROM personal_data_encryption FOR UPDATE')).rows[0];
      const after = toPosition(progress.position);
      // Every position under the bound is final: no transaction still in flight can write there.
      const bound = (await client.query<{ bound: string }>(`SELECT ${SAFE_BOUND_SQL} AS bound`)).rows[0].bound;
      const { rows } = await client.query<{ position: string; stream_id: string; type: string; data: unknown }>(
        `SELECT position, stream_id, type, data FROM events
         WHERE position > $1 AND position < $2 AND type = ANY($4::text[])
         ORDER BY position LIMIT $3`,
        [after, bound, batchSize, types],
      );
      const batch = await sealBatch(client, codec, rows);
      const full = rows.length === batchSize;
      // Fewer than a batch: every event under the bound has been read, whatever its type.
      const position = full ? toPosition(rows[rows.length - 1].position) : Math.max(after, await headPosition(client, bound));
      const finished = !full && position >= target;
      // Events under the target but above the bound wait for a transaction still in flight (of any process).
      if (rows.length === 0 && !finished) return null;
      const total = {
        eventsEncrypted: Number(progress.events_encrypted) + batch.events,
        fieldsEncrypted: Number(progress.fields_encrypted) + batch.fields,
        batches: progress.batches + 1,
        runs: progress.runs + (run.batches === 0 ? 1 : 0),
      };
      // Recorded when something was sealed since the last record (finished_at is cleared by every batch that seals).
      const record = finished && (progress.finished_at === null || batch.events > 0);
      if (record) {
        const event: PrivacyMigrationEvent = {
          type: 'PersonalDataEncrypted',
          data: {
            startedAt: progress.started_at.toISOString(),
            finishedAt: new Date(now()).toISOString(),
            throughPosition: position,
            ...total,
          },
        };
        await store.append(PRIVACY_MIGRATION_STREAM, [event], { expectedVersion: 'any', client });
      }
      await client.query(
        `UPDATE personal_data_encryption SET position = $1, events_encrypted = $2, fields_encrypted = $3, batches = $4, runs = $5,
           finished_at = CASE WHEN $6 THEN now() WHEN $7 THEN NULL ELSE finished_at END, updated_at = now()`,
        [position, total.eventsEncrypted, total.fieldsEncrypted, total.batches, total.runs, record, batch.events > 0],
      );
      return { position, events: batch.events, fields: batch.fields, finished, record, total };
    });
    if (!outcome) {
      await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_WAIT_MS));
      continue;
    }
    run.position = outcome.position;
    run.eventsEncrypted += outcome.events;
    run.fieldsEncrypted += outcome.fields;
    run.batches += 1;
    await options.onBatch?.({ ...run });
    if (outcome.finished) return { ...run, total: outcome.total, recorded: outcome.record };
  }
}

/** Seals each event's clear personal fields and writes back those that changed; records whom they name. */
async function sealBatch(
  client: Queryable,
  codec: EventFieldEncryption,
  rows: { position: string; stream_id: string; type: string; data: unknown }[],
): Promise<{ events: number; fields: number }> {
  let events = 0;
  let fields = 0;
  const pairs: { subjectId: string; streamId: string }[] = [];
  for (const row of rows) {
    // With this transaction's client: an earlier event of the stream sealed in this batch is seen sealed.
    const sealed = await codec.sealStored({ streamId: row.stream_id, type: row.type, data: row.data }, client);
    for (const subjectId of sealed.subjectIds) pairs.push({ subjectId, streamId: row.stream_id });
    if (sealed.fieldsSealed === 0) continue;
    await client.query('UPDATE events SET data = $2::jsonb WHERE position = $1', [row.position, JSON.stringify(sealed.data)]);
    events += 1;
    fields += sealed.fieldsSealed;
  }
  await recordSubjects(client, pairs.map((pair) => pair.streamId), pairs.map((pair) => pair.subjectId));
  return { events, fields };
}

async function headPosition(client: Queryable, bound: string): Promise<number> {
  const { rows } = await client.query<{ position: string }>('SELECT coalesce(max(position), 0) AS position FROM events WHERE position < $1', [bound]);
  return toPosition(rows[0].position);
}
