import { PeriodicPass } from './periodic-pass';

describe('PeriodicPass', () => {
  it('runs one pass at a time: a run while one is in flight gets that one', async () => {
    let release!: (value: number) => void;
    let calls = 0;
    const passes = new PeriodicPass(() => {
      calls += 1;
      return new Promise<number>((resolve) => (release = resolve));
    }, 60_000, () => undefined);
    const first = passes.run();
    const second = passes.run();
    expect(calls).toBe(1);
    release(7);
    expect(await first).toBe(7);
    expect(await second).toBe(7);
    expect(await Promise.race([passes.run(), Promise.resolve('pending')])).toBe('pending');
    expect(calls).toBe(2);
    release(8);
  });

  it('hands a failed pass to onFailure and answers undefined, then runs again', async () => {
    const failures: string[] = [];
    let fail = true;
    const passes = new PeriodicPass(async () => {
      if (fail) throw new Error('redis is down');
      return 'ran';
    }, 60_000, (err) => failures.push(err.message));
    expect(await passes.run()).toBeUndefined();
    expect(failures).toEqual(['redis is down']);
    fail = false;
    expect(await passes.run()).toBe('ran');
  });

  it('stops without reporting a pass that fails during the shutdown, and waits for it', async () => {
    const failures: string[] = [];
    let reject!: (err: Error) => void;
    const passes = new PeriodicPass(() => new Promise<string>((_, no) => (reject = no)), 60_000, (err) => failures.push(err.message));
    passes.start();
    const stopped = passes.stop();
    reject(new Error('pool closed'));
    await stopped;
    expect(failures).toEqual([]);
  });
});
