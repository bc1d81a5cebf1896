/**
 * Staff's workbooks against the same rows written as CSV.
 * Run by hand: npm run bench:export (node -r @swc-node/register bench/export.ts)
 * Creates a fresh database, writes 200 partner institutions, 10,000 proposals (reviews, approvals,
 * budgets) and 10,000 partnerships straight into the read-model tables (as the projections would have),
 * then times, in alternating rounds, building the proposals workbook and the partnerships workbook as the
 * API does (the same functions: rows from the read models through a cursor, written by exceljs's
 * streaming writer to a sink that counts the bytes), against the baseline: the same rows, from the same
 * cursor, written as CSV (csvField of @passerelle/reporting) to the same sink. Prints a table, the ratio,
 * the sampled peak memory during each kind of build and the process's high-water mark (maxRSS, which also
 * covers filling the database), then drops the database (also on failure or Ctrl-C). Exits 0 whatever
 * the figures: it is a measurement, not a test.
 */
import { fork } from 'node:child_process';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { csvField } from '@passerelle/reporting';
import { partnershipExportRows, proposalExportRows } from '../apps/api/src/exports/exports.queries';
import { writePartnershipsWorkbook, writeProposalsWorkbook } from '../apps/api/src/exports/exports.workbooks';
import { fmt, loadAverage, median, printMachine, printTable, runBench, withBenchDatabase, seededRandom } from './support';

const PROPOSALS = 10_000;
const PARTNERSHIPS = 10_000;
const INSTITUTIONS = 200;
const WARMUP = 1;
const ROUNDS = 5;
const SAMPLE_MS = 10;
const TARGET_MS = 3000;
const TARGET_MB = 300;

const uuid = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const rnd = seededRandom(20261206);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const COUNTRIES = ['KE', 'SN', 'VN', 'ID', 'CI', 'BR', 'EG', 'MA', 'NG', 'ET', 'GH', 'TZ', 'UG', 'RW', 'CM', 'ZM', 'ZA', 'PK', 'BD', 'MX'];
const SECTORS = ['healthcare', 'education', 'green development', 'agriculture', 'public administration', 'transport', 'energy', 'finance'];
const STATUSES = ['draft', 'submitted', 'changes_requested', 'approved', 'rejected', 'withdrawn'];
const PARTNERSHIP_STATUSES = ['active', 'active', 'active', 'suspended', 'concluded'];
const CURRENCIES = ['EUR', 'USD', 'XOF', 'KES'];

async function fill(pool: Pool): Promise<void> {
  const institutions = Array.from({ length: INSTITUTIONS }, (_, i) => [uuid('9', i + 1), `Institution ${i + 1} pour le développement « numérique »`, pick(COUNTRIES), 'now', 1]);
  await insertRows(pool, 'partner_institutions (id, name, country, registered_at, version)', institutions);
  const proposals: unknown[][] = [];
  const partnerships: unknown[][] = [];
  for (let i = 0; i < PROPOSALS; i++) {
    const id = uuid('e', i + 1);
    const institutionId = pick(institutions)[0];
    const round = 1 + Math.floor(rnd() * 2);
    const reviews = Array.from({ length: Math.floor(rnd() * 4) }, (_, r) => ({ round: 1 + (r % round), reviewerId: uuid('b', r + 1), score: 1 + Math.floor(rnd() * 5), recommendation: 'approve', comment: 'Sound plan', reviewedAt: '2026-05-01T10:00:00Z' }));
    const approvals = Array.from({ length: Math.floor(rnd() * 3) }, (_, a) => ({ approverId: uuid('c', a + 1), round, at: '2026-05-02T10:00:00Z' }));
    const sectors = [...new Set([pick(SECTORS), pick(SECTORS)])];
    const countries = [...new Set([pick(COUNTRIES), pick(COUNTRIES), pick(COUNTRIES)])];
    const budget = rnd() < 0.8 ? { amount: Math.round(rnd() * 50_000_000) / 100, currency: pick(CURRENCIES) } : null;
    const created = new Date(Date.UTC(2026, 0, 1) + Math.floor(rnd() * 300 * 86_400_000));
    proposals.push([id, institutionId, `Programme ${i + 1}: ${sectors.join(' and ')} in ${countries.join(', ')}`, 'Summary', JSON.stringify(sectors), JSON.stringify(countries), 12 + Math.floor(rnd() * 25), budget && JSON.stringify(budget), pick(STATUSES), round, JSON.stringify(reviews), JSON.stringify(approvals), created, created, 5]);
    if (i < PARTNERSHIPS) partnerships.push([uuid('f', i + 1), id, institutionId, pick(PARTNERSHIP_STATUSES), new Date(created.getTime() + 30 * 86_400_000), 'now', 1]);
  }
  await insertRows(pool, 'proposals (id, institution_id, title, summary, sectors, countries, duration_months, budget, status, round, reviews, approvals, created_at, updated_at, version)', proposals);
  await insertRows(pool, 'partnerships (id, proposal_id, institution_id, status, established_at, updated_at, version)', partnerships);
  await pool.query('VACUUM ANALYZE partner_institutions, proposals, partnerships');
}

