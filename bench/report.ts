/**
 * Compiling a post-workshop report against reading the same data from the read models.
 * Run by hand: node -r @swc-node/register bench/report.ts
 * Creates a fresh database, writes a workshop of 1,000 invitations from 50 countries and 200 linked
 * proposals straight into the read-model tables (as the projections would have), then times, in
 * alternating rounds: compiling as the worker does (load the model, then per language, English and
 * French, the PDF, the participants CSV and the proposals CSV; the worker's report_files insert and
 * ministry lookups are left out), and the loader's queries alone (same SQL, same repeatable-read
 * snapshot, no model building and no rendering). Prints a table, the ratio, peak memory and the PDFs'
 * page counts and sizes, then times a ministry's edition as the worker renders it at delivery (and all
 * 50 countries' once), then renders the report in each of the seven languages, each in a process of its
 * own (so that its peak memory is its own: the process's maxRSS; limits 3 s and 300 MB), and all seven
 * through renderReportFiles as the worker does (one render thread per language), and drops the database
 * (also on failure or Ctrl-C). Exits 0 whatever the figures: it is a measurement, not a test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Pool } from 'pg';
import { loadReportModel, ministryEdition, renderParticipantsCsv, renderProposalsCsv, renderReportFiles, renderReportPdf, reportTexts, type ReportModel } from '@passerelle/reporting';
import { fmt, loadAverage, median, printMachine, printTable, runBench, withBenchDatabase, seededRandom } from './support';

const PARTICIPANTS = 1000;
const COUNTRIES = 50;
const PROPOSALS = 200;
const INSTITUTIONS = 40;
const WARMUP = 2; // untimed compiles and reads first: pdfkit, fonts and the query plans get loaded
const ROUNDS = 7; // each round: one read, one compile (the order alternates from round to round)
const READS_PER_ROUND = 5; // reads are short: several per round, each timed on its own
const SAMPLE_MS = 10;
const LANGUAGES = ['en', 'fr'];
/** Every language a reader may choose; one without texts yet is rendered in English (and said so). */
const ALL_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es', 'pt'];
const LIMIT_MS = 3000;
const LIMIT_RSS = 300 * 2 ** 20;
const WARM_RENDERS = 3;
const CREATED_AT = new Date('2026-03-20T08:00:00Z');

const uuid = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const WORKSHOP_ID = uuid('a', 1);

const rnd = seededRandom(20260320);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
/** Index drawn with probability proportional to `weights`. */
function weighted(weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rnd() * total;
  for (const [i, w] of weights.entries()) if ((r -= w) < 0) return i;
  return weights.length - 1;
}
/** `n` distinct indexes, drawn by weight. */
function distinct(n: number, weights: readonly number[]): number[] {
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(weighted(weights));
  return [...chosen];
}

