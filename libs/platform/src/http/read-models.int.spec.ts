import { type EventConsumer, PostgresEventStore, SubscriptionRunner } from '@passerelle/event-store-postgres';
import { createTestDatabase, testConfig, type TestDatabase, waitFor } from '@passerelle/testing';
import { EventStorePool } from '../database/event-store.provider';
import { ProblemException } from './problem';
import { ReadModels } from './read-models';
import { Clock, SystemClock } from '../runtime/clock';

describe('ReadModels.reached (X-Min-Position)', () => {
  let db: TestDatabase;
  let pool: EventStorePool;
  /** The pool the waits read through; each look they take checks out a client. */
  let readPool: EventStorePool;
  let looks = 0;
  let store: PostgresEventStore;
  let readModels: ReadModels;
  let runner: SubscriptionRunner | null = null;
  /** Positions the consumer has applied; it holds each batch until `release` is called when `holding`. */
  const applied: number[] = [];
  let holding = false;
  let release: () => void = () => undefined;

  const parcels: EventConsumer = {
    name: 'parcels',
    categories: ['parcel'],
    async handle(events) {
      if (holding) await new Promise<void>((resolve) => (release = resolve));
      applied.push(...events.map((e) => e.position));
    },
  };

  beforeAll(async () => {
    db = await createTestDatabase('read_models');
    pool = new EventStorePool(testConfig(db.url));
    store = new PostgresEventStore(pool);
    readPool = new EventStorePool(testConfig(db.url));
    readPool.on('acquire', () => (looks += 1));
    readModels = new ReadModels(readPool, new SystemClock());
    // A long poll: the runner moves only when woken by appends of its own category.
    runner = new SubscriptionRunner(store, parcels, { connectionString: db.url, pollIntervalMs: 60_000 });
    runner.start();
    await waitFor(() => runner!.status === 'running', { what: 'the runner to start' });
  });

  afterAll(async () => {
    await runner?.stop();
    store.close();
    await readPool.end();
    await pool.end();
    await db.drop();
  });

  it('answers for a position of another category without the projection stepping past it', async () => {
    const { position } = await store.append('letter-1', [{ type: 'Written', data: {} }], { expectedVersion: 'no_stream' });
    // It answers though the projection (polling once a minute) does not move: nothing of its categories is
    // below the position. (Not at the very first look always: open transactions elsewhere on the server
    // hold the safe bound back for a moment.)
    await expect(readModels.reached(['parcels'], position, 10_000)).resolves.toBeUndefined();
    expect(runner!.position).toBeLessThan(position);
  });

  it('waits until the projection has applied an event of its own category at or before the position', async () => {
    holding = true;
    const { position } = await store.append('parcel-1', [{ type: 'Sent', data: {} }], { expectedVersion: 'no_stream' });
    const later = await store.append('letter-2', [{ type: 'Written', data: {} }], { expectedVersion: 'no_stream' });
    let done = false;
    const from = looks;
    const waiting = readModels.reached(['parcels'], later.position, 10_000).then(() => (done = true));
    // The consumer holds the event: however many times the wait looks, it must not return.
    await waitFor(() => looks >= from + 5, { what: 'the wait to look five times' });
    expect(done).toBe(false);
    holding = false;
    release();
    await waiting;
    expect(applied).toContain(position);
  });

  it('waits for a position no write has reached yet, since an event of its categories may still come below it', async () => {
    const { position } = await store.append('letter-3', [{ type: 'Written', data: {} }], { expectedVersion: 'no_stream' });
    const refused = await readModels.reached(['parcels'], position + 2 ** 40, 300).catch((err: unknown) => err);
    expect((refused as ProblemException).getStatus()).toBe(503);
  });

  it('gives up after five seconds by default: 503, the projection being behind', async () => {
    /** A clock that moves a second on each reading: the wait's deadline passes after a few looks, not seconds. */
    class SteppingClock extends Clock {
      private at = 0;
      now(): number {
        this.at += 1_000;
        return this.at;
      }
    }
    const stepping = new ReadModels(readPool, new SteppingClock());
    const { position } = await store.append('letter-4', [{ type: 'Written', data: {} }], { expectedVersion: 'no_stream' });
    const from = looks;
    const refused = await stepping.reached(['parcels'], position + 2 ** 40).catch((err: unknown) => err);
    expect((refused as ProblemException).getStatus()).toBe(503);
    expect((refused as ProblemException).headers).toEqual({ 'Retry-After': '1' });
    // Read at 1 s to set the deadline at 6 s, then once after each look, at 2, 3, 4, 5 and 6 s.
    expect(looks - from).toBe(5);
  });

  it('answers 503 when the projection does not get there in time', async () => {
    await runner!.stop();
    const { position } = await store.append('parcel-2', [{ type: 'Sent', data: {} }], { expectedVersion: 'no_stream' });
    const refused = await readModels.reached(['parcels'], position, 300).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).getStatus()).toBe(503);
  });
});
