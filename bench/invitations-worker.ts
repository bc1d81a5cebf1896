/**
 * The invitations bench's worker process, and its comparison of the invitation projection's run
 * batching (BENCH_COMPARE=projection-batching): balanced rounds, A B B A (A = batching on), of the same
 * invitations, the worker started for each run with INVITATION_PROJECTION_BATCH_RUNS=true or false.
 */
import { Client } from 'pg';
import { INVITATION_MAIL_REACTOR, INVITATION_READ_MODEL } from '@passerelle/invitations';
import { waitFor } from '@passerelle/testing';
import { type AppProcess, runApp } from '../test/support/processes';
import type { Stack } from '../test/support/stack';
import { balancedRatios, fmt, printGain, tableAsMeasured } from './support';

/** Whether the worker's runners for the invitations' consumers hold their advisory locks, so lead. */
const LEADING_SQL = `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.granted AND a.datname = $1 AND a.application_name = ANY($2)`;

/** The worker in its own process, as in production, sending to `smtpUrl`; resolves once it leads the invitations' consumers. */
export async function startWorker(stack: Stack, smtpUrl: string, mailConcurrency: number, env: Record<string, string> = {}): Promise<AppProcess> {
  const worker = runApp('worker', {
    DATABASE_URL: stack.db.url,
    SMTP_URL: smtpUrl,
    APP_BASE_URL: stack.env.APP_BASE_URL,
    QUEUE_PREFIX: stack.db.name,
    MAIL_CONCURRENCY: String(mailConcurrency),
    LOG_LEVEL: 'error',
    ...env,
  });
  const consumers = [INVITATION_READ_MODEL, INVITATION_MAIL_REACTOR].map((name) => `subscription:${name}`);
  const probe = new Client({ connectionString: stack.db.url });
  await probe.connect();
  await waitFor(async () => (await probe.query(LEADING_SQL, [stack.db.name, consumers])).rows[0].n >= consumers.length, {
    timeoutMs: 60_000,
    intervalMs: 100,
    what: `the worker process to start (${worker.output()})`,
  }).finally(() => probe.end());
  return worker;
}

/** Stops the worker if it still runs, and waits until it has exited (and let go of its locks). */
export async function stopWorker(worker: AppProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGTERM');
  await worker.exited;
}

/** ms from the first request until the read model holds every invitation, and until all are recorded as e-mailed. */
export interface InvitationRun {
  projectedMs: number;
  recordedMs: number;
}

/**
 * Runs `invite` (one bulk invitation of `total`, followed to its end) once per side and round, with a
 * worker of its own each time, and judges the batching on invitations per second until the read model
 * holds them all (what the batching of InvitationIssued runs saves) and until all are recorded as
 * e-mailed (with the InvitationEmailed runs, and the sending).
 */
export async function compareProjectionBatching(
  start: (env: Record<string, string>) => Promise<AppProcess>,
  invite: (label: string) => Promise<InvitationRun>,
  total: number,
  rounds: number,
): Promise<void> {
  console.log(`Invitation projection run batching (INVITATION_PROJECTION_BATCH_RUNS) on vs off: ${rounds} rounds of A B B A ` +
    `(A = on), ${fmt(total)} invitations per run, the worker started afresh for each run\n`);
  const row = tableAsMeasured(['round', 'side      ', 'projected s', 'recorded s']);
  const recorded: [number, number] = [0, 0];
  const recordedRatios: number[] = [];
  let runs = 0;
  const projectedRatios = await balancedRatios(rounds, async (side) => {
    const worker = await start({ INVITATION_PROJECTION_BATCH_RUNS: String(side === 0) });
    try {
      const run = await invite(`batching-${runs}`);
      row([String(Math.floor(runs / 4) + 1), side === 0 ? 'batched' : 'one by one', fmt(run.projectedMs / 1000, 2), fmt(run.recordedMs / 1000, 2)]);
      recorded[side] += total / run.recordedMs;
      if (runs % 4 === 3) {
        recordedRatios.push(recorded[0] / recorded[1]);
        recorded.fill(0);
      }
      return total / run.projectedMs;
    } finally {
      runs += 1;
      await stopWorker(worker);
    }
  });
  console.log();
  printGain('invitation projection batching, invitations/s until all projected', projectedRatios, 'batched', 'one by one');
  printGain('invitation projection batching, invitations/s until all recorded as e-mailed', recordedRatios, 'batched', 'one by one');
}
