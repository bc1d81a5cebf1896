/**
 * The reminder engine's sweep (issue #21): finding the due reminders of every source, over 100,000
 * invitations and 10,000 partnerships, in under 1 s. Run by hand: npm run bench:reminder-sweep
 *
 * Fills a fresh database (migrated) by SQL into the read models: the workshops of the reconcile bench
 * (bench/reconcile-reminders.ts: 2,000, one starting a day, 7 open ones within the reminders' 7 days)
 * and BENCH_INVITATIONS (100,000) invitations dealt among them (half emailed and unanswered, a quarter
 * answered, a quarter already reminded); BENCH_PARTNERSHIPS (10,000) partnerships whose ends are spread
 * over ten years around today (most active, some suspended, concluded or expired; a fifth already
 * reminded for their end); BENCH_CALLS (1,000) calls for proposals closing over two years around today
 * (a few within the reminders' 7 days, a tenth closed early) with BENCH_PROPOSALS (20,000) proposals
 * dealt among them (a third still drafts, some sent back for changes). Then times the real engine's findDue (every source, as the sweep and the
 * reconciler run it; median of ROUNDS) and each source's alone, against the baseline of the same
 * queries with index scans disabled (SET enable_indexscan = off, enable_bitmapscan = off: what they
 * would cost without the indexes), and prints both plans (EXPLAIN ANALYZE BUFFERS).
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import pino from 'pino';
import { CallDeadlineReminderSource, DUE_CALL_DEADLINE_REMINDERS_SQL } from '@passerelle/calls';
import { DUE_REMINDERS_SQL, InvitationQueries, InvitationReminderSource } from '@passerelle/invitations';
import { DUE_PARTNERSHIP_END_REMINDERS_SQL, PartnershipEndReminderSource } from '@passerelle/partnerships';
import { type AppConfig, type Clock, EventStorePool } from '@passerelle/platform';
import { ReminderEngine, reminderDay, type ReminderSource } from '@passerelle/reminders';
import { fillWorkshops, REMINDER_DAYS, WORKSHOP_MIX, WORKSHOPS } from './reconcile-reminders';
import { fmt, median, printMachine, printTable, runBench, withBenchDatabase } from './support';

const INVITATIONS = Math.max(1, Number(process.env.BENCH_INVITATIONS ?? 100_000));
const PARTNERSHIPS = Math.max(1, Number(process.env.BENCH_PARTNERSHIPS ?? 10_000));
const CALLS = Math.max(1, Number(process.env.BENCH_CALLS ?? 1_000));
const PROPOSALS = Math.max(1, Number(process.env.BENCH_PROPOSALS ?? 20_000));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 7));
const TARGET_MS = 1000;
const NO_INDEX_SCANS = '-c enable_indexscan=off -c enable_bitmapscan=off';

async function fill(db: Client): Promise<void> {
  await fillWorkshops(db);
  await db.query(
    `INSERT INTO invitations (id, workshop_id, full_name, email, country, organization, language, token_hash, status, issued_at, emailed_at, responded_at, reminded_at, version)
     SELECT i.id, w.id, 'Participant ' || n, 'p' || n || '@ministry.gov.test', 'FR', 'Ministry', 'fr', md5(i.id::text),
            CASE n % 4 WHEN 1 THEN 'accepted' WHEN 2 THEN CASE WHEN n % 8 = 2 THEN 'declined' ELSE 'emailed' END ELSE 'emailed' END,
            now() - interval '30 days', now() - interval '30 days',
            CASE WHEN n % 4 = 1 OR n % 8 = 2 THEN now() - interval '10 days' END,
            CASE WHEN n % 4 = 3 THEN now() - interval '1 day' END, 3
       FROM (SELECT n, gen_random_uuid() AS id FROM generate_series(1, $1::int) n) i JOIN bench_workshops w ON w.k = n % $2::int`,
    [INVITATIONS, WORKSHOPS],
  );
  // Ends from about five years ago to five years ahead, one every few hours' worth of days; statuses mixed.
  await db.query(
    `INSERT INTO partnerships (id, proposal_id, institution_id, status, established_at, updated_at, version, starts_on, ends_on, end_reminded_for, end_reminded_days)
     SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(),
            CASE WHEN n % 10 = 7 THEN 'suspended' WHEN n % 10 = 8 THEN 'concluded' WHEN e < current_date THEN 'expired' ELSE 'active' END,
            now() - interval '6 years', now(), 2, e - 365, e,
            CASE WHEN n % 5 = 0 THEN e END, CASE WHEN n % 5 = 0 THEN 60 END
       FROM (SELECT n, current_date - 1825 + (n * 3650 / $1::int) AS e FROM generate_series(1, $1::int) n) p`,
    [PARTNERSHIPS],
  );
  // Closing times one every ~17 hours from a year ago to a year ahead: about ten close within 7 days.
  await db.query(
    `INSERT INTO calls (id, title, summary, sectors, countries, opens_at, closes_at, closed_at, created_at, updated_at, version)
     SELECT gen_random_uuid(), 'Call ' || n, 'Summary', '["health"]', '["ZM"]', c - interval '90 days', c,
            CASE WHEN n % 10 = 3 OR c < now() THEN LEAST(c, now()) END, c - interval '91 days', now(), 1
       FROM (SELECT n, now() - interval '365 days' + (n * interval '730 days' / $1::int) AS c FROM generate_series(1, $1::int) n) k`,
    [CALLS],
  );
  await db.query(
    `INSERT INTO proposals (id, institution_id, title, summary, sectors, countries, duration_months, status, created_at, updated_at, version, call_id)
     SELECT gen_random_uuid(), gen_random_uuid(), 'Proposal ' || n, 'Summary', '["health"]', '["ZM"]', 12,
            CASE n % 6 WHEN 0 THEN 'draft' WHEN 1 THEN 'draft' WHEN 2 THEN 'changes_requested' WHEN 3 THEN 'submitted' ELSE 'approved' END,
            now() - interval '100 days', now(), 1, c.id
       FROM generate_series(1, $1::int) n JOIN (SELECT id, row_number() OVER (ORDER BY closes_at) - 1 AS k FROM calls) c ON c.k = n % $2::int`,
    [PROPOSALS, CALLS],
  );
  await db.query('VACUUM ANALYZE calls');
  await db.query('VACUUM ANALYZE proposals');
  await db.query('VACUUM ANALYZE invitations');
  await db.query('VACUUM ANALYZE partnerships');
}

/** The two sources and the engine over `pool`, reading the read models only (findDue touches nothing else). */
function engineOver(pool: EventStorePool, clock: Clock): { engine: ReminderEngine; sources: ReminderSource[] } {
  const config = { REMINDER_DAYS_BEFORE: REMINDER_DAYS, APP_BASE_URL: 'http://localhost' } as AppConfig;
  const sources: ReminderSource[] = [
    new InvitationReminderSource(new InvitationQueries(pool, null as never, null as never), null as never, null as never, pool, config),
    new PartnershipEndReminderSource(pool, null as never, config),
    new CallDeadlineReminderSource(pool, null as never, config),
  ];
  const engine = new ReminderEngine(sources, null as never, null as never, null as never, config, clock, pino({ level: 'silent' }));
  return { engine, sources };
}

