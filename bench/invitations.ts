/**
 * Invitations end to end: from POST /api/workshops/:id/invitations to the e-mails at an SMTP server,
 * beside plain nodemailer sending as many comparable messages to the same kind of server with the
 * same concurrency. Run by hand: node -r @swc-node/register bench/invitations.ts
 *
 * The API and the worker run in this process (test/support/stack.ts) on a fresh database, the real
 * Redis (queues of their own) and, for each side, a fresh counting SMTP server started here. Prints a
 * table, a timeline and the target, then drops the database and the queues (also on failure or
 * Ctrl-C). Exits 0 whatever the figures: it is a measurement, not a test.
 *
 * TCP_NODELAY is set on the plain side's SMTP sockets too (Passerelle's mailer sets it; nodemailer
 * leaves Nagle's algorithm on, and then waits on the server's delayed ACK, about 40 ms, once per
 * message and connection). BENCH_SMTP_NODELAY=0 leaves it off, for comparison.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { Client } from 'pg';
import { formatDates, INVITATION_MAIL_REACTOR } from '@passerelle/invitations';
import { MailTemplates } from '@passerelle/mail';
import { dropTestDatabase } from '@passerelle/testing';
import type { AppProcess } from '../test/support/processes';
import { type Stack, startStack } from '../test/support/stack';
import { CountingSink } from './counting-sink';
import { compareProjectionBatching, startWorker, stopWorker } from './invitations-worker';
import { fmt, loadAverage, printMachine, printTable, printTarget, processUsage } from './support';

const MAIL_CONCURRENCY = Number(process.env.BENCH_MAIL_CONCURRENCY ?? 8); // the worker's default unless BENCH_MAIL_CONCURRENCY says otherwise; the plain side keeps as many sends in flight
const REQUESTS = Math.max(1, Number(process.env.BENCH_REQUESTS ?? 5)); // BENCH_REQUESTS shortens a trial run
/** BENCH_COMPARE=projection-batching measures instead whether the invitation projection's run batching pays, in BENCH_ROUNDS rounds. */
const COMPARE = process.env.BENCH_COMPARE || undefined;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
if (COMPARE !== undefined && COMPARE !== 'projection-batching') throw new Error(`BENCH_COMPARE=${COMPARE}: this bench knows only BENCH_COMPARE=projection-batching`);
const PER_REQUEST = 1000; // the API's maximum per request
const TOTAL = REQUESTS * PER_REQUEST;
const WARMUP = 200; // e-mails per side before either timed run
const TIMEOUT_MS = 120_000; // per timed run
const POLL_MS = 25; // the read model and checkpoints are looked at this often during the Passerelle run
const SMTP_NODELAY = process.env.BENCH_SMTP_NODELAY !== '0';

const MAIL_FROM = 'Passerelle <no-reply@passerelle.local>'; // the configuration's default, used by both sides
const WORKSHOP = { title: 'AI capacity building', hostInstitution: 'Shanghai AI Research Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-10-23', endsOn: '2030-10-25', themes: ['healthcare', 'education'] };
const COUNTRIES = ['ID', 'PK', 'EG', 'ZM', 'BR', 'KZ', 'FR'];

function participant(i: number, prefix: string) {
  const country = COUNTRIES[i % COUNTRIES.length];
  return {
    fullName: `Participant ${i} ${country}`,
    email: `${prefix}${i}@ministry-${country.toLowerCase()}.gov.test`,
    country,
    organization: `Ministry of Digital Affairs (${country})`,
    language: country === 'FR' || i % 2 === 1 ? 'fr' : 'en',
  };
}

interface RunResult {
  /** From the first request (or the first send) to the last e-mail at the sink. */
  toLastMailMs: number;
  /** This process's CPU time over the run's wall time (1 = one core), and its event loop's busy share. */
  cpu: number;
  loopBusy: number;
  messages: number;
  recipients: number;
  duplicates: number;
  meanBytes: number;
}

interface PasserelleResult extends RunResult {
  toRecordedMs: number;
  requests: { startMs: number; ms: number }[];
  /** ms since the first request at which each milestone was first seen (to within POLL_MS). */
  milestones: { projected: number; queued: number; firstMail: number; lastMail: number; recorded: number };
}

/** Same workshop as the e2e tests: planned, one session, registration open. */
async function plannedWorkshop(stack: Stack, title: string): Promise<string> {
  const auth = { Authorization: `Bearer ${stack.token}` };
  const created = await stack.http.post('/api/workshops').set(auth).send({ ...WORKSHOP, title }).expect(201);
  const id = created.body.id as string;
  await stack.http
    .post(`/api/workshops/${id}/sessions`)
    .set(auth)
    .send({ kind: 'study', title: 'Foundations', startsAt: `${WORKSHOP.startsOn}T09:00:00Z`, endsAt: `${WORKSHOP.startsOn}T12:00:00Z` })
    .expect(201);
  await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
  return id;
}

