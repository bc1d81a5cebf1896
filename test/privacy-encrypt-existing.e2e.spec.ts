import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Pool } from 'pg';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { ApiModule } from '../apps/api/src/api.module';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { PERSONAL_DATA_CODEC, type PersonalDataCodec } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { PERSONAL_DATA_REGISTRY, READ_MODELS } from '@passerelle/personal-data';
import { configureHttpApp, createHttpAdapter } from '@passerelle/platform';
import { encryptExistingEvents, EventFieldEncryption, PersonalDataVault, PRIVACY_MIGRATION_STREAM, vaultOptions } from '@passerelle/privacy';
import { createTestDatabase, SmtpSink, TEST_REDIS_URL, testConfig, type TestDatabase, waitFor } from '@passerelle/testing';
import { ADMIN, login } from './support/api';
import { tokenIn } from './support/stack';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');

/** The event store as it was before issue 20: data stored as given, read as stored. */
const STORED_AS_GIVEN: PersonalDataCodec = {
  seal: async (event) => ({ data: event.data, subjectIds: [] }),
  open: async (event) => ({ data: event.data, subjectIds: [], erased: false }),
};

const READ_MODEL_TABLES = ['workshops', 'workshop_solutions', 'invitations', 'partner_institutions', 'proposals', 'partnerships', 'ministries'];

const PARTICIPANTS = [
  { fullName: 'Siti Rahmawati', email: 'Siti.Rahmawati@kominfo.go.test', country: 'ID', organization: 'Kominfo Digital Office', position: 'Director of AI Policy', language: 'en' },
  { fullName: 'Nguyễn Thị Lan', email: 'lan.nguyen@mic.gov.test', country: 'VN', organization: 'Authority of Information Technology', position: 'Deputy Head of Standards', language: 'en' },
  { fullName: 'Moussa Diallo', email: 'bounce.moussa.diallo@numerique.gouv.test', country: 'SN', organization: 'Agence De l\'Informatique', position: 'Chargé des plateformes', language: 'fr' },
];
const CONTACT = { fullName: 'Awa Ndiaye', email: 'awa.ndiaye@ucad.sn.test', language: 'fr' };
const SECOND_CONTACT = { fullName: 'Ibrahima Faye', email: 'ibrahima.faye@ucad.sn.test', language: 'fr' };
const MINISTRY = { ministryName: 'Ministry of Technology and Science', email: 'permanent.secretary@mots.gov.test', language: 'en' };
/** Set once the API seals personal fields, while the database is half sealed. */
const LIVE_MINISTRY = { ministryName: 'Ministère du Numérique', email: 'cabinet.numerique@gouv.sn.test', language: 'fr' };

/** Every name, address, organisation and position the database was given: none may be left in clear. */
const SECRETS = [
  ...PARTICIPANTS.flatMap((p) => [p.fullName, p.email, p.organization, p.position]),
  CONTACT.fullName,
  CONTACT.email,
  SECOND_CONTACT.fullName,
  SECOND_CONTACT.email,
  MINISTRY.email,
  LIVE_MINISTRY.email,
];

/**
 * `npm run privacy:encrypt-existing` on a database written by the current code with encryption turned off
 * (the apps built with an event store that stores data as given): every personal field is sealed in place,
 * a stopped run is taken up by the next, a second run changes nothing, the API still reads everything in
 * clear, and the read models rebuilt from the rewritten events are the ones built from the clear events.
 */