// 50 countries of programmes like this one; delegation sizes follow a Zipf-like spread (a few large, many small).
const COUNTRY_CODES = [
  'KE', 'SN', 'VN', 'ID', 'CI', 'BR', 'EG', 'MA', 'NG', 'ET', 'GH', 'TZ', 'UG', 'RW', 'CM', 'BJ', 'TG', 'BF', 'ML', 'NE',
  'TN', 'DZ', 'ZA', 'ZM', 'MZ', 'MG', 'AO', 'CD', 'GA', 'MR', 'PK', 'BD', 'LK', 'NP', 'KH', 'LA', 'MM', 'TH', 'PH', 'MY',
  'MN', 'UZ', 'KZ', 'AR', 'CL', 'PE', 'CO', 'MX', 'CU', 'HT',
].slice(0, COUNTRIES);
const COUNTRY_WEIGHTS = COUNTRY_CODES.map((_, i) => 1 / (i + 1) ** 0.8);
const FIRST = ['Aïssatou', 'Mamadou', 'Wanjiru', 'Otieno', 'Nguyễn Thị', 'Trần Văn', 'Siti', 'Budi', 'João', 'Ana Paula', 'Mona', 'Ahmed', 'Youssef', 'Kouadio', 'Adjoua', 'Chiamaka', 'Tesfaye', 'Zanele', 'Rania', 'José', 'María José', 'Björn', 'Oyunchimeg', "N'Golo", 'Đặng'];
const LAST = ['Ndiaye', 'Diop', 'Kamau', 'Odhiambo', 'Hương', 'Đức', 'Rahmawati', 'Santoso', 'Silva', 'Souza', 'Hassan', 'El-Sayed', 'Benali', 'Yao', 'Koné', 'Okafor', 'Bekele', 'Dlamini', 'Ben Salah', 'González', "O'Neill", 'Müller', 'Batbayar', 'Nguyen-Smith', 'Traoré'];
const ORGS = ['Ministry of Health', "Ministère de l'Éducation nationale", 'Ministry of Communications and Information Technology', 'Agence "Numérique"', 'National Statistics Office', 'Ministry of Agriculture, Livestock and Fisheries'];
const POSITIONS = ['Director', 'Deputy Director', 'Head of Division', 'Senior Adviser', 'Programme Officer', null];
// Share of each answer; an accepted invitation attends each session with some probability (some attend none).
const STATUSES = ['accepted', 'declined', 'emailed', 'issued', 'bounced'] as const;
const STATUS_WEIGHTS = [72, 11, 10, 3, 4];
const ATTENDANCE = [0.92, 0.8, 0.74, 0.85];
const NO_SHOW = 0.06; // accepted, then came to no session
const SESSIONS = [
  { kind: 'study', title: 'Foundations of machine learning for public services', startsAt: '2026-03-16T09:00:00+01:00', endsAt: '2026-03-16T12:30:00+01:00', location: 'Main auditorium' },
  { kind: 'field_visit', title: 'Visit to the national health data centre', startsAt: '2026-03-17T09:30:00+01:00', endsAt: '2026-03-17T16:00:00+01:00', location: 'Diamniadio' },
  { kind: 'roundtable', title: 'Governance, ethics and data protection', startsAt: '2026-03-18T10:00:00+01:00', endsAt: '2026-03-18T12:00:00+01:00', location: null },
  { kind: 'solutions_sharing', title: 'Solutions sharing: AI in healthcare, education and agriculture', startsAt: '2026-03-18T14:00:00+01:00', endsAt: '2026-03-18T17:30:00+01:00', location: 'Exhibition hall B' },
].map((s, i) => ({ sessionId: uuid('b', i + 1), ...s }));
const SECTORS = ['healthcare', 'education', 'green development', 'agriculture', 'public administration', 'transport', 'energy', 'finance'];
const SECTOR_WEIGHTS = [30, 25, 12, 14, 8, 4, 5, 2];
const COMPANIES = ['MedVision', 'EduGraph', 'AgriSense', 'CityGrid', 'HydroSense', 'LearnLoop', 'CareRoute', 'FarmLedger', 'GovForms', 'SunCast', 'TransitIQ', 'PayBridge'];
const PROPOSAL_STATUSES = ['submitted', 'changes_requested', 'approved', 'rejected', 'withdrawn', 'draft'];
const PROPOSAL_WEIGHTS = [22, 10, 38, 18, 5, 7];
const PARTNERSHIP_STATUSES = ['active', 'active', 'active', 'suspended', 'concluded'];

