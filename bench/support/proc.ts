/**
 * CPU readings from /proc (Linux) and from Node, so a bench can say where the machine's time went
 * beside its own figures: other work on a shared machine skews them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';

/** CPU time a process has used so far, in ms: user + system, and system alone. */
export function cpuMs(pid: number): { total: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const system = Number(fields[12]) * 10;
  return { total: Number(fields[11]) * 10 + system, system };
}

/** The machine's CPU counters (all cores, in clock ticks) from /proc/stat: idle (with I/O wait), stolen by the hypervisor, and all. */
export interface CpuTicks {
  idle: number;
  steal: number;
  total: number;
}

export function cpuTicks(): CpuTicks {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: fields[3] + fields[4], steal: fields[7], total: fields.reduce((sum, n) => sum + n, 0) };
}

/** CPU time (ms) of each PostgreSQL process now running, by pid: its backends, and its own writers. */
export function postgresCpu(): Map<string, number> {
  const found = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') found.set(pid, cpuMs(Number(pid)).total);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return found;
}

/** CPU and event loop use of this process from now until `end()`: cores used (1 = one core) and the loop's busy share. */
export function processUsage(): { end(): { cpu: number; loopBusy: number } } {
  const cpu0 = process.cpuUsage();
  const elu0: EventLoopUtilization = performance.eventLoopUtilization();
  const t0 = performance.now();
  return {
    end() {
      const cpu = process.cpuUsage(cpu0);
      return { cpu: (cpu.user + cpu.system) / 1000 / (performance.now() - t0), loopBusy: performance.eventLoopUtilization(elu0).utilization };
    },
  };
}

/** The load average as `1 5 15` minutes. */
export const loadAverage = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The first line every bench prints: what it runs on, and how busy the machine was when it began. */
export function printMachine(postgresVersion: string): void {
  console.log(
    `PostgreSQL ${postgresVersion}, Node ${process.version}, ${availableParallelism()} CPUs, load average ` +
      `${loadAverage()} at start (other work on the machine skews the figures)`,
  );
}
