export { createTestDatabase, dropTestDatabase, testPool } from './test-database';
export type { TestDatabase } from './test-database';
export { waitFor } from './wait-for';
export { testConfig } from './test-config';
export { deciderSpec } from './decider-spec';
export { SmtpSink } from './smtp-sink';
export type { ReceivedMail, SmtpSinkOptions } from './smtp-sink';
export { TEST_DATABASE_SERVER_URL, TEST_REDIS_URL, testDatabaseUrl } from './test-servers';
