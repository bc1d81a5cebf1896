/**
 * What sealing personal fields costs the event store (issue 20): the same invitations appended and read
 * through a store with `personalData: new EventFieldEncryption(vault, PERSONAL_DATA_REGISTRY)` and through
 * one without, in the same run. The vault is opened as the apps open it (vaultOptions, the production key
 * cache: PRIVACY_KEY_CACHE_SECONDS 60, PRIVACY_KEY_CACHE_SIZE 10,000) on the bench database's key database.
 *
 * - Appends: one `InvitationIssued` per append at concurrency 16 (four personal fields: name, address,
 *   organisation, position). Every NEW_PERSON_EVERY-th append names someone never named before (a new
 *   subject: a round trip to the key database); the others name someone named earlier.
 * - Reads: 100,000 invitations naming 2,000 people (50 each), read with `readAll` in pages of 500, as a
 *   subscription reads them, by a reader with its own vault (another process's key cache); the clear side
 *   reads 100,000 invitations of the same shape written without encryption. The reader's first pass, with
 *   its key cache still empty, is timed on its own before the rounds.
 */
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { NewEvent } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { PERSONAL_DATA_REGISTRY } from '@passerelle/personal-data';
import { EventFieldEncryption, PersonalDataVault, vaultOptions } from '@passerelle/privacy';
import { testConfig } from '@passerelle/testing';
import { compare, newPool, nextStream, type Op, type Tally, type Variant } from './event-store-load';
import { fmt, printTable, printTarget } from './support';

const CONCURRENCY = 16;
/** One append in this many names a new person; the others someone named before. */
const NEW_PERSON_EVERY = 5;
const READ_EVENTS = 100_000;
const READ_PEOPLE = 2_000;
/** The page a subscription reads (DEFAULT_BATCH_SIZE of the event store's subscriptions). */
const READ_PAGE = 500;
/** Invitations per bulk transaction when filling, as a bulk invitation request writes them. */
const FILL_BATCH = 1000;

const APPEND_TARGET = 0.8;
const READ_TARGET = 0.6;

const FIRST = ['Aïssatou', 'Mamadou', 'Wanjiru', 'Otieno', 'Nguyễn Thị', 'Siti', 'João', 'Mona', 'Kouadio', 'Chiamaka', 'Tesfaye', 'Zanele'];
const LAST = ['Ndiaye', 'Kamau', 'Hương', 'Rahmawati', 'Silva', 'El-Sayed', 'Koné', 'Okafor', 'Bekele', 'Dlamini', 'González', 'Batbayar'];
const ORGS = ['Ministry of Health', "Ministère de l'Éducation nationale", 'National Statistics Office', 'Ministry of Agriculture, Livestock and Fisheries'];
const POSITIONS = ['Director', 'Deputy Director', 'Head of Division', 'Senior Adviser', 'Programme Officer', null];
const COUNTRIES = ['KE', 'SN', 'VN', 'ID', 'CI', 'BR', 'EG', 'MA'];

/** The address of person number `person` of a group. */
export const participantEmail = (group: string, person: number) => `participant.${group}.${person}@ministry.example.org`;

/** An `InvitationIssued` to person number `person` of a group, about 450 bytes of data. */
export function invitationIssued(group: string, person: number): NewEvent {
  const pick = <T>(items: readonly T[], salt: number): T => items[(person * 7 + salt) % items.length];
  return {
    type: 'InvitationIssued',
    data: {
      invitationId: randomUUID(),
      workshopId: randomUUID(),
      fullName: `${pick(FIRST, 0)} ${pick(LAST, 3)}`,
      email: participantEmail(group, person),
      country: pick(COUNTRIES, 1),
      organization: pick(ORGS, 2),
      position: pick(POSITIONS, 5),
      language: person % 3 === 0 ? 'fr' : 'en',
      tokenHash: createHash('sha256').update(randomUUID()).digest('hex'),
      issuedAt: new Date().toISOString(),
    },
    metadata: { actor: randomUUID(), correlationId: randomUUID() },
  };
}

/** Who each append names: a new person every NEW_PERSON_EVERY-th append, else one already named (spread evenly, from a fixed seed). */
class People {
  private appends = 0;
  private named = 0;
  private seed = 20261206;

  constructor(readonly group: string) {}

  next(): number {
    if (this.appends++ % NEW_PERSON_EVERY === 0) return this.named++;
    this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
    return this.seed % this.named;
  }

  get distinct(): number {
    return this.named;
  }
}

const appendInvitations = (people: People, personalData?: EventFieldEncryption): Variant => (pool) => {
  const store = new PostgresEventStore(pool, { personalData });
  const op: Op = async () =>
    (await store.append(nextStream(), [invitationIssued(people.group, people.next())], { expectedVersion: 'no_stream' })).events.length;
  return { op, close: () => store.close() };
};

