export { median, balancedOrder, verdict, printTarget, type Verdict } from './rounds';
export { cpuMs, cpuTicks, postgresCpu, processUsage, loadAverage, printMachine, type CpuTicks } from './proc';
export { fmt, printTable, tableAsMeasured } from './table';
export { withBenchDatabase, runBench } from './database';
export { balancedRatios, printGain, GAIN_THAT_PAYS } from './gain';
export { seededRandom } from './random';
