/**
 * Rounds and their summaries, shared by the benches. The machine's speed drifts from minute to minute,
 * so every bench alternates its sides and judges on medians of rounds, not on one long run.
 */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The order of the two sides (0 and 1) over `cycles` balanced rounds, A B B A each: a machine speeding
 * up or slowing down through a round favours neither side.
 */
export function balancedOrder(cycles: number, firstSide: 0 | 1): (0 | 1)[] {
  const other: 0 | 1 = firstSide === 0 ? 1 : 0;
  return Array.from({ length: cycles }, (): (0 | 1)[] => [firstSide, other, other, firstSide]).flat();
}

export type Verdict = 'PASS' | 'BELOW TARGET';

export const verdict = (ratio: number, target: number): Verdict => (ratio >= target ? 'PASS' : 'BELOW TARGET');

/** One line judging a ratio against its target, as a share of the baseline. */
export function printTarget(name: string, ratio: number, target: number, baseline = 'plain'): void {
  console.log(
    `${verdict(ratio, target).padEnd(12)}  ${name}: ${(ratio * 100).toFixed(0)}% of ${baseline} (target >= ${(target * 100).toFixed(0)}%)`,
  );
}