/** Writes the workshop's read-model rows, as the projections would have; returns what was written. */
async function fill(pool: Pool): Promise<Record<string, number>> {
  await pool.query(
    `INSERT INTO workshops (id, title, host_institution, city, country, starts_on, ends_on, themes, status, sessions, planned_at, version, position)
     VALUES ($1, 'Artificial Intelligence for Public Health, Education and Agriculture', 'Institut de coopération numérique', 'Dakar', 'SN',
             '2026-03-16', '2026-03-19', $2, 'concluded', $3, now(), 12, 12)`,
    [WORKSHOP_ID, JSON.stringify(['agriculture', 'education', 'healthcare']), JSON.stringify(SESSIONS)],
  );
  const solutions = COMPANIES.map((company, i) => [WORKSHOP_ID, uuid('d', i + 1), SESSIONS[3].sessionId, company, `${company}: a solution for ${SECTORS[i % SECTORS.length]} at national scale`, SECTORS[i % SECTORS.length]]);
  await insertRows(pool, 'workshop_solutions (workshop_id, solution_id, session_id, company, title, sector)', solutions);

  const invitations = Array.from({ length: PARTICIPANTS }, (_, n) => {
    const country = COUNTRY_CODES[n < COUNTRIES ? n : weighted(COUNTRY_WEIGHTS)]; // every country at least once
    const fullName = `${pick(FIRST)} ${pick(LAST)}`;
    const status = STATUSES[weighted(STATUS_WEIGHTS)];
    const noShow = rnd() < NO_SHOW;
    const attended = status === 'accepted' && !noShow ? SESSIONS.filter((_, s) => rnd() < ATTENDANCE[s]).map((s) => s.sessionId) : [];
    const email = `${fullName.normalize('NFD').replace(/[^a-zA-Z ]/g, '').toLowerCase().replace(/ +/g, '.')}.${n}@gov.${country.toLowerCase()}`;
    return [uuid('c', n + 1), WORKSHOP_ID, fullName, email, country, `${pick(ORGS)} (${country})`, pick(POSITIONS), 'en', `token-${n}`, status, 'now', JSON.stringify(attended), 3];
  });
  await insertRows(pool, 'invitations (id, workshop_id, full_name, email, country, organization, position_title, language, token_hash, status, issued_at, attended_sessions, version)', invitations);

  const institutions = Array.from({ length: INSTITUTIONS }, (_, i) => [uuid('9', i + 1), `Institution ${i + 1} pour le développement`, pick(COUNTRY_CODES), 'now', 1]);
  await insertRows(pool, 'partner_institutions (id, name, country, registered_at, version)', institutions);
  const proposals: unknown[][] = [];
  const partnerships: unknown[][] = [];
  for (let i = 0; i < PROPOSALS; i++) {
    const id = uuid('e', i + 1);
    const institutionId = pick(institutions)[0];
    const status = PROPOSAL_STATUSES[weighted(PROPOSAL_WEIGHTS)];
    const sectors = distinct(1 + Math.floor(rnd() * 3), SECTOR_WEIGHTS).map((s) => SECTORS[s]);
    const countries = distinct(1 + Math.floor(rnd() * 4), COUNTRY_WEIGHTS).map((c) => COUNTRY_CODES[c]);
    const title = `${sectors[0][0].toUpperCase()}${sectors[0].slice(1)} programme ${i + 1}: ${countries.join(', ')}`;
    proposals.push([id, institutionId, title, 'Summary', JSON.stringify(sectors), JSON.stringify(countries), WORKSHOP_ID, 24, status, status === 'draft' ? 0 : 1 + Math.floor(rnd() * 2), 'now', 'now', 5]);
    if (status === 'approved' && rnd() < 0.6) {
      partnerships.push([uuid('f', i + 1), id, institutionId, pick(PARTNERSHIP_STATUSES), `2026-0${4 + Math.floor(rnd() * 5)}-1${Math.floor(rnd() * 10)}T10:00:00Z`, 'now', 1]);
    }
  }
  await insertRows(pool, 'proposals (id, institution_id, title, summary, sectors, countries, workshop_id, duration_months, status, round, created_at, updated_at, version)', proposals);
  await insertRows(pool, 'partnerships (id, proposal_id, institution_id, status, established_at, updated_at, version)', partnerships);
  await pool.query('VACUUM ANALYZE workshops, workshop_solutions, invitations, partner_institutions, proposals, partnerships');
  return { invitations: invitations.length, solutions: solutions.length, proposals: proposals.length, partnerships: partnerships.length };
}

async function insertRows(pool: Pool, into: string, rows: unknown[][], chunk = 200): Promise<void> {
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const width = part[0].length;
    const values = part.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await pool.query(`INSERT INTO ${into} VALUES ${values}`, part.flat());
  }
}

/** The loader's four queries, verbatim, in the same read-only repeatable-read snapshot: no model, no rendering. */
const READ_QUERIES = [
  `SELECT id, title, host_institution, city, country, to_char(starts_on, 'YYYY-MM-DD') AS starts_on,
          to_char(ends_on, 'YYYY-MM-DD') AS ends_on, themes, status, sessions
   FROM workshops WHERE id = $1`,
  'SELECT solution_id, session_id, company, title, sector FROM workshop_solutions WHERE workshop_id = $1',
  `SELECT id, country, organization, full_name, email, position_title, status, attended_sessions
   FROM invitations WHERE workshop_id = $1`,
  `SELECT p.id, p.title, p.sectors, p.countries, p.status, p.round, i.name AS institution,
          s.id AS partnership_id, s.status AS partnership_status, to_char(s.established_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS established_on
   FROM proposals p
   LEFT JOIN partner_institutions i ON i.id = p.institution_id
   LEFT JOIN partnerships s ON s.proposal_id = p.id
   WHERE p.workshop_id = $1`,
];

async function readOnly(pool: Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    let rows = 0;
    for (const sql of READ_QUERIES) rows += (await client.query(sql, [WORKSHOP_ID])).rowCount ?? 0;
    await client.query('COMMIT');
    return rows;
  } finally {
    client.release();
  }
}