async function insertRows(pool: Pool, into: string, rows: unknown[][], chunk = 500): Promise<void> {
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const width = part[0].length;
    const values = part.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await pool.query(`INSERT INTO ${into} VALUES ${values}`, part.flat());
  }
}

/** A download that goes nowhere: counts the bytes, asynchronously, so that backpressure works as on a socket. */
class Sink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    setImmediate(done);
  }
  finished(): Promise<void> {
    return new Promise((resolve, reject) => (this.writableFinished ? resolve() : this.once('finish', resolve).once('error', reject)));
  }
}

/** The baseline: the same rows as CSV, one line each, written with backpressure. */
async function writeCsv<Row>(rows: AsyncIterable<Row>, cells: (row: Row) => (string | number | null)[], output: Writable): Promise<void> {
  for await (const row of rows) {
    const line = cells(row).map((cell) => (cell === null ? '' : csvField(cell))).join(',') + '\r\n';
    if (!output.write(line)) await new Promise((resolve) => output.once('drain', resolve));
  }
  output.end();
}

interface Peak { rss: number; heap: number }
/** Memory sampled every SAMPLE_MS and at each build's end (lower bounds of the true peak; maxRSS is exact). */
class Sampler {
  peak: Peak = { rss: 0, heap: 0 };
  private timer?: NodeJS.Timeout;
  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }
  sample(): void {
    const m = process.memoryUsage();
    this.peak = { rss: Math.max(this.peak.rss, m.rss), heap: Math.max(this.peak.heap, m.heapUsed) };
  }
  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

type Kind = 'proposals' | 'partnerships';
type Side = 'workbook' | 'csv';

function build(pool: Pool, kind: Kind, side: Side, sink: Sink): Promise<void> {
  if (kind === 'proposals') {
    const rows = proposalExportRows(pool);
    if (side === 'workbook') return writeProposalsWorkbook(rows, 'en', sink);
    return writeCsv(rows, (p) => [p.title, p.institution, p.institutionCountry, p.call, p.status, p.round, p.averageScore, p.reviews, p.approvals, p.sectors.join('; '), p.countries.join('; '), p.durationMonths, p.budget?.amount ?? null, p.budget?.currency ?? null, p.createdAt.toISOString(), p.updatedAt.toISOString()], sink);
  }
  const rows = partnershipExportRows(pool);
  if (side === 'workbook') return writePartnershipsWorkbook(rows, 'en', sink);
  return writeCsv(rows, (s) => [s.institution, s.institutionCountry, s.proposal, s.countries.join('; '), s.status, s.establishedAt.toISOString()], sink);
}

