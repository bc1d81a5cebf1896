/**
 * When a login attempt is refused, and how long it waits otherwise (OWASP ASVS 2.2.1: anti-automation
 * that cannot be turned into a lock-out of the account's owner).
 *
 * Failed logins are counted three ways over a window: per account and source (the pair), per source over
 * every account, and per account from everywhere.
 * - A source with `maxFailures` failures for an account is refused (429) for that account until its window
 *   ends: its guesses are held back, whatever others do.
 * - A source with `maxFailures × SOURCE_FACTOR` failures over all accounts is refused on every account
 *   (one source spraying many accounts).
 * - An account with `maxFailures` failures from everywhere is slowed, not refused: every attempt for it
 *   waits FIRST_DELAY_MS, doubling with each further failure, at most `maxDelayMs`. So a source that has
 *   not failed on an account always gets an answer to the right password, if a slower one while others guess.
 */
export const SOURCE_FACTOR = 4;
export const FIRST_DELAY_MS = 250;

export interface ThrottleRules {
  maxFailures: number;
  maxDelayMs: number;
}

/** What Redis holds for one attempt: the three counts, and how long the two that can refuse still run. */
export interface FailureCounts {
  pair: number;
  pairTtlMs: number;
  source: number;
  sourceTtlMs: number;
  account: number;
}

export type LoginVerdict = { refused: true; retryAfterSeconds: number } | { refused: false; delayMs: number };

export function sourceLimit(rules: ThrottleRules): number {
  return rules.maxFailures * SOURCE_FACTOR;
}

export function judgeLogin(counts: FailureCounts, rules: ThrottleRules): LoginVerdict {
  const waits: number[] = [];
  if (counts.pair >= rules.maxFailures) waits.push(counts.pairTtlMs);
  if (counts.source >= sourceLimit(rules)) waits.push(counts.sourceTtlMs);
  if (waits.length > 0) return { refused: true, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
  return { refused: false, delayMs: slowDown(counts.account, rules) };
}

/** The wait before an attempt for an account with `failures` recent failures from everywhere. */
export function slowDown(failures: number, rules: ThrottleRules): number {
  if (failures < rules.maxFailures || rules.maxDelayMs === 0) return 0;
  return Math.min(rules.maxDelayMs, FIRST_DELAY_MS * 2 ** Math.min(failures - rules.maxFailures, 16));
}
