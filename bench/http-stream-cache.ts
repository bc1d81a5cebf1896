/**
 * Does the stream cache pay? `npm run bench:http` with BENCH_COMPARE=stream-cache: the HTTP case
 * (each connection creates a proposal, then submits it: the submit is the command the cache saves a
 * read for) at 64 connections, against two API processes started together, one with
 * STREAM_CACHE_SIZE=2000 (the default) and one with 0. They are loaded in turn, A B B A per round
 * (A = the cache on), for BENCH_ROUNDS rounds; the idle one only holds its connections (the API runs no
 * subscriptions). The cache stays only if the median gain is 10% or more.
 */
import { createTestDatabase } from '@passerelle/testing';
import type { AppProcess } from '../test/support/processes';
import { httpCommands, partnerToken, startApi, stopApis } from './http-load';
import { balancedRatios, cpuMs, loadAverage, printGain, tableAsMeasured } from './support';

const CONNECTIONS = 64;
const SIDES = [
  { label: 'cache 2000', env: { STREAM_CACHE_SIZE: '2000' } },
  { label: 'no cache', env: { STREAM_CACHE_SIZE: '0' } },
];

/** `rounds` balanced rounds of four runs of `seconds` each, after one warm-up run per side. */
export async function compareStreamCache(rounds: number, seconds: number): Promise<void> {
  const db = await createTestDatabase('bench_http_cache');
  const apis: AppProcess[] = [];
  try {
    const bases: string[] = [];
    for (const side of SIDES) {
      const { api, base } = await startApi(db, side.env);
      apis.push(api);
      bases.push(base);
    }
    const token = await partnerToken(bases[0], db.url);
    console.log(
      `load average ${loadAverage()}; stream cache on (STREAM_CACHE_SIZE=2000) vs off (0): two API processes, ` +
        `${CONNECTIONS} connections to one at a time, ${rounds} rounds of A B B A, ${seconds} s each (A = cache on)\n`,
    );
    for (const base of bases) await httpCommands([base], token, CONNECTIONS, seconds); // warm-up runs, discarded
    const row = tableAsMeasured(['round', 'side      ', 'HTTP req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'API CPU µs/req']);
    let runs = 0;
    let failed = 0;
    const ratios = await balancedRatios(rounds, async (side) => {
      const pid = apis[side].child.pid!;
      const cpuBefore = cpuMs(pid).total;
      const load = await httpCommands([bases[side]], token, CONNECTIONS, seconds);
      const apiUs = ((cpuMs(pid).total - cpuBefore) * 1000) / Math.max(1, load.operations);
      const rate = load.operations / seconds;
      failed += load.non2xx ?? 0;
      row([String(Math.floor(runs++ / 4) + 1), SIDES[side].label, rate.toFixed(0), String(load.p50), String(load.p99), String(load.non2xx), apiUs.toFixed(0)]);
      return rate;
    });
    console.log();
    printGain(`stream cache, HTTP create + submit at ${CONNECTIONS} connections`, ratios, 'cache on', 'cache off');
    if (failed > 0) console.log(`WARNING: ${failed} responses were not 2xx: the figures count failures as requests`);
  } finally {
    await stopApis(apis);
    await db.drop();
  }
}
