/**
 * A reconciler pass over 100,000 invitations of which none are missing (issue #18): under 1 s of
 * database time, and no Redis round trip per invitation. Run by hand: npm run bench:reconcile
 *
 * Fills a fresh database (migrated) with BENCH_INVITATIONS (100,000) InvitationIssued events and their
 * read model rows by SQL, then measures two cases: (a) all e-mailed, (b) all still issued with their
 * mail jobs in Redis (queue prefix of this bench's own, deleted with the database at the end). For each:
 * the due query's plan (EXPLAIN ANALYZE BUFFERS) and database time, a whole pass through the real
 * JobReconciler, its Redis round trips (counted on the queue's connection here, not in the library) and
 * the jobs it queued again (must be 0). A plain count(*) over invitations is the baseline.
 *
 * The invitations belong to many workshops (bench/reconcile-reminders.ts: few open and starting soon),
 * so each case also plans the reminders' due query, which the reconciler runs on every pass too.
 */
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Client } from 'pg';
import pino from 'pino';
import {
  DUE_INVITATION_MAILS_SQL,
  INVITATION_MAIL_QUEUE,
  type InvitationMailJob,
  InvitationMailReconciled,
  invitationMailJob,
  invitationStream,
} from '@passerelle/invitations';
import { type AppConfig, EventStorePool, JobReconciler, MetricsRegistry, queueConnection } from '@passerelle/platform';
import { TEST_REDIS_URL } from '@passerelle/testing';
import { fillWorkshops, measureReminders, type ReminderResult, WORKSHOP_MIX, WORKSHOPS } from './reconcile-reminders';
import { fmt, printMachine, printTable, runBench, withBenchDatabase } from './support';

const N = Math.max(1, Number(process.env.BENCH_INVITATIONS ?? 100_000));
const JOB_CHUNK = 1000; // jobs per addBulk while filling Redis
const TARGET_DB_MS = 1000;
/** The mail jobs' retry options (the configuration's defaults); a pass with nothing missing reads nothing else of the configuration. */
const MAIL_CONFIG = { MAIL_ATTEMPTS: 12, MAIL_RETRY_DELAY_MS: 5000 };
const ROUND_TRIP_ALLOWANCE = 5; // the lock's queries go to PostgreSQL; this leaves room for a few Redis commands besides the batches

/** Round trips on one ioredis connection: each pipeline exec is one, each command sent alone is one. */
function countRoundTrips(client: Redis): { reset(): void; count(): { roundTrips: number; commands: number } } {
  let roundTrips = 0;
  let commands = 0;
  const pipeline = client.pipeline.bind(client);
  client.pipeline = ((...args: Parameters<Redis['pipeline']>) => {
    const p = pipeline(...args);
    const exec = p.exec.bind(p);
    p.exec = ((...execArgs: Parameters<typeof p.exec>) => {
      roundTrips += 1;
      commands += p.length;
      return exec(...execArgs);
    }) as typeof p.exec;
    return p;
  }) as Redis['pipeline'];
  const sendCommand = client.sendCommand.bind(client);
  client.sendCommand = ((command, stream) => {
    if (stream === undefined) {
      roundTrips += 1; // a pipeline's commands come with its stream and are counted by exec
      commands += 1;
    }
    return sendCommand(command, stream);
  }) as Redis['sendCommand'];
  return {
    reset: () => {
      roundTrips = 0;
      commands = 0;
    },
    count: () => ({ roundTrips, commands }),
  };
}

async function fill(db: Client): Promise<void> {
  // N invitations dealt among the workshops: stream invitation-<id>, version 1, positions 1..N, as the store appends them.
  await fillWorkshops(db);
  await db.query(`CREATE TEMP TABLE bench_ids AS
    SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS event_id, gen_random_uuid() AS correlation_id, w.id AS workshop_id
      FROM generate_series(1, $1::int) n JOIN bench_workshops w ON w.k = n % $2::int`, [N, WORKSHOPS]);
  await db.query(
    `INSERT INTO events (position, event_id, stream_id, category, version, type, data, metadata)
     SELECT n, event_id, $1 || id::text, 'invitation', 1, 'InvitationIssued',
            jsonb_build_object('invitationId', id, 'workshopId', workshop_id, 'email', 'p' || n || '@ministry.gov.test'),
            jsonb_build_object('correlationId', correlation_id)
       FROM bench_ids`,
    [invitationStream('')],
  );
  await db.query(
    `INSERT INTO invitations (id, workshop_id, full_name, email, country, organization, language, token_hash, status, issued_at, emailed_at, version)
     SELECT id, workshop_id, 'Participant ' || n, 'p' || n || '@ministry.gov.test', 'FR', 'Ministry', 'fr', md5(id::text), 'emailed',
            now() - interval '30 days', now(), 2
       FROM bench_ids`,
  );
  await db.query('VACUUM ANALYZE events');
  await db.query('VACUUM ANALYZE invitations');
}

interface CaseResult {
  label: string;
  due: number;
  planMs: number;
  findDueMs: number;
  passMs: number;
  roundTrips: number;
  commands: number;
  requeued: number;
}

