import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { createTestDatabase, type LogLines, testConfig, type TestDatabase } from '@passerelle/testing';

export interface ApiUnderTest {
  app: NestFastifyApplication;
  db: TestDatabase;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * The real API app on its own fresh database, the real Redis, over HTTP on a random port. With `logs`,
 * its log lines (info and above) go there for the test to read; else it logs nothing.
 */
export async function startApi(label: string, env: Record<string, string> = {}, logs?: LogLines): Promise<ApiUnderTest> {
  const db = await createTestDatabase(label);
  const app = await createApiApp(testConfig(db.url, logs ? { ...env, LOG_LEVEL: 'info' } : env), { logDestination: logs });
  await app.listen(0, '127.0.0.1');
  const http = request(app.getHttpServer());
  return {
    app,
    db,
    http,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

export async function login(http: ReturnType<typeof request>, email: string, password: string): Promise<string> {
  const response = await http.post('/api/auth/login').send({ email, password }).expect(200);
  return response.body.accessToken;
}

export const ADMIN = { email: 'admin@passerelle.test', password: 'admin-password-for-tests' };
