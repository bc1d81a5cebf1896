import type { Pool, PoolClient } from 'pg';
import { createTestDatabase, testPool, type TestDatabase, waitFor } from '@passerelle/testing';
import { PostgresEventStore } from './event-store';
import { listParked } from './subscription-admin';
import { SubscriptionRunner } from './subscription-runner';
import type { EventConsumer, SubscriptionOptions } from './subscription.types';
import type { StoredEvent } from '@passerelle/event-store-core';

describe('SubscriptionRunner', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const runners: SubscriptionRunner[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('subscriptions');
    pool = testPool(db.url, 10);
    store = new PostgresEventStore(pool);
    await pool.query('CREATE TABLE projected (consumer text NOT NULL, position bigint NOT NULL, type text NOT NULL)');
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });

  afterAll(async () => {
    store.close();
    await pool.end();
    await db.drop();
  });

  function runner(consumer: EventConsumer, options: Partial<SubscriptionOptions> = {}): SubscriptionRunner {
    const created = new SubscriptionRunner(store, consumer, {
      connectionString: db.url,
      pollIntervalMs: 200,
      lockRetryMs: 50,
      reconnectDelayMs: 50,
      retry: { attempts: 3, baseDelayMs: 5 },
      ...options,
    });
    runners.push(created);
    return created;
  }

  /** A consumer that records each event it handles in `projected`, in the runner's transaction. */
  function recorder(name: string, extra: Partial<EventConsumer> = {}, before?: (event: StoredEvent, tx: PoolClient) => Promise<void>): EventConsumer {
    return {
      name,
      batchSize: 50,
      async handle(events, tx) {
        for (const event of events) {
          await before?.(event, tx);
          await tx.query('INSERT INTO projected (consumer, position, type) VALUES ($1, $2, $3)', [name, event.position, event.type]);
        }
      },
      ...extra,
    };
  }

  async function appendMany(prefix: string, count: number, data: (i: number) => object = () => ({}), from = 0): Promise<number> {
    let last = 0;
    for (let i = from; i < from + count; i += 1) {
      last = (await store.append(`${prefix}-${i}`, [{ type: `${prefix}.Happened`, data: data(i) }], { expectedVersion: 'no_stream' })).position;
    }
    return last;
  }

  async function projected(consumer: string): Promise<{ total: number; distinct: number; positions: number[] }> {
    const result = await pool.query('SELECT position FROM projected WHERE consumer = $1 ORDER BY position', [consumer]);
    const positions = result.rows.map((row) => Number(row.position));
    return { total: positions.length, distinct: new Set(positions).size, positions };
  }

  /** Ends a backend of this test's database only: other test files share the server. */
  async function terminate(pid: number): Promise<boolean> {
    const result = await pool.query(
      'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE pid = $1 AND datname = current_database()',
      [pid],
    );
    return result.rows[0]?.done === true;
  }

  /** The last position written; readers reach it once every transaction before it has ended. */
  async function lastPosition(): Promise<number> {
    return Number((await pool.query('SELECT max(position) AS position FROM events')).rows[0].position);
  }

  async function checkpoint(name: string): Promise<number> {
    const result = await pool.query('SELECT position FROM subscription_checkpoints WHERE name = $1', [name]);
    return Number(result.rows[0]?.position ?? 0);
  }

  async function positionsOfCategory(prefix: string): Promise<number[]> {
    const result = await pool.query("SELECT position FROM events WHERE type = $1 ORDER BY position", [`${prefix}.Happened`]);
    return result.rows.map((row) => Number(row.position));
  }

  it('resumes after a batch fails mid-way, applying each event exactly once', async () => {
    let failures = 0;
    const consumer = recorder('mid-batch', { filter: (e) => e.type === 'mid.Happened' }, async (event) => {
      if (event.data.i === 37 && failures === 0) {
        failures += 1;
        throw new Error('transient failure in the middle of a batch');
      }
    });
    await appendMany('mid', 120, (i) => ({ i }));
    const subject = runner(consumer);
    const retried: unknown[] = [];
    subject.on('retrying', (r) => retried.push(r));
    subject.start();
    const head = await lastPosition();
    expect(await subject.waitForPosition(head, 20_000)).toBe(true);

    const seen = await projected('mid-batch');
    expect(seen.positions).toEqual(await positionsOfCategory('mid'));
    expect(seen.total).toBe(120);
    expect(failures).toBe(1);
    expect(await checkpoint('mid-batch')).toBe(head);
    expect(await listParked(pool, 'mid-batch')).toEqual([]);
  });

  it('resumes from its checkpoint when its connection dies in the middle of a batch', async () => {
    let killed = false;
    const consumer = recorder('crash', { filter: (e) => e.type === 'crash.Happened' }, async (event, tx) => {
      if (event.data.i === 20 && !killed) {
        killed = true;
        const pid = (await tx.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        await terminate(pid);
        await tx.query('SELECT 1'); // fails: the connection is gone, the batch's writes with it
      }
    });
    await appendMany('crash', 60, (i) => ({ i }));
    const subject = runner(consumer);
    const lost: unknown[] = [];
    subject.on('connection-lost', (err) => lost.push(err));
    subject.start();
    const head = await lastPosition();
    expect(await subject.waitForPosition(head, 20_000)).toBe(true);
    expect(killed).toBe(true);
    expect(lost.length).toBeGreaterThanOrEqual(1);
    const seen = await projected('crash');
    expect(seen.positions).toEqual(await positionsOfCategory('crash'));
  });

  it('lets a standby runner take over when the active runner\'s connection is killed', async () => {
    const consumer = recorder('takeover', { filter: (e) => e.type === 'takeover.Happened' });
    const first = runner(consumer, { reconnectDelayMs: 60_000 });
    const second = runner(recorder('takeover', { filter: (e) => e.type === 'takeover.Happened' }));
    first.start();
    await waitFor(() => first.status === 'running', { what: 'the first runner to take the lock' });
    second.start();
    await waitFor(() => second.status === 'standby' && second.backendPid !== null, { what: 'the second runner on standby' });
    await appendMany('takeover', 30, (i) => ({ i }));
    expect(await first.waitForPosition(await lastPosition(), 10_000)).toBe(true);
    expect(second.status).toBe('standby');

    expect(await terminate(first.backendPid!)).toBe(true);
    await waitFor(() => second.status === 'running', { what: 'the second runner to take over' });
    await appendMany('takeover-after', 1);
    await appendMany('takeover', 30, (i) => ({ i }), 30);
    expect(await second.waitForPosition(await lastPosition(), 10_000)).toBe(true);
    expect(first.status).toBe('standby');

    const seen = await projected('takeover');
    expect(seen.total).toBe(60);
    expect(seen.positions).toEqual(await positionsOfCategory('takeover'));
  });

  it('retries a poison event, parks it, goes on, and replays it once the consumer is mended', async () => {
    let mended = false;
    const consumer = recorder('poison', { filter: (e) => e.type === 'poison.Happened' }, async (event) => {
      if (event.data.poison && !mended) throw new Error('cannot handle this one');
    });
    const subject = runner(consumer);
    const parkedEvents: StoredEvent[] = [];
    let retries = 0;
    subject.on('parked', ({ event }) => parkedEvents.push(event));
    subject.on('retrying', () => (retries += 1));
    subject.start();
    await appendMany('poison', 5, (i) => ({ i, poison: i === 2 }));
    expect(await subject.waitForPosition(await lastPosition(), 10_000)).toBe(true);
    expect(subject.status).toBe('running');
    expect(retries).toBe(2);
    expect(parkedEvents.map((e) => e.data.i)).toEqual([2]);
    expect((await projected('poison')).total).toBe(4);

    const parked = await listParked(pool, 'poison');
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ eventType: 'poison.Happened', attempts: 3, error: 'cannot handle this one', replayedAt: null });

    await appendMany('poison-later', 1);
    await store.append('poison-99', [{ type: 'poison.Happened', data: { i: 99 } }], { expectedVersion: 'no_stream' });
    expect(await subject.waitForPosition(await lastPosition(), 10_000)).toBe(true);
    expect((await projected('poison')).total).toBe(5);

    await expect(subject.replay(parked[0].id)).rejects.toThrow('cannot handle this one');
    mended = true;
    await subject.replay(parked[0].id);
    const all = await projected('poison');
    expect(all.total).toBe(6);
    expect(all.positions).toContain(parked[0].position);
    const [after] = await listParked(pool, 'poison');
    expect(after.replayedAt).toBeInstanceOf(Date);
    expect(after.attempts).toBe(4);
  });

  it('stops instead of parking when the consumer asks to', async () => {
    const consumer = recorder('strict', { onError: 'stop', filter: (e) => e.type === 'strict.Happened' }, async (event) => {
      if (event.data.i === 1) throw new Error('must not go past this');
    });
    await appendMany('strict', 3, (i) => ({ i }));
    const positions = await positionsOfCategory('strict');
    const subject = runner(consumer);
    subject.start();
    await waitFor(() => subject.status === 'failed', { what: 'the consumer to stop' });
    expect((await projected('strict')).positions).toEqual([positions[0]]);
    expect(await checkpoint('strict')).toBeLessThan(positions[1]);
    expect(await listParked(pool, 'strict')).toEqual([]);
  });

  it('rebuilds a read model from position 0', async () => {
    await pool.query('CREATE TABLE type_counts (type text PRIMARY KEY, count integer NOT NULL)');
    let resets = 0;
    const consumer: EventConsumer = {
      name: 'type-counts',
      async handle(events, tx) {
        for (const event of events) {
          await tx.query(
            `INSERT INTO type_counts (type, count) VALUES ($1, 1) ON CONFLICT (type) DO UPDATE SET count = type_counts.count + 1`,
            [event.type],
          );
        }
      },
      async reset(tx) {
        resets += 1;
        await tx.query('TRUNCATE type_counts');
      },
    };
    await appendMany('rebuild', 7);
    const subject = runner(consumer);
    subject.start();
    expect(await subject.waitForPosition(await lastPosition(), 10_000)).toBe(true);
    const expected = (await pool.query('SELECT type, count(*)::int AS count FROM events GROUP BY type ORDER BY type')).rows;
    const read = () => pool.query('SELECT type, count FROM type_counts ORDER BY type').then((r) => r.rows);
    expect(await read()).toEqual(expected);

    await pool.query("UPDATE type_counts SET count = 1000 WHERE type = 'rebuild.Happened'"); // a read model gone wrong
    await subject.rebuild();
    expect(resets).toBe(1);
    expect(await subject.waitForPosition(await lastPosition(), 10_000)).toBe(true);
    expect(await read()).toEqual(expected);
  });

  it('reads only its categories in the database and still moves its checkpoint past every other event', async () => {
    const seen: string[] = [];
    const consumer: EventConsumer = {
      name: 'only-orders',
      categories: ['order'],
      async handle(events) {
        seen.push(...events.map((e) => e.streamId));
      },
    };
    await store.append('order-1', [{ type: 'Ordered', data: {} }], { expectedVersion: 'no_stream' });
    await appendMany('unrelated', 5);
    await store.append('order-2', [{ type: 'Ordered', data: {} }], { expectedVersion: 'no_stream' });
    await appendMany('unrelated-later', 3);
    const last = await lastPosition();
    const subject = runner(consumer);
    subject.start();
    expect(await subject.waitForPosition(last, 10_000)).toBe(true);
    expect(seen).toEqual(['order-1', 'order-2']);
    await waitFor(async () => (await checkpoint('only-orders')) >= last, { what: 'the checkpoint past the unrelated events' });
  });

  it('wakes on NOTIFY when another process appends, without waiting for its poll', async () => {
    const consumer = recorder('notified', { filter: (e) => e.type === 'notified.Happened' });
    const subject = runner(consumer, { pollIntervalMs: 60_000 });
    subject.start();
    await waitFor(() => subject.status === 'running');
    expect(await subject.waitForPosition(await lastPosition(), 10_000)).toBe(true);
    const otherPool = testPool(db.url, 1);
    const otherProcess = new PostgresEventStore(otherPool, { notifyDelayMs: 0 });
    try {
      const { position } = await otherProcess.append('notified-1', [{ type: 'notified.Happened', data: {} }], { expectedVersion: 'no_stream' });
      // The poll is a minute away: only the NOTIFY can bring the runner there within the wait.
      expect(await subject.waitForPosition(position, 5_000)).toBe(true);
      expect((await projected('notified')).positions).toEqual([position]);
    } finally {
      otherProcess.close();
      await otherPool.end();
    }
  });

  it('is woken by its own categories from another process, without waiting for its poll', async () => {
    const consumer = recorder('woken-by-category', { categories: ['parcel'] });
    // A poll a minute away: reaching the position within the wait below takes the NOTIFY.
    const subject = runner(consumer, { pollIntervalMs: 60_000 });
    subject.start();
    await waitFor(() => subject.status === 'running');
    expect(await subject.waitForPosition(await lastPosition(), 10_000)).toBe(true);
    const otherPool = testPool(db.url, 1);
    const otherProcess = new PostgresEventStore(otherPool, { notifyDelayMs: 0 });
    try {
      const fromOther = await otherProcess.append('parcel-1', [{ type: 'Sent', data: {} }], { expectedVersion: 'no_stream' });
      expect(await subject.waitForPosition(fromOther.position, 10_000)).toBe(true);
      expect((await projected('woken-by-category')).positions).toEqual([fromOther.position]);
    } finally {
      otherProcess.close();
      await otherPool.end();
    }
  });

  it('is not woken by other categories, yet its stored checkpoint passes them at its next poll', async () => {
    const consumer = recorder('passes-other-categories', { categories: ['parcel'] });
    const subject = runner(consumer, { pollIntervalMs: 300 });
    subject.start();
    await waitFor(() => subject.status === 'running');
    const before = await lastPosition();
    expect(await subject.waitForPosition(before, 10_000)).toBe(true);
    const handledBefore = (await projected('passes-other-categories')).positions;
    const otherPool = testPool(db.url, 1);
    const otherProcess = new PostgresEventStore(otherPool, { notifyDelayMs: 0 });
    try {
      // Other categories, from this process and another.
      const last = await appendMany('letter', 5);
      const other = await otherProcess.append('letter-from-afar', [{ type: 'Sent', data: {} }], { expectedVersion: 'no_stream' });
      await waitFor(async () => (await checkpoint('passes-other-categories')) >= Math.max(last, other.position), {
        timeoutMs: 10_000,
        what: 'the checkpoint past the other categories',
      });
      expect((await projected('passes-other-categories')).positions).toEqual(handledBefore);
    } finally {
      otherProcess.close();
      await otherPool.end();
    }
  });
});
