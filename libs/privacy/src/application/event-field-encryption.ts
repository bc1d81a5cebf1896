import {
  type CodecEvent,
  type CodecQueryable,
  ERASED,
  type OpenedData,
  type PersonalDataCodec,
  type PersonalDataRegistry,
  type PersonalField,
  type SealedData,
} from '@passerelle/event-store-core';
import { normaliseEmail } from '../domain/email-address';
import { decryptField, type EncryptedField, FIELD_FORMAT, fieldSubjectId, isEncryptedField, parseEncryptedField } from '../domain/field-cipher';
import type { SubjectKeyState } from '../domain/subject-key';
import type { PersonalDataVault } from './personal-data-vault';

/** What a field that cannot be read for another reason than erasure (tampered, wrong key) shows. */
export const UNREADABLE = '[unreadable]';

/** Addresses whose subject this process knows, at most this many (least recently used leave first). */
const SUBJECT_MEMO_SIZE = 10_000;

type Segment = string | '[]';

interface Location {
  /** The concrete keys and indices from the data's root to the value. */
  steps: (string | number)[];
  /** The indices taken at each `[]` of the declared path, in order. */
  indices: number[];
  value: unknown;
}

/**
 * Seals and opens the personal fields of events (issue 20) as the contexts declare them (the registry):
 * each is encrypted with AES-256-GCM under its subject's key (PersonalDataVault), the stream id, event type
 * and declared field path bound in as associated data. The subject of a field is found by its address, in
 * the same event or in an earlier event of the same stream (`fromEvent`). Opening needs no declaration: any
 * value in the stored format is decrypted, or reads `[erased]` once its subject's key is destroyed.
 */
export class EventFieldEncryption implements PersonalDataCodec {
  private readonly subjectsByAddress = new Map<string, string>();

  constructor(
    private readonly vault: PersonalDataVault,
    private readonly registry: PersonalDataRegistry,
  ) {
    vault.onKeyDestroyed((subjectId) => this.forgetSubject(subjectId));
  }

  async seal(event: CodecEvent, db: CodecQueryable): Promise<SealedData> {
    const { data, subjectIds } = await this.sealFields(event, db, false);
    return { data, subjectIds };
  }

  /**
   * Seals the personal fields of an event stored before they were sealed (`npm run
   * privacy:encrypt-existing`): as `seal`, except that a field already sealed is left as it is (its subject
   * still named), and a subject's address already sealed gives the subject from the field itself. Sealing
   * an event a second time changes nothing. Also says how many fields it sealed.
   */
  async sealStored(event: CodecEvent, db: CodecQueryable): Promise<SealedData & { fieldsSealed: number }> {
    return this.sealFields(event, db, true);
  }

  private async sealFields(event: CodecEvent, db: CodecQueryable, stored: boolean): Promise<SealedData & { fieldsSealed: number }> {
    const declared = this.registry.get(event.type)?.fields;
    if (!declared || declared.personal.length === 0 || event.data === null || typeof event.data !== 'object') return { data: event.data, subjectIds: [], fieldsSealed: 0 };
    const data = structuredClone(event.data) as Record<string, unknown>;
    // Every field at once: the subjects of a list of addresses (a workshop's thousand invitations) are then
    // found in one batched look-up instead of one round trip each.
    const targets = declared.personal.flatMap((field) => locate(data, parsePath(field.path)).map((location) => ({ field, location })));
    const outcomes = await Promise.all(targets.map(({ field, location }) => this.sealOne(event, field, location, db, stored)));
    const subjectIds = new Set<string>();
    let fieldsSealed = 0;
    outcomes.forEach((outcome, i) => {
      if (outcome.subjectId) subjectIds.add(outcome.subjectId);
      if (outcome.value !== undefined) assign(data, targets[i].location.steps, outcome.value);
      if (outcome.sealed) fieldsSealed += 1;
    });
    return { data, subjectIds: [...subjectIds], fieldsSealed };
  }

