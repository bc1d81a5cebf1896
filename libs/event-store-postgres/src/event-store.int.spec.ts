import type { Pool } from 'pg';
import { createTestDatabase, testPool, type TestDatabase, waitFor } from '@passerelle/testing';
import { ConcurrencyError, IdempotencyConflictError, PreconditionFailedError, DomainError } from '@passerelle/event-store-core';
import { PostgresEventStore } from './event-store';
import { handleCommand, loadAggregate } from '@passerelle/event-store-core';
import type { Decider } from '@passerelle/event-store-core';
import { fingerprint } from '@passerelle/event-store-core';
import { UpcasterRegistry } from '@passerelle/event-store-core';

type CounterEvent = { type: 'Incremented'; data: { by: number } };
type CounterCommand = { type: 'Increment'; by: number };
const counter: Decider<CounterCommand, { total: number }, CounterEvent> = {
  initialState: () => ({ total: 0 }),
  decide: (command, state) => {
    if (state.total + command.by > 1000) throw new DomainError('too much');
    return [{ type: 'Incremented', data: { by: command.by } }];
  },
  evolve: (state, event) => ({ total: state.total + event.data.by }),
};

describe('PostgresEventStore', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('event_store');
    pool = testPool(db.url, 20);
    store = new PostgresEventStore(pool, { notify: false });
  });

  /**
   * Every event, once readers may see them all: a transaction open elsewhere in the cluster (another
   * test file's database) holds readers back for a while, by design.
   */
  async function readEverything(from: PostgresEventStore = store) {
    const last = Number((await pool.query('SELECT max(position) AS p FROM events')).rows[0].p);
    return waitFor(
      async () => {
        const all = await from.readAll(0, 100_000);
        return all.length > 0 && all[all.length - 1].position === last ? all : null;
      },
      { what: 'every event to become readable' },
    );
  }

  afterAll(async () => {
    store.close();
    await pool.end();
    await db.drop();
  });

  it('starts many new streams in one statement, after the transaction\'s earlier appends, and refuses an existing one', async () => {
    const results = await store.transaction(async (client) => {
      const first = await store.append('bulk-head', [{ type: 'Head', data: {} }], { expectedVersion: 'no_stream', client });
      const many = await store.appendToNewStreams(
        [
          { streamId: 'bulk-1', events: [{ type: 'A', data: { n: 1 } }] },
          { streamId: 'bulk-2', events: [{ type: 'A', data: { n: 2 } }, { type: 'B', data: { n: 3 } }] },
        ],
        { client, metadata: { actor: 'staff-1' } },
      );
      return { first, many };
    });
    expect(results.many.map((r) => [r.streamId, r.version])).toEqual([
      ['bulk-1', 1],
      ['bulk-2', 2],
    ]);
    const positions = [results.first.position, ...results.many.flatMap((r) => r.events.map((e) => e.position))];
    expect(positions).toEqual([positions[0], positions[0] + 1, positions[0] + 2, positions[0] + 3]);
    expect((await store.readStream('bulk-2')).map((e) => [e.type, e.version, e.data, e.metadata.actor])).toEqual([
      ['A', 1, { n: 2 }, 'staff-1'],
      ['B', 2, { n: 3 }, 'staff-1'],
    ]);
    await expect(
      store.transaction((client) =>
        store.appendToNewStreams([{ streamId: 'bulk-3', events: [{ type: 'A', data: {} }] }, { streamId: 'bulk-1', events: [{ type: 'A', data: {} }] }], { client }),
      ),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream('bulk-3')).toEqual([]);
  });

  describe('handleCommand', () => {
    it('retries when a concurrent command wins the race, so every command applies once', async () => {
      const results = await Promise.all(
        // Each round of the race has a winner, so twelve contenders need at most twelve attempts.
        Array.from({ length: 12 }, () => handleCommand(store, 'counter-1', counter, { type: 'Increment', by: 1 }, { maxAttempts: 12 })),
      );
      const { state, version } = await loadAggregate(store, 'counter-1', counter);
      expect(state.total).toBe(12);
      expect(version).toBe(12);
      expect(new Set(results.map((r) => r.version)).size).toBe(12);
    });

    it('fails with a precondition error when the version the caller expects is stale', async () => {
      const first = await handleCommand(store, 'counter-2', counter, { type: 'Increment', by: 1 });
      await handleCommand(store, 'counter-2', counter, { type: 'Increment', by: 1 }, { expectedVersion: first.version });
      await expect(
        handleCommand(store, 'counter-2', counter, { type: 'Increment', by: 1 }, { expectedVersion: first.version }),
      ).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(await store.streamVersion('counter-2')).toBe(2);
    });

    it('passes domain refusals through and appends nothing', async () => {
      await expect(handleCommand(store, 'counter-3', counter, { type: 'Increment', by: 5000 })).rejects.toBeInstanceOf(DomainError);
      expect(await store.readStream('counter-3')).toEqual([]);
    });

    it('applies a command with an idempotency key once, replays the first answer, and refuses another body', async () => {
      const command: CounterCommand = { type: 'Increment', by: 3 };
      const idempotency = { scope: 'user-1', key: 'key-1', fingerprint: fingerprint(command) };
      const first = await handleCommand(store, 'counter-4', counter, command, { idempotency });
      const again = await handleCommand(store, 'counter-4', counter, command, { idempotency });
      expect(first.replayed).toBe(false);
      expect(again.replayed).toBe(true);
      expect({ version: again.version, position: again.position }).toEqual({ version: first.version, position: first.position });
      expect(await store.readStream('counter-4')).toHaveLength(1);

      const other: CounterCommand = { type: 'Increment', by: 4 };
      await expect(
        handleCommand(store, 'counter-4', counter, other, { idempotency: { ...idempotency, fingerprint: fingerprint(other) } }),
      ).rejects.toBeInstanceOf(IdempotencyConflictError);
      // The same key in another scope is another request.
      await handleCommand(store, 'counter-4', counter, command, { idempotency: { ...idempotency, scope: 'user-2' } });
      expect(await store.readStream('counter-4')).toHaveLength(2);
    });

    it('applies concurrent repeats of one idempotency key exactly once', async () => {
      const command: CounterCommand = { type: 'Increment', by: 1 };
      const idempotency = { scope: 'user-1', key: 'key-concurrent', fingerprint: fingerprint(command) };
      const results = await Promise.all(
        Array.from({ length: 8 }, () => handleCommand(store, 'counter-5', counter, command, { idempotency })),
      );
      expect(await store.readStream('counter-5')).toHaveLength(1);
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(new Set(results.map((r) => r.position))).toEqual(new Set([results[0].position]));
    });

    describe('on streams this process kept (streamCacheSize)', () => {
      type LightEvent = { type: 'TurnedOn' | 'TurnedOff'; data: Record<string, never> };
      const light: Decider<'on' | 'off', { on: boolean }, LightEvent> = {
        initialState: () => ({ on: false }),
        decide: (command, state) => {
          if ((command === 'on') === state.on) throw new DomainError(`already ${command}`);
          return [{ type: command === 'on' ? 'TurnedOn' : 'TurnedOff', data: {} }];
        },
        evolve: (_state, event) => ({ on: event.type === 'TurnedOn' }),
      };
      let here: PostgresEventStore;
      let elsewhere: PostgresEventStore;
      beforeAll(() => {
        here = new PostgresEventStore(pool, { notify: false, streamCacheSize: 10 });
        elsewhere = new PostgresEventStore(pool, { notify: false, streamCacheSize: 10 });
      });
      const types = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.type);

      it('decides without reading a stream it commanded last', async () => {
        await handleCommand(here, 'light-1', light, 'on');
        const reads = jest.spyOn(here, 'readStream');
        await handleCommand(here, 'light-1', light, 'off');
        await handleCommand(here, 'light-1', light, 'on');
        expect(reads).not.toHaveBeenCalled();
        reads.mockRestore();
        expect(await types('light-1')).toEqual(['TurnedOn', 'TurnedOff', 'TurnedOn']);
      });

      it('does not refuse on what it kept when another process has moved the stream on', async () => {
        await handleCommand(here, 'light-2', light, 'on'); // kept here: on
        await handleCommand(elsewhere, 'light-2', light, 'off');
        // On what it kept, "on" would be refused as already on; the stream is off, so it is accepted.
        await handleCommand(here, 'light-2', light, 'on');
        expect(await types('light-2')).toEqual(['TurnedOn', 'TurnedOff', 'TurnedOn']);
        await expect(handleCommand(here, 'light-2', light, 'on')).rejects.toThrow('already on');
      });

      it('decides again on the stream when what it kept is behind, appending at the right version', async () => {
        await handleCommand(here, 'light-3', light, 'on'); // kept here: on, version 1
        await handleCommand(elsewhere, 'light-3', light, 'off');
        await handleCommand(elsewhere, 'light-3', light, 'on');
        const result = await handleCommand(here, 'light-3', light, 'off');
        expect(result.version).toBe(4);
        expect(await types('light-3')).toEqual(['TurnedOn', 'TurnedOff', 'TurnedOn', 'TurnedOff']);
      });
    });

    it('leaves no key behind when the command is refused, so a corrected retry works', async () => {
      const idempotency = { scope: 'user-1', key: 'key-refused', fingerprint: 'f' };
      await expect(handleCommand(store, 'counter-6', counter, { type: 'Increment', by: 5000 }, { idempotency })).rejects.toBeInstanceOf(DomainError);
      const retried = await handleCommand(store, 'counter-6', counter, { type: 'Increment', by: 1 }, { idempotency });
      expect(retried.replayed).toBe(false);
    });
  });

  it('upcasts old schema versions on read without rewriting the stored rows', async () => {
    await store.append('person-1', [{ type: 'PersonNamed', schemaVersion: 1, data: { name: 'Ada Lovelace' } }], {
      expectedVersion: 'no_stream',
    });
    const upcasters = new UpcasterRegistry()
      .register('PersonNamed', 1, (data: { name: string }) => {
        const [givenName, ...rest] = data.name.split(' ');
        return { givenName, familyName: rest.join(' ') };
      })
      .register('PersonNamed', 2, (data) => ({ ...data, title: null }));
    const upcasting = new PostgresEventStore(pool, { upcasters, notify: false });
    const [event] = await upcasting.readStream('person-1');
    expect(event.schemaVersion).toBe(3);
    expect(event.data).toEqual({ givenName: 'Ada', familyName: 'Lovelace', title: null });
    const [fromAll] = (await readEverything(upcasting)).filter((e) => e.streamId === 'person-1');
    expect(fromAll.data).toEqual(event.data);
    const raw = await pool.query("SELECT schema_version, data FROM events WHERE stream_id = 'person-1'");
    expect(raw.rows[0]).toEqual({ schema_version: 1, data: { name: 'Ada Lovelace' } });
    // New events are written in the current shape and version.
    const appended = await upcasting.append('person-2', [{ type: 'PersonNamed', data: { givenName: 'Alan', familyName: 'Turing', title: null } }], {
      expectedVersion: 'no_stream',
    });
    expect(appended.events[0].schemaVersion).toBe(3);
    upcasting.close();
  });

  it('reads all events in position order, after a position, and reports the head', async () => {
    const all = await readEverything();
    const positions = all.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    const middle = positions[Math.floor(positions.length / 2)];
    const after = await store.readAll(middle, 5);
    expect(after).toHaveLength(5);
    expect(after[0].position).toBeGreaterThan(middle);
    expect(await store.headPosition()).toBe(positions[positions.length - 1]);
  });

  it('does not show an event to readers while a transaction that may precede it is open', async () => {
    const early = await pool.connect();
    try {
      await early.query('BEGIN');
      await early.query('SELECT pg_current_xact_id()'); // takes its transaction id now, before the next append
      const later = await store.append('gap-later', [{ type: 'Later', data: {} }], { expectedVersion: 'no_stream' });
      const head = await store.headPosition();
      expect(head).toBeLessThan(later.position);
      expect((await store.readAll(0, 100_000)).some((e) => e.streamId === 'gap-later')).toBe(false);
      const earlier = await store.append('gap-earlier', [{ type: 'Earlier', data: {} }], { expectedVersion: 'no_stream', client: early });
      await early.query('COMMIT');
      expect(earlier.position).toBeLessThan(later.position);
      const visible = (await readEverything()).filter((e) => e.streamId.startsWith('gap-'));
      expect(visible.map((e) => e.streamId)).toEqual(['gap-earlier', 'gap-later']);
    } finally {
      early.release();
    }
  });
});