async function timed(run: () => Promise<unknown>): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  const found = (await run()) as unknown[];
  return { ms: performance.now() - t0, rows: found.length };
}

async function printPlan(db: Client, label: string, sql: string, params: unknown[]): Promise<number> {
  const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  const lines = plan.rows.map((row) => row['QUERY PLAN'] as string);
  console.log(`${label}`);
  for (const line of lines) console.log(`  ${line}`);
  console.log();
  return Number(/Execution Time: ([\d.]+) ms/.exec(lines.join('\n'))?.[1] ?? NaN);
}

async function main(): Promise<void> {
  await withBenchDatabase('bench_reminder_sweep', async (url) => {
    const db = new Client({ connectionString: url });
    // The database is dropped at the end, connections and all: what the client hears then is no failure.
    db.on('error', () => undefined);
    await db.connect();
    printMachine((await db.query('SHOW server_version')).rows[0].server_version);
    console.log(`${fmt(INVITATIONS)} invitations among ${WORKSHOP_MIX}; ${fmt(PARTNERSHIPS)} partnerships, ends spread over ten years around today; ${fmt(CALLS)} calls, ${fmt(PROPOSALS)} proposals to them\n`);
    await fill(db);
    const now = Date.now();
    const clock = { now: () => now } as Clock;
    const today = reminderDay(now);
    const withIndexes = new EventStorePool({ DATABASE_URL: url } as AppConfig);
    const withoutIndexes = new EventStorePool({ DATABASE_URL: `${url}?options=${encodeURIComponent(NO_INDEX_SCANS)}` } as AppConfig);
    const off = (await withoutIndexes.query('SHOW enable_indexscan')).rows[0].enable_indexscan;
    if (off !== 'off') throw new Error('The baseline pool still scans indexes');
    try {
      const sides = { indexes: engineOver(withIndexes, clock), baseline: engineOver(withoutIndexes, clock) };
      const samples: Record<string, Record<string, number[]>> = { indexes: {}, baseline: {} };
      const found: Record<string, number> = {};
      // Warm both sides once, then alternate them round by round.
      for (const side of Object.values(sides)) await side.engine.findDue();
      for (let round = 0; round < ROUNDS; round++) {
        for (const name of (round % 2 ? ['baseline', 'indexes'] : ['indexes', 'baseline']) as (keyof typeof sides)[]) {
          const side = sides[name];
          const all = await timed(() => side.engine.findDue());
          (samples[name].all ??= []).push(all.ms);
          found.all = all.rows;
          for (const source of side.sources) {
            const one = await timed(() => source.findDue(now));
            (samples[name][source.kind] ??= []).push(one.ms);
            found[source.kind] = one.rows;
          }
        }
      }
      const rows = ['all', 'invitation', 'partnership-end', 'call-deadline'].map((what) => {
        const indexed = median(samples.indexes[what]);
        const baseline = median(samples.baseline[what]);
        return [what === 'all' ? 'engine findDue (every source)' : `source ${what}`, fmt(found[what]), fmt(indexed, 1), fmt(baseline, 1), `${fmt(baseline / indexed, 1)}x`];
      });
      console.log(`Median of ${ROUNDS} rounds, at ${today}:`);
      printTable(['finding the due reminders', 'due', 'with indexes ms', 'index scans off ms', 'gain'], rows);
      const engineMs = median(samples.indexes.all);
      console.log(`${engineMs < TARGET_MS ? 'PASS' : 'BELOW TARGET'}  engine findDue over ${fmt(INVITATIONS)} invitations, ${fmt(PARTNERSHIPS)} partnerships and ${fmt(PROPOSALS)} proposals to calls: ${fmt(engineMs, 1)} ms (target < ${fmt(TARGET_MS)} ms)\n`);

      await printPlan(db, 'Plan: invitations due for their reminder (DUE_REMINDERS_SQL), with indexes', DUE_REMINDERS_SQL, [today, REMINDER_DAYS]);
      await printPlan(db, 'Plan: partnership ends due for a reminder (DUE_PARTNERSHIP_END_REMINDERS_SQL), with indexes', DUE_PARTNERSHIP_END_REMINDERS_SQL, [today]);
      await printPlan(db, 'Plan: call deadlines due for a reminder (DUE_CALL_DEADLINE_REMINDERS_SQL), with indexes', DUE_CALL_DEADLINE_REMINDERS_SQL, [new Date(now).toISOString()]);
      await db.query('SET enable_indexscan = off');
      await db.query('SET enable_bitmapscan = off');
      await printPlan(db, 'Baseline plan: invitations, index scans off', DUE_REMINDERS_SQL, [today, REMINDER_DAYS]);
      await printPlan(db, 'Baseline plan: partnership ends, index scans off', DUE_PARTNERSHIP_END_REMINDERS_SQL, [today]);
      await printPlan(db, 'Baseline plan: call deadlines, index scans off', DUE_CALL_DEADLINE_REMINDERS_SQL, [new Date(now).toISOString()]);
    } finally {
      await withIndexes.end();
      await withoutIndexes.end();
      await db.end();
    }
  });
}

runBench(main);
