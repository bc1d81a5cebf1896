/**
 * The PostgreSQL server and Redis every test uses, in one place. TEST_DATABASE_SERVER_URL and
 * TEST_REDIS_URL point the whole suite elsewhere (a CI service, another port).
 */
export const TEST_DATABASE_SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The URL of database `name` on the test server. */
export function testDatabaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
