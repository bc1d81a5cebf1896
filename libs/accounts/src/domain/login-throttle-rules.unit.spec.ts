import { judgeLogin, slowDown } from './login-throttle-rules';

const rules = { maxFailures: 5, maxDelayMs: 3000 };
const none = { pair: 0, pairTtlMs: -2, source: 0, sourceTtlMs: -2, account: 0 };

describe('login throttle rules', () => {
  it('lets a source try an account it has failed on fewer than the limit, at once while the account is quiet', () => {
    expect(judgeLogin({ ...none, pair: 4, pairTtlMs: 60_000, source: 4, sourceTtlMs: 60_000, account: 4 }, rules)).toEqual({ refused: false, delayMs: 0 });
  });

  it('refuses a source that failed the limit on this account, until its window ends', () => {
    expect(judgeLogin({ ...none, pair: 5, pairTtlMs: 61_500, source: 5, sourceTtlMs: 61_500, account: 5 }, rules)).toEqual({ refused: true, retryAfterSeconds: 62 });
  });

  it('refuses a source that failed four times the limit over every account, even on one it never tried', () => {
    expect(judgeLogin({ ...none, source: 20, sourceTtlMs: 10_000 }, rules)).toEqual({ refused: true, retryAfterSeconds: 10 });
    expect(judgeLogin({ ...none, source: 19, sourceTtlMs: 10_000 }, rules)).toEqual({ refused: false, delayMs: 0 });
  });

  it('never refuses a clean source because others failed on the account: it slows it down instead', () => {
    expect(judgeLogin({ ...none, account: 10_000 }, rules)).toEqual({ refused: false, delayMs: 3000 });
  });

  it('says at least one second to wait when the window is about to end', () => {
    expect(judgeLogin({ ...none, pair: 5, pairTtlMs: 3 }, rules)).toEqual({ refused: true, retryAfterSeconds: 1 });
  });

  it('slows an account from the limit on, doubling from 250 ms up to the cap', () => {
    expect([4, 5, 6, 7, 8, 9, 50, 1e9].map((failures) => slowDown(failures, rules))).toEqual([0, 250, 500, 1000, 2000, 3000, 3000, 3000]);
    expect(slowDown(100, { maxFailures: 5, maxDelayMs: 0 })).toBe(0);
    expect(slowDown(5, { maxFailures: 5, maxDelayMs: 100 })).toBe(100);
  });
});