/** Reads `count` events after `from` in pages, as a subscription does; one call is one pass. */
const readInvitations = (from: number, count: number, personalData?: EventFieldEncryption): Variant => (pool) => {
  const store = new PostgresEventStore(pool, { personalData });
  const op: Op = async () => {
    let read = 0;
    for (let after = from; read < count; ) {
      const events = await store.readAll(after, Math.min(READ_PAGE, count - read));
      if (events.length === 0) throw new Error(`readAll found ${read} of ${count} events`);
      read += events.length;
      after = events[events.length - 1].position;
    }
    return read;
  };
  return { op, close: () => store.close() };
};

/** Writes `READ_EVENTS` invitations naming READ_PEOPLE people in bulk transactions; returns the position before them and the time taken. */
async function fill(url: string, group: string, personalData?: EventFieldEncryption): Promise<{ after: number; ms: number }> {
  const pool = newPool(url, 1);
  const store = new PostgresEventStore(pool, { personalData });
  try {
    const after = await store.headPosition();
    const start = performance.now();
    for (let written = 0; written < READ_EVENTS; written += FILL_BATCH) {
      const streams = Array.from({ length: FILL_BATCH }, (_, i) => ({
        streamId: nextStream(),
        events: [invitationIssued(group, (written + i) % READ_PEOPLE)],
      }));
      await store.transaction((client) => store.appendToNewStreams(streams, { client }));
    }
    return { after, ms: performance.now() - start };
  } finally {
    store.close();
    await pool.end();
  }
}

const openVault = (url: string) => PersonalDataVault.open(vaultOptions(testConfig(url)));
const rate = (t: Tally, per: 'ops' | 'events') => (t[per] * 1000) / t.ms;

/** Runs the personal fields' cases and prints their table and verdicts. */
export async function personalDataCases(url: string, schedule: string): Promise<void> {
  const writer = await openVault(url);
  const reader = await openVault(url);
  try {
    console.log(`Personal fields sealed (EventFieldEncryption) against the same events in clear; ${schedule}`);
    console.log(`appends: one InvitationIssued each, concurrency ${CONCURRENCY}, a new person every ${NEW_PERSON_EVERY} appends\n`);
    const codec = new EventFieldEncryption(writer, PERSONAL_DATA_REGISTRY);
    const sealedPeople = new People('sealed');
    const clearPeople = new People('clear');
    const [sealed, clear] = await compare(url, CONCURRENCY, [appendInvitations(sealedPeople, codec), appendInvitations(clearPeople)], true);
    console.log(`appends: sealed ${fmt(sealed.ops)} naming ${fmt(sealedPeople.distinct)} people (warm-up included), clear ${fmt(clear.ops)}\n`);

    const clearFill = await fill(url, 'read', undefined);
    const sealedFill = await fill(url, 'read', codec);
    console.log(
      `reads: ${fmt(READ_EVENTS)} invitations naming ${fmt(READ_PEOPLE)} people on each side, written in bulk transactions of ` +
        `${fmt(FILL_BATCH)}: sealed in ${fmt(sealedFill.ms)} ms, in clear in ${fmt(clearFill.ms)} ms`,
    );
    const readerCodec = new EventFieldEncryption(reader, PERSONAL_DATA_REGISTRY);
    const coldPool = newPool(url, 1);
    const cold = readInvitations(sealedFill.after, READ_EVENTS, readerCodec)(coldPool);
    const coldStart = performance.now();
    await cold.op();
    const coldMs = performance.now() - coldStart;
    cold.close?.();
    await coldPool.end();
    console.log(
      `reads: the first sealed pass, the reader's key cache empty (${fmt(READ_PEOPLE)} keys to load): ${fmt(coldMs)} ms, ` +
        `${fmt((READ_EVENTS * 1000) / coldMs)} events/s; ${fmt(reader.cachedKeys)} keys cached after it\n`,
    );
    const [sealedRead, clearRead] = await compare(
      url,
      1,
      [readInvitations(sealedFill.after, READ_EVENTS, readerCodec), readInvitations(clearFill.after, READ_EVENTS)],
      true,
    );

    const rows: [string, number, number][] = [
      [`append 1 InvitationIssued, concurrency ${CONCURRENCY} (appends/s)`, rate(sealed, 'ops'), rate(clear, 'ops')],
      [`readAll, ${READ_PAGE} per page, ${fmt(READ_EVENTS)} invitations (events/s)`, rate(sealedRead, 'events'), rate(clearRead, 'events')],
    ];
    printTable(
      ['case', 'sealed', 'in clear', 'sealed/clear'],
      rows.map(([label, s, c]) => [label, fmt(s), fmt(c), (s / c).toFixed(2)]),
    );
    printTarget(`append with personal fields sealed, concurrency ${CONCURRENCY}, vs in clear`, rows[0][1] / rows[0][2], APPEND_TARGET, 'in clear');
    printTarget('readAll opening personal fields vs in clear', rows[1][1] / rows[1][2], READ_TARGET, 'in clear');
    console.log();
  } finally {
    await writer.close();
    await reader.close();
  }
}