  /** What one personal field becomes: sealed under its subject, `[erased]`, or left (`value` undefined). */
  private async sealOne(
    event: CodecEvent,
    field: PersonalField,
    location: Location,
    db: CodecQueryable,
    stored: boolean,
  ): Promise<{ value?: string; subjectId?: string; sealed?: boolean }> {
    if (typeof location.value !== 'string') return {};
    if (stored && isEncryptedField(location.value)) return { subjectId: fieldSubjectId(location.value)! };
    const context = { streamId: event.streamId, eventType: event.type, field: field.path };
    let subjectId = await this.subjectOf(event, field, location, db, stored);
    if (!subjectId) {
      // A field whose person is named only by an earlier event that no longer names them (erased, or
      // missing) is written as erased: nothing may be stored in clear about someone unknown.
      return typeof field.subject !== 'string' ? { value: ERASED } : {};
    }
    let sealed = await this.vault.encrypt(subjectId, location.value, context);
    if (sealed === undefined) {
      // Erased since this process last met the address: a person written about again (a new invitation
      // to the same address) is a new subject; a later fact about the erased person (a bounce) is erased.
      this.forgetSubject(subjectId);
      subjectId = typeof field.subject === 'string' ? await this.subjectOf(event, field, location, db, stored) : undefined;
      sealed = subjectId ? await this.vault.encrypt(subjectId, location.value, context) : undefined;
      if (!subjectId || sealed === undefined) return { value: ERASED };
    }
    return { value: sealed, subjectId, sealed: true };
  }

  /** A page of events: the keys of every subject it names are read first, in one query, then each is opened. */
  async openMany(events: CodecEvent[]): Promise<OpenedData[]> {
    const fields = new Map<string, EncryptedField>();
    for (const event of events) if (mayHoldSealedField(event.data)) collectSealed(event.data, fields);
    if (fields.size > 0) await this.vault.subjectKeys([...fields.values()].map((field) => field.subjectId));
    return Promise.all(events.map((event) => this.open(event)));
  }

  async open(event: CodecEvent): Promise<OpenedData> {
    if (!mayHoldSealedField(event.data)) return { data: event.data, subjectIds: [], erased: false };
    // The keys first, one await for each subject named (usually one), then a walk without awaits that decrypts.
    const fields = new Map<string, EncryptedField>();
    collectSealed(event.data, fields);
    const keys = await this.vault.subjectKeys([...fields.values()].map((field) => field.subjectId));
    const subjectIds = new Set<string>();
    let erased = false;
    const visit = (value: unknown, path: string): unknown => {
      if (typeof value === 'string') {
        const field = fields.get(value);
        if (!field) return value; // not in the stored format: as written
        subjectIds.add(field.subjectId);
        const reading = decryptField(keys.get(field.subjectId)!, field, { streamId: event.streamId, eventType: event.type, field: path });
        if (reading.status === 'decrypted') return reading.value;
        if (reading.status === 'erased' || reading.reason === 'unknown_subject') {
          erased = true;
          return ERASED;
        }
        return UNREADABLE;
      }
      if (Array.isArray(value)) return value.map((item) => visit(item, `${path}[]`));
      if (value !== null && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) out[key] = visit(item, path === '' ? key : `${path}.${key}`);
        return out;
      }
      return value;
    };
    const data = visit(event.data, '');
    return { data, subjectIds: [...subjectIds], erased };
  }

  /** The subject id a personal field belongs to; undefined when its address is missing. */
  private async subjectOf(event: CodecEvent, field: PersonalField, location: Location, db: CodecQueryable, stored = false): Promise<string | undefined> {
    const subject = field.subject;
    if (typeof subject === 'string') {
      const address = valueAt(event.data, parsePath(subject), location.indices);
      if (stored && isEncryptedField(address)) return fieldSubjectId(address);
      return typeof address === 'string' && address.trim() !== '' ? this.subjectByAddress(address) : undefined;
    }
    // The address is in an earlier event of the stream (sealed there, or in clear if written before encryption).
    const { rows } = await db.query<{ data: unknown }>('SELECT data FROM events WHERE stream_id = $1 AND type = $2 ORDER BY version LIMIT 1', [event.streamId, subject.fromEvent]);
    const earlier = valueAt(rows[0]?.data, parsePath(subject.path), location.indices);
    if (typeof earlier !== 'string') return undefined;
    return fieldSubjectId(earlier) ?? (earlier === ERASED ? undefined : this.subjectByAddress(earlier));
  }

  private forgetSubject(subjectId: string): void {
    for (const [address, known] of this.subjectsByAddress) if (known === subjectId) this.subjectsByAddress.delete(address);
  }

  private async subjectByAddress(address: string): Promise<string> {
    const key = normaliseEmail(address);
    const known = this.subjectsByAddress.get(key);
    if (known) {
      this.subjectsByAddress.delete(key);
      this.subjectsByAddress.set(key, known);
      return known;
    }
    // Events sealed together (a bulk of invitations and the workshop's list of them) ask once per address.
    let finding = this.findings.get(key);
    if (!finding) {
      finding = this.lookUpSoon(address).finally(() => this.findings.delete(key));
      this.findings.set(key, finding);
    }
    const subjectId = await finding;
    this.subjectsByAddress.set(key, subjectId);
    if (this.subjectsByAddress.size > SUBJECT_MEMO_SIZE) this.subjectsByAddress.delete(this.subjectsByAddress.keys().next().value as string);
    return subjectId;
  }

  /** Look-ups of subjects by address under way, by normalised address. */
  private readonly findings = new Map<string, Promise<string>>();

  /** Addresses waiting for the next batched look-up, each with who waits for it. */
  private pending: { address: string; resolve: (id: string) => void; reject: (err: unknown) => void }[] = [];

  /**
   * The subject of an address, looked up with every other address asked for in the same turn of the event
   * loop: one statement, so one commit in the key database, for a bulk of invitations instead of one each.
   */
  private lookUpSoon(address: string): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => void this.lookUpPending());
      this.pending.push({ address, resolve, reject });
    });
  }

  private async lookUpPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const ids = batch.length === 1 ? new Map([[batch[0].address, await this.vault.findOrCreateSubject(batch[0].address)]]) : await this.vault.findOrCreateSubjects(batch.map((p) => p.address));
      for (const waiting of batch) waiting.resolve(ids.get(waiting.address)!);
    } catch (err) {
      for (const waiting of batch) waiting.reject(err);
    }
  }
}