/**
 * The watcher asks only for what it is still waiting for, so that its own queries (a count over the
 * workshop's invitations takes milliseconds) do not load the database during the run: the projected
 * invitations until they are all there, then the reactor's checkpoint, and the e-mailed count only once
 * every e-mail has reached the sink.
 */
async function count(client: Client, workshopId: string, status?: string): Promise<number> {
  const sql = `SELECT count(*)::int AS n FROM invitations WHERE workshop_id = $1${status ? ' AND status = $2' : ''}`;
  return (await client.query(sql, status ? [workshopId, status] : [workshopId])).rows[0].n;
}

async function reactorPosition(client: Client): Promise<number> {
  const row = (await client.query('SELECT position FROM subscription_checkpoints WHERE name = $1', [INVITATION_MAIL_REACTOR])).rows[0];
  return Number(row?.position ?? 0);
}

/**
 * Invites `total` participants in requests of at most PER_REQUEST, one request after another (they all
 * append to the workshop's stream: concurrent ones would only retry on its version), and follows the
 * work through the read model, the checkpoints and the sink until every invitation is recorded as e-mailed.
 */
async function passerelleRun(stack: Stack, sink: CountingSink, total: number, label: string): Promise<PasserelleResult> {
  const auth = { Authorization: `Bearer ${stack.token}` };
  const workshopId = await plannedWorkshop(stack, `AI capacity building (${label})`);
  const batches = Array.from({ length: Math.ceil(total / PER_REQUEST) }, (_, b) =>
    Array.from({ length: Math.min(PER_REQUEST, total - b * PER_REQUEST) }, (_, i) => participant(b * PER_REQUEST + i, `${label}-`)),
  );
  const monitor = new Client({ connectionString: stack.db.url, application_name: 'bench' });
  monitor.on('error', () => undefined);
  await monitor.connect();
  sink.reset();
  const requests: { startMs: number; ms: number }[] = [];
  const seen = { projected: NaN, queued: NaN, recorded: NaN };
  let lastPosition = Infinity;
  let done = false;
  const used = processUsage();
  const t0 = performance.now();
  const since = () => performance.now() - t0;
  const watch = (async () => {
    while (!done) {
      if (Number.isNaN(seen.projected)) {
        if ((await count(monitor, workshopId)) >= total) seen.projected = since();
      } else if (Number.isNaN(seen.queued)) {
        if ((await reactorPosition(monitor)) >= lastPosition) seen.queued = since();
      } else if (sink.messages >= total && (await count(monitor, workshopId, 'emailed')) >= total) {
        seen.recorded = since();
        return;
      }
      if (since() > TIMEOUT_MS) throw new Error(`Timed out after ${TIMEOUT_MS} ms: ${JSON.stringify(seen)}, ${sink.messages} e-mails at the sink`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  watch.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
  try {
    let maxPosition = 0;
    for (const participants of batches) {
      const start = since();
      const response = await stack.http.post(`/api/workshops/${workshopId}/invitations`).set(auth).send({ participants }).expect(202);
      requests.push({ startMs: start, ms: since() - start });
      maxPosition = Math.max(maxPosition, response.body.position);
    }
    lastPosition = maxPosition;
    await sink.waitFor(total, TIMEOUT_MS, `${total} invitation e-mails`);
    await watch;
    return {
      toLastMailMs: sink.lastAt - t0,
      toRecordedMs: seen.recorded,
      ...used.end(),
      messages: sink.messages,
      recipients: sink.recipients.size,
      duplicates: sink.duplicates(),
      meanBytes: sink.bytes / Math.max(1, sink.messages),
      requests,
      milestones: { ...seen, firstMail: sink.firstAt - t0, lastMail: sink.lastAt - t0 },
    };
  } finally {
    done = true;
    await watch.catch(() => undefined);
    await monitor.end().catch(() => undefined);
  }
}

/**
 * Plain nodemailer: a pooled transport with MAIL_CONCURRENCY connections and MAIL_CONCURRENCY sends in
 * flight, each rendering the same invitation template (same values, a fresh 43-character RSVP token) and
 * carrying the same extra headers as the worker's e-mails.
 */
async function plainRun(sink: CountingSink, count: number, label: string, baseUrl: string): Promise<RunResult> {
  const templates = new MailTemplates();
  const transport = nodemailer.createTransport({ pool: true, maxConnections: MAIL_CONCURRENCY, ...sink.host, ignoreTLS: true, secure: false });
  sink.reset();
  let next = 0;
  const used = processUsage();
  const t0 = performance.now();
  const sender = async () => {
    while (next < count) {
      const p = participant(next++, `${label}-`);
      const token = randomBytes(32).toString('base64url');
      const rendered = templates.render('invitation', p.language, {
        fullName: p.fullName,
        workshopTitle: WORKSHOP.title,
        hostInstitution: WORKSHOP.hostInstitution,
        city: WORKSHOP.city,
        dates: formatDates(WORKSHOP.startsOn, WORKSHOP.endsOn, p.language),
        startsOn: formatDates(WORKSHOP.startsOn, WORKSHOP.startsOn, p.language),
        rsvpUrl: `${baseUrl.replace(/\/$/, '')}/rsvp/${token}`,
      });
      await transport.sendMail({
        from: MAIL_FROM,
        to: p.email,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId: `<${randomUUID()}@passerelle.local>`,
        headers: { 'X-Passerelle-Key': `invitation:${randomUUID()}` },
      });
    }
  };
  try {
    await Promise.race([
      Promise.all(Array.from({ length: MAIL_CONCURRENCY }, sender)),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`Timed out after ${TIMEOUT_MS} ms: ${sink.messages} plain e-mails`)), TIMEOUT_MS).unref()),
    ]);
    await sink.waitFor(count, 5_000, `${count} plain e-mails`);
  } finally {
    transport.close();
  }
  return {
    toLastMailMs: sink.lastAt - t0,
    ...used.end(),
    messages: sink.messages,
    recipients: sink.recipients.size,
    duplicates: sink.duplicates(),
    meanBytes: sink.bytes / Math.max(1, sink.messages),
  };
}

