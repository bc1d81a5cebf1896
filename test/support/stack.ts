import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app';
import type { Clock } from '@passerelle/platform';
import { createTestDatabase, type LogLines, SmtpSink, type SmtpSinkOptions, testConfig, type TestDatabase } from '@passerelle/testing';
import { ADMIN, login } from './api';

export interface Stack {
  db: TestDatabase;
  smtp: SmtpSink;
  api: NestFastifyApplication;
  worker: INestApplicationContext | null;
  baseUrl: string;
  http: ReturnType<typeof request>;
  token: string;
  env: Record<string, string>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  smtp?: SmtpSinkOptions;
  worker?: boolean;
  /** Where the worker's log lines (info and above) go, for the test to read; else it logs nothing. */
  workerLogs?: LogLines;
  /** Where the API's log lines (info and above) go, for the test to read; else it logs nothing. */
  apiLogs?: LogLines;
  /** The time the worker goes by (reminders, expiry), for tests that move it on; else the system's. */
  workerClock?: Clock;
}

/**
 * The API and the worker in this process, on a fresh database, the real Redis (queues of their own)
 * and a real SMTP server started here. `token` is an admin's.
 */
export async function startStack(label: string, options: StackOptions = {}): Promise<Stack> {
  const db = await createTestDatabase(label);
  const smtp = await new SmtpSink(options.smtp).start();
  const env: Record<string, string> = { SMTP_URL: smtp.url, MAIL_RETRY_DELAY_MS: '100', MAIL_ATTEMPTS: '20', ...options.env };
  const apiLogs = options.apiLogs;
  const api = await createApiApp(testConfig(db.url, apiLogs ? { ...env, LOG_LEVEL: 'info' } : env), { logDestination: apiLogs });
  await api.listen(0, '127.0.0.1');
  const baseUrl = await api.getUrl();
  env.APP_BASE_URL = baseUrl.replace('[::1]', 'localhost');
  const http = request(api.getHttpServer());
  const stack: Stack = {
    db,
    smtp,
    api,
    worker: null,
    baseUrl,
    http,
    token: await login(http, ADMIN.email, ADMIN.password),
    env,
    async startWorker() {
      const logs = options.workerLogs;
      const worker = await createWorkerApp(testConfig(db.url, logs ? { ...env, LOG_LEVEL: 'info' } : env), { logDestination: logs, clock: options.workerClock });
      await worker.init();
      stack.worker = worker;
    },
    async stopWorker() {
      await stack.worker?.close();
      stack.worker = null;
    },
    async close() {
      await stack.stopWorker();
      await api.close();
      await smtp.stop();
      await db.drop();
    },
  };
  if (options.worker !== false) await stack.startWorker();
  return stack;
}

/** The RSVP token in an e-mail's link. */
export function tokenIn(text: string): string {
  const match = /\/rsvp\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!match) throw new Error(`No RSVP link in: ${text}`);
  return match[1];
}