interface Peak { rss: number; heap: number }
/** Memory sampled every SAMPLE_MS and at each step's end. Rendering runs synchronously for long stretches,
 * when no timer fires: the sampled peaks are lower bounds; maxRSS (the kernel's high-water mark) is exact. */
class Sampler {
  peak: Peak = { rss: 0, heap: 0 };
  private timer?: NodeJS.Timeout;
  start(): void {
    this.peak = { rss: 0, heap: 0 };
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }
  sample(): void {
    const m = process.memoryUsage();
    this.peak = { rss: Math.max(this.peak.rss, m.rss), heap: Math.max(this.peak.heap, m.heapUsed) };
  }
  stop(): Peak {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}

interface Compiled { ms: Record<string, number>; files: Record<string, Buffer>; peak: Peak }

/** What the worker's compile does with the model and files (without the ministry lookups and the insert). */
async function compile(pool: Pool, sampler: Sampler): Promise<Compiled> {
  const ms: Record<string, number> = { 'load model': 0, 'PDF en': 0, 'PDF fr': 0, 'CSVs (both, en+fr)': 0 };
  const files: Record<string, Buffer> = {};
  const step = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    ms[name] = (ms[name] ?? 0) + performance.now() - start;
    sampler.sample();
    return result;
  };
  sampler.start();
  const start = performance.now();
  const model = await step('load model', () => loadReportModel(pool, WORKSHOP_ID));
  for (const language of LANGUAGES) {
    files[`pdf-${language}`] = await step(`PDF ${language}`, () => renderReportPdf(model, language, { createdAt: CREATED_AT }));
    files[`csv-${language}`] = await step('CSVs (both, en+fr)', () => Buffer.from(renderParticipantsCsv(model, language), 'utf8'));
    files[`proposals-csv-${language}`] = await step('CSVs (both, en+fr)', () => Buffer.from(renderProposalsCsv(model, language), 'utf8'));
  }
  ms.total = performance.now() - start;
  return { ms, files, peak: sampler.stop() };
}

/** A full collection between measured steps, so each starts from the same heap. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
/** Pages of a pdfkit document: its page objects (pdfkit writes object dictionaries uncompressed). */
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

/**
 * A ministry's edition (aggregate figures, its own country's page and participants), as the worker renders
 * it at delivery: the largest country's, timed ROUNDS times; then every country's once, which is what
 * rendering them all at compile time would add to the compile.
 */
async function ministryEditions(pool: Pool): Promise<void> {
  const model = await loadReportModel(pool, WORKSHOP_ID);
  const edition = async (country: string) => {
    const start = performance.now();
    const pdf = await renderReportPdf(ministryEdition(model, country), 'en', { createdAt: CREATED_AT, country });
    renderParticipantsCsv(ministryEdition(model, country), 'en', { emails: false });
    return { ms: performance.now() - start, pdf };
  };
  const largest = [...model.countries].sort((a, b) => b.invited - a.invited)[0].country;
  const times: number[] = [];
  let pages = 0;
  for (let i = 0; i < ROUNDS; i++) {
    collect();
    const { ms, pdf } = await edition(largest);
    times.push(ms);
    pages = pageCount(pdf);
  }
  let all = 0;
  for (const { country } of model.countries) all += (await edition(country)).ms;
  console.log(`\nministry edition (at delivery), ${largest}, en, PDF of ${pages} pages and CSV: min ${fmt(Math.min(...times), 1)} ms, median ${fmt(median(times), 1)} ms (n ${times.length});` +
    ` all ${model.countries.length} countries' editions once: ${fmt(all, 0)} ms (what rendering them at compile time would add, per language)`);
}

interface OneLanguage { language: string; writtenIn: string; coldMs: number; warmMs: number[]; pdfBytes: number; pages: number; csvBytes: number; maxRss: number; maxRssWarm: number }
interface AllInThread { ms: number; files: number; maxRss: number; rssBefore: number }

/**
 * In a child process (`--one-language <model.json> <language>`): the report's files in one language, as the
 * worker's render thread makes them (PDF, participants CSV, proposals CSV), first in a fresh process (pdfkit
 * and the fonts loaded then, as in each render thread: its time and the process's peak memory then are the
 * language's figures), then WARM_RENDERS more times; prints the figures as JSON.
 */
