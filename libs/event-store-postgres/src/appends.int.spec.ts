import type { Pool } from 'pg';
import { createTestDatabase, testPool, type TestDatabase } from '@passerelle/testing';
import { ConcurrencyError, type PersonalDataCodec } from '@passerelle/event-store-core';
import { PostgresEventStore } from './event-store';

/** Appends behave the same with the specialised statements (the default) and with the one general statement. */
describe.each([
  { specialisedAppends: true, statements: ['passerelle_append', 'passerelle_append_in_transaction', 'passerelle_append_one', 'passerelle_append_one_in_transaction'] },
  { specialisedAppends: false, statements: ['passerelle_append_in_transaction'] },
])('PostgresEventStore appends (specialisedAppends: $specialisedAppends)', ({ specialisedAppends, statements }) => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase(`appends_${specialisedAppends ? 'specialised' : 'general'}`);
    pool = testPool(db.url, 20);
    store = new PostgresEventStore(pool, { notify: false, specialisedAppends });
  });

  afterAll(async () => {
    store.close();
    await pool.end();
    await db.drop();
  });

  it('appends atomically and reads a stream back in version order with metadata', async () => {
    const result = await store.append(
      'thing-1',
      [
        { type: 'Created', data: { name: 'a' } },
        { type: 'Renamed', data: { name: 'b' }, metadata: { causationId: 'c-1' } },
      ],
      { expectedVersion: 'no_stream', metadata: { actor: 'user-1', correlationId: 'corr-1' } },
    );
    expect(result.version).toBe(2);
    expect(result.events.map((e) => e.version)).toEqual([1, 2]);
    expect(result.events[1].position).toBeGreaterThan(result.events[0].position);
    expect(result.position).toBe(result.events[1].position);

    const events = await store.readStream('thing-1');
    expect(events.map((e) => [e.type, e.version, e.data])).toEqual([
      ['Created', 1, { name: 'a' }],
      ['Renamed', 2, { name: 'b' }],
    ]);
    expect(events[0]).toMatchObject({ category: 'thing', schemaVersion: 1 });
    expect(events[0].metadata).toEqual({ actor: 'user-1', correlationId: 'corr-1', causationId: null });
    expect(events[1].metadata).toEqual({ actor: 'user-1', correlationId: 'corr-1', causationId: 'c-1' });
    expect(events[0].recordedAt).toBeInstanceOf(Date);
    expect(await store.readStream('thing-1', 2)).toHaveLength(1);
  });

  it('appends one event with its data, metadata and the next version', async () => {
    const first = await store.append('single-1', [{ type: 'Created', data: { name: 'a' }, metadata: { causationId: 'c-2' } }], {
      expectedVersion: 'no_stream',
      metadata: { actor: 'user-2' },
    });
    const second = await store.append('single-1', [{ type: 'Renamed', data: { name: 'b' } }], { expectedVersion: 1 });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.position).toBeGreaterThan(first.position);
    expect((await store.readStream('single-1')).map((e) => [e.type, e.version, e.data, e.metadata.actor, e.metadata.causationId])).toEqual([
      ['Created', 1, { name: 'a' }, 'user-2', 'c-2'],
      ['Renamed', 2, { name: 'b' }, null, null],
    ]);
  });

  it('refuses a wrong expected version, including one ahead of the stream', async () => {
    await store.append('thing-2', [{ type: 'Created', data: {} }], { expectedVersion: 'no_stream' });
    await expect(store.append('thing-2', [{ type: 'X', data: {} }], { expectedVersion: 'no_stream' })).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append('thing-2', [{ type: 'X', data: {} }], { expectedVersion: 5 })).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append('thing-2', [{ type: 'X', data: {} }], { expectedVersion: 0 })).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.append('thing-2', [{ type: 'X', data: {} }, { type: 'X', data: {} }], { expectedVersion: 0 })).rejects.toBeInstanceOf(ConcurrencyError);
    const any = await store.append('thing-2', [{ type: 'Y', data: {} }], { expectedVersion: 'any' });
    expect(any.version).toBe(2);
    expect(await store.streamVersion('thing-2')).toBe(2);
  });

  it('lets exactly one of two concurrent appends with the same expected version win, leaving no gap', async () => {
    for (let round = 0; round < 20; round += 1) {
      const stream = `race-${round}`;
      await store.append(stream, [{ type: 'Created', data: {} }], { expectedVersion: 'no_stream' });
      const outcomes = await Promise.allSettled([
        store.append(stream, [{ type: 'A', data: {} }, { type: 'A2', data: {} }], { expectedVersion: 1 }),
        store.append(stream, [{ type: 'B', data: {} }], { expectedVersion: 1 }),
      ]);
      const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
      const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toBeInstanceOf(ConcurrencyError);
      const versions = (await store.readStream(stream)).map((e) => e.version);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    }
  });

  it('keeps appends of one transaction together and in order of position, one event or several', async () => {
    const positions = await store.transaction(async (client) => {
      const a = await store.append('tx-a', [{ type: 'A', data: {} }, { type: 'A', data: {} }], { expectedVersion: 'no_stream', client });
      const b = await store.append('tx-b', [{ type: 'B', data: {} }], { expectedVersion: 'no_stream', client });
      const c = await store.append('tx-a', [{ type: 'A', data: {} }], { expectedVersion: 2, client });
      const d = await store.append('tx-b', [{ type: 'B', data: {} }, { type: 'B', data: {} }], { expectedVersion: 1, client });
      return [...a.events, ...b.events, ...c.events, ...d.events].map((e) => e.position);
    });
    expect(positions).toEqual(Array.from({ length: 6 }, (_, i) => positions[0] + i));
    expect((await store.readStream('tx-a')).map((e) => e.version)).toEqual([1, 2, 3]);
    expect((await store.readStream('tx-b')).map((e) => e.version)).toEqual([1, 2, 3]);
    await expect(
      store.transaction(async (client) => {
        await store.append('tx-c', [{ type: 'C', data: {} }], { expectedVersion: 'no_stream', client });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await store.readStream('tx-c')).toEqual([]);
    await expect(
      store.transaction((client) => store.append('tx-a', [{ type: 'A', data: {} }], { expectedVersion: 1, client })),
    ).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('records which streams name which subjects with every kind of append, and nothing of an append rolled back', async () => {
    // A codec that seals nothing and names the subjects listed in the event's data.
    const naming: PersonalDataCodec = {
      seal: async (event) => ({ data: event.data, subjectIds: (event.data as { subjects?: string[] }).subjects ?? [] }),
      open: async (event) => ({ data: event.data, subjectIds: [], erased: false }),
    };
    const named = new PostgresEventStore(pool, { notify: false, specialisedAppends, personalData: naming });
    const [ana, li, siti] = ['6f1c0f1e-6a55-4b7e-9d55-1b1f2f3e4d5c', '0b8f2c4e-3d1a-4e5f-8a9b-7c6d5e4f3a2b', 'c3d2e1f0-a9b8-4c7d-9e6f-5a4b3c2d1e0f'];
    try {
      await named.append('named-1', [{ type: 'A', data: { subjects: [ana] } }], { expectedVersion: 'no_stream' });
      await named.append('named-2', [{ type: 'A', data: { subjects: [ana, li] } }, { type: 'A', data: { subjects: [li] } }, { type: 'A', data: {} }], { expectedVersion: 'no_stream' });
      await named.transaction(async (client) => {
        await named.append('named-3', [{ type: 'A', data: { subjects: [li] } }], { expectedVersion: 'no_stream', client });
        await named.append('named-3', [{ type: 'A', data: { subjects: [li, siti] } }, { type: 'A', data: { subjects: [siti] } }], { expectedVersion: 1, client });
        await named.appendToNewStreams(
          [{ streamId: 'named-4', events: [{ type: 'A', data: { subjects: [siti] } }, { type: 'A', data: { subjects: [ana] } }] }, { streamId: 'named-5', events: [{ type: 'A', data: {} }] }],
          { client },
        );
      });
      await expect(named.transaction(async (client) => {
        await named.append('named-6', [{ type: 'A', data: { subjects: [ana] } }], { expectedVersion: 'no_stream', client });
        throw new Error('the command fails after its append');
      })).rejects.toThrow('the command fails');
      const { rows } = await pool.query<{ subject_id: string; stream_id: string }>(
        "SELECT subject_id, stream_id FROM subject_streams WHERE stream_id LIKE 'named-%' ORDER BY stream_id, subject_id",
      );
      expect(rows.map((r) => [r.stream_id, r.subject_id])).toEqual(
        [['named-1', ana], ['named-2', li], ['named-2', ana], ['named-3', li], ['named-3', siti], ['named-4', ana], ['named-4', siti]]
          .sort(([s1, a], [s2, b]) => s1.localeCompare(s2) || a.localeCompare(b)),
      );
    } finally {
      named.close();
    }
  });

  it(`appends through ${statements.length === 1 ? 'the general statement only' : 'the statement made for each case'}`, async () => {
    // One connection, so that its prepared statements are those of every append below.
    const single = testPool(db.url, 1);
    const own = new PostgresEventStore(single, { notify: false, specialisedAppends });
    try {
      await own.append('kind-1', [{ type: 'A', data: {} }], { expectedVersion: 'no_stream' });
      await own.append('kind-1', [{ type: 'A', data: {} }, { type: 'A', data: {} }], { expectedVersion: 1 });
      await own.transaction(async (client) => {
        await own.append('kind-2', [{ type: 'A', data: {} }], { expectedVersion: 'no_stream', client });
        await own.append('kind-2', [{ type: 'A', data: {} }, { type: 'A', data: {} }], { expectedVersion: 1, client });
      });
      const prepared = await single.query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE name LIKE 'passerelle_append%' ORDER BY name");
      expect(prepared.rows.map((r) => r.name)).toEqual(statements);
      expect((await own.readStream('kind-2')).map((e) => e.version)).toEqual([1, 2, 3]);
    } finally {
      own.close();
      await single.end();
    }
  });
});
