import type { Pool } from 'pg';
import { createTestDatabase, testPool, type TestDatabase } from '@passerelle/testing';
import { type Decider, handleCommand, loadAggregate, type NewEvent, PreconditionFailedError, runCommand } from '@passerelle/event-store-core';
import type { AppendOptions } from './appends';
import { PostgresEventStore } from './event-store';

type CounterEvent = { type: 'Incremented'; data: { by: number } };
type CounterCommand = { type: 'Increment'; by: number };
const counter: Decider<CounterCommand, { total: number }, CounterEvent> = {
  initialState: () => ({ total: 0 }),
  decide: (command) => [{ type: 'Incremented', data: { by: command.by } }],
  evolve: (state, event) => ({ total: state.total + event.data.by }),
};

/**
 * A store on which another writer wins the race once: just before this store's first append to `contested`
 * (after the command has read the stream and decided), an increment of 100 is committed on its own.
 */
class RacedStore extends PostgresEventStore {
  raced = false;

  constructor(
    pool: Pool,
    private readonly contested: string,
  ) {
    super(pool, { notify: false });
  }

  override async append(streamId: string, events: NewEvent[], options: AppendOptions) {
    if (streamId === this.contested && !this.raced) {
      this.raced = true;
      await super.append(streamId, [{ type: 'Incremented', data: { by: 100 } }], { expectedVersion: 'any' });
    }
    return super.append(streamId, events, options);
  }
}

describe('a command that loses the race to a concurrent append', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('command_races');
    pool = testPool(db.url, 10);
    store = new PostgresEventStore(pool, { notify: false });
  });

  afterAll(async () => {
    store.close();
    await pool.end();
    await db.drop();
  });

  /** Two streams at version 1 (total 1), and a store on which `contested` is raced once. */
  async function setUp(name: string): Promise<{ first: string; second: string; raced: RacedStore }> {
    const first = `counter-${name}a`;
    const second = `counter-${name}b`;
    for (const streamId of [first, second]) await handleCommand(store, streamId, counter, { type: 'Increment', by: 1 });
    return { first, second, raced: new RacedStore(pool, first) };
  }

  const both = (raced: RacedStore, first: string, second: string, expectedVersion?: number) =>
    runCommand(raced, { expectedVersion }, async (session) => {
      const a = await session.decide(first, counter, { type: 'Increment', by: 1 }, { expectedVersion });
      const b = await session.decide(second, counter, { type: 'Increment', by: 1 });
      return { a: a.version, b: b.version };
    });

  it('on several streams under If-Match: a 412 naming the version now, and nothing appended', async () => {
    const { first, second, raced } = await setUp('multi-if-match');
    const failure = await both(raced, first, second, 1).catch((err) => err);
    expect(failure).toBeInstanceOf(PreconditionFailedError);
    expect(failure).toMatchObject({ streamId: first, expected: 1, actual: 2 });
    expect(raced.raced).toBe(true);
    expect((await loadAggregate(store, first, counter)).state.total).toBe(101); // the other writer's only
    expect((await loadAggregate(store, second, counter)).version).toBe(1);
  });

  it('on several streams without If-Match: tried again, and it succeeds on the new version', async () => {
    const { first, second, raced } = await setUp('multi-retried');
    expect(await both(raced, first, second)).toEqual({ a: 3, b: 2, replayed: false });
    expect(raced.raced).toBe(true);
    expect((await loadAggregate(store, first, counter)).state.total).toBe(102);
    expect((await loadAggregate(store, second, counter)).state.total).toBe(2);
  });

  it('on one stream under If-Match: a 412 as well', async () => {
    const { first, raced } = await setUp('single-if-match');
    const failure = await handleCommand(raced, first, counter, { type: 'Increment', by: 1 }, { expectedVersion: 1 }).catch((err) => err);
    expect(failure).toBeInstanceOf(PreconditionFailedError);
    expect(failure).toMatchObject({ streamId: first, expected: 1, actual: 2 });
  });

  it('on one stream without If-Match: tried again, and it succeeds', async () => {
    const { first, raced } = await setUp('single-retried');
    const result = await handleCommand(raced, first, counter, { type: 'Increment', by: 1 });
    expect(result.version).toBe(3);
    expect((await loadAggregate(store, first, counter)).state.total).toBe(102);
  });

  it('with an idempotency key and no If-Match: tried again, and the key keeps the one result', async () => {
    const { first, second, raced } = await setUp('multi-idempotent');
    const idempotency = { scope: 'tests', key: 'race-1', fingerprint: 'f' };
    const run = () =>
      runCommand(raced, { idempotency }, async (session) => ({ a: (await session.decide(first, counter, { type: 'Increment', by: 1 })).version, b: (await session.decide(second, counter, { type: 'Increment', by: 1 })).version }));
    expect(await run()).toEqual({ a: 3, b: 2, replayed: false });
    expect(await run()).toEqual({ a: 3, b: 2, replayed: true });
    expect((await loadAggregate(store, first, counter)).version).toBe(3);
  });
});