describe('encrypting an existing database', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let env: Record<string, string>;
  let pool: Pool;
  let api: NestFastifyApplication | null = null;
  let worker: INestApplicationContext | null = null;
  let http: ReturnType<typeof request>;
  let auth: { Authorization: string };
  const ids = { workshop: '', invitations: [] as string[], institution: '' };
  let readModels: Record<string, unknown[]>;
  let clearEvents: { position: string; data: unknown }[];

  beforeAll(async () => {
    db = await createTestDatabase('encrypt_existing');
    // An address starting with "bounce." is refused with a reason that quotes it, as real servers do.
    smtp = await new SmtpSink({
      refuseRecipient: (address) => (address.startsWith('bounce.') ? { code: 550, text: `5.1.1 <${address}>: Recipient address rejected` } : null),
    }).start();
    env = { SMTP_URL: smtp.url, MAIL_RETRY_DELAY_MS: '100', MAIL_ATTEMPTS: '20' };
    pool = new Pool({ connectionString: db.url, max: 4 });
  });

  afterAll(async () => {
    await stopApps();
    await pool?.end();
    await smtp?.stop();
    await db?.drop();
  });

  async function stopApps(): Promise<void> {
    await worker?.close();
    worker = null;
    await api?.close();
    api = null;
  }

  /** The API and the worker of today's code, but with an event store that stores data as given. */
  async function startAppsWithoutSealing(): Promise<void> {
    const config = testConfig(db.url, env);
    const apiModule = await Test.createTestingModule({ imports: [ApiModule.register(config)] })
      .overrideProvider(PERSONAL_DATA_CODEC)
      .useValue(STORED_AS_GIVEN)
      .compile();
    api = apiModule.createNestApplication<NestFastifyApplication>(createHttpAdapter(config.trustedProxies), { bufferLogs: true, bodyParser: false, forceCloseConnections: true });
    await configureHttpApp(api);
    await listen(api);
    const workerModule = await Test.createTestingModule({ imports: [WorkerModule.register(config)] })
      .overrideProvider(PERSONAL_DATA_CODEC)
      .useValue(STORED_AS_GIVEN)
      .compile();
    worker = await workerModule.init();
  }

  /** The API and the worker as they run in production: personal fields sealed. */
  async function startApps(): Promise<void> {
    const config = testConfig(db.url, env);
    api = await createApiApp(config);
    await listen(api);
    worker = await createWorkerApp(testConfig(db.url, env));
    await worker.init();
  }

  async function listen(app: NestFastifyApplication): Promise<void> {
    await app.listen(0, '127.0.0.1');
    env.APP_BASE_URL = (await app.getUrl()).replace('[::1]', 'localhost');
    http = request(app.getHttpServer());
    auth = { Authorization: `Bearer ${await login(http, ADMIN.email, ADMIN.password)}` };
  }

  async function count(sql: string, values: unknown[] = []): Promise<number> {
    return (await pool.query<{ n: number }>(sql, values)).rows[0].n;
  }

  /** How many events hold one of the secrets, in any case, anywhere in their data. */
  async function eventsInClear(): Promise<number> {
    return count('SELECT count(*)::int AS n FROM events WHERE data::text ILIKE ANY($1::text[])', [SECRETS.map((secret) => `%${secret}%`)]);
  }

  /** The read models' rows as they read, without the subject ids that say whose a row is: the rebuild after the command fills those in. */
  async function readModelRows(): Promise<Record<string, unknown[]>> {
    const rows: Record<string, unknown[]> = {};
    for (const table of READ_MODEL_TABLES) rows[table] = (await pool.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows.map(withoutSubjects);
    return rows;
  }

  function withoutSubjects(row: Record<string, unknown>): Record<string, unknown> {
    const { subject_id: _subject, ...rest } = row;
    if (Array.isArray(rest.contacts)) rest.contacts = rest.contacts.map(({ subjectId: _contact, ...contact }: Record<string, unknown>) => contact);
    return rest;
  }

  /** Waits until every read model has read every event there is now. */
  async function readModelsCaughtUp(): Promise<void> {
    const head = await count('SELECT coalesce(max(position), 0)::bigint AS n FROM events');
    await waitFor(
      async () =>
        (await count('SELECT count(*)::int AS n FROM subscription_checkpoints WHERE name = ANY($1::text[]) AND NOT rebuild_requested AND position >= $2', [READ_MODELS, head])) ===
        READ_MODELS.length,
      { timeoutMs: 60_000, what: 'every read model caught up' },
    );
  }

  async function eventsDigest(): Promise<string> {
    return (await pool.query<{ digest: string }>("SELECT md5(string_agg(position || ':' || data::text, ',' ORDER BY position)) AS digest FROM events")).rows[0].digest;
  }

  /** Runs `npm run privacy:encrypt-existing` against the test database, as an operator would. */
  async function runCommand(extra: Record<string, string>): Promise<string> {
    const { stdout } = await run('node', ['-r', '@swc-node/register', 'scripts/privacy-encrypt-existing.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'silent',
        ...extra,
      },
      timeout: 240_000,
    });
    return stdout;
  }

  it('starts from a database whose events hold personal data in clear', async () => {
    await startAppsWithoutSealing();
    const workshop = await http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Data governance', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-05-10', endsOn: '2030-05-12', themes: ['governance'] })
      .expect(201);
    ids.workshop = workshop.body.id;
    await http.post(`/api/workshops/${ids.workshop}/open-registration`).set(auth).expect(200);
    const invited = await http.post(`/api/workshops/${ids.workshop}/invitations`).set(auth).send({ participants: PARTICIPANTS }).expect(202);
    ids.invitations = invited.body.items.map((item: { id: string }) => item.id);
    await waitFor(() => smtp.received.length === 2, { timeoutMs: 30_000, what: 'two invitations e-mailed' });
    await waitFor(async () => (await count("SELECT count(*)::int AS n FROM events WHERE type = 'InvitationBounced'")) === 1, { timeoutMs: 30_000, what: 'the third bounced' });
    const token = tokenIn(smtp.to(PARTICIPANTS[0].email)[0].parsed.text ?? '');
    await http.post(`/api/rsvp/${token}`).send({ response: 'accept' }).expect(200);

    const registered = await http.post('/api/partner-institutions').set(auth).send({ name: 'UCAD', country: 'SN', website: 'https://www.ucad.sn', contact: CONTACT }).expect(201);
    ids.institution = registered.body.id;
    await http.post(`/api/partner-institutions/${ids.institution}/contacts`).set(auth).send(SECOND_CONTACT).expect(201);
    await http.put('/api/ministries/zm').set(auth).send(MINISTRY).expect(200);

    await readModelsCaughtUp();
    await stopApps();
    readModels = await readModelRows();
    expect(readModels.invitations).toHaveLength(3);
    expect(readModels.ministries).toHaveLength(1);
    expect(readModels.partner_institutions).toHaveLength(1);
    expect(await eventsInClear()).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(readModels)).toContain(PARTICIPANTS[2].email);
    expect(await count('SELECT count(*)::int AS n FROM subject_streams')).toBe(0);
    clearEvents = (await pool.query('SELECT position, data FROM events ORDER BY position')).rows;
  }, 120_000);

  it('takes up a run stopped after its first batch, reading the half-sealed events as before', async () => {
    const config = testConfig(db.url, env);
    const vault = await PersonalDataVault.open(vaultOptions(config));
    const codec = new EventFieldEncryption(vault, PERSONAL_DATA_REGISTRY);
    const store = new PostgresEventStore(pool, { personalData: codec });
    try {
      const stopped = encryptExistingEvents({
        store,
        codec,
        registry: PERSONAL_DATA_REGISTRY,
        batchSize: 2,
        onBatch: () => {
          throw new Error('the process dies after its first batch');
        },
      });
      await expect(stopped).rejects.toThrow('the process dies after its first batch');
      const progress = (await pool.query('SELECT position, events_encrypted, batches, finished_at FROM personal_data_encryption')).rows[0];
      expect(Number(progress.events_encrypted)).toBeGreaterThan(0);
      expect(progress).toMatchObject({ batches: 1, finished_at: null });
      const inClear = await eventsInClear();
      expect(inClear).toBeGreaterThan(0);
      expect(await count("SELECT count(*)::int AS n FROM events WHERE data::text LIKE '%\"pd1.%'")).toBeGreaterThan(0);
      expect(await count('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [PRIVACY_MIGRATION_STREAM])).toBe(0);

      // Half sealed, every event reads as it was written.
      const read = await store.readAll(0, 10_000);
      expect(read.map((event) => ({ position: String(event.position), data: event.data }))).toEqual(clearEvents);
    } finally {
      store.close();
      await vault.close();
    }
  }, 60_000);

  it('seals every personal field in place, records it, and the worker rebuilds the same read models', async () => {
    await startApps();
    // Meanwhile, the API seals what it appends: the command must leave such fields as they are.
    await http.put('/api/ministries/sn').set(auth).send(LIVE_MINISTRY).expect(200);
    await readModelsCaughtUp();
    const before = await readModelRows();
    expect({ ...before, ministries: before.ministries.filter((row) => (row as { country: string }).country !== 'SN') }).toEqual(readModels);

    // A read model spoilt by hand: only a rebuild from the events puts it right.
    await pool.query("UPDATE ministries SET ministry_name = 'spoilt' WHERE country = 'ZM'");

    const output = await runCommand({ PRIVACY_ENCRYPTION_BATCH_SIZE: '3', PRIVACY_REBUILD_WAIT_SECONDS: '120' });
    expect(output).toMatch(/Batch 1: through position \d+/);
    expect(output).toContain('Recorded as PersonalDataEncrypted on the privacy-migration stream.');
    expect(output).toContain('Every read model is rebuilt.');

    expect(await eventsInClear()).toBe(0);
    const stored = (await pool.query<{ stream_id: string; type: string; data: unknown }>('SELECT stream_id, type, data FROM events ORDER BY position')).rows;
    let personal = 0;
    for (const event of stored) {
      for (const value of personalValues(event.type, event.data)) {
        personal += 1;
        expect({ event: event.type, value }).toEqual({ event: event.type, value: expect.stringMatching(/^pd1\.[0-9a-f-]{36}\./) });
      }
    }
    expect(personal).toBeGreaterThanOrEqual(SECRETS.length);
    const invitationStreams = ids.invitations.map((id) => `invitation-${id}`);
    const indexed = (await pool.query<{ stream_id: string }>('SELECT DISTINCT stream_id FROM subject_streams')).rows.map((row) => row.stream_id);
    expect(indexed).toEqual(expect.arrayContaining([...invitationStreams, `institution-${ids.institution}`, 'ministry-ZM']));
    expect(await count('SELECT count(DISTINCT subject_id)::int AS n FROM subject_streams')).toBeGreaterThanOrEqual(6);

    const records = (await pool.query('SELECT type, data FROM events WHERE stream_id = $1', [PRIVACY_MIGRATION_STREAM])).rows;
    // Every personal field but the live ministry's address, which the API sealed itself.
    expect(records).toEqual([{ type: 'PersonalDataEncrypted', data: expect.objectContaining({ runs: 2, fieldsEncrypted: personal - 1, throughPosition: expect.any(Number) }) }]);

    await readModelsCaughtUp();
    expect(await readModelRows()).toEqual(before);
    // Rebuilt from sealed events, each row knows whose it is, so that an erasure can strike it out.
    expect(await count('SELECT count(*)::int AS n FROM invitations WHERE subject_id IS NULL')).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM ministries WHERE subject_id IS NULL')).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM partner_institutions p, jsonb_array_elements(p.contacts) c WHERE NOT c ? 'subjectId'")).toBe(0);

    // What staff read is in clear, from the read models and from the events.
    const invitations = await http.get(`/api/workshops/${ids.workshop}/invitations`).set(auth).expect(200);
    expect(invitations.body.items.map((item: { fullName: string }) => item.fullName).sort()).toEqual(PARTICIPANTS.map((p) => p.fullName).sort());
    const bounced = ids.invitations[2];
    const audit = await http.get(`/api/audit/invitation/${bounced}`).set(auth).expect(200);
    const auditText = JSON.stringify(audit.body);
    expect(auditText).toContain(PARTICIPANTS[2].fullName);
    expect(auditText).toContain('Recipient address rejected');
    const institution = await http.get(`/api/partner-institutions/${ids.institution}`).set(auth).expect(200);
    expect(JSON.stringify(institution.body)).toContain(SECOND_CONTACT.fullName);
    const ministries = await http.get('/api/ministries').set(auth).expect(200);
    expect(ministries.body.items).toEqual([
      expect.objectContaining({ country: 'SN', email: LIVE_MINISTRY.email }),
      expect.objectContaining({ country: 'ZM', email: MINISTRY.email }),
    ]);
  }, 300_000);

  it('changes nothing when run again', async () => {
    const before = await eventsDigest();
    const events = await count('SELECT count(*)::int AS n FROM events');
    const output = await runCommand({ PRIVACY_ENCRYPTION_BATCH_SIZE: '3', PRIVACY_REBUILD_WAIT_SECONDS: '0' });
    expect(output).toContain('Sealed 0 personal fields in 0 events');
    expect(output).toContain('Nothing was left to seal');
    expect(await eventsDigest()).toBe(before);
    expect(await count('SELECT count(*)::int AS n FROM events')).toBe(events);
    expect(await count("SELECT count(*)::int AS n FROM subscription_checkpoints WHERE rebuild_requested")).toBe(0);
  }, 300_000);
});

/** The values of an event's declared personal fields (paths like `invitations[].email`). */
function personalValues(type: string, data: unknown): unknown[] {
  const declared = PERSONAL_DATA_REGISTRY.get(type)?.fields.personal ?? [];
  return declared.flatMap((field) => valuesAt(data, field.path.split('.'))).filter((value) => value !== undefined && value !== null);
}

function valuesAt(data: unknown, steps: string[]): unknown[] {
  if (steps.length === 0) return [data];
  if (data === null || typeof data !== 'object') return [];
  const [step, ...rest] = steps;
  const name = step.endsWith('[]') ? step.slice(0, -2) : step;
  const value = (data as Record<string, unknown>)[name];
  if (!step.endsWith('[]')) return valuesAt(value, rest);
  return Array.isArray(value) ? value.flatMap((item) => valuesAt(item, rest)) : [];
}
