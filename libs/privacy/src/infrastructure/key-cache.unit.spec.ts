import { randomBytes } from 'node:crypto';
import { KeyCache } from './key-cache';

describe('the key cache', () => {
  let now = 0;
  const key = randomBytes(32);
  const open = (ttlMs = 1000, size = 3) => {
    const cache = new KeyCache(ttlMs, size, () => now);
    cache.reopen();
    return cache;
  };

  beforeEach(() => (now = 0));

  it('keeps a key for the time it was given, no longer', () => {
    const cache = open();
    cache.put('a', key, cache.epoch());
    now = 999;
    expect(cache.get('a')).toEqual(key);
    now = 1000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const cache = open();
    for (const id of ['a', 'b', 'c']) cache.put(id, key, cache.epoch());
    cache.get('a');
    cache.put('d', key, cache.epoch());
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(key);
  });

  it('forgets an evicted key, and refuses a key read before an eviction that came during the read', () => {
    const cache = open();
    cache.put('a', key, cache.epoch());
    cache.evict('a');
    expect(cache.get('a')).toBeUndefined();
    const epoch = cache.epoch();
    cache.evict('a');
    cache.put('a', key, epoch);
    expect(cache.get('a')).toBeUndefined();
  });

  it('serves and keeps nothing while closed, and reopens empty', () => {
    const cache = open();
    cache.put('a', key, cache.epoch());
    cache.clear({ closed: true });
    cache.put('b', key, cache.epoch());
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.reopen();
    expect(cache.get('a')).toBeUndefined();
    cache.put('b', key, cache.epoch());
    expect(cache.get('b')).toEqual(key);
  });

  it('keeps nothing when its time or size is 0, and nothing before it is first opened', () => {
    for (const cache of [open(0, 3), open(1000, 0), new KeyCache(1000, 3, () => now)]) {
      cache.put('a', key, cache.epoch());
      expect(cache.get('a')).toBeUndefined();
    }
  });
});
