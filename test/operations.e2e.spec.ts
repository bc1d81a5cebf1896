import { randomBytes } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import { Pool } from 'pg';
import request from 'supertest';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { createTestDatabase, testConfig, waitFor } from '@passerelle/testing';
import { createApiApp } from '../apps/api/src/create-api-app';
import { subscriptionLag } from '../apps/api/src/operations/operations-metrics';
import { type ApiUnderTest, startApi } from './support/api';

interface OpenApiOperation {
  summary?: string;
  security?: unknown[];
  requestBody?: unknown;
  parameters?: { in: string; name: string }[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
}

/** The API as in production, and every route it registers (HEAD aside), as `METHOD /path/{param}`. */
async function startProductionApi(label: string, env: Record<string, string>) {
  const db = await createTestDatabase(label);
  const app = await createApiApp(testConfig(db.url, { NODE_ENV: 'production', JWT_SECRET: 'a-production-signing-key-of-32-characters', PRIVACY_MASTER_KEY: randomBytes(32).toString('base64'), ...env }));
  const routes = new Set<string>();
  (app.getHttpAdapter().getInstance() as unknown as FastifyInstance).addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.add(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
  });
  await app.listen(0, '127.0.0.1');
  return { http: request(app.getHttpServer()), routes, close: async () => (await app.close(), await db.drop()) };
}