async function measureCase(label: string, db: Client, reconciler: JobReconciler, kind: InvitationMailReconciled, counter: ReturnType<typeof countRoundTrips>): Promise<CaseResult> {
  const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${DUE_INVITATION_MAILS_SQL}`, [invitationStream('')]);
  const lines = plan.rows.map((row) => row['QUERY PLAN'] as string);
  console.log(`${label}: plan of the due query`);
  for (const line of lines) console.log(`  ${line}`);
  console.log();
  const planMs = Number(/Execution Time: ([\d.]+) ms/.exec(lines.join('\n'))?.[1] ?? NaN);
  let t0 = performance.now();
  const due = (await kind.findDue()).length;
  const findDueMs = performance.now() - t0;
  counter.reset();
  t0 = performance.now();
  const pass = await reconciler.pass([kind]);
  const passMs = performance.now() - t0;
  if (!pass.ran) throw new Error('The reconcile lock was held by another process');
  return { label, due, planMs, findDueMs, passMs, ...counter.count(), requeued: pass.requeued[kind.kind] ?? 0 };
}

async function main(): Promise<void> {
  await withBenchDatabase('bench_reconcile', async (url) => {
    const dbName = new URL(url).pathname.slice(1);
    const db = new Client({ connectionString: url });
    await db.connect();
    const pool = new EventStorePool({ DATABASE_URL: url } as AppConfig);
    // The bench's own prefix: dropping the database deletes its keys (libs/testing).
    const queue = new Queue<InvitationMailJob>(INVITATION_MAIL_QUEUE, queueConnection(TEST_REDIS_URL, dbName));
    try {
      printMachine((await db.query('SHOW server_version')).rows[0].server_version);
      console.log(`${fmt(N)} invitations, one InvitationIssued event each; ${WORKSHOP_MIX}; Redis queue prefix ${queueConnection(TEST_REDIS_URL, dbName).prefix}\n`);
      let t0 = performance.now();
      await fill(db);
      console.log(`filled in ${fmt((performance.now() - t0) / 1000, 1)} s\n`);

      const client = (await queue.client) as unknown as Redis;
      const counter = countRoundTrips(client);
      const logger = pino({ level: 'silent' });
      const reconciler = new JobReconciler(pool, new MetricsRegistry(), logger);
      const kind = new InvitationMailReconciled(queue, pool, MAIL_CONFIG as AppConfig);

      const countPlan = await db.query('EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM invitations');
      const countMs = Number(/Execution Time: ([\d.]+) ms/.exec(countPlan.rows.map((r) => r['QUERY PLAN']).join('\n'))?.[1] ?? NaN);
      console.log(`baseline: SELECT count(*) FROM invitations, ${fmt(countMs, 1)} ms of database time\n`);

      const results: CaseResult[] = [];
      const reminders: ReminderResult[] = [];
      results.push(await measureCase('(a) all e-mailed', db, reconciler, kind, counter));
      reminders.push(await measureReminders('(a) all e-mailed', db));

      await db.query(`UPDATE invitations SET status = 'issued', emailed_at = NULL, version = 1`);
      await db.query('VACUUM ANALYZE invitations');
      t0 = performance.now();
      const ids = await db.query<{ id: string; event_id: string; correlation_id: string }>('SELECT id, event_id, correlation_id FROM bench_ids ORDER BY n');
      for (let start = 0; start < ids.rows.length; start += JOB_CHUNK) {
        await queue.addBulk(
          ids.rows
            .slice(start, start + JOB_CHUNK)
            .map((row) => invitationMailJob(MAIL_CONFIG, { invitationId: row.id, eventId: row.event_id, correlationId: row.correlation_id })),
        );
      }
      console.log(`${fmt(N)} mail jobs put in Redis in ${fmt((performance.now() - t0) / 1000, 1)} s\n`);
      results.push(await measureCase('(b) all issued, jobs in Redis', db, reconciler, kind, counter));
      reminders.push(await measureReminders('(b) all issued, jobs in Redis', db));

      printTable(
        ['case', 'due', 'due query DB ms', 'findDue ms', 'pass ms', 'Redis round trips', 'Redis commands', 'requeued'],
        results.map((r) => [r.label, fmt(r.due), fmt(r.planMs, 1), fmt(r.findDueMs, 1), fmt(r.passMs, 1), fmt(r.roundTrips), fmt(r.commands), fmt(r.requeued)]),
      );
      const maxTrips = Math.ceil(N / 1000) + ROUND_TRIP_ALLOWANCE;
      for (const r of results) {
        const ok = r.planMs < TARGET_DB_MS && r.roundTrips <= maxTrips && r.requeued === 0;
        console.log(
          `${(ok ? 'PASS' : 'BELOW TARGET').padEnd(12)}  ${r.label}: ${fmt(r.planMs, 1)} ms of database time (target < ${fmt(TARGET_DB_MS)}), ` +
            `${fmt(r.roundTrips)} Redis round trips (target <= ${fmt(maxTrips)}), ${fmt(r.requeued)} queued again (target 0)`,
        );
      }
      console.log();
      printTable(
        ['case', 'reminders due', "reminders' due query DB ms", 'baseline count(*) DB ms'],
        reminders.map((r) => [r.label, fmt(r.due), fmt(r.planMs, 2), fmt(countMs, 1)]),
      );
    } finally {
      await queue.close();
      await pool.end();
      await db.end();
    }
  });
}

runBench(main);
