import { type AppConfig, loadConfig } from '@passerelle/platform';
import { TEST_REDIS_URL } from './test-servers';

/** The configuration of an app under test: its own database, quiet logs, a known admin. */
export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: 'silent',
    PORT: '0',
    ADMIN_EMAIL: 'admin@passerelle.test',
    ADMIN_PASSWORD: 'admin-password-for-tests',
    // Each test database gets its own queues, so workers of other test files never take its jobs.
    QUEUE_PREFIX: new URL(databaseUrl).pathname.slice(1),
    ...overrides,
  });
}