async function oneLanguage(modelFile: string, language: string): Promise<void> {
  const model = JSON.parse(readFileSync(modelFile, 'utf8')) as ReportModel;
  const render = async () => {
    const start = performance.now();
    const pdf = await renderReportPdf(model, language, { createdAt: CREATED_AT });
    const csv = Buffer.byteLength(renderParticipantsCsv(model, language)) + Buffer.byteLength(renderProposalsCsv(model, language));
    return { ms: performance.now() - start, pdf, csv };
  };
  const cold = await render();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const warmMs: number[] = [];
  for (let i = 0; i < WARM_RENDERS; i++) warmMs.push((await render()).ms);
  const result: OneLanguage = {
    language,
    writtenIn: reportTexts(language).language,
    coldMs: cold.ms,
    warmMs,
    pdfBytes: cold.pdf.length,
    pages: pageCount(cold.pdf),
    csvBytes: cold.csv,
    maxRss,
    maxRssWarm: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** In a child process (`--all-in-thread <model.json>`): the seven languages' files through renderReportFiles, as the worker compiles them. */
async function allInThread(modelFile: string): Promise<void> {
  const model = JSON.parse(readFileSync(modelFile, 'utf8')) as ReportModel;
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  const files = await renderReportFiles(model, ALL_LANGUAGES, CREATED_AT);
  const result: AllInThread = { ms: performance.now() - start, files: files.length, maxRss: process.resourceUsage().maxRSS * 1024, rssBefore };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The 1,000-participant report in each language, each in its own process; a table beside the limits. */
async function everyLanguage(pool: Pool): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-report-'));
  const child = <T>(...args: string[]): T => {
    const out = execFileSync(process.execPath, ['-r', '@swc-node/register', __filename, ...args], { encoding: 'utf8', maxBuffer: 2 ** 20 });
    return JSON.parse(out.trim().split('\n').pop()!) as T;
  };
  try {
    const modelFile = path.join(dir, 'model.json');
    writeFileSync(modelFile, JSON.stringify(await loadReportModel(pool, WORKSHOP_ID)));
    const results = ALL_LANGUAGES.map((language) => child<OneLanguage>('--one-language', modelFile, language));
    console.log(`\nevery language: the report's PDF and both CSVs, each language first rendered in a fresh process (pdfkit and the fonts loaded, as in a render thread), ` +
      `then ${WARM_RENDERS} more times in it; limits ${fmt(LIMIT_MS, 0)} ms and ${mb(LIMIT_RSS)} peak RSS. Peak RSS is the process's maxRSS, ` +
      `the library's index and @swc-node/register included (about 205 MiB before any render)`);
    printTable(
      ['language', 'texts', 'ms', 'then ms (median)', 'peak RSS', 'after 3 more', 'PDF', 'pages', 'CSVs', 'within limits'],
      results.map((r) => [
        r.language,
        r.writtenIn === r.language ? r.language : `${r.writtenIn} (fallback)`,
        fmt(r.coldMs, 0),
        fmt(median(r.warmMs), 0),
        mb(r.maxRss),
        mb(r.maxRssWarm),
        `${(r.pdfBytes / 1024).toFixed(1)} KiB`,
        String(r.pages),
        `${(r.csvBytes / 1024).toFixed(1)} KiB`,
        r.coldMs < LIMIT_MS && r.maxRss < LIMIT_RSS ? 'yes' : 'NO',
      ]),
    );
    const all = child<AllInThread>('--all-in-thread', modelFile);
    console.log(`all seven through renderReportFiles (as the worker compiles): ${all.files} files in ${fmt(all.ms, 0)} ms; ` +
      `RSS ${mb(all.rssBefore)} before, process maxRSS ${mb(all.maxRss)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bench(url: string): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 2, application_name: 'bench' }).on('error', () => undefined);
  try {
    const server = (await pool.query('SHOW server_version')).rows[0].server_version;
    printMachine(server);
    const written = await fill(pool);
    const { rows: [counts] } = await pool.query(
      `SELECT count(DISTINCT country)::int AS countries, count(*) FILTER (WHERE status = 'accepted')::int AS accepted,
              count(*) FILTER (WHERE jsonb_array_length(attended_sessions) > 0)::int AS attended,
              sum(jsonb_array_length(attended_sessions))::int AS attendances FROM invitations WHERE workshop_id = $1`,
      [WORKSHOP_ID],
    );
    console.log(`read models: ${written.invitations} invitations from ${counts.countries} countries (${counts.accepted} accepted, ` +
      `${counts.attended} present at a session or more, ${counts.attendances} attendances over ${SESSIONS.length} sessions), ` +
      `${written.solutions} solutions, ${written.proposals} proposals (${written.partnerships} partnerships)`);
    console.log(`${WARMUP} untimed warm-ups each, then ${ROUNDS} rounds of 1 compile and ${READS_PER_ROUND} reads, alternating which goes first\n`);

    const sampler = new Sampler();
    const rssBefore = process.memoryUsage().rss;
    let first: Compiled | undefined;
    for (let i = 0; i < WARMUP; i++) {
      first ??= await compile(pool, sampler);
      await compile(pool, sampler);
      await readOnly(pool);
    }
    const firstMaxRss = process.resourceUsage().maxRSS * 1024; // after the first compiles: loading pdfkit and fonts included

    const compiles: Compiled[] = [];
    const reads: number[] = [];
    let readRows = 0;
    const timeReads = async () => {
      for (let r = 0; r < READS_PER_ROUND; r++) {
        collect();
        const start = performance.now();
        readRows = await readOnly(pool);
        reads.push(performance.now() - start);
      }
    };
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2) await timeReads();
      collect();
      compiles.push(await compile(pool, sampler));
      if (!(round % 2)) await timeReads();
    }
    const maxRss = process.resourceUsage().maxRSS * 1024;

    const steps = Object.keys(compiles[0].ms);
    const rows: [string, number[]][] = [
      ...steps.map((s): [string, number[]] => [s === 'total' ? 'compile, total (as the worker)' : `  ${s}`, compiles.map((c) => c.ms[s])]),
      [`read: the loader's ${READ_QUERIES.length} queries (${readRows} rows)`, reads],
    ];
    printTable(
      ['ms', 'min', 'median', 'max', 'n'],
      rows.map(([label, xs]) => [label, fmt(Math.min(...xs), 1), fmt(median(xs), 1), fmt(Math.max(...xs), 1), String(xs.length)]),
    );
    const total = compiles.map((c) => c.ms.total);
    console.log(`compile / read: ${(median(total) / median(reads)).toFixed(0)}x by median, ${(Math.min(...total) / Math.min(...reads)).toFixed(0)}x by min` +
      ` (loading the model alone: ${(median(compiles.map((c) => c.ms['load model'])) / median(reads)).toFixed(1)}x the read)`);

    const peaks = compiles.map((c) => c.peak);
    console.log(`\nmemory: RSS ${mb(rssBefore)} before the first compile; first compile (pdfkit and fonts loaded) peaked at ` +
      `RSS >= ${mb(first!.peak.rss)}, heap used >= ${mb(first!.peak.heap)}; process maxRSS ${mb(firstMaxRss)} after the warm-ups`);
    console.log(`        timed compiles (each after a full GC): peak RSS >= ${mb(Math.min(...peaks.map((p) => p.rss)))}–${mb(Math.max(...peaks.map((p) => p.rss)))}, ` +
      `peak heap used >= ${mb(Math.min(...peaks.map((p) => p.heap)))}–${mb(Math.max(...peaks.map((p) => p.heap)))} ` +
      `(sampled every ${SAMPLE_MS} ms and after each step: lower bounds); process maxRSS ${mb(maxRss)} at the end`);

    const files = compiles[compiles.length - 1].files;
    console.log('\nfiles:');
    for (const [name, content] of Object.entries(files)) {
      const pages = name.startsWith('pdf-') ? `, ${pageCount(content)} pages` : `, ${content.toString('utf8').split('\r\n').length - 2} data rows`;
      console.log(`  ${name.padEnd(18)} ${(content.length / 1024).toFixed(1).padStart(8)} KiB${pages}`);
    }
    const same = compiles.every((c) => Object.entries(c.files).every(([name, content]) => content.equals(files[name])));
    console.log(`  byte-identical across the ${compiles.length} timed compiles: ${same ? 'yes' : 'NO'}`);
    await ministryEditions(pool);
    await everyLanguage(pool);
    console.log(`\nload average ${loadAverage()} at the end`);
  } finally {
    await pool.end();
  }
}

const one = process.argv.indexOf('--one-language');
const all = process.argv.indexOf('--all-in-thread');
if (one > 0) void oneLanguage(process.argv[one + 1], process.argv[one + 2]);
else if (all > 0) void allInThread(process.argv[all + 1]);
else runBench(() => withBenchDatabase('bench_report', bench));
