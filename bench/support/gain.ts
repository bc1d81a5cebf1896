/**
 * Whether an optimisation pays for itself: the same work with it on and off, in balanced rounds, judged
 * on the median of the rounds' ratios. It stays only if it gains at least GAIN_THAT_PAYS.
 */
import { balancedOrder, median } from './rounds';

export const GAIN_THAT_PAYS = 0.1;

/**
 * Runs `cycles` rounds of A B B A (side 0 is A: the optimisation on) and returns each round's ratio
 * on/off, each side's rate being the mean of its two runs. `measure` runs one side once and returns its
 * rate (higher is better: operations per second, or 1 / seconds). `onRun` sees every run as it ends.
 */
export async function balancedRatios(
  cycles: number,
  measure: (side: 0 | 1) => Promise<number>,
  onRun?: (round: number, side: 0 | 1, rate: number) => void,
): Promise<number[]> {
  const order = balancedOrder(cycles, 0);
  const ratios: number[] = [];
  for (let round = 0; round < cycles; round += 1) {
    const sums = [0, 0];
    for (const side of order.slice(round * 4, round * 4 + 4)) {
      const rate = await measure(side);
      sums[side] += rate;
      onRun?.(round + 1, side, rate);
    }
    ratios.push(sums[0] / sums[1]);
  }
  return ratios;
}

/** Prints each round's ratio, the median gain and the verdict; returns the median ratio. */
export function printGain(name: string, ratios: readonly number[], on: string, off: string): number {
  const ratio = median(ratios);
  const gain = (ratio - 1) * 100;
  console.log(`${name}: ${on} / ${off} per round ${ratios.map((r) => r.toFixed(3)).join(', ')}`);
  console.log(
    `${name}: median ${ratio.toFixed(3)}, gain ${gain >= 0 ? '+' : ''}${gain.toFixed(1)}%: ` +
      `${ratio >= 1 + GAIN_THAT_PAYS ? `pays (>= ${GAIN_THAT_PAYS * 100}%)` : 'does not pay'}`,
  );
  return ratio;
}