/** Whether a stored value holds a string in the sealed format anywhere (a cheap test on its JSON). */
function mayHoldSealedField(data: unknown): boolean {
  if (data === null || typeof data !== 'object') return typeof data === 'string' && data.startsWith(`${FIELD_FORMAT}.`);
  return JSON.stringify(data).includes(`"${FIELD_FORMAT}.`);
}

/** Every string in the stored format anywhere in the data, with its parts. */
function collectSealed(value: unknown, fields: Map<string, EncryptedField>): void {
  if (typeof value === 'string') {
    const field = value.startsWith(`${FIELD_FORMAT}.`) ? parseEncryptedField(value) : undefined;
    if (field) fields.set(value, field);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Array.isArray(value) ? value : Object.values(value)) collectSealed(item, fields);
  }
}

function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of path.split('.')) {
    const name = part.endsWith('[]') ? part.slice(0, -2) : part;
    if (name !== '') segments.push(name);
    if (part.endsWith('[]')) segments.push('[]');
  }
  return segments;
}

/** Every value at a declared path, with where it is. */
function locate(data: unknown, segments: Segment[], steps: (string | number)[] = [], indices: number[] = []): Location[] {
  if (segments.length === 0) return [{ steps, indices, value: data }];
  const [head, ...rest] = segments;
  if (head === '[]') {
    if (!Array.isArray(data)) return [];
    return data.flatMap((item, i) => locate(item, rest, [...steps, i], [...indices, i]));
  }
  if (data === null || typeof data !== 'object' || !Object.hasOwn(data, head)) return [];
  return locate((data as Record<string, unknown>)[head], rest, [...steps, head], indices);
}

/** The value at a declared path, taking the given indices at its `[]` steps (the first one past them). */
function valueAt(data: unknown, segments: Segment[], indices: number[]): unknown {
  let current = data;
  let taken = 0;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (segment === '[]') {
      if (!Array.isArray(current)) return undefined;
      current = current[indices[taken++] ?? 0];
    } else {
      current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return current;
}

function assign(data: Record<string, unknown>, steps: (string | number)[], value: string): void {
  let current: any = data;
  for (const step of steps.slice(0, -1)) current = current[step];
  current[steps[steps.length - 1]] = value;
}
