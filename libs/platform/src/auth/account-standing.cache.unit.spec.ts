import { loadConfig } from '../config/app-config';
import { Clock } from '../runtime/clock';
import { AccountDirectory, type AccountStanding } from './account-directory';
import { AccountStandingCache } from './account-standing.cache';

describe('AccountStandingCache', () => {
  class FakeClock extends Clock {
    at = 1_000_000;
    now(): number {
      return this.at;
    }
  }
  /** Counts its reads; each read waits until released, to see concurrent requests share one. */
  class CountingDirectory extends AccountDirectory {
    reads = 0;
    role: AccountStanding['role'] = 'staff';
    async find(id: string): Promise<AccountStanding | null> {
      this.reads += 1;
      await Promise.resolve();
      return { id, email: 'a@b.test', role: this.role, institutionId: null, closed: false, tokenGeneration: 0 };
    }
  }

  function setUp(seconds: string) {
    const clock = new FakeClock();
    const directory = new CountingDirectory();
    return { clock, directory, cache: new AccountStandingCache(directory, clock, loadConfig({ ACCOUNT_CACHE_SECONDS: seconds })) };
  }

  it('reads an account once per ACCOUNT_CACHE_SECONDS, however many requests, and sees a change after it', async () => {
    const { clock, directory, cache } = setUp('5');
    const first = await Promise.all([cache.get('u1'), cache.get('u1'), cache.get('u1')]);
    expect(first.map((a) => a?.role)).toEqual(['staff', 'staff', 'staff']);
    expect(directory.reads).toBe(1);
    directory.role = 'partner';
    clock.at += 4_999;
    expect((await cache.get('u1'))?.role).toBe('staff');
    clock.at += 1;
    expect((await cache.get('u1'))?.role).toBe('partner');
    expect(directory.reads).toBe(2);
  });

  it('reads again at once an account it was told to forget', async () => {
    const { directory, cache } = setUp('5');
    await cache.get('u1');
    directory.role = 'partner';
    cache.forget('u1');
    expect((await cache.get('u1'))?.role).toBe('partner');
  });

  it('reads on every request with ACCOUNT_CACHE_SECONDS=0', async () => {
    const { directory, cache } = setUp('0');
    await cache.get('u1');
    await cache.get('u1');
    expect(directory.reads).toBe(2);
  });

  it('forgets a read that failed, so that the next request tries again', async () => {
    const { directory, cache } = setUp('5');
    const find = directory.find.bind(directory);
    directory.find = async () => {
      throw new Error('database away');
    };
    await expect(cache.get('u1')).rejects.toThrow('database away');
    directory.find = find;
    expect((await cache.get('u1'))?.role).toBe('staff');
  });
});