/** One build in this process: `warmups` untimed first (the API process is warm), then one timed; with the process's high-water mark. */
async function buildHere(url: string, kind: Kind, side: Side, warmups: number): Promise<Measured> {
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    for (let i = 0; i < warmups; i++) {
      const sink = new Sink();
      await build(pool, kind, side, sink);
      await sink.finished();
    }
    const sampler = new Sampler();
    const sink = new Sink();
    sampler.start();
    const started = performance.now();
    await build(pool, kind, side, sink);
    await sink.finished();
    const ms = performance.now() - started;
    sampler.stop();
    return { ms, bytes: sink.bytes, rss: sampler.peak.rss, heap: sampler.peak.heap, maxRss: process.resourceUsage().maxRSS * 1024 };
  } finally {
    await pool.end();
  }
}

interface Measured { ms: number; bytes: number; rss: number; heap: number; maxRss: number }

/** A build in a process of its own, so that its memory high-water mark is that build's and nothing else's. */
function buildApart(url: string, kind: Kind, side: Side): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], { execArgv: ['-r', '@swc-node/register'], env: { ...process.env, BENCH_EXPORT_BUILD: JSON.stringify({ url, kind, side }) } });
    child.once('message', (message) => resolve(message as Measured));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`The ${kind} ${side} build exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  await withBenchDatabase('bench_export', async (url) => {
    const pool = new Pool({ connectionString: url, max: 4 });
    try {
      const version = (await pool.query('SHOW server_version')).rows[0].server_version;
      printMachine(version);
      const filled = performance.now();
      await fill(pool);
      console.log(`Filled ${PROPOSALS.toLocaleString('en')} proposals, ${PARTNERSHIPS.toLocaleString('en')} partnerships, ${INSTITUTIONS} institutions in ${fmt(performance.now() - filled, 0)} ms; load ${loadAverage()}`);
    } finally {
      await pool.end();
    }
    const runs: Record<string, Measured[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const order: Side[] = round % 2 === 0 ? ['workbook', 'csv'] : ['csv', 'workbook'];
      for (const kind of ['proposals', 'partnerships'] as Kind[]) {
        for (const side of order) (runs[`${kind} ${side}`] ??= []).push(await buildApart(url, kind, side));
      }
    }
    const mb = (n: number) => fmt(n / 1024 / 1024, 0);
    const rows = (['proposals', 'partnerships'] as Kind[]).map((kind) => {
      const workbook = runs[`${kind} workbook`];
      const csv = runs[`${kind} csv`];
      const ms = median(workbook.map((r) => r.ms));
      const peak = Math.max(...workbook.map((r) => r.maxRss));
      return [
        `${kind} (10,000)`,
        fmt(ms, 0),
        fmt(Math.max(...workbook.map((r) => r.ms)), 0),
        fmt(median(csv.map((r) => r.ms)), 0),
        fmt(median(csv.map((r) => r.ms)) / ms, 2),
        `${mb(peak)} MB`,
        `${mb(Math.max(...csv.map((r) => r.maxRss)))} MB`,
        `${mb(Math.max(...workbook.map((r) => r.heap)))} MB`,
        `${fmt(workbook[0].bytes / 1024, 0)} KB`,
        `${fmt(csv[0].bytes / 1024, 0)} KB`,
        ms < TARGET_MS && peak < TARGET_MB * 1024 * 1024 ? 'PASS' : 'FAIL',
      ];
    });
    console.log(`\n${ROUNDS} rounds, each build in a process of its own after ${WARMUP} untimed build there; workbook and CSV alternating; load ${loadAverage()}`);
    printTable(
      ['workbook', 'median ms', 'worst ms', 'CSV (baseline) median ms', 'ratio CSV/workbook', 'peak RSS (maxRSS, worst)', 'CSV peak RSS', 'heap (sampled)', 'XLSX size', 'CSV size', `< ${TARGET_MS} ms, < ${TARGET_MB} MB`],
      rows,
    );
  });
}

const apart = process.env.BENCH_EXPORT_BUILD;
if (apart) {
  const { url, kind, side } = JSON.parse(apart) as { url: string; kind: Kind; side: Side };
  buildHere(url, kind, side, WARMUP).then(
    (measured) => process.send!(measured, () => process.exit(0)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  runBench(main);
}
