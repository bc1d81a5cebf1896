/**
 * The reminders' due query in the reconcile bench (bench/reconcile.ts): the workshops the invitations
 * belong to, spread as a real store's are, and the query's plan and database time over them.
 *
 * Mix: WORKSHOPS (2,000) workshops, one starting each day, from 1,400 days ago to 599 days ahead, and
 * the invitations dealt among them evenly (50 each): the 1,400 past ones concluded, the 300 next open
 * for registration, the 300 after still planned. So 7 workshops (350 invitations) start within the
 * reminder's 7 days; the 99,650 others belong to workshops past, not open or not starting soon.
 */
import { Client } from 'pg';
import { DUE_REMINDERS_SQL } from '@passerelle/invitations';
import { reminderDay } from '@passerelle/reminders';
import { fmt } from './support';

export const WORKSHOPS = 2000;
const PAST = 1400;
const OPEN = 300;
/** The configuration's default REMINDER_DAYS_BEFORE. */
export const REMINDER_DAYS = 7;

export const WORKSHOP_MIX =
  `${fmt(WORKSHOPS)} workshops, one starting a day: ${fmt(PAST)} past (concluded), ${fmt(OPEN)} next open for registration, ` +
  `${fmt(WORKSHOPS - PAST - OPEN)} after them planned; ${REMINDER_DAYS} open ones start within ${REMINDER_DAYS} days`;

/** Writes the workshops' rows, and bench_workshops (k, id): invitation n belongs to workshop k = n % WORKSHOPS. */
export async function fillWorkshops(db: Client): Promise<void> {
  await db.query(`CREATE TEMP TABLE bench_workshops AS SELECT k, gen_random_uuid() AS id FROM generate_series(0, $1::int - 1) k`, [WORKSHOPS]);
  await db.query(
    `INSERT INTO workshops (id, title, host_institution, city, country, starts_on, ends_on, themes, status, planned_at, version, position)
     SELECT id, 'Workshop ' || k, 'Ministry', 'Dakar', 'SN', current_date + (k - $1::int), current_date + (k - $1::int) + 2, '[]',
            CASE WHEN k < $1::int THEN 'concluded' WHEN k < $1::int + $2::int THEN 'registration_open' ELSE 'planned' END,
            now() - interval '2 years', 2, k + 1
       FROM bench_workshops`,
    [PAST, OPEN],
  );
  await db.query('CREATE INDEX ON bench_workshops (k)');
  await db.query('VACUUM ANALYZE workshops');
}

export interface ReminderResult {
  label: string;
  due: number;
  planMs: number;
}

/** Prints the due query's plan (EXPLAIN ANALYZE BUFFERS) for today and REMINDER_DAYS; returns its rows and database time. */
export async function measureReminders(label: string, db: Client): Promise<ReminderResult> {
  const params = [reminderDay(Date.now()), REMINDER_DAYS];
  const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${DUE_REMINDERS_SQL}`, params);
  const lines = plan.rows.map((row) => row['QUERY PLAN'] as string);
  console.log(`${label}: plan of the reminders' due query`);
  for (const line of lines) console.log(`  ${line}`);
  console.log();
  const planMs = Number(/Execution Time: ([\d.]+) ms/.exec(lines.join('\n'))?.[1] ?? NaN);
  const due = (await db.query(DUE_REMINDERS_SQL, params)).rowCount ?? 0;
  return { label, due, planMs };
}