/** Nagle's algorithm off on sockets made with net.connect: in this process, only nodemailer's SMTP connections. */
function smtpNoDelay(): void {
  const connect = net.connect;
  net.connect = function (this: unknown, ...args: unknown[]) {
    const socket = (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    socket.setNoDelay(true);
    return socket;
  } as typeof net.connect;
}

const perSecond = (n: number, ms: number) => (n * 1000) / ms;

function printResults(passerelle: PasserelleResult, plain: RunResult): void {
  const rows: [string, string, string, string][] = [
    [
      `e-mails/s, first request to last e-mail at the sink`,
      fmt(perSecond(TOTAL, passerelle.toLastMailMs)),
      fmt(perSecond(TOTAL, plain.toLastMailMs)),
      (passerelle.toLastMailMs > 0 ? plain.toLastMailMs / passerelle.toLastMailMs : NaN).toFixed(2),
    ],
    [`seconds to the ${fmt(TOTAL)}th e-mail at the sink`, fmt(passerelle.toLastMailMs / 1000, 2), fmt(plain.toLastMailMs / 1000, 2), ''],
    [`seconds until all ${fmt(TOTAL)} are recorded as e-mailed`, fmt(passerelle.toRecordedMs / 1000, 2), '-', ''],
    [`invitations/s, first request to all recorded as e-mailed`, fmt(perSecond(TOTAL, passerelle.toRecordedMs)), '-', ''],
  ];
  printTable(['case', 'Passerelle', 'plain nodemailer', 'Passerelle/plain'], rows);

  for (const [name, r] of [['Passerelle', passerelle], ['plain', plain]] as const) {
    console.log(`${name.padEnd(10)}  ${r.messages} e-mails to ${r.recipients} distinct recipients, ${r.duplicates} recipients with more than one, ` +
      `${fmt(r.meanBytes)} bytes each on average; this process used ${fmt(r.cpu * 100)}% of one core, its event loop ` +
      `was busy ${fmt(r.loopBusy * 100)}% of the time`);
  }
  console.log();

  const m = passerelle.milestones;
  console.log('Passerelle timeline, seconds since the first request (read model and checkpoints polled every ' + `${POLL_MS} ms):`);
  passerelle.requests.forEach((r, i) =>
    console.log(`  request ${i + 1} of ${REQUESTS} (${fmt(PER_REQUEST)} participants)  ${fmt(r.startMs / 1000, 2).padStart(7)} -> ${fmt((r.startMs + r.ms) / 1000, 2).padStart(7)}  (${fmt(r.ms)} ms)`),
  );
  const line = (label: string, ms: number) => console.log(`  ${label.padEnd(58)} ${fmt(ms / 1000, 2).padStart(7)}`);
  line('first e-mail at the sink', m.firstMail);
  line(`read model holds all ${fmt(TOTAL)} invitations (projection)`, m.projected);
  line(`all ${fmt(TOTAL)} mail jobs queued (reactor checkpoint)`, m.queued);
  line(`last e-mail at the sink`, m.lastMail);
  line(`all ${fmt(TOTAL)} recorded as e-mailed in the read model`, m.recorded);
  const sending = m.lastMail - m.firstMail;
  console.log(`  delivery alone, first to last e-mail: ${fmt(perSecond(TOTAL - 1, sending))} e-mails/s\n`);

  printTarget('invitations e-mailed per second, API request to last e-mail, vs plain nodemailer', plain.toLastMailMs / passerelle.toLastMailMs, 0.5);
}

async function main(): Promise<void> {
  const passerelleSink = await new CountingSink().start();
  const plainSink = await new CountingSink().start();
  let stack: Stack | undefined;
  let worker: AppProcess | undefined;
  let aborting: Promise<void> | undefined;
  const abort = () => {
    aborting ??= (stack ? dropTestDatabase(stack.db.name) : Promise.resolve()).finally(() => process.exit(130));
  };
  process.on('SIGINT', abort).on('SIGTERM', abort);
  if (SMTP_NODELAY) smtpNoDelay();
  try {
    // The stack's own SmtpSink (which parses every message) stays idle: the worker sends to the counting sink.
    // The worker runs in its own process, as in production (BENCH_WORKER=in-process keeps it in this one).
    const ownProcess = process.env.BENCH_WORKER !== 'in-process';
    stack = await startStack('bench_invitations', {
      env: { SMTP_URL: passerelleSink.url, MAIL_CONCURRENCY: String(MAIL_CONCURRENCY), LOG_LEVEL: 'silent' },
      worker: !ownProcess,
    });
    if (ownProcess) worker = await startWorker(stack, passerelleSink.url, MAIL_CONCURRENCY);
    const pg = new Client({ connectionString: stack.db.url });
    await pg.connect();
    const server = (await pg.query('SHOW server_version')).rows[0].server_version;
    await pg.end();
    printMachine(server);
    if (COMPARE) {
      if (!worker) throw new Error('BENCH_COMPARE=projection-batching starts the worker in its own process: leave BENCH_WORKER unset');
      await passerelleRun(stack, passerelleSink, WARMUP, 'warmup');
      await stopWorker(worker);
      const started = stack;
      await compareProjectionBatching(
        async (env) => (worker = await startWorker(started, passerelleSink.url, MAIL_CONCURRENCY, env)),
        async (label) => {
          const run = await passerelleRun(started, passerelleSink, TOTAL, label);
          return { projectedMs: run.milestones.projected, recordedMs: run.toRecordedMs };
        },
        TOTAL,
        ROUNDS,
      );
      return;
    }
    console.log(`MAIL_CONCURRENCY ${MAIL_CONCURRENCY} for both sides. The API, the SMTP sinks and the plain sender run in this process, ` +
      `the worker ${worker ? 'in its own (as in production)' : 'in this one too'}; each side sends to its own counting smtp-server (no parsing).`);
    console.log(`Passerelle: ${fmt(TOTAL)} invitations in ${REQUESTS} POST /api/workshops/:id/invitations of ${fmt(PER_REQUEST)} ` +
      'participants, sent one after another. Plain: nodemailer pool of ' +
      `${MAIL_CONCURRENCY} connections, ${MAIL_CONCURRENCY} sends in flight.`);
    console.log(`TCP_NODELAY on the SMTP client sockets: ${SMTP_NODELAY ? 'on (BENCH_SMTP_NODELAY=0 leaves it off)' : 'off, as nodemailer leaves it'}.`);
    console.log(`Warm-up: ${WARMUP} e-mails per side; then the plain baseline runs first, Passerelle second.\n`);

    await passerelleRun(stack, passerelleSink, WARMUP, 'warmup');
    await plainRun(plainSink, WARMUP, 'warmup', stack.env.APP_BASE_URL);

    const plain = await plainRun(plainSink, TOTAL, 'plain', stack.env.APP_BASE_URL);
    const passerelle = await passerelleRun(stack, passerelleSink, TOTAL, 'bench');
    console.log(`load average ${loadAverage()} at the end (1, 5, 15 min)\n`);
    printResults(passerelle, plain);
  } finally {
    if (worker) await stopWorker(worker);
    if (stack && !aborting) {
      const name = stack.db.name;
      await stack.close().catch((err) => console.error('Closing the stack failed:', err));
      // Again, in case close() stopped before its drop (IF EXISTS); it also removes the stack's queues from Redis.
      await dropTestDatabase(name);
    }
    await passerelleSink.stop();
    await plainSink.stop();
    await aborting;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
