import SwaggerParser from '@apidevtools/swagger-parser';
import { type ApiUnderTest, startApi } from './support/api';

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

  it('exposes Prometheus metrics, HTTP timings among them', async () => {
    await api.http.get('/health').expect(200);
    const response = await api.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/);
    expect(response.text).toMatch(/process_cpu_user_seconds_total/);
  });
});