describe('operations endpoints', () => {
  let api: ApiUnderTest;

  beforeAll(async () => {
    api = await startApi('operations');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('reports PostgreSQL and Redis up on /health', async () => {
    const response = await api.http.get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('reports Redis down with a 503 naming it when Redis does not answer', async () => {
    const noRedis = await startApi('operations_no_redis', { REDIS_URL: 'redis://127.0.0.1:6390' });
    try {
      const response = await noRedis.http.get('/health').expect(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 503, detail: 'Not ready: redis down' });
      expect(response.body.checks).toMatchObject({ redis: { status: 'down' }, postgres: { status: 'up' } });
    } finally {
      await noRedis.close();
    }
  });

  it('serves a valid OpenAPI document at /docs-json that describes the accounts endpoints', async () => {
    const response = await api.http.get('/docs-json').expect(200);
    const document = await SwaggerParser.validate(structuredClone(response.body));
    expect(document.info.title).toBe('Passerelle API');
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/me', '/api/staff', '/health']));
    expect(response.body.components.schemas.CreateStaffDto.required).toEqual(expect.arrayContaining(['email', 'fullName', 'password']));
    await api.http.get('/docs').redirects(1).expect(200).expect('Content-Type', /html/);
  });

  it('describes every operation: a summary, its success answer with a schema, and its errors as problem+json', async () => {
    const document = (await api.http.get('/docs-json').expect(200)).body as OpenApiDocument;
    const problem = '#/components/schemas/ProblemView';
    expect(document.components.schemas.ProblemView.properties).toEqual(
      expect.objectContaining({ type: expect.anything(), title: expect.anything(), status: expect.anything(), detail: expect.anything(), errors: expect.anything() }),
    );
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(40);
    const gaps = operations.flatMap(({ route, operation }) => {
      const codes = Object.keys(operation.responses ?? {});
      // A page for people answers HTML, or a redirect to a page; its errors may be pages too.
      const page = codes.some((code) => code === '303' || operation.responses[code].content?.['text/html']);
      const successes = codes.filter((code) => /^2\d\d$/.test(code) || (page && code === '303'));
      const errors = codes.filter((code) => /^[45]\d\d$/.test(code));
      const found: string[] = [];
      if (!operation.summary?.trim()) found.push('no summary');
      if (successes.length === 0) found.push('no success answer');
      for (const code of successes.filter((code) => code !== '303')) {
        const schemas = Object.values(operation.responses[code].content ?? {}).map((content) => content.schema);
        if (schemas.length === 0 || schemas.some((schema) => !schema)) found.push(`${code} without a schema`);
      }
      // A page that takes no input it could refuse (a console list, the sign-in form) answers a page or a redirect whatever comes.
      if (errors.length === 0 && !page) found.push('no error answer');
      for (const code of errors) {
        const content = operation.responses[code].content ?? {};
        if (page && Object.keys(content).join() === 'text/html') continue;
        if (Object.keys(content).join() !== 'application/problem+json' || content['application/problem+json'].schema?.$ref !== problem) found.push(`${code} not a problem+json`);
      }
      // What every route of its kind can answer.
      if (operation.security?.length && !codes.includes('401')) found.push('authenticated, without 401');
      if (operation.requestBody && !codes.includes('400')) found.push('takes a body, without 400');
      if ((operation.parameters ?? []).some((p) => p.in === 'path') && !codes.includes('400') && !codes.includes('404')) found.push('takes an id, without 400 or 404');
      return found.map((gap) => `${route}: ${gap}`);
    });
    expect(gaps).toEqual([]);
    // Statuses as API.md fixes them.
    const status = (route: string) => Object.keys(operations.find((o) => o.route === route)!.operation.responses).filter((code) => /^2/.test(code));
    expect(status('POST /api/workshops')).toEqual(['201']);
    expect(status('POST /api/workshops/{id}/invitations')).toEqual(['202']);
    expect(status('POST /api/workshops/{id}/conclude')).toEqual(['202']);
    expect(status('POST /api/proposals/{id}/approve')).toEqual(['200']);
    expect(status('PUT /api/ministries/{country}')).toEqual(['200']);
  });

  it('exposes Prometheus metrics, HTTP timings among them', async () => {
    await api.http.get('/health').expect(200);
    const response = await api.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/);
    expect(response.text).toMatch(/process_cpu_user_seconds_total/);
  });

  describe('in production', () => {
    const token = 'metrics-token-Zr8vQ2mX4kLw';
    let production: Awaited<ReturnType<typeof startProductionApi>>;

    beforeAll(async () => {
      production = await startProductionApi('operations_production', { METRICS_TOKEN: token });
    });

    afterAll(async () => {
      await production?.close();
    });

    it('answers /metrics only with METRICS_TOKEN as a bearer token, 401 without it or with another; /docs stays open', async () => {
      const refused = [undefined, 'Bearer wrong-token', `Bearer ${token.slice(0, -1)}x`, `Bearer ${token}x`, `Basic ${token}`, token];
      for (const authorization of refused) {
        const answer = await (authorization === undefined ? production.http.get('/metrics') : production.http.get('/metrics').set('Authorization', authorization));
        expect({ authorization, status: answer.status, type: answer.headers['content-type'], challenge: answer.headers['www-authenticate'] }).toEqual({
          authorization,
          status: 401,
          type: expect.stringMatching(/^application\/problem\+json/),
          challenge: 'Bearer realm="metrics"',
        });
        expect(answer.text).not.toContain('process_cpu');
      }
      const scraped = await production.http.get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
      expect(scraped.headers['content-type']).toMatch(/^text\/plain/);
      expect(scraped.text).toMatch(/process_cpu_user_seconds_total/);
      await production.http.get('/docs').expect(200);
      await production.http.get('/docs-json').expect(200);
    });

    it('lists in the OpenAPI document every route it serves (the documentation UI, the queue board\'s own API and the console\'s stylesheet aside), and none it does not', async () => {
      const document = (await production.http.get('/docs-json').expect(200)).body as OpenApiDocument;
      const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
      const served = [...production.routes].filter((route) => !/^[A-Z]+ \/docs/.test(route) && !/^[A-Z]+ \/admin\/queues\/./.test(route) && !/^GET \/console\/assets\//.test(route));
      expect(served.length).toBeGreaterThanOrEqual(50);
      expect(served.filter((route) => !documented.includes(route))).toEqual([]);
      expect(documented.filter((route) => !production.routes.has(route))).toEqual([]);
      expect(documented).toEqual(expect.arrayContaining(['GET /metrics', 'GET /rsvp/{token}', 'POST /rsvp/{token}', 'GET /activate/{token}', 'POST /activate/{token}', 'GET /admin/queues']));
    });
  });

  it('reports each subscription\'s lag in events of its own categories, not only in sparse positions', async () => {
    const pool = new Pool({ connectionString: api.db.url });
    const store = new PostgresEventStore(pool, { notify: false });
    try {
      const { rows } = await pool.query<{ head: string }>('SELECT coalesce(max(position), 0)::text AS head FROM events');
      const before = rows[0].head;
      for (let i = 0; i < 3; i += 1) await store.append(`lagproposal-${i}`, [{ type: 'Drafted', data: { i } }], { expectedVersion: 'no_stream' });
      await store.append('lagworkshop-1', [{ type: 'Scheduled', data: {} }, { type: 'Moved', data: {} }], { expectedVersion: 'no_stream' });
      const head = (await pool.query<{ head: string }>('SELECT max(position)::text AS head FROM events')).rows[0].head;
      await pool.query(
        `INSERT INTO subscription_checkpoints (name, position, categories) VALUES
          ('lag-everything', $1, NULL), ('lag-proposals', $1, '{lagproposal}'), ('lag-workshops', $1, '{lagworkshop}'),
          ('lag-caught-up', $2, NULL), ('lag-other', $1, '{lagnothing}')`,
        [before, head],
      );
      // These events were recorded two minutes ago (instead of waiting for them to grow old).
      await pool.query("UPDATE events SET recorded_at = now() - interval '2 minutes' WHERE position > $1", [before]);

      // A scrape within a second of the last one answers the same lag: wait for one that sees these checkpoints.
      const metrics = await waitFor(
        async () => {
          const text = (await api.http.get('/metrics').expect(200)).text;
          return /^subscription_lag_events\{subscription="lag-everything"\} /m.test(text) ? text : null;
        },
        { intervalMs: 100, what: 'a scrape that sees the new checkpoints' },
      );
      const gauge = (name: string, subscription: string) => Number(new RegExp(`^${name}\\{subscription="${subscription}"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
      expect(['lag-everything', 'lag-proposals', 'lag-workshops', 'lag-caught-up', 'lag-other'].map((s) => gauge('subscription_lag_events', s))).toEqual([5, 3, 2, 0, 0]);
      // Positions are sparse: five events span far more than five positions here, since each append is its own transaction.
      expect(gauge('subscription_lag_positions', 'lag-everything')).toBeGreaterThan(5);
      expect(gauge('subscription_lag_positions', 'lag-caught-up')).toBe(0);
      expect(gauge('subscription_lag_seconds', 'lag-proposals')).toBeGreaterThanOrEqual(120);
      expect(gauge('subscription_lag_seconds', 'lag-caught-up')).toBe(0);
      // Other categories' events are not waiting for a subscription that does not read them.
      expect(gauge('subscription_lag_seconds', 'lag-other')).toBe(0);

      // However far behind, only the next `window` events are looked at: the count is then a lower bound.
      const windowed = await subscriptionLag(pool, 3);
      expect(Object.fromEntries(windowed.filter((r) => r.name.startsWith('lag-')).map((r) => [r.name, r.events]))).toEqual({
        'lag-everything': 3,
        'lag-proposals': 3,
        'lag-workshops': 0,
        'lag-caught-up': 0,
        'lag-other': 0,
      });
      // Behind a full window with none of its own categories in it: not caught up, but at least as old as the window's first event.
      expect(windowed.find((r) => r.name === 'lag-workshops')?.seconds).toBeGreaterThanOrEqual(120);
      expect(windowed.find((r) => r.name === 'lag-caught-up')?.seconds).toBe(0);
    } finally {
      store.close();
      await pool.end();
    }
  });
});
